//! Streams a CSV export to the client while it is produced: memory stays flat.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kippu_app::orders::export::{self, Encoding};
use kippu_app::{Actor, App};
use kippu_store::orders::OrderFilter;

pub fn response(app: App, actor: Actor, filter: OrderFilter, enc: Encoding) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    tokio::spawn(async move {
        match export::export(&app, &actor, filter, enc, tx).await {
            Ok((rows, problems)) => tracing::info!(rows, unencodable = problems.len(), "CSV export done"),
            // The header is already sent; the log says why the file is short.
            Err(e) => tracing::error!(error = %e, "CSV export failed"),
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (Ok::<_, std::io::Error>(chunk), rx))
    });
    let charset = match enc {
        Encoding::Cp932 => "Shift_JIS",
        Encoding::Utf8Bom => "utf-8",
    };
    let name = format!(
        "orders-{}.csv",
        kippu_domain::clock::format_jst(time::OffsetDateTime::now_utc()).replace([' ', ':'], "-")
    );
    (
        [
            (header::CONTENT_TYPE, format!("text/csv; charset={charset}")),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
