//! `/api/v1/coupons`: a merchant's code coupons — list, create, update (merchant tokens; the
//! rules and the audit are `kippu_app::coupons`'). Another merchant's coupon is a 404.

use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};
use super::handlers::{ApiActor, PageParams, merchant_of, time_of};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::coupons::{self, CouponRow};
use kippu_app::{App, AppError};
use kippu_domain::coupon::CouponInput;
use kippu_domain::paging::Paging;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CouponOut {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `yen` (a fixed amount) or `percent` (of the goods total, rounded down to the yen).
    pub discount_kind: String,
    pub discount_value: i64,
    /// `YYYY-MM-DD` or null: open-ended.
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub min_amount: i64,
    /// Null: unlimited.
    pub per_customer: Option<i64>,
    pub total_limit: Option<i64>,
    pub used_count: i64,
    pub enabled: bool,
    pub created_at: String,
    pub updated_at: String,
}

fn date(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn out(r: CouponRow) -> CouponOut {
    let (discount_kind, discount_value) = if r.discount_percent > 0 {
        ("percent", r.discount_percent)
    } else {
        ("yen", r.discount_yen)
    };
    CouponOut {
        id: r.id,
        code: r.code,
        name: r.name,
        discount_kind: discount_kind.into(),
        discount_value,
        valid_from: date(r.valid_from),
        valid_to: date(r.valid_to),
        min_amount: r.min_amount,
        per_customer: r.per_customer,
        total_limit: r.total_limit,
        used_count: r.used_count,
        enabled: r.enabled == 1,
        created_at: time_of(r.created_at),
        updated_at: time_of(r.updated_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct CouponPage {
    pub items: Vec<CouponOut>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The merchant's coupons, newest first.
#[utoipa::path(get, path = "/api/v1/coupons", tag = "merchant", params(PageParams),
    responses((status = 200, body = CouponPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(State(app): State<App>, ApiActor(a): ApiActor, ApiQuery(p): ApiQuery<PageParams>) -> Result<Json<CouponPage>, ApiError> {
    merchant_of(&a)?;
    let paging = Paging::new(p.page, p.per_page, 50).map_err(AppError::from)?;
    let (page, per_page) = (paging.page(), paging.per_page());
    let r = coupons::list(&app, &a, paging).await?;
    Ok(Json(CouponPage {
        items: r.rows.into_iter().map(out).collect(),
        total: r.total,
        page,
        per_page,
    }))
}

/// A coupon as sent. Amounts: a fixed discount 1–1,000,000 yen, a percentage 1–100, a minimum
/// goods total 0–10,000,000 yen, limits 1–1,000,000 (absent: unlimited).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CouponBody {
    /// Letters, digits, `-` and `_`, 2–32 long; stored in upper case.
    pub code: String,
    pub name: String,
    /// `yen` or `percent`.
    pub discount_kind: String,
    pub discount_value: i64,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub min_amount: Option<i64>,
    pub per_customer: Option<i64>,
    pub total_limit: Option<i64>,
    /// On unless false.
    pub enabled: Option<bool>,
}

fn input(b: CouponBody) -> CouponInput {
    let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    CouponInput {
        code: b.code,
        name: b.name,
        discount_kind: b.discount_kind,
        discount_value: b.discount_value.to_string(),
        valid_from: b.valid_from.unwrap_or_default(),
        valid_to: b.valid_to.unwrap_or_default(),
        min_amount: n(b.min_amount),
        per_customer: n(b.per_customer),
        total_limit: n(b.total_limit),
        enabled: b.enabled.unwrap_or(true),
    }
}

/// Creates a coupon (merchant admins). 422 names every bad field; a code in use is 422 on `code`.
#[utoipa::path(post, path = "/api/v1/coupons", tag = "merchant", request_body = CouponBody,
    responses((status = 201, body = CouponOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<CouponBody>,
) -> Result<(StatusCode, Json<CouponOut>), ApiError> {
    merchant_of(&a)?;
    Ok((StatusCode::CREATED, Json(out(coupons::create(&app, &a, &input(b)).await?))))
}

/// Replaces a coupon's settings (its use count stays).
#[utoipa::path(put, path = "/api/v1/coupons/{id}", tag = "merchant", params(("id" = i64, Path, description = "coupon id")),
    request_body = CouponBody,
    responses((status = 200, body = CouponOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<CouponBody>,
) -> Result<Json<CouponOut>, ApiError> {
    merchant_of(&a)?;
    Ok(Json(out(coupons::update(&app, &a, id, &input(b)).await?)))
}
