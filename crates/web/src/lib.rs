//! The web layer: the back-office UI (server-rendered with askama, light htmx), the customer
//! pages, and the JSON API under `/api/v1`. Handlers are thin: they parse, call one use case
//! in `kippu-app`, and render.

pub mod api;
mod assets;
mod boundary;
mod chrome;
mod client_addr;
mod csv_stream;
mod ctx;
mod error;
mod flash;
mod form_errors;
pub mod i18n;
mod pages;
mod posted;
pub mod qr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use kippu_app::App;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Requests larger than this are refused with 413 before a handler sees them. Imports that
/// need more raise it on their own routes.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The carriers' shipped-data files: the import's own limit plus room for the form around it.
pub const IMPORT_LIMIT: usize = kippu_app::goods::import::MAX_BYTES + 1024 * 1024;

/// The body limit of a path: the import routes take files, everything else a form or JSON.
pub fn body_limit_of(path: &str) -> usize {
    if matches!(path, "/api/v1/shipments/import" | "/shipping/import") {
        IMPORT_LIMIT
    } else {
        BODY_LIMIT
    }
}

/// The whole HTTP application.
pub fn router(app: App) -> Router {
    // Unknown UI addresses get the designed 404 inside the page shell (the API has its own).
    let ui = pages::router()
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(app.clone(), ctx::context_layer));
    Router::new()
        .merge(ui)
        .nest("/api/v1", api::router(&app))
        .route("/healthz", axum::routing::get(health))
        .merge(assets::router())
        .layer(axum::middleware::from_fn(boundary::transport_layer))
        .layer(axum::middleware::from_fn(boundary::body_limit_layer))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
            ),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(app)
}

/// 200 `ok` once the database answers, 503 otherwise.
async fn health(axum::extract::State(app): axum::extract::State<App>) -> (axum::http::StatusCode, &'static str) {
    if app.ping().await {
        (axum::http::StatusCode::OK, "ok")
    } else {
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

/// Serves `router(app)` on an already bound listener until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = router(app).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await
}

/// A PDF shown in the browser (inline), named after what it is.
pub(crate) fn pdf_response(name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}.pdf\"")),
        ],
        bytes,
    )
        .into_response()
}
