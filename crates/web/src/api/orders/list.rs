//! Reading orders: one, the searched list, its CSV export, the statement PDF.

use super::out::*;
use crate::api::error::{ApiError, ApiPath, ApiQuery, ErrorBody};
use crate::api::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use kippu_app::orders::OrderFilter;
use kippu_app::orders::{self};
use kippu_app::{App, AppError};
use kippu_domain::clock::{JST, to_millis};
use kippu_domain::paging::Paging;
use kippu_domain::validate::{FieldError, choice};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One order with its tickets and history.
#[utoipa::path(get, path = "/api/v1/orders/{order_number}", tag = "orders", params(("order_number" = String, Path)),
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    if kippu_app::goods::kind_of(&app, &a, &number).await? == Some(kippu_domain::catalog::ProductKind::Goods) {
        return Ok(Json(crate::api::goods::goods_out(kippu_app::goods::get(&app, &a, &number).await?)).into_response());
    }
    Ok(Json(order_out(&app, orders::get(&app, &a, &number).await?)).into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    pub status: Option<String>,
    pub payment_method: Option<String>,
    /// Orderer name or furigana (part), or an exact order number.
    pub q: Option<String>,
    /// First ordering day, `YYYY-MM-DD` (Japan time).
    pub from: Option<String>,
    /// Last ordering day, `YYYY-MM-DD` (Japan time), inclusive.
    pub to: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct OrderList {
    pub items: Vec<OrderOut>,
    /// Matching orders, counted exactly up to 10,000; 10,001 means "more than 10,000".
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Parses a `YYYY-MM-DD` day into the first millisecond of that day in Japan.
pub fn day_start(field: &'static str, s: &str) -> Result<i64, FieldError> {
    let d = time::Date::parse(s, &time::format_description::well_known::Iso8601::DATE)
        .map_err(|_| FieldError::new(field, "日付は YYYY-MM-DD で指定してください"))?;
    Ok(to_millis(d.midnight().assume_offset(JST)))
}

/// Builds a filter from list parameters, validating codes.
pub fn filter_of(p: &ListParams) -> Result<OrderFilter, FieldError> {
    let mut f = OrderFilter {
        status: choice("status", p.status.as_deref().unwrap_or(""))?,
        payment_method: choice("payment_method", p.payment_method.as_deref().unwrap_or(""))?,
        ..Default::default()
    };
    if let Some(q) = p.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if kippu_domain::order::OrderNumber::parse(q).is_ok() {
            f.order_number = Some(q.into());
        } else {
            f.q = Some(q.into());
        }
    }
    if let Some(d) = p.from.as_deref().filter(|s| !s.is_empty()) {
        f.from_ms = Some(day_start("from", d)?);
    }
    if let Some(d) = p.to.as_deref().filter(|s| !s.is_empty()) {
        f.to_ms = Some(day_start("to", d)? + 86_400_000);
    }
    Ok(f)
}

/// Searches orders, newest first.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(ListParams),
    responses((status = 200, body = OrderList), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(State(app): State<App>, ApiActor(a): ApiActor, ApiQuery(p): ApiQuery<ListParams>) -> Result<Json<OrderList>, ApiError> {
    let f = filter_of(&p).map_err(AppError::from)?;
    let paging = Paging::new(p.page, p.per_page, 50).map_err(AppError::from)?;
    let page = orders::list(&app, &a, f, paging).await?;
    Ok(Json(OrderList {
        items: page.orders.into_iter().map(|v| order_out(&app, v)).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[derive(Deserialize)]
pub struct EncodingParam {
    pub encoding: Option<String>,
}

/// CSV of every ticket of the search (all pages), streamed.
#[utoipa::path(get, path = "/api/v1/orders/export.csv", tag = "orders",
    params(ListParams, ("encoding" = Option<String>, Query, description = "`cp932` (default) or `utf-8` (written with a BOM)")),
    responses((status = 200, description = "CSV, one row per ticket", content_type = "text/csv"), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn export_csv(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(e): ApiQuery<EncodingParam>,
) -> Result<axum::response::Response, ApiError> {
    let f = filter_of(&p).map_err(AppError::from)?;
    let enc = kippu_app::csv_out::Encoding::choose(e.encoding.as_deref().unwrap_or(""), kippu_app::csv_out::Encoding::Cp932)
        .map_err(AppError::from)?;
    Ok(crate::csv_stream::stream(&app.clone(), "orders", enc, move |tx| async move {
        kippu_app::orders::export::export(&app, &a, f, enc, tx).await
    }))
}

/// 明細: the order's statement as PDF (Japanese text, embedded font).
#[utoipa::path(get, path = "/api/v1/orders/{order_number}/statement.pdf", tag = "orders", params(("order_number" = String, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn statement(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
) -> Result<axum::response::Response, ApiError> {
    let v = orders::get(&app, &a, &number).await?;
    let pdf = kippu_app::documents::statement::pdf(&app, &v).await?;
    Ok(crate::pdf_response(&number, pdf))
}
