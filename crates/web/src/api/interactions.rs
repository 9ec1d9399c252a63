//! `/api/v1/interactions`: 対応履歴 for merchant tokens — the search, adding and editing an entry,
//! the CSV import (all lines or none) and the CSV download in the merchant's column set. The rules
//! and the audit are `kippu_app::callcenter::interactions`'. Another merchant's entry is a 404.

use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};
use super::handlers::{ApiActor, merchant_of, time_of};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kippu_app::callcenter::interactions::{self as ia, EntryInput, InteractionRow, Search, export, import};
use kippu_app::csv_out::Encoding;
use kippu_app::{App, AppError};
use kippu_domain::clock::{format_jst, from_millis};
use kippu_domain::paging::Paging;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct InteractionOut {
    pub id: i64,
    pub customer_id: i64,
    pub customer_number: i64,
    pub customer_name: String,
    /// 受注番号, or null.
    pub order_number: Option<String>,
    /// 対応者's login ID; null for an entry made with an API token.
    pub operator: Option<String>,
    pub operator_name: Option<String>,
    /// 対応区分.
    pub category: String,
    /// 対応概要.
    pub summary: String,
    pub content: String,
    /// 対応日時 (RFC 3339, +09:00).
    pub at: String,
    pub updated_at: String,
}

