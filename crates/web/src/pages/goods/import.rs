//! 出荷データ一括登録: choose the file type, upload, see every line, apply.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::render;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::goods::import::{self, Apply, ImportReport, Options};
use kippu_app::{App, AppError};
use kippu_domain::goods::carrier::FileType;

#[derive(Template)]
#[template(path = "goods_import.html")]
struct ImportPage {
    c: Chrome,
    types: Vec<(&'static str, &'static str)>,
    chosen: String,
    mark_shipped: bool,
    report: Option<ImportReport>,
    /// The orders the import marked shipped, offered 発送通知を送る.
    to_notify: Vec<String>,
    error: String,
}

fn page(
    s: &SignedIn,
    status: StatusCode,
    chosen: String,
    mark_shipped: bool,
    report: Option<ImportReport>,
    error: String,
) -> Result<Response, WebError> {
    let t = s.ctx.t();
    render(
        status,
        ImportPage {
            c: Chrome::signed_in(&s.ctx, "goods.import_title"),
            types: FileType::ALL.iter().map(|f| (f.as_str(), t.l(f.label()))).collect(),
            chosen,
            mark_shipped,
            to_notify: report.as_ref().map(|r| r.newly_shipped_orders(mark_shipped)).unwrap_or_default(),
            report,
            error,
        },
    )
}

pub async fn import_page(s: SignedIn) -> Result<Response, WebError> {
    s.user.actor.merchant()?;
    page(&s, StatusCode::OK, "b2".into(), false, None, String::new())
}

/// Upload (multipart; the CSRF token travels in the query string, as for the other imports).
pub async fn import(State(app): State<App>, s: SignedIn, mut form: Multipart) -> Result<Response, WebError> {
    let (mut file, mut format, mut mark, mut apply) = (None, String::new(), false, String::new());
    while let Some(field) = form.next_field().await.map_err(|_| WebError::TooLarge)? {
        match field.name().unwrap_or("") {
            "file" => file = Some(field.bytes().await.map_err(|_| WebError::TooLarge)?),
            "format" => format = field.text().await.unwrap_or_default(),
            "mark_shipped" => mark = !field.text().await.unwrap_or_default().is_empty(),
            "apply" => apply = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let Some(file_type) = FileType::parse(format.trim()) else {
        return page(
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            format,
            mark,
            None,
            s.ctx.t().s("goods.pick_type").into(),
        );
    };
    let opts = Options {
        file_type,
        mark_shipped: mark,
        apply: Apply::parse(apply.trim()).unwrap_or(Apply::None),
    };
    match import::import(&app, &s.user.actor, &file.unwrap_or_default(), opts).await {
        Ok(report) => page(&s, StatusCode::OK, format, mark, Some(report), String::new()),
        Err(AppError::Invalid(e)) => {
            let why = e.messages();
            page(&s, StatusCode::UNPROCESSABLE_ENTITY, format, mark, None, why)
        }
        Err(e) => Err(e.into()),
    }
}
