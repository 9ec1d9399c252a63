//! 精算 over the API: a month's settlements with signed lines that add up to the payout, and
//! each statement as CSV or PDF (the same figures as the screen).

use super::error::{ApiError, ApiPath, ApiQuery, ErrorBody};
use super::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use kippu_app::csv_out::Encoding;
use kippu_app::settlements::{self, Statement, YearMonth, signed_lines};
use kippu_app::{App, AppError};
use kippu_domain::settlement::PayoutTotals;
use kippu_domain::validate::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct SettlementQuery {
    /// `YYYY-MM`: the month settled (the latest settlements when absent).
    #[serde(default)]
    pub month: String,
    /// Platform tokens: one merchant's settlements only.
    #[serde(default)]
    pub merchant: String,
}

#[derive(Serialize, ToSchema)]
pub struct SettlementLineOut {
    /// `ticket_sale`, `used`, `no_show`, `cancellation_fee`, `refund`, `cancel_request_fee`,
    /// `goods_sale`, `promotion_cost`, `collected_by_merchant`, `points_used` (ポイント利用, borne by
    /// the merchant), `coupon_discount` (クーポン割引, borne by the merchant) or `platform_fee`.
    pub kind: String,
    pub channel: String,
    pub order_number: Option<String>,
    /// Signed yen: + what the merchant receives, − what is deducted (a cancel request is −220).
    pub amount: i64,
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct SettlementTotalsOut {
    pub reservations: i64,
    pub ticket_sales: i64,
    pub goods_sales: i64,
    pub cancellation_fees_kept: i64,
    pub platform_fee: i64,
    pub cancel_request_fees: i64,
    pub refunds: i64,
    pub promotion_costs: i64,
    pub collected_by_merchant: i64,
    /// Points goods buyers spent: in `goods_sales` at the full price, borne by the merchant.
    pub points_used: i64,
    /// クーポン割引（加盟店負担）: coupon discounts of goods and ticket sales, deducted.
    pub coupon_discounts: i64,
    pub net: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SettlementOut {
    pub id: i64,
    pub merchant: String,
    /// `YYYY-MM`.
    pub period: String,
    pub payout_date: String,
    /// `scheduled` (お支払い予定) or `paid` (お支払い済み).
    pub status: String,
    /// The platform's fee rate on reservations, in basis points (500 = 5%).
    pub fee_rate_bp: i64,
    /// The platform's fee rate on web tickets, in basis points.
    pub ticket_fee_rate_bp: i64,
    /// The platform's fee rate on goods, in basis points.
    pub goods_fee_rate_bp: i64,
    pub lines: Vec<SettlementLineOut>,
    pub totals: SettlementTotalsOut,
    /// The sum of the lines: what the platform transfers (negative: what the merchant owes).
    pub payout_amount: i64,
}

fn totals(t: &PayoutTotals) -> SettlementTotalsOut {
    SettlementTotalsOut {
        reservations: t.gross,
        ticket_sales: t.ticket_sales,
        goods_sales: t.goods_sales,
        cancellation_fees_kept: t.cancellation_fees_kept,
        platform_fee: t.platform_fee,
        cancel_request_fees: t.cancel_request_fees,
        refunds: t.refunds,
        promotion_costs: t.promotion_costs,
        collected_by_merchant: t.collected_by_merchant,
        points_used: t.points_used,
        coupon_discounts: t.coupon_discounts,
        net: t.net,
    }
}

fn out(st: &Statement) -> SettlementOut {
    let lines: Vec<SettlementLineOut> = signed_lines(st)
        .into_iter()
        .map(|l| SettlementLineOut {
            kind: l.kind.to_string(),
            channel: l.channel,
            order_number: l.order_number,
            amount: l.amount,
            label: l.label.ja.to_string(),
        })
        .collect();
    let s = &st.settlement;
    SettlementOut {
        id: s.id,
        merchant: s.merchant_code.clone(),
        period: s.period_start.get(..7).unwrap_or(&s.period_start).to_string(),
        payout_date: s.payout_date.clone(),
        status: s.status.as_str().to_string(),
        fee_rate_bp: st.rates.reservation_bp,
        ticket_fee_rate_bp: st.rates.ticket_bp,
        goods_fee_rate_bp: st.rates.goods_bp,
        payout_amount: lines.iter().map(|l| l.amount).sum(),
        lines,
        totals: totals(&st.total),
    }
}

/// The settlements of a month: a merchant's own; for the platform every merchant's, or one's
/// with `merchant=CODE`.
#[utoipa::path(get, path = "/api/v1/settlements", tag = "settlements", params(SettlementQuery),
    responses((status = 200, body = [SettlementOut]), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<SettlementQuery>,
) -> Result<Json<Vec<SettlementOut>>, ApiError> {
    let month = match q.month.trim() {
        "" => None,
        m => Some(YearMonth::parse(m).ok_or_else(|| AppError::from(FieldError::new("month", "月は YYYY-MM で指定してください")))?),
    };
    let merchant = Some(q.merchant.as_str()).filter(|_| a.is_platform());
    let all = settlements::statements(&app, &a, month, merchant).await?;
    Ok(Json(all.iter().map(out).collect()))
}

fn file_name(st: &Statement) -> String {
    let s = &st.settlement;
    format!(
        "settlement-{}-{}",
        s.merchant_code,
        s.period_start.get(..7).unwrap_or(&s.period_start)
    )
}

/// A statement as CSV (UTF-8 with BOM; `?encoding=cp932` for Excel in Japan).
#[utoipa::path(get, path = "/api/v1/settlements/{id}/statement.csv", tag = "settlements", params(("id" = i64, Path)),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn csv(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<crate::csv_stream::CsvQuery>,
) -> Result<Response, ApiError> {
    let enc = crate::csv_stream::encoding(&q, Encoding::Utf8Bom)?;
    let st = settlements::statement(&app, &a, id).await?;
    Ok(crate::csv_stream::attachment(
        &format!("{}.csv", file_name(&st)),
        enc,
        settlements::csv(&st, enc),
    ))
}

/// A statement as PDF (Japanese text, embedded font).
#[utoipa::path(get, path = "/api/v1/settlements/{id}/statement.pdf", tag = "settlements", params(("id" = i64, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn pdf(State(app): State<App>, ApiActor(a): ApiActor, ApiPath(id): ApiPath<i64>) -> Result<Response, ApiError> {
    let st = settlements::statement(&app, &a, id).await?;
    let issued = kippu_domain::clock::format_jst(app.clock.now());
    let bytes = settlements::pdf(&st, &issued)?;
    Ok(crate::pdf_response(&file_name(&st), bytes))
}
