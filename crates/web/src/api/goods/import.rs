//! `POST /api/v1/shipments/import`: a carrier's shipped-data file, previewed or applied.

use crate::api::error::{ApiError, ErrorBody};
use crate::api::handlers::ApiActor;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use kippu_app::goods::import::{self, Apply, ImportLine, ImportReport, Options};
use kippu_app::{App, AppError};
use kippu_domain::goods::carrier::FileType;
use kippu_domain::validate::{Collect, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

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
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    /// `CP932` or `UTF-8`.
    pub encoding: String,
    pub lines: Vec<ImportLineOut>,
    pub ok_count: usize,
    pub ng_count: usize,
    pub unchanged_count: usize,
    pub applied: bool,
    pub applied_count: usize,
    pub message: String,
}

fn out(r: ImportReport) -> ImportOut {
    ImportOut {
        encoding: r.encoding.into(),
        lines: r
            .lines
            .into_iter()
            .map(|l: ImportLine| ImportLineOut {
                line: l.line,
                order_number: l.order_number,
                destination: l.destination,
                tracking_number: l.tracking_number,
                delivery_date: l.delivery_date,
                ok: l.ok,
                unchanged: l.unchanged,
                reason: l.reason,
            })
            .collect(),
        ok_count: r.ok_count,
        ng_count: r.ng_count,
        unchanged_count: r.unchanged_count,
        applied: r.applied,
        applied_count: r.applied_count,
        message: r.message,
    }
}

/// 出荷データ一括登録. Multipart fields: `file`; `format` (`b2`, `ehiden2`, `ehiden3`, `yupri`);
/// `mark_shipped` (`true` also marks those destinations 発送済み; no email is sent); `apply`
/// (`none` = preview, `all` = everything or nothing, `valid` = the OK lines only). Every line is
/// answered; a file that is empty, binary, too large or of another carrier's type is 422.
#[utoipa::path(post, path = "/api/v1/shipments/import", tag = "goods",
    request_body(content_type = "multipart/form-data", description = "file, format, mark_shipped, apply"),
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
    while let Some(field) = form.next_field().await.map_err(|_| too_large())? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" => file = Some(field.bytes().await.map_err(|_| too_large())?),
            "format" => format = field.text().await.unwrap_or_default(),
            "mark_shipped" => mark = field.text().await.unwrap_or_default(),
            "apply" => apply = field.text().await.unwrap_or_default(),
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
    };
    Ok(Json(out(import::import(&app, &a, &file, opts).await?)))
}
