//! Reading orders and tickets: the rows every flow works on, decoded into domain types.

use crate::Result;
use crate::dialect::Backend;
use kippu_domain::catalog::{OrderKind, TicketType};
use kippu_domain::order::{OrderType, PaymentMethod};
use kippu_domain::reservation::TicketState;
use kippu_domain::web_ticket::{SendMode, Status, Usage};
use kippu_domain::{MerchantId, OrderId, TicketId};
use sqlx::{AnyConnection, FromRow};

/// An order with its card payment's timestamps, as the transition table needs it.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct OrderRow {
    #[sqlx(try_from = "i64")]
    pub id: OrderId,
    #[sqlx(try_from = "i64")]
    pub merchant_id: MerchantId,
    pub order_number: String,
    pub channel_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub customer_name: String,
    pub customer_kana: String,
    pub customer_email: String,
    pub customer_phone: String,
    pub ordered_at: i64,
    #[sqlx(try_from = "String")]
    pub order_type: OrderType,
    #[sqlx(try_from = "String")]
    pub kind: OrderKind,
    #[sqlx(try_from = "String")]
    pub payment_method: PaymentMethod,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub amount: i64,
    pub promotion_cost: i64,
    /// クーポン割引: yen the order's coupon took off the tickets (already out of `amount`).
    pub discount: i64,
    /// The coupon's code and the AD code (媒体), when the order carries them.
    pub coupon_code: Option<String>,
    pub ad_code: Option<String>,
    /// 定期: the master this order started (or, for a 定期便 child, was made by).
    pub subscription_id: Option<i64>,
    pub pin: Option<String>,
    pub pin_failures: i64,
    pub pin_locked_until: Option<i64>,
    pub paid_at: Option<i64>,
    pub sent_at: Option<i64>,
    #[sqlx(flatten, try_from = "crate::columns::SendModeColumn")]
    pub send_mode: Option<SendMode>,
    pub cancelled_at: Option<i64>,
    pub cancel_fee: i64,
    pub refunded_amount: i64,
    pub visit_date: Option<String>,
    pub authorized_at: Option<i64>,
    pub captured_at: Option<i64>,
    pub gateway_ref: Option<String>,
    pub payment_state: Option<String>,
    pub access_token: Option<String>,
    pub time_slot: Option<String>,
    pub party_size: Option<i64>,
    /// 宿泊タイプ: the nights from `visit_date` (the check-in date).
    pub nights: Option<i64>,
    /// Reservations: the cancellation fee the merchant kept, the reason and who cancelled.
    pub cancellation_fee_kept: i64,
    pub cancel_reason: Option<String>,
    #[sqlx(flatten, try_from = "crate::columns::CancelledByColumn")]
    pub cancelled_by: Option<kippu_domain::order::Side>,
    pub cancellation_policy: Option<String>,
    /// Reservations: the door's outcome, kept on the order (web tickets stay `open`).
    #[sqlx(try_from = "String")]
    pub door_state: kippu_domain::reservation::DoorState,
}

pub(super) const ORDER_COLS: &str = "o.id, o.merchant_id, o.order_number, o.channel_id, o.customer_id, o.customer_name, o.customer_kana, \
    o.customer_email, o.customer_phone, o.ordered_at, o.order_type, o.kind, o.payment_method, o.status, o.amount, o.promotion_cost, \
    o.discount, (SELECT c.code FROM coupons c WHERE c.id = o.coupon_id) AS coupon_code, \
    (SELECT a.code FROM ad_codes a WHERE a.id = o.ad_code_id) AS ad_code, o.subscription_id, \
    o.pin, o.pin_failures, o.pin_locked_until, o.paid_at, o.sent_at, o.send_mode, o.cancelled_at, o.cancel_fee, o.refunded_amount, \
    o.visit_date, p.authorized_at, p.captured_at, p.gateway_ref, p.state AS payment_state, o.access_token, o.time_slot, o.party_size, o.nights, \
    o.cancellation_fee_kept, o.cancel_reason, o.cancelled_by, o.cancellation_policy, o.door_state";

/// The kinds an [`OrderRow`] holds: a goods order has its own row type (`goods::GoodsOrderRow`).
const TICKET_KINDS: &str = "o.kind IN ('web_ticket', 'reservation')";

pub(super) const ORDER_FROM: &str = "orders o LEFT JOIN payments p ON p.order_id = o.id";

/// One order by number, scoped to merchant `m` (or any merchant for the platform, `None`).
/// `lock` takes the row lock inside a write transaction.
pub async fn order_by_number(
    conn: &mut AnyConnection,
    backend: Backend,
    m: Option<MerchantId>,
    number: &str,
    lock: bool,
) -> Result<Option<OrderRow>> {
    let lock = if lock { backend.for_update_of_orders() } else { "" };
    let sql = format!(
        "SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE o.order_number = $1 AND ($2 = 0 OR o.merchant_id = $2) AND {TICKET_KINDS}{lock}"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(number)
        .bind(m.map(|m| m.0).unwrap_or(0))
        .fetch_optional(conn)
        .await?)
}

