//! Static files, embedded in the binary (no CDN, nothing to deploy beside it).

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use kippu_app::App;

const HTMX: &str = include_str!("../static/htmx.min.js");
const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");
/// jsQR 1.4.0 (Apache-2.0, licence in static/jsQR.LICENSE), vendored: the door page decodes
/// QR codes in the browser without a CDN.
const JSQR: &str = include_str!("../static/jsQR.js");
/// The camera QR scanner of the door and the voucher payment page.
const SCAN_JS: &str = include_str!("../static/scan.js");
/// The FAQ recommends adding the site to the home screen of tablets and phones: the manifest
/// and icon make it open full-screen like an app, with the door as a shortcut.
const MANIFEST: &str = include_str!("../static/manifest.webmanifest");
const ICON: &str = include_str!("../static/icon.svg");

fn asset(body: &'static str, mime: &'static str) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "public, max-age=3600")],
        body,
    )
}

pub fn router() -> Router<App> {
    Router::new()
        .route(
            "/static/htmx.min.js",
            get(|| async { asset(HTMX, "text/javascript; charset=utf-8") }),
        )
        .route("/static/app.css", get(|| async { asset(CSS, "text/css; charset=utf-8") }))
        .route("/static/app.js", get(|| async { asset(JS, "text/javascript; charset=utf-8") }))
        .route("/static/jsQR.js", get(|| async { asset(JSQR, "text/javascript; charset=utf-8") }))
        .route(
            "/static/scan.js",
            get(|| async { asset(SCAN_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/static/manifest.webmanifest",
            get(|| async { asset(MANIFEST, "application/manifest+json") }),
        )
        .route("/static/icon.svg", get(|| async { asset(ICON, "image/svg+xml") }))
}
