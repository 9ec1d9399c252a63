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
    /// `web_ticket`, `reservation` or `goods`; every kind when left out (the export: web
    /// tickets only).
    pub kind: Option<String>,
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

/// An order of the list in its kind's own shape (`kind` tells which).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum ListedOrder {
    /// `kind` `web_ticket` or `reservation`.
    Ticket(Box<OrderOut>),
    /// `kind` `goods`.
    Goods(Box<crate::api::goods::GoodsOrderOut>),
}

#[derive(Serialize, ToSchema)]
pub struct OrderList {
    pub items: Vec<ListedOrder>,
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

/// The kinds a list asks for: one kind, or every kind (none named).
fn kinds_of(p: &ListParams) -> Result<Vec<kippu_domain::catalog::OrderKind>, FieldError> {
    match p.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Vec::new()),
        Some(k) => kippu_domain::catalog::OrderKind::parse(k)
            .filter(|k| orders::ORDER_KINDS.contains(k))
            .map(|k| vec![k])
            .ok_or_else(|| FieldError::new("kind", "kind は web_ticket、reservation、goods のいずれかです")),
    }
}

/// Searches orders of every kind (or of `kind`), newest first: what order-management software
/// polls for new orders. `q` finds an order by its number, or by name, furigana, phone or email.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(ListParams),
    responses((status = 200, body = OrderList), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(State(app): State<App>, ApiActor(a): ApiActor, ApiQuery(p): ApiQuery<ListParams>) -> Result<Json<OrderList>, ApiError> {
    let mut f = filter_of(&p).map_err(AppError::from)?;
    f.kinds = kinds_of(&p).map_err(AppError::from)?;
    let paging = Paging::new(p.page, p.per_page, 50).map_err(AppError::from)?;
    let page = orders::list_any(&app, &a, f, paging).await?;
    Ok(Json(OrderList {
        items: page
            .orders
            .into_iter()
            .map(|o| match o {
                orders::AnyOrder::Ticket(v) => ListedOrder::Ticket(Box::new(order_out(&app, *v))),
                orders::AnyOrder::Goods(v) => ListedOrder::Goods(Box::new(crate::api::goods::goods_out(*v))),
            })
            .collect(),
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
    if kinds_of(&p)
        .map_err(AppError::from)?
        .iter()
        .any(|k| *k != kippu_domain::catalog::OrderKind::WebTicket)
    {
        return Err(AppError::from(FieldError::new(
            "kind",
            "このCSVはウェブチケットの注文です（物販は受注一覧（物販）の検索結果をダウンロードから）",
        ))
        .into());
    }
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