/// The order behind a customer link (any merchant: the token itself is the secret).
pub async fn order_by_access_token(conn: &mut AnyConnection, token: &str) -> Result<Option<OrderRow>> {
    let sql = format!("SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE o.access_token = $1 AND {TICKET_KINDS}");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token).fetch_optional(conn).await?)
}

pub async fn order_number_of(conn: &mut AnyConnection, order_id: OrderId) -> Result<String> {
    Ok(sqlx::query_scalar("SELECT order_number FROM orders WHERE id = $1")
        .bind(order_id.0)
        .fetch_one(conn)
        .await?)
}

/// Several orders by number, scoped like [`order_by_number`], locked on PostgreSQL.
pub async fn orders_by_numbers(
    conn: &mut AnyConnection,
    backend: Backend,
    m: Option<MerchantId>,
    numbers: &[String],
) -> Result<Vec<OrderRow>> {
    if numbers.is_empty() {
        return Ok(vec![]);
    }
    let lock = backend.for_update_of_orders();
    let placeholders = backend.params(1, numbers.len());
    // The merchant (an integer) is written into the text: every bound value is an order number.
    let m = m.map(|m| m.0).unwrap_or(0);
    let sql = format!(
        "SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE ({m} = 0 OR o.merchant_id = {m}) AND o.order_number IN ({placeholders}) AND {TICKET_KINDS}{lock}"
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for n in numbers {
        q = q.bind(n.clone());
    }
    Ok(q.fetch_all(conn).await?)
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct TicketRow {
    #[sqlx(try_from = "i64")]
    pub id: TicketId,
    #[sqlx(try_from = "i64")]
    pub order_id: OrderId,
    pub ticket_number: String,
    pub code: String,
    pub price: i64,
    pub holder_customer_id: Option<i64>,
    pub holder_name: String,
    #[sqlx(try_from = "String")]
    pub usage: Usage,
    pub used_at: Option<i64>,
    pub product_name: String,
    pub product_code: String,
    pub jan: String,
    #[sqlx(flatten, try_from = "crate::columns::TicketTypeColumn")]
    pub ticket_type: Option<TicketType>,
    pub visit_date: Option<String>,
    pub eticket_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: TicketState,
    pub redeemed_at: Option<i64>,
    pub party_size_actual: Option<i64>,
    /// Set when the ticket was transferred to someone with an email: their own link.
    pub holder_token: Option<String>,
    /// 回数券: the uses the ticket carries (1 for every other ticket) and those spent.
    pub uses_total: i64,
    pub uses_spent: i64,
}

impl TicketRow {
    /// A 回数券 (several uses, each a row of its own).
    pub fn is_multi_use(&self) -> bool {
        self.uses_total > 1
    }

    /// The ticket's uses: a 回数券's counted rows, or any other ticket's one use.
    pub fn uses(&self) -> kippu_domain::web_ticket::multi_use::Uses {
        use kippu_domain::web_ticket::multi_use::Uses;
        if self.is_multi_use() {
            Uses {
                total: self.uses_total,
                spent: self.uses_spent,
            }
        } else {
            Uses {
                total: 1,
                spent: i64::from(self.usage == Usage::Used),
            }
        }
    }
}

pub(super) const TICKET_COLS: &str = "t.id, t.order_id, t.ticket_number, t.code, t.price, t.holder_customer_id, t.holder_name, t.usage, t.used_at, \
    l.product_name, l.product_code, l.jan, pr.ticket_type, l.visit_date, t.eticket_id, t.status, t.redeemed_at, t.party_size_actual, t.holder_token, \
    pr.uses_per_ticket AS uses_total, (SELECT COUNT(*) FROM ticket_uses u WHERE u.ticket_id = t.id) AS uses_spent";
pub(super) const TICKET_FROM: &str = "tickets t JOIN order_lines l ON l.id = t.order_line_id JOIN products pr ON pr.id = l.product_id";

pub async fn tickets_of_orders(conn: &mut AnyConnection, order_ids: &[OrderId]) -> Result<Vec<TicketRow>> {
    if order_ids.is_empty() {
        return Ok(vec![]);
    }
    let list = crate::batch::id_list(order_ids.iter().map(|i| i.0));
    let sql = format!("SELECT {TICKET_COLS} FROM {TICKET_FROM} WHERE t.order_id IN ({list}) ORDER BY t.order_id, t.id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await?)
}

/// One ticket by number, scoped to merchant `m`, with its order.
pub async fn ticket_by_number(conn: &mut AnyConnection, m: MerchantId, number: &str) -> Result<Option<TicketRow>> {
    let sql = format!("SELECT {TICKET_COLS} FROM {TICKET_FROM} WHERE t.merchant_id = $1 AND t.ticket_number = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(number)
        .fetch_optional(conn)
        .await?)
}