fn out(r: InteractionRow) -> InteractionOut {
    InteractionOut {
        id: r.id,
        customer_id: r.customer_id,
        customer_number: r.customer_number,
        customer_name: r.customer_name,
        order_number: r.order_number,
        operator: r.operator_login,
        operator_name: r.operator_name,
        category: r.category,
        summary: r.summary,
        content: r.content,
        at: time_of(r.at),
        updated_at: time_of(r.updated_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct InteractionPage {
    pub items: Vec<InteractionOut>,
    /// Counted up to 10,000.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Deserialize, IntoParams, Default)]
pub struct SearchParams {
    /// `YYYY-MM-DD`: entries from this day (Japan time).
    #[serde(default)]
    pub from: String,
    /// `YYYY-MM-DD`: entries up to the end of this day.
    #[serde(default)]
    pub to: String,
    /// 対応者's login ID.
    #[serde(default)]
    pub operator: String,
    /// 対応区分, exactly.
    #[serde(default)]
    pub category: String,
    /// 対応概要, exactly.
    #[serde(default)]
    pub summary: String,
    /// The customer's id.
    pub customer: Option<i64>,
    /// Part of the content.
    #[serde(default)]
    pub q: String,
    /// 1-based page number.
    pub page: Option<i64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<i64>,
    /// CSV only: `cp932` (default) or `utf-8` (with a BOM).
    #[serde(default)]
    pub encoding: String,
}

fn search_of(p: &SearchParams) -> Search {
    Search {
        from: p.from.clone(),
        to: p.to.clone(),
        operator: p.operator.clone(),
        category: p.category.clone(),
        summary: p.summary.clone(),
        customer: p.customer,
        q: p.q.clone(),
    }
}

/// 対応履歴's search, newest first, a page at a time. A bad date or an unknown operator is 422
/// naming the field.
#[utoipa::path(get, path = "/api/v1/interactions", tag = "callcenter", params(SearchParams),
    responses((status = 200, body = InteractionPage), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<InteractionPage>, ApiError> {
    merchant_of(&a)?;
    let paging = Paging::new(p.page, p.per_page, 50).map_err(AppError::from)?;
    let (page, per_page) = (paging.page(), paging.per_page());
    let found = ia::list(&app, &a, &search_of(&p), paging).await?;
    Ok(Json(InteractionPage {
        items: found.rows.into_iter().map(out).collect(),
        total: found.total,
        page,
        per_page,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionBody {
    pub customer_id: i64,
    /// 対応日時 `YYYY-MM-DD HH:MM` (Japan); omitted: now.
    pub at: Option<String>,
    /// One of the merchant's 対応区分 (電話, メール, 手紙, その他 unless changed).
    pub category: String,
    /// One of the merchant's 対応概要 (問い合わせ, 注文, 変更, 解約, クレーム unless changed).
    pub summary: String,
    /// Up to 4,000 characters.
    pub content: String,
    /// One of the customer's orders.
    pub order_number: Option<String>,
}

/// 登録: a new entry (the token's entries have no 対応者). 422 names every bad field.
#[utoipa::path(post, path = "/api/v1/interactions", tag = "callcenter", request_body = InteractionBody,
    responses((status = 201, body = InteractionOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<InteractionBody>,
) -> Result<(StatusCode, Json<InteractionOut>), ApiError> {
    merchant_of(&a)?;
    let input = EntryInput {
        customer: Some(b.customer_id),
        at: b.at.unwrap_or_default(),
        category: b.category,
        summary: b.summary,
        content: b.content,
        order_number: b.order_number.unwrap_or_default(),
    };
    Ok((StatusCode::CREATED, Json(out(ia::add(&app, &a, &input).await?))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionPatch {
    pub at: Option<String>,
    pub category: Option<String>,
    pub summary: Option<String>,
    pub content: Option<String>,
    /// An empty string detaches the order.
    pub order_number: Option<String>,
}

/// 編集: changes the fields given (the customer stays), audited before → after.
#[utoipa::path(patch, path = "/api/v1/interactions/{id}", tag = "callcenter", params(("id" = i64, Path, description = "entry id")),
    request_body = InteractionPatch,
    responses((status = 200, body = InteractionOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn patch(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<InteractionPatch>,
) -> Result<Json<InteractionOut>, ApiError> {
    merchant_of(&a)?;
    let now = ia::get(&app, &a, id).await?;
    let input = EntryInput {
        customer: Some(now.customer_id),
        at: b.at.unwrap_or_else(|| format_jst(from_millis(now.at))),
        category: b.category.unwrap_or(now.category),
        summary: b.summary.unwrap_or(now.summary),
        content: b.content.unwrap_or(now.content),
        order_number: b.order_number.or(now.order_number).unwrap_or_default(),
    };
    Ok(Json(out(ia::edit(&app, &a, id, &input).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct ImportedOut {
    /// Entries written.
    pub imported: usize,
}

#[derive(Serialize, ToSchema)]
pub struct LineErrorOut {
    /// The line in the file (the header is line 1).
    pub line: usize,
    /// The column at fault (its header name), or 行 / 見出し行 / ファイル.
    pub field: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportRefusedOut {
    pub error: ImportRefusedDetail,
    /// Every bad line; nothing was written.
    pub errors: Vec<LineErrorOut>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportRefusedDetail {
    /// `invalid_lines`.
    pub code: String,
    pub message: String,
}

/// 登録(CSV): multipart field `file`, UTF-8 or CP932, with the header row (顧客番号, 対応日時,
/// 対応者, 対応区分, 対応概要, 内容, 受注番号; columns found by name; 対応日時, 対応者 and
/// 受注番号 optional). All lines or none: any bad line is 422 with every bad line's number, field
/// and reason. At most 2,000 lines.
#[utoipa::path(post, path = "/api/v1/interactions/import", tag = "callcenter",
    request_body(content_type = "multipart/form-data", description = "file"),
    responses((status = 200, body = ImportedOut), (status = 422, body = ImportRefusedOut), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn import(State(app): State<App>, ApiActor(a): ApiActor, mut form: Multipart) -> Result<Response, ApiError> {
    merchant_of(&a)?;
    let too_large = || ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "ファイルが大きすぎます");
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|_| too_large())? {
        if field.name() == Some("file") {
            file = Some(field.bytes().await.map_err(|_| too_large())?);
        }
    }
    let Some(bytes) = file else {
        return Err(AppError::from(kippu_domain::validate::FieldError::new("file", "ファイルを選んでください")).into());
    };
    Ok(match import::import(&app, &a, &bytes).await? {
        Ok(n) => Json(ImportedOut { imported: n }).into_response(),
        Err(lines) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(ImportRefusedOut {
                error: ImportRefusedDetail {
                    code: "invalid_lines".into(),
                    message: format!("{}行に誤りがあります。何も登録していません", lines.len()),
                },
                errors: lines
                    .into_iter()
                    .map(|l| LineErrorOut {
                        line: l.line,
                        field: l.field.into(),
                        message: l.message,
                    })
                    .collect(),
            }),
        )
            .into_response(),
    })
}

/// CSVダウンロード: every entry of the search (all pages) in the merchant's column set, streamed.
#[utoipa::path(get, path = "/api/v1/interactions/export.csv", tag = "callcenter", params(SearchParams),
    responses((status = 200, description = "CSV in the merchant's column set", content_type = "text/csv"), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn export_csv(State(app): State<App>, ApiActor(a): ApiActor, ApiQuery(p): ApiQuery<SearchParams>) -> Result<Response, ApiError> {
    merchant_of(&a)?;
    let enc = Encoding::choose(&p.encoding, Encoding::Cp932).map_err(AppError::from)?;
    let s = search_of(&p);
    export::check(&app, &a, &s).await?;
    Ok(crate::csv_stream::stream(&app.clone(), "interactions", enc, move |tx| async move {
        export::csv(&app, &a, &s, enc, tx).await
    }))
}
