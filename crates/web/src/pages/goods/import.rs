//! 出荷データ一括登録: choose the file type, upload, see the counts, the NG lines and every
//! line a page at a time, apply, and send the shipping notices of the orders it marked shipped.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::render;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::goods::import::{self, Apply, ImportReport, LinesPage, Options};
use kippu_app::{App, AppError};
use kippu_domain::goods::carrier::{ColumnMap, FileType};

#[derive(Template)]
#[template(path = "goods_import.html")]
struct ImportPage {
    c: Chrome,
    types: Vec<(&'static str, &'static str)>,
    chosen: String,
    mark_shipped: bool,
    report: Option<ImportReport>,
    /// The page of every line shown under the report.
    lines: Option<LinesPage>,
    error: String,
    /// When the columns could not be found: the file's columns to choose from.
    choose: Vec<String>,
    chosen_columns: ColumnMap,
}

/// What the page shows after an upload or for a stored run.
#[derive(Default)]
struct Shown {
    report: Option<(ImportReport, LinesPage)>,
    error: String,
    choose: Vec<String>,
    chosen_columns: ColumnMap,
}

fn page(s: &SignedIn, status: StatusCode, chosen: String, mark_shipped: bool, shown: Shown) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let (report, lines) = shown.report.map_or((None, None), |(r, l)| (Some(r), Some(l)));
    render(
        status,
        ImportPage {
            c: Chrome::signed_in(&s.ctx, "goods.import_title"),
            types: FileType::ALL.iter().map(|f| (f.as_str(), t.l(f.label()))).collect(),
            chosen,
            mark_shipped,
            report,
            lines,
            error: shown.error,
            choose: shown.choose,
            chosen_columns: shown.chosen_columns,
        },
    )
}

pub async fn import_page(s: SignedIn) -> Result<Response, WebError> {
    s.user.actor.merchant()?;
    page(&s, StatusCode::OK, "b2".into(), false, Shown::default())
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    page: Option<usize>,
}

/// A stored import's report again, with page `page` of its lines.
pub async fn import_run(
    State(app): State<App>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let report = import::stored_report(&app, &s.user.actor, id).await?;
    let lines = import::lines(&app, &s.user.actor, id, q.page.unwrap_or(1).max(1)).await?;
    let (chosen, mark) = (report.file_type.as_str().to_string(), report.mark_shipped);
    let shown = Shown {
        report: Some((report, lines)),
        ..Shown::default()
    };
    page(&s, StatusCode::OK, chosen, mark, shown)
}

/// Upload (multipart; the CSRF token travels in the query string, as for the other imports).
pub async fn import(State(app): State<App>, s: SignedIn, mut form: Multipart) -> Result<Response, WebError> {
    let (mut file, mut format, mut mark, mut apply) = (None, String::new(), false, String::new());
    let mut chosen = ColumnMap::default();
    while let Some(field) = form.next_field().await.map_err(|_| WebError::TooLarge)? {
        match field.name().unwrap_or("") {
            "file" => file = Some(field.bytes().await.map_err(|_| WebError::TooLarge)?),
            "format" => format = field.text().await.unwrap_or_default(),
            "mark_shipped" => mark = !field.text().await.unwrap_or_default().is_empty(),
            "apply" => apply = field.text().await.unwrap_or_default(),
            "column_management" => chosen.management = field.text().await.unwrap_or_default(),
            "column_tracking" => chosen.tracking = field.text().await.unwrap_or_default(),
            "column_delivery_date" => chosen.delivery_date = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let Some(file_type) = FileType::parse(format.trim()) else {
        let shown = Shown {
            error: s.ctx.t().s("goods.pick_type").into(),
            ..Shown::default()
        };
        return page(&s, StatusCode::UNPROCESSABLE_ENTITY, format, mark, shown);
    };
    let file = file.unwrap_or_default();
    let opts = Options {
        file_type,
        mark_shipped: mark,
        apply: Apply::parse(apply.trim()).unwrap_or(Apply::None),
        columns: chosen.clone().chosen(),
    };
    match import::import(&app, &s.user.actor, &file, opts).await {
        Ok(report) => {
            let lines = import::lines(&app, &s.user.actor, report.id, 1).await?;
            let shown = Shown {
                report: Some((report, lines)),
                ..Shown::default()
            };
            page(&s, StatusCode::OK, format, mark, shown)
        }
        Err(AppError::Invalid(e)) => {
            // Columns that cannot be found are chosen on the page, from the file's own.
            let choose = if e.on("columns").is_some() {
                import::file_columns(&file)
            } else {
                vec![]
            };
            let shown = Shown {
                error: e.messages(),
                choose,
                chosen_columns: chosen,
                ..Shown::default()
            };
            page(&s, StatusCode::UNPROCESSABLE_ENTITY, format, mark, shown)
        }
        Err(e) => Err(e.into()),
    }
}
