//! `/api/v1/ad-codes`: a merchant's AD codes (媒体) — list, create, update (merchant tokens; the
//! rules and the audit are `kippu_app::ad_codes`'). Another merchant's AD code is a 404.

use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};
use super::handlers::{ApiActor, PageParams, merchant_of, time_of};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::ad_codes::{self, AdCodeRow};
use kippu_app::{App, AppError};
use kippu_domain::adcode::AdCodeInput;
use kippu_domain::paging::Paging;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct AdCodeOut {
    pub id: i64,
    pub code: String,
    /// The medium: 新聞広告, テレビCM …
    pub name: String,
    /// `YYYY-MM-DD` or null: open-ended.
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub enabled: bool,
    pub created_at: String,
    pub updated_at: String,
}

fn out(r: AdCodeRow) -> AdCodeOut {
    let date = |s: String| (!s.is_empty()).then_some(s);
    AdCodeOut {
        id: r.id,
        code: r.code,
        name: r.name,
        valid_from: date(r.valid_from),
        valid_to: date(r.valid_to),
        enabled: r.enabled == 1,
        created_at: time_of(r.created_at),
        updated_at: time_of(r.updated_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct AdCodePage {
    pub items: Vec<AdCodeOut>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The merchant's AD codes, by code.
#[utoipa::path(get, path = "/api/v1/ad-codes", tag = "merchant", params(PageParams),
    responses((status = 200, body = AdCodePage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(State(app): State<App>, ApiActor(a): ApiActor, ApiQuery(p): ApiQuery<PageParams>) -> Result<Json<AdCodePage>, ApiError> {
    merchant_of(&a)?;
    let paging = Paging::new(p.page, p.per_page, 50).map_err(AppError::from)?;
    let (page, per_page) = (paging.page(), paging.per_page());
    let r = ad_codes::list(&app, &a, paging).await?;
    Ok(Json(AdCodePage {
        items: r.rows.into_iter().map(out).collect(),
        total: r.total,
        page,
        per_page,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdCodeBody {
    /// Letters, digits, `-` and `_`, 2–32 long; stored in upper case.
    pub code: String,
    /// Up to 100 characters.
    pub name: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// On unless false.
    pub enabled: Option<bool>,
}

fn input(b: AdCodeBody) -> AdCodeInput {
    AdCodeInput {
        code: b.code,
        name: b.name,
        valid_from: b.valid_from.unwrap_or_default(),
        valid_to: b.valid_to.unwrap_or_default(),
        enabled: b.enabled.unwrap_or(true),
    }
}

/// Creates an AD code (merchant admins). 422 names every bad field; a code in use is 422 on `code`.
#[utoipa::path(post, path = "/api/v1/ad-codes", tag = "merchant", request_body = AdCodeBody,
    responses((status = 201, body = AdCodeOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<AdCodeBody>,
) -> Result<(StatusCode, Json<AdCodeOut>), ApiError> {
    merchant_of(&a)?;
    Ok((StatusCode::CREATED, Json(out(ad_codes::create(&app, &a, &input(b)).await?))))
}

/// Replaces an AD code's settings.
#[utoipa::path(put, path = "/api/v1/ad-codes/{id}", tag = "merchant", params(("id" = i64, Path, description = "AD code id")),
    request_body = AdCodeBody,
    responses((status = 200, body = AdCodeOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AdCodeBody>,
) -> Result<Json<AdCodeOut>, ApiError> {
    merchant_of(&a)?;
    Ok(Json(out(ad_codes::update(&app, &a, id, &input(b)).await?)))
}
