//! Reservations (spec §5): cancellation writes, the merchant's notification addresses, and the
//! monthly payout (入金) with its lines.

use crate::Result;
use kippu_domain::catalog::ChannelKind;
use kippu_domain::{MerchantId, OrderId};
use sqlx::{AnyConnection, FromRow};

/// The kind of the order's sales channel (`own_site`, `ota`).
pub async fn channel_kind(conn: &mut AnyConnection, order_id: OrderId) -> Result<Option<ChannelKind>> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(try_from = "String")]
        kind: ChannelKind,
    }
    let row: Option<Row> = sqlx::query_as("SELECT c.kind FROM orders o JOIN channels c ON c.id = o.channel_id WHERE o.id = $1")
        .bind(order_id.0)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.kind))
}

pub struct CancelWrite<'a> {
    pub order_id: OrderId,
    pub from_status: kippu_domain::web_ticket::Status,
    pub fee_kept: i64,
    pub refunded: i64,
    pub cancel_request_fee: i64,
    pub reason: &'a str,
    pub by: kippu_domain::order::Side,
    pub now: i64,
}

pub async fn channel_name(conn: &mut AnyConnection, channel_id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM channels WHERE id = $1")
        .bind(channel_id)
        .fetch_optional(conn)
        .await?)
}

/// Cancels a reservation if it is still in `from_status` and its e-ticket is still open;
/// false when another request changed it first.
pub async fn cancel(conn: &mut AnyConnection, w: &CancelWrite<'_>) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE orders SET status = 'cancelled', cancelled_at = $1, updated_at = $1, cancellation_fee_kept = $2, \
         refunded_amount = $3, cancel_fee = cancel_fee + $4, cancel_reason = $5, cancelled_by = $6 \
         WHERE id = $7 AND status = $8 AND NOT EXISTS \
         (SELECT 1 FROM tickets t WHERE t.order_id = $7 AND (t.redeemed_at IS NOT NULL OR t.status <> 'active'))",
    )
    .bind(w.now)
    .bind(w.fee_kept)
    .bind(w.refunded)
    .bind(w.cancel_request_fee)
    .bind(w.reason)
    .bind(w.by.as_str())
    .bind(w.order_id.0)
    .bind(w.from_status.as_str())
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE tickets SET status = 'cancelled' WHERE order_id = $1 AND status = 'active'")
        .bind(w.order_id.0)
        .execute(conn)
        .await?;
    Ok(true)
}

/// Every active user of the merchant with an email address: they all get new-booking and
/// cancellation notices (the manual: ユーザーアカウントとして登録したメールアドレスに…届きます).
pub async fn merchant_user_emails(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT DISTINCT email FROM users WHERE merchant_id = $1 AND disabled = 0 AND email <> '' ORDER BY email")
            .bind(m.0)
            .fetch_all(conn)
            .await?,
    )
}

/// One line a payout is made of, before it is written.
#[derive(Debug, Clone, FromRow)]
pub struct SourceLine {
    pub order_id: i64,
    pub channel_id: Option<i64>,
    pub line_kind: String,
    pub amount: i64,
}

/// The period of a payout: visit dates `from_date..=to_date` (Japan) and instants
/// `from_ms..to_ms` (the same month in Japan time).
#[derive(Debug, Clone, Copy)]
pub struct Period<'a> {
    pub from_date: &'a str,
    pub to_date: &'a str,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// Everything of merchant `m` that the payout of `p` is made of, each order at most once per
