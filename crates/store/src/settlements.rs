//! 精算: the monthly settlement of every sale of a merchant — the lines it is made of (each
//! order at most once per kind of line, held by a unique index), the settlement rows and their
//! one status change.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

/// One line a payout is made of, before it is written.
#[derive(Debug, Clone, FromRow)]
pub struct SourceLine {
    pub order_id: i64,
    pub channel_id: Option<i64>,
    pub line_kind: String,
    pub amount: i64,
    /// A goods refund's own line (one order may be refunded several times).
    pub goods_refund_id: Option<i64>,
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

/// Everything of merchant `m` that the settlement of `p` is made of, each order at most once per
/// kind of line (orders already on a settlement line of that kind are left out):
/// * `used` / `no_show`: reservations visited in the period and redeemed, or no-show with the
///   money collected (an uncollected no-show pays nothing);
/// * `ticket_sale`: web tickets whose payment was confirmed (deposit matched, card captured,
///   received at the venue) in the period; `promotion_cost` their promotion costs;
/// * `cancellation_fee`: fees kept on reservations cancelled in the period;
/// * `cancel_request_fee`: card cancel-request fees (200 yen + tax) of orders of either kind
///   whose request was completed in the period;
/// * `refund`: refunds in the period of what a settlement already paid (or this one pays);
/// * `goods_sale`: goods orders paid in the period (card captured, konbini notice, marked paid),
///   and cash-on-delivery orders whose last destination shipped in the period;
/// * `refund` of goods: each refund (キャンセル, 一部返金) made in the period of what the platform
///   collected (card, konbini), once per refund; a merchant that collected the money itself
///   gave it back itself;
/// * `collected_by_merchant`: of the above revenue, what the merchant took itself (現地払い,
///   店舗口座, 店頭払い, 代金引換): listed and charged the fee, never paid out;
/// * `points_used`: the points a goods sale's buyer spent (ポイント利用), with its sale: the sale
///   is the order's price (what the buyer paid plus the points), the points are the merchant's
///   to bear. An order edited before its payment is settled as it was when paid.
/// * `coupon_discount`: likewise the coupon discount of a goods sale, a web-ticket sale or a
///   used / no-show reservation (クーポン割引), with its sale: the sale is counted at its price
///   before the discount, the discount the merchant's; so the order reaches the payout at what
///   the buyer was charged.
pub async fn sources(conn: &mut AnyConnection, m: MerchantId, p: Period<'_>) -> Result<Vec<SourceLine>> {
    let not_settled =
        |kind: &str| format!("NOT EXISTS (SELECT 1 FROM settlement_lines sl WHERE sl.order_id = o.id AND sl.line_kind = '{kind}')");
    let visited = "o.merchant_id = $1 AND o.kind = 'reservation' AND o.visit_date >= $2 AND o.visit_date <= $3 AND o.status <> 'cancelled'";
    let cancelled_any = "o.merchant_id = $1 AND o.status = 'cancelled' AND o.cancelled_at >= $4 AND o.cancelled_at < $5";
    let cancelled = format!("{cancelled_any} AND o.kind = 'reservation'");
    let paid_ticket = "o.merchant_id = $1 AND o.kind = 'web_ticket' AND o.paid_at >= $4 AND o.paid_at < $5";
    let collected = "o.status IN ('awaiting_send', 'sent', 'cancel_requested')";
    let by_merchant = "o.payment_method IN ('pay_at_venue', 'bank_store', 'store_pay', 'cod')";
    let paid_goods = "o.merchant_id = $1 AND o.kind = 'goods' AND o.payment_method <> 'cod' AND o.paid_at >= $4 AND o.paid_at < $5";
    // Cash on delivery has no payment date: the sale is the month its last parcel left.
    let cod_shipped = "o.merchant_id = $1 AND o.kind = 'goods' AND o.payment_method = 'cod' \
        AND NOT EXISTS (SELECT 1 FROM shipments su WHERE su.order_id = o.id AND su.status <> 'shipped') \
        AND (SELECT MAX(ss.shipped_at) FROM shipments ss WHERE ss.order_id = o.id) >= $4 \
        AND (SELECT MAX(ss.shipped_at) FROM shipments ss WHERE ss.order_id = o.id) < $5";
    let sql = format!(
        "SELECT o.id AS order_id, o.channel_id, 'used' AS line_kind, o.amount + o.discount AS amount, CAST(NULL AS BIGINT) AS goods_refund_id FROM orders o JOIN tickets t ON t.order_id = o.id \
           WHERE {visited} AND t.redeemed_at IS NOT NULL AND {u} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'no_show', o.amount + o.discount, NULL FROM orders o JOIN tickets t ON t.order_id = o.id \
           WHERE {visited} AND t.status = 'no_show' AND {collected} AND {n} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'collected_by_merchant', o.amount, NULL FROM orders o JOIN tickets t ON t.order_id = o.id \
           WHERE {visited} AND {by_merchant} AND (t.redeemed_at IS NOT NULL OR (t.status = 'no_show' AND {collected})) AND {c} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'ticket_sale', o.amount + o.discount, NULL FROM orders o WHERE {paid_ticket} AND {s} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'promotion_cost', o.promotion_cost, NULL FROM orders o \
           WHERE {paid_ticket} AND o.promotion_cost > 0 AND {pc} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'collected_by_merchant', o.amount, NULL FROM orders o WHERE {paid_ticket} AND {by_merchant} AND {c} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'goods_sale', o.amount + o.points_used + o.discount, NULL FROM orders o WHERE (({paid_goods}) OR ({cod_shipped})) AND {g} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'points_used', o.points_used, NULL FROM orders o \
           WHERE (({paid_goods}) OR ({cod_shipped})) AND o.points_used > 0 AND {pu} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'coupon_discount', o.discount, NULL FROM orders o \
           WHERE (({paid_goods}) OR ({cod_shipped}) OR ({paid_ticket})) AND o.discount > 0 AND {cd} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'coupon_discount', o.discount, NULL FROM orders o JOIN tickets t ON t.order_id = o.id \
           WHERE {visited} AND o.discount > 0 AND (t.redeemed_at IS NOT NULL OR (t.status = 'no_show' AND {collected})) AND {cd} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'collected_by_merchant', o.amount, NULL FROM orders o \
           WHERE (({paid_goods}) OR ({cod_shipped})) AND {by_merchant} AND {c} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'cancellation_fee', o.cancellation_fee_kept, NULL FROM orders o \
           WHERE {cancelled} AND o.cancellation_fee_kept > 0 AND {f} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'collected_by_merchant', o.cancellation_fee_kept, NULL FROM orders o \
           WHERE {cancelled} AND o.cancellation_fee_kept > 0 AND {by_merchant} AND {c} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'cancel_request_fee', o.cancel_fee, NULL FROM orders o \
           WHERE {cancelled_any} AND o.cancel_fee > 0 AND {crf} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'refund', o.refunded_amount, NULL FROM orders o \
           WHERE {cancelled} AND o.refunded_amount > 0 AND {r} \
           AND EXISTS (SELECT 1 FROM settlement_lines sp WHERE sp.order_id = o.id AND sp.line_kind IN ('used', 'no_show')) \
         UNION ALL \
         SELECT o.id, o.channel_id, 'refund', o.refunded_amount, NULL FROM orders o \
           WHERE {cancelled_any} AND o.kind = 'web_ticket' AND o.refunded_amount > 0 AND o.paid_at IS NOT NULL AND o.paid_at < $5 AND {r} \
         UNION ALL \
         SELECT o.id, o.channel_id, 'refund', gr.amount, gr.id FROM goods_refunds gr JOIN orders o ON o.id = gr.order_id \
           WHERE gr.merchant_id = $1 AND gr.refunded_at >= $4 AND gr.refunded_at < $5 AND NOT ({by_merchant}) \
           AND NOT EXISTS (SELECT 1 FROM settlement_lines sg WHERE sg.goods_refund_id = gr.id) \
         ORDER BY 1, 3, 5",
        u = not_settled("used"),
        n = not_settled("no_show"),
        c = not_settled("collected_by_merchant"),
        s = not_settled("ticket_sale"),
        g = not_settled("goods_sale"),
        pc = not_settled("promotion_cost"),
        f = not_settled("cancellation_fee"),
        crf = not_settled("cancel_request_fee"),
        r = not_settled("refund"),
        pu = not_settled("points_used"),
        cd = not_settled("coupon_discount"),
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
    pub ticket_sales: i64,
    pub goods_sales: i64,
    pub promotion_costs: i64,
    pub points_used: i64,
    pub coupon_discounts: i64,
    pub net: i64,
    pub fee_bp: i64,
    pub ticket_fee_bp: i64,
    pub goods_fee_bp: i64,
    pub now: i64,
}

/// Writes a merchant's monthly settlement; `None` when the merchant already has the one of this period
/// (a second run of the job changes nothing).
pub async fn insert_settlement(conn: &mut AnyConnection, s: &NewSettlement<'_>) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO settlements (merchant_id, kind, period_start, period_end, payout_date, gross, platform_fee, \
         cancel_request_fees, refunds, cancellation_fees_kept, net, status, created_at, fee_bp, ticket_sales, promotion_costs, ticket_fee_bp, \
         goods_sales, goods_fee_bp, points_used, coupon_discounts) \
         VALUES ($1, 'monthly', $2, $3, $4, $5, $6, $7, $8, $9, $10, 'scheduled', $11, $12, $13, $14, $15, $16, $17, $18, $19) \
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
    .bind(s.ticket_sales)
    .bind(s.promotion_costs)
    .bind(s.ticket_fee_bp)
    .bind(s.goods_sales)
    .bind(s.goods_fee_bp)
    .bind(s.points_used)
    .bind(s.coupon_discounts)
    .fetch_optional(conn)
    .await?)
}

pub async fn insert_lines(conn: &mut AnyConnection, m: MerchantId, settlement_id: i64, lines: &[SourceLine]) -> Result<()> {
    use crate::batch::{Value, insert_rows};
    let rows: Vec<Vec<Value>> = lines
        .iter()
        .map(|l| {
            vec![
                Value::I(m.0),
                Value::I(settlement_id),
                l.channel_id.into(),
                Value::I(l.order_id),
                l.line_kind.clone().into(),
                Value::I(l.amount),
                l.goods_refund_id.into(),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "settlement_lines",
        &[
            "merchant_id",
            "settlement_id",
            "channel_id",
            "order_id",
            "line_kind",
            "amount",
            "goods_refund_id",
        ],
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
    pub ticket_sales: i64,
    pub goods_sales: i64,
    pub promotion_costs: i64,
    pub points_used: i64,
    pub coupon_discounts: i64,
    pub net: i64,
    #[sqlx(try_from = "String")]
    pub status: kippu_domain::reservation::PayoutStatus,
    pub created_at: i64,
    pub fee_bp: i64,
    pub ticket_fee_bp: i64,
    pub goods_fee_bp: i64,
}

const SETTLEMENT_COLS: &str = "s.id, s.merchant_id, m.code AS merchant_code, m.name AS merchant_name, s.period_start, s.period_end, \
    s.payout_date, s.gross, s.platform_fee, s.cancel_request_fees, s.refunds, s.cancellation_fees_kept, s.ticket_sales, \
    s.promotion_costs, s.points_used, s.coupon_discounts, s.net, s.status, s.created_at, s.fee_bp, s.ticket_fee_bp, s.goods_sales, s.goods_fee_bp";

/// Monthly settlements, newest first: of merchant `m`, or of every merchant (`None`, the platform);
/// of the month starting `period_start` (`YYYY-MM-01`) only, when given.
pub async fn settlements(
    conn: &mut AnyConnection,
    m: Option<MerchantId>,
    period_start: Option<&str>,
    limit: i64,
) -> Result<Vec<SettlementRow>> {
    let sql = format!(
        "SELECT {SETTLEMENT_COLS} FROM settlements s JOIN merchants m ON m.id = s.merchant_id \
         WHERE s.kind = 'monthly' AND ($1 = 0 OR s.merchant_id = $1) AND ($2 = '' OR s.period_start = $2) \
         ORDER BY s.period_start DESC, m.code LIMIT {limit}"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.map(|m| m.0).unwrap_or(0))
        .bind(period_start.unwrap_or(""))
        .fetch_all(conn)
        .await?)
}

pub async fn settlement(conn: &mut AnyConnection, m: Option<MerchantId>, id: i64) -> Result<Option<SettlementRow>> {
    let sql = format!(
        "SELECT {SETTLEMENT_COLS} FROM settlements s JOIN merchants m ON m.id = s.merchant_id \
         WHERE s.kind = 'monthly' AND s.id = $1 AND ($2 = 0 OR s.merchant_id = $2)"
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
    #[sqlx(try_from = "String")]
    pub line_kind: kippu_domain::settlement::LineKind,
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

/// Every merchant with its platform fee rates: a suspended merchant is still settled for what it
/// sold before.
pub async fn merchants_for_payout(conn: &mut AnyConnection) -> Result<Vec<(MerchantId, kippu_domain::settlement::FeeRates)>> {
    let rows: Vec<(i64, i64, i64, i64)> =
        sqlx::query_as("SELECT id, platform_fee_bp, ticket_fee_bp, goods_fee_bp FROM merchants ORDER BY id")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, reservation_bp, ticket_bp, goods_bp)| {
            (
                MerchantId(id),
                kippu_domain::settlement::FeeRates {
                    reservation_bp,
                    ticket_bp,
                    goods_bp,
                },
            )
        })
        .collect())
}

/// Sets a merchant's fee rates: reservations, web tickets and goods.
pub async fn set_fee_rates(conn: &mut AnyConnection, m: MerchantId, rates: kippu_domain::settlement::FeeRates) -> Result<bool> {
    let r = sqlx::query("UPDATE merchants SET platform_fee_bp = $1, ticket_fee_bp = $3, goods_fee_bp = $4 WHERE id = $2")
        .bind(rates.reservation_bp)
        .bind(m.0)
        .bind(rates.ticket_bp)
        .bind(rates.goods_bp)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Moves a payout from `from` to `to` if it is still in `from`.
pub async fn set_settlement_status(conn: &mut AnyConnection, id: i64, from: &str, to: &str) -> Result<bool> {
    let r = sqlx::query("UPDATE settlements SET status = $1 WHERE id = $2 AND status = $3 AND kind = 'monthly'")
        .bind(to)
        .bind(id)
        .bind(from)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}
