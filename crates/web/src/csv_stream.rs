//! Streams a CSV export to the client while it is produced: memory stays flat.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kippu_app::csv_out::{Encoding, Unencodable};
use kippu_app::{App, AppError};
use std::future::Future;
use tokio::sync::mpsc::Sender;

/// `?encoding=` of a CSV download; empty means the caller's default.
#[derive(serde::Deserialize)]
pub struct CsvQuery {
    #[serde(default)]
    pub encoding: String,
}

/// What a reader gets unless they choose: CP932 for Japanese readers (what Excel in Japan
/// opens), UTF-8 with BOM otherwise.
pub fn default_for(lang: crate::i18n::Lang) -> Encoding {
    if lang == crate::i18n::Lang::Ja {
        Encoding::Cp932
    } else {
        Encoding::Utf8Bom
    }
}

/// The encoding asked for, or `default`; an unknown one is refused (422, field `encoding`).
pub fn encoding(q: &CsvQuery, default: Encoding) -> Result<Encoding, AppError> {
    Ok(Encoding::choose(&q.encoding, default)?)
}

/// A download named `{name}-{time}.csv` (the app's clock) whose chunks `produce` sends while
/// the client reads.
pub fn stream<F, Fut>(app: &App, name: &str, enc: Encoding, produce: F) -> Response
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
    let file = format!(
        "{name}-{}.csv",
        kippu_domain::clock::format_jst(app.clock.now()).replace([' ', ':'], "-")
    );
    (
        [
            (header::CONTENT_TYPE, format!("text/csv; charset={}", enc.charset())),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// A CSV already made (a statement), sent as the download `file`.
pub fn attachment(file: &str, enc: Encoding, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, format!("text/csv; charset={}", enc.charset())),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        bytes,
    )
        .into_response()
}