/// kind of line (orders already on a payout line of that kind are left out):
/// * `used` / `no_show`: reservations visited in the period and redeemed, or no-show with the
///   money collected (an uncollected no-show pays nothing);
/// * `cancellation_fee`: fees kept on reservations cancelled in the period;
/// * `cancel_request_fee`: card cancellation fees of reservations cancelled in the period;
/// * `refund`: refunds in the period of reservations an earlier payout already paid out;
/// * `collected_by_merchant`: of the above revenue, what the merchant took itself (現地払い,
///   店舗口座).
pub async fn payout_sources(conn: &mut AnyConnection, m: MerchantId, p: Period<'_>) -> Result<Vec<SourceLine>> {
    let not_settled =
        |kind: &str| format!("NOT EXISTS (SELECT 1 FROM settlement_lines sl WHERE sl.order_id = o.id AND sl.line_kind = '{kind}')");
    let visited = "o.merchant_id = $1 AND o.kind = 'reservation' AND o.visit_date >= $2 AND o.visit_date <= $3 AND o.status <> 'cancelled'";
    let cancelled =
        "o.merchant_id = $1 AND o.kind = 'reservation' AND o.status = 'cancelled' AND o.cancelled_at >= $4 AND o.cancelled_at < $5";
    let collected = "o.status IN ('awaiting_send', 'sent', 'cancel_requested')";
    let by_merchant = "o.payment_method IN ('pay_at_venue', 'bank_store')";
    let sql = format!(
        "SELECT o.id AS order_id, o.channel_id, 'used' AS line_kind, o.amount FROM orders o JOIN tickets t ON t.order_id = o.id \
           WHERE {visited} AND t.redeemed_at IS NOT NULL AND {u} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'no_show', o.amount FROM orders o JOIN tickets t ON t.order_id = o.id \
           WHERE {visited} AND t.status = 'no_show' AND {collected} AND {n} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'collected_by_merchant', o.amount FROM orders o JOIN tickets t ON t.order_id = o.id \
           WHERE {visited} AND {by_merchant} AND (t.redeemed_at IS NOT NULL OR (t.status = 'no_show' AND {collected})) AND {c} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'cancellation_fee', o.cancellation_fee_kept FROM orders o \
           WHERE {cancelled} AND o.cancellation_fee_kept > 0 AND {f} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'collected_by_merchant', o.cancellation_fee_kept FROM orders o \
           WHERE {cancelled} AND o.cancellation_fee_kept > 0 AND {by_merchant} AND {c} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'cancel_request_fee', o.cancel_fee FROM orders o \
           WHERE {cancelled} AND o.cancel_fee > 0 AND {crf} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'refund', o.refunded_amount FROM orders o \
           WHERE {cancelled} AND o.refunded_amount > 0 AND {r} \
           AND EXISTS (SELECT 1 FROM settlement_lines sp WHERE sp.order_id = o.id AND sp.line_kind IN ('used', 'no_show')) \
         ORDER BY 1, 3",
        u = not_settled("used"),
        n = not_settled("no_show"),
        c = not_settled("collected_by_merchant"),
        f = not_settled("cancellation_fee"),
        crf = not_settled("cancel_request_fee"),
        r = not_settled("refund"),
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(p.from_date)
        .bind(p.to_date)
        .bind(p.from_ms)
        .bind(p.to_ms)
        .fetch_all(conn)
        .await?)
}

pub struct NewSettlement<'a> {
    pub merchant_id: MerchantId,
    pub period_start: &'a str,
    pub period_end: &'a str,
    pub payout_date: &'a str,
    pub gross: i64,
    pub platform_fee: i64,
    pub cancel_request_fees: i64,
    pub refunds: i64,
    pub cancellation_fees_kept: i64,
    pub net: i64,
    pub fee_bp: i64,
    pub now: i64,
}

/// Writes a reservation payout; `None` when the merchant already has the one of this period
/// (a second run of the job changes nothing).
pub async fn insert_settlement(conn: &mut AnyConnection, s: &NewSettlement<'_>) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO settlements (merchant_id, kind, period_start, period_end, payout_date, gross, platform_fee, \
         cancel_request_fees, refunds, cancellation_fees_kept, net, status, created_at, fee_bp) \
         VALUES ($1, 'reservation', $2, $3, $4, $5, $6, $7, $8, $9, $10, 'scheduled', $11, $12) \
         ON CONFLICT (merchant_id, kind, period_start) DO NOTHING RETURNING id",
    )
    .bind(s.merchant_id.0)
    .bind(s.period_start)
    .bind(s.period_end)
    .bind(s.payout_date)
    .bind(s.gross)
    .bind(s.platform_fee)
    .bind(s.cancel_request_fees)
    .bind(s.refunds)
    .bind(s.cancellation_fees_kept)
    .bind(s.net)
    .bind(s.now)
    .bind(s.fee_bp)
    .fetch_optional(conn)
    .await?)
}

