//! Streams a CSV export to the client while it is produced: memory stays flat.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kippu_app::csv_out::{Encoding, Unencodable};
use kippu_app::orders::export;
use kippu_app::{Actor, App};
use kippu_store::orders::OrderFilter;
use std::future::Future;
use tokio::sync::mpsc::Sender;

/// `?encoding=` of a CSV download; empty means the user's default.
#[derive(serde::Deserialize)]
pub struct CsvQuery {
    #[serde(default)]
    pub encoding: String,
}

/// The encoding a user gets unless they choose: CP932 for Japanese users (what Excel in Japan
/// opens), UTF-8 with BOM otherwise.
pub fn default_encoding(lang: crate::i18n::Lang) -> &'static str {
    if lang == crate::i18n::Lang::Ja { "cp932" } else { "utf-8" }
}

/// The encoding asked for, or the user's default; an unknown one is refused.
pub fn encoding(q: &CsvQuery, lang: crate::i18n::Lang) -> Result<Encoding, crate::error::WebError> {
    let asked = if q.encoding.is_empty() {
        default_encoding(lang)
    } else {
        &q.encoding
    };
    Encoding::parse(asked).ok_or_else(|| crate::error::WebError::Invalid("encoding: cp932 か utf-8 を指定してください".into()))
}

/// The order list's export.
pub fn response(app: App, actor: Actor, filter: OrderFilter, enc: Encoding) -> Response {
    stream("orders", enc, move |tx| async move {
        export::export(&app, &actor, filter, enc, tx).await
    })
}

/// A download named `{name}-{time}.csv` whose chunks `produce` sends while the client reads.
pub fn stream<F, Fut>(name: &str, enc: Encoding, produce: F) -> Response
where
    F: FnOnce(Sender<Vec<u8>>) -> Fut + Send + 'static,
    Fut: Future<Output = kippu_app::Result<(usize, Vec<Unencodable>)>> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    tokio::spawn(async move {
        match produce(tx).await {
            Ok((rows, problems)) => tracing::info!(rows, unencodable = problems.len(), "CSV export done"),
            // The header is already sent; the log says why the file is short.
            Err(e) => tracing::error!(error = %e, "CSV export failed"),
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (Ok::<_, std::io::Error>(chunk), rx))
    });
    let charset = match enc {
        Encoding::Cp932 => "Shift_JIS",
        Encoding::Utf8Bom => "utf-8",
    };
    let file = format!(
        "{name}-{}.csv",
        kippu_domain::clock::format_jst(time::OffsetDateTime::now_utc()).replace([' ', ':'], "-")
    );
    (
        [
            (header::CONTENT_TYPE, format!("text/csv; charset={charset}")),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
