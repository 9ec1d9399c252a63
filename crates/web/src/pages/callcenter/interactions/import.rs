//! 登録(CSV) (`/callcenter/interactions/import`): the upload form with the template and the
//! 対応者一覧 downloads and how to fill a file; after an upload, the count written or every bad
//! line with its number, column and reason (nothing written).

use super::super::{ConsoleBar, Panel, Picked};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::render;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::callcenter::interactions::import;
use kippu_app::csv_import::LineError;
use kippu_app::csv_out::Encoding;
use kippu_app::{App, AppError};

#[derive(Template)]
#[template(path = "callcenter_interactions_import.html")]
struct ImportPage {
    c: Chrome,
    bar: ConsoleBar,
    imported: Option<usize>,
    errors: Vec<LineError>,
    max_lines: usize,
}

async fn import_page(
    app: &App,
    s: &SignedIn,
    picked: Picked,
    imported: Option<usize>,
    errors: Vec<LineError>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let bar = ConsoleBar::new(app, s, Panel::Interactions, &picked).await?;
    render(
        status,
        ImportPage {
            c: Chrome::signed_in(&s.ctx, "interactions.import"),
            bar,
            imported,
            errors,
            max_lines: import::MAX_LINES,
        },
    )
}

pub async fn page(State(app): State<App>, s: SignedIn, Query(p): Query<Picked>) -> Result<Response, WebError> {
    import_page(&app, &s, p, None, Vec::new(), StatusCode::OK).await
}

/// The upload (multipart `file`; the CSRF token travels in the query string).
pub async fn upload(State(app): State<App>, s: SignedIn, mut form: Multipart) -> Result<Response, WebError> {
    let mut bytes = None;
    while let Some(field) = form.next_field().await.map_err(|_| WebError::TooLarge)? {
        if field.name() == Some("file") {
            bytes = Some(field.bytes().await.map_err(|_| WebError::TooLarge)?);
        }
    }
    let bytes = bytes.unwrap_or_default();
    let (status, imported, errors) = match import::import(&app, &s.user.actor, &bytes).await? {
        Ok(n) => (StatusCode::OK, Some(n), Vec::new()),
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, None, errors),
    };
    import_page(&app, &s, Picked::default(), imported, errors, status).await
}

#[derive(serde::Deserialize, Default)]
pub struct EncodingQuery {
    #[serde(default)]
    encoding: String,
}

/// The template: the header and one example line.
pub async fn template(s: SignedIn, Query(q): Query<EncodingQuery>) -> Result<Response, WebError> {
    let enc = Encoding::choose(&q.encoding, crate::csv_stream::default_for(s.ctx.lang)).map_err(AppError::from)?;
    Ok(crate::csv_stream::attachment(
        "interactions-template.csv",
        enc,
        import::template(enc),
    ))
}

/// 対応者一覧: the merchant's login IDs and names.
pub async fn operators(State(app): State<App>, s: SignedIn, Query(q): Query<EncodingQuery>) -> Result<Response, WebError> {
    let enc = Encoding::choose(&q.encoding, crate::csv_stream::default_for(s.ctx.lang)).map_err(AppError::from)?;
    let bytes = import::operators_csv(&app, &s.user.actor, enc).await?;
    Ok(crate::csv_stream::attachment("operators.csv", enc, bytes))
}
