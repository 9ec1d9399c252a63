//! `POST /api/v1/shipments/import`: a carrier's shipped-data file, previewed or applied; the
//! answer is the run's counts and its first NG lines. `GET /api/v1/shipments/imports/{id}`
//! reads a run's answer again, `GET /api/v1/shipments/imports/{id}/lines?page=` its whole
//! report a page at a time.

use crate::api::error::{ApiError, ApiPath, ApiQuery, ErrorBody};
use crate::api::handlers::ApiActor;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use kippu_app::goods::import::{self, Apply, ImportLine, ImportReport, LinesPage, NG_SHOWN, Options};
use kippu_app::{App, AppError};
use kippu_domain::goods::carrier::{ColumnMap, FileType};
use kippu_domain::validate::{Collect, FieldError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct ImportLineOut {
    /// The physical line in the file (the header is line 1).
    pub line: u64,
    pub order_number: Option<String>,
    pub destination: Option<usize>,
    pub tracking_number: Option<String>,
    pub delivery_date: Option<String>,
    pub ok: bool,
    /// OK, and the destination already holds exactly this.
    pub unchanged: bool,
    /// This import marked the destination 発送済み.
    pub shipped: bool,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    /// The stored run: its lines are `GET /api/v1/shipments/imports/{id}/lines?page=1`.
    pub id: i64,
    /// `b2`, `ehiden2`, `ehiden3` or `yupri`.
    pub format: String,
    /// `CP932` or `UTF-8`.
    pub encoding: String,
    /// Data lines reported (every one is in the paged report).
    pub line_count: usize,
    pub ok_count: usize,
    pub ng_count: usize,
    pub unchanged_count: usize,
    /// The first NG lines in file order, at most `ng_lines_shown_max`; `ng_count` says how many
    /// there are.
    pub ng_lines: Vec<ImportLineOut>,
    pub ng_lines_shown_max: usize,
    pub applied: bool,
    pub applied_count: usize,
    /// Orders this import marked 発送済み (their shipping notices are not sent by the import).
    pub shipped_orders: usize,
    pub message: String,
    /// Where the whole report is read, a page at a time.
    pub lines_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportLinesOut {
    pub id: i64,
    pub page: usize,
    pub pages: usize,
    /// Lines in the whole report.
    pub total: usize,
    pub lines: Vec<ImportLineOut>,
}

fn line_out(l: ImportLine) -> ImportLineOut {
    ImportLineOut {
        line: l.line,
        order_number: l.order_number,
        destination: l.destination,
        tracking_number: l.tracking_number,
        delivery_date: l.delivery_date,
        ok: l.ok,
        unchanged: l.unchanged,
        shipped: l.shipped,
        reason: l.reason,
    }
}

fn out(r: ImportReport) -> ImportOut {
    ImportOut {
        id: r.id,
        format: r.file_type.as_str().into(),
        encoding: r.encoding.into(),
        line_count: r.line_count,
        ok_count: r.ok_count,
        ng_count: r.ng_count,
        unchanged_count: r.unchanged_count,
        ng_lines: r.ng_lines.into_iter().map(line_out).collect(),
        ng_lines_shown_max: NG_SHOWN,
        applied: r.applied,
        applied_count: r.applied_count,
        shipped_orders: r.shipped_orders,
        message: r.message,
        lines_url: format!("/api/v1/shipments/imports/{}/lines?page=1", r.id),
    }
}

/// 出荷データ一括登録. Multipart fields: `file`; `format` (`b2`, `ehiden2`, `ehiden3`, `yupri`);
/// `mark_shipped` (`true` also marks those destinations 発送済み; no email is sent); `apply`
/// (`none` = preview, `all` = everything or nothing, `valid` = the OK lines only). The answer
/// carries the counts and the first NG lines; every line is in the run's paged report. A file
/// with a header row is read by its header names in any order; without one, at the documented
/// positions. When the columns cannot be found the answer is 422 on `columns`, naming the
/// missing ones and the file's columns; `column_management`, `column_tracking` and
/// `column_delivery_date` (header names, or `列3` for a file without a header) choose them, and
/// the choice is saved for the merchant's next file of that type. A file that is empty, binary,
/// too large or of another carrier's type is 422.
#[utoipa::path(post, path = "/api/v1/shipments/import", tag = "goods",
    request_body(content_type = "multipart/form-data", description = "file, format, mark_shipped, apply; column_management, column_tracking, column_delivery_date when the columns are chosen"),
    responses((status = 200, body = ImportOut), (status = 422, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn import(State(app): State<App>, ApiActor(a): ApiActor, mut form: Multipart) -> Result<Json<ImportOut>, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "ファイルが大きすぎます（上限は40MB）",
        )
    };
    let (mut file, mut format, mut mark, mut apply) = (None, String::new(), String::new(), String::new());
    let mut chosen = ColumnMap::default();
    while let Some(field) = form.next_field().await.map_err(|_| too_large())? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" => file = Some(field.bytes().await.map_err(|_| too_large())?),
            "format" => format = field.text().await.unwrap_or_default(),
            "mark_shipped" => mark = field.text().await.unwrap_or_default(),
            "apply" => apply = field.text().await.unwrap_or_default(),
            "column_management" => chosen.management = field.text().await.unwrap_or_default(),
            "column_tracking" => chosen.tracking = field.text().await.unwrap_or_default(),
            "column_delivery_date" => chosen.delivery_date = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let mut errs = Collect::default();
    let file_type = errs.take(
        FileType::parse(format.trim())
            .ok_or_else(|| FieldError::new("format", "ファイルの種類を b2, ehiden2, ehiden3, yupri から選んでください")),
    );
    let apply = errs.take(Apply::parse(apply.trim()).ok_or_else(|| FieldError::new("apply", "none, all, valid のいずれかです")));
    let mark_shipped = errs.take(match mark.trim() {
        "" | "false" | "0" => Ok(false),
        "true" | "1" | "on" => Ok(true),
        _ => Err(FieldError::new("mark_shipped", "true か false です")),
    });
    if file.is_none() {
        errs.push(FieldError::new("file", "ファイルを選んでください"));
    }
    errs.finish().map_err(AppError::from)?;
    let (Some(file_type), Some(apply), Some(mark_shipped), Some(file)) = (file_type, apply, mark_shipped, file) else {
        return Err(AppError::Internal("an import field without a value but without an error".into()).into());
    };
    let opts = Options {
        file_type,
        mark_shipped,
        apply,
        columns: chosen.chosen(),
    };
    Ok(Json(out(import::import(&app, &a, &file, opts).await?)))
}

/// A stored import's answer again: counts, the first NG lines, the message. Another merchant's
/// run is 404.
#[utoipa::path(get, path = "/api/v1/shipments/imports/{id}", tag = "goods",
    params(("id" = i64, Path, description = "the run's id from the import's answer")),
    responses((status = 200, body = ImportOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn import_run(State(app): State<App>, ApiActor(a): ApiActor, ApiPath(id): ApiPath<i64>) -> Result<Json<ImportOut>, ApiError> {
    Ok(Json(out(import::stored_report(&app, &a, id).await?)))
}

#[derive(Deserialize, IntoParams)]
pub struct LinesParams {
    /// 1-based; 100 lines a page.
    pub page: Option<usize>,
}

/// One page (100 lines, in file order) of a stored import's whole report: every line with its
/// number, order, destination and verdict.
#[utoipa::path(get, path = "/api/v1/shipments/imports/{id}/lines", tag = "goods",
    params(("id" = i64, Path, description = "the run's id"), LinesParams),
    responses((status = 200, body = ImportLinesOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn import_lines(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<LinesParams>,
) -> Result<Json<ImportLinesOut>, ApiError> {
    let LinesPage {
        id,
        page,
        pages,
        total,
        lines,
    } = import::lines(&app, &a, id, p.page.unwrap_or(1)).await?;
    Ok(Json(ImportLinesOut {
        id,
        page,
        pages,
        total,
        lines: lines.into_iter().map(line_out).collect(),
    }))
}