pub async fn insert_lines(conn: &mut AnyConnection, m: MerchantId, settlement_id: i64, lines: &[SourceLine]) -> Result<()> {
    use crate::batch::{Value, insert_rows};
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                Value::I(m.0),
                Value::I(settlement_id),
                l.channel_id.into(),
                Value::I(l.order_id),
                l.line_kind.clone().into(),
                Value::I(l.amount),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "settlement_lines",
        &["merchant_id", "settlement_id", "channel_id", "order_id", "line_kind", "amount"],
        rows,
    )
    .await
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct SettlementRow {
    pub id: i64,
    pub merchant_id: i64,
    pub merchant_code: String,
    pub merchant_name: String,
    pub period_start: String,
    pub period_end: String,
    pub payout_date: String,
    pub gross: i64,
    pub platform_fee: i64,
    pub cancel_request_fees: i64,
    pub refunds: i64,
    pub cancellation_fees_kept: i64,
    pub net: i64,
    #[sqlx(try_from = "String")]
    pub status: kippu_domain::reservation::PayoutStatus,
    pub created_at: i64,
    pub fee_bp: i64,
}

const SETTLEMENT_COLS: &str = "s.id, s.merchant_id, m.code AS merchant_code, m.name AS merchant_name, s.period_start, s.period_end, \
    s.payout_date, s.gross, s.platform_fee, s.cancel_request_fees, s.refunds, s.cancellation_fees_kept, s.net, s.status, s.created_at, s.fee_bp";

/// Reservation payouts, newest first: of merchant `m`, or of every merchant (`None`, the platform).
pub async fn settlements(conn: &mut AnyConnection, m: Option<MerchantId>, limit: i64) -> Result<Vec<SettlementRow>> {
    let sql = format!(
        "SELECT {SETTLEMENT_COLS} FROM settlements s JOIN merchants m ON m.id = s.merchant_id \
         WHERE s.kind = 'reservation' AND ($1 = 0 OR s.merchant_id = $1) ORDER BY s.period_start DESC, m.code LIMIT {limit}"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.map(|m| m.0).unwrap_or(0))
        .fetch_all(conn)
        .await?)
}

pub async fn settlement(conn: &mut AnyConnection, m: Option<MerchantId>, id: i64) -> Result<Option<SettlementRow>> {
    let sql = format!(
        "SELECT {SETTLEMENT_COLS} FROM settlements s JOIN merchants m ON m.id = s.merchant_id \
         WHERE s.kind = 'reservation' AND s.id = $1 AND ($2 = 0 OR s.merchant_id = $2)"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(m.map(|m| m.0).unwrap_or(0))
        .fetch_optional(conn)
        .await?)
}

/// A payout line with what the statement shows of its order and channel.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct StatementLine {
    pub channel_code: String,
    pub channel_name: String,
    pub order_number: String,
    pub visit_date: Option<String>,
    pub party_size: Option<i64>,
    pub line_kind: String,
    pub amount: i64,
}

pub async fn statement_lines(conn: &mut AnyConnection, settlement_id: i64) -> Result<Vec<StatementLine>> {
    Ok(sqlx::query_as(
        "SELECT COALESCE(c.code, '-') AS channel_code, COALESCE(c.name, '-') AS channel_name, o.order_number, o.visit_date, o.party_size, \
         sl.line_kind, sl.amount FROM settlement_lines sl JOIN orders o ON o.id = sl.order_id LEFT JOIN channels c ON c.id = sl.channel_id \
         WHERE sl.settlement_id = $1 ORDER BY c.code, o.visit_date, o.order_number, sl.line_kind",
    )
    .bind(settlement_id)
    .fetch_all(conn)
    .await?)
}

/// Active merchants with their platform fee rate (basis points).
pub async fn merchants_for_payout(conn: &mut AnyConnection) -> Result<Vec<(i64, i64)>> {
    Ok(
        sqlx::query_as("SELECT id, platform_fee_bp FROM merchants WHERE status = 'active' ORDER BY id")
            .fetch_all(conn)
            .await?,
    )
}

pub async fn set_fee_rate(conn: &mut AnyConnection, m: MerchantId, fee_bp: i64) -> Result<bool> {
    let r = sqlx::query("UPDATE merchants SET platform_fee_bp = $1 WHERE id = $2")
        .bind(fee_bp)
        .bind(m.0)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Moves a payout from `from` to `to` if it is still in `from`.
pub async fn set_settlement_status(conn: &mut AnyConnection, id: i64, from: &str, to: &str) -> Result<bool> {
    let r = sqlx::query("UPDATE settlements SET status = $1 WHERE id = $2 AND status = $3 AND kind = 'reservation'")
        .bind(to)
        .bind(id)
        .bind(from)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}
