//! `GET /api/v1/reports/promotions`: per AD code and per coupon, the orders of a date range and
//! their sales after the discount (merchant tokens; the rules are `kippu_app::promotions`').

use super::error::{ApiError, ApiQuery, ErrorBody};
use super::handlers::{ApiActor, merchant_of};
use axum::Json;
use axum::extract::State;
use kippu_app::App;
use kippu_app::promotions::PromotionRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PromotionsQuery {
    /// First day, `YYYY-MM-DD` (Japan).
    pub from: String,
    /// Last day, `YYYY-MM-DD`, included; at most 366 days after `from`.
    pub to: String,
}

#[derive(Serialize, ToSchema)]
pub struct PromotionRowOut {
    pub code: String,
    pub name: String,
    /// Orders placed in the range that carried the code (cancelled ones left out).
    pub orders: i64,
    /// What those orders' buyers pay, yen, after the coupon's discount.
    pub sales: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PromotionsReportOut {
    pub from: String,
    pub to: String,
    /// Per AD code (媒体), by sales; at most 500 rows.
    pub ad_codes: Vec<PromotionRowOut>,
    /// Per coupon, by sales; at most 500 rows.
    pub coupons: Vec<PromotionRowOut>,
}

fn row(r: PromotionRow) -> PromotionRowOut {
    PromotionRowOut {
        code: r.code,
        name: r.name,
        orders: r.orders,
        sales: r.sales,
    }
}

/// Orders and sales per AD code and per coupon over a date range.
#[utoipa::path(get, path = "/api/v1/reports/promotions", tag = "merchant", params(PromotionsQuery),
    responses((status = 200, body = PromotionsReportOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, description = "`from`/`to` not dates, reversed, or more than 366 days", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn promotions(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<PromotionsQuery>,
) -> Result<Json<PromotionsReportOut>, ApiError> {
    merchant_of(&a)?;
    let r = kippu_app::promotions::report(&app, &a, &q.from, &q.to).await?;
    Ok(Json(PromotionsReportOut {
        from: r.from.to_string(),
        to: r.to.to_string(),
        ad_codes: r.ad_codes.into_iter().map(row).collect(),
        coupons: r.coupons.into_iter().map(row).collect(),
    }))
}
