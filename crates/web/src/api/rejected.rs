//! `/api/v1/rejected-orders`: リジェクト注文情報, orders refused by the card company or a fraud
//! rule, with their lines and orderer. Another merchant's rejected order is a 404.

use super::error::{ApiError, ApiPath, ApiQuery, ErrorBody};
use super::handlers::{ApiActor, merchant_of, time_of};
use axum::Json;
use axum::extract::State;
use kippu_app::callcenter::rejected::{self, RejectedRow};
use kippu_app::{App, AppError};
use kippu_domain::paging::Paging;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct RejectedLineOut {
    pub product_code: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RejectedOut {
    pub id: i64,
    pub rejected_at: String,
    /// `card_declined`, `fraud_amount`, `fraud_phone_rate` or `fraud_blocked`.
    pub reason: String,
    pub reason_label: String,
    /// The card company's decline code, or the fraud rule in words.
    pub reason_detail: String,
    /// `api`, `console` or `storefront`.
    pub channel: String,
    /// Who placed it: an operator's login ID or `api:<token name>`.
    pub operator: String,
    pub payment_method: String,
    pub amount: i64,
    pub customer_id: Option<i64>,
    pub customer_name: String,
    pub customer_kana: String,
    pub customer_email: String,
    pub customer_phone: String,
    pub postal_code: String,
    pub address: String,
    pub lines: Vec<RejectedLineOut>,
}

fn out(r: RejectedRow) -> Result<RejectedOut, ApiError> {
    let lines = rejected::lines_of(&r)?
        .into_iter()
        .map(|l| RejectedLineOut {
            product_code: l.product_code,
            name: l.name,
            quantity: l.quantity,
            unit_price: l.unit_price,
        })
        .collect();
    Ok(RejectedOut {
        id: r.id,
        rejected_at: time_of(r.at),
        reason_label: rejected::reason_said(&r.reason).ja,
        reason: r.reason,
        reason_detail: r.reason_detail,
        channel: r.channel,
        operator: r.operator,
        payment_method: r.payment_method,
        amount: r.amount,
        customer_id: r.customer_id,
        customer_name: r.customer_name,
        customer_kana: r.customer_kana,
        customer_email: r.customer_email,
        customer_phone: r.customer_phone,
        postal_code: r.postal_code,
        address: r.address,
        lines,
    })
}

#[derive(Serialize, ToSchema)]
pub struct RejectedPage {
    pub items: Vec<RejectedOut>,
    /// Counted up to 10,000; `total_capped` says there are more.
    pub total: i64,
    pub total_capped: bool,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Deserialize, IntoParams)]
pub struct RejectedParams {
    /// `YYYY-MM-DD` (Japan), inclusive.
    pub from: Option<String>,
    /// `YYYY-MM-DD` (Japan), inclusive.
    pub to: Option<String>,
    pub reason: Option<String>,
    pub customer: Option<i64>,
    pub page: Option<i64>,
    /// 1–200 (default 50).
    pub per_page: Option<i64>,
}

/// The merchant's rejected orders, newest first.
#[utoipa::path(get, path = "/api/v1/rejected-orders", tag = "merchant", params(RejectedParams),
    responses((status = 200, body = RejectedPage), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<RejectedParams>,
) -> Result<Json<RejectedPage>, ApiError> {
    merchant_of(&a)?;
    let paging = Paging::new(p.page, p.per_page, 50).map_err(AppError::from)?;
    let f = rejected::filter_of(p.from.as_deref(), p.to.as_deref(), p.reason.as_deref(), p.customer)?;
    let r = rejected::list(&app, &a, &f, paging).await?;
    Ok(Json(RejectedPage {
        items: r.rows.into_iter().map(out).collect::<Result<_, _>>()?,
        total: r.total,
        total_capped: r.capped,
        page: paging.page(),
        per_page: paging.per_page(),
    }))
}

/// One rejected order with its lines (内訳) and orderer (注文者情報).
#[utoipa::path(get, path = "/api/v1/rejected-orders/{id}", tag = "merchant", params(("id" = i64, Path, description = "rejected order id")),
    responses((status = 200, body = RejectedOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(State(app): State<App>, ApiActor(a): ApiActor, ApiPath(id): ApiPath<i64>) -> Result<Json<RejectedOut>, ApiError> {
    merchant_of(&a)?;
    Ok(Json(out(rejected::get(&app, &a, id).await?)?))
}
