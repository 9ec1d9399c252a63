//! Orders, their lines, tickets, payments and status history.

use crate::dialect::{Backend, contains_pattern};
use crate::{Result, StoreError};
use kippu_domain::catalog::{OrderKind, TicketType};
use kippu_domain::order::{OrderType, PaymentMethod};
use kippu_domain::reservation::TicketState;
use kippu_domain::web_ticket::{SendMode, Status, Usage};
use kippu_domain::{MerchantId, OrderId, TicketId};
use sqlx::{AnyConnection, FromRow};

/// Takes `qty` from one stock row if enough remains, in one conditional statement: two buyers
/// racing for the last seat cannot both succeed, on either database. Returns the stock row id.
pub async fn take_stock(
    conn: &mut AnyConnection,
    m: MerchantId,
    product_id: i64,
    date: &str,
    slot: &str,
    qty: i64,
    now: i64,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "UPDATE stock SET remaining = remaining - $1, updated_at = $2 \
         WHERE merchant_id = $3 AND product_id = $4 AND stock_date = $5 AND time_slot = $6 AND remaining >= $1 RETURNING id",
    )
    .bind(qty)
    .bind(now)
    .bind(m.0)
    .bind(product_id)
    .bind(date)
    .bind(slot)
    .fetch_optional(conn)
    .await?)
}

/// Takes `qty` more from a stock row the caller already knows (extra people at the door), if
/// that much remains; the remaining count otherwise.
pub async fn take_more_stock(conn: &mut AnyConnection, stock_id: i64, qty: i64, now: i64) -> Result<std::result::Result<(), i64>> {
    let taken = sqlx::query("UPDATE stock SET remaining = remaining - $1, updated_at = $2 WHERE id = $3 AND remaining >= $1")
        .bind(qty)
        .bind(now)
        .bind(stock_id)
        .execute(&mut *conn)
        .await?;
    if taken.rows_affected() == 1 {
        return Ok(Ok(()));
    }
    let left: Option<i64> = sqlx::query_scalar("SELECT remaining FROM stock WHERE id = $1")
        .bind(stock_id)
        .fetch_optional(conn)
        .await?;
    Ok(Err(left.unwrap_or(0)))
}

/// Gives back the stock taken by an order's lines.
pub async fn restore_stock(conn: &mut AnyConnection, order_id: OrderId, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE stock SET remaining = remaining + (SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM order_lines l WHERE l.order_id = $1 AND l.stock_id = stock.id), updated_at = $2 \
         WHERE id IN (SELECT stock_id FROM order_lines WHERE order_id = $1 AND stock_id IS NOT NULL)",
    )
    .bind(order_id.0)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Reserves the next value of the platform-wide order-number sequence.
pub async fn next_order_sequence(conn: &mut AnyConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("UPDATE sequences SET next_value = next_value + 1 WHERE name = 'order_number' RETURNING next_value - 1")
            .fetch_one(conn)
            .await?,
    )
}

#[derive(Debug, Clone, FromRow)]
pub struct ProductForSale {
    pub id: i64,
    pub code: String,
    pub jan: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: kippu_domain::catalog::ProductKind,
    #[sqlx(flatten, try_from = "crate::columns::TicketTypeColumn")]
    pub ticket_type: Option<TicketType>,
    pub price: i64,
    pub tax_rate: i64,
    pub archived: i64,
    pub party_size_max: i64,
    pub cancellation_policy: String,
}

pub async fn product_by_code(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<Option<ProductForSale>> {
    Ok(sqlx::query_as(
        "SELECT id, code, jan, name, kind, ticket_type, price, tax_rate, archived, party_size_max, cancellation_policy FROM products WHERE merchant_id = $1 AND code = $2",
    )
    .bind(m.0)
    .bind(code)
    .fetch_optional(conn)
    .await?)
}

/// False only when the product's listing on the channel exists and is stopped.
pub async fn is_listed(conn: &mut AnyConnection, product_id: i64, channel_id: i64) -> Result<bool> {
    let listed: Option<i64> = sqlx::query_scalar("SELECT listed FROM product_listings WHERE product_id = $1 AND channel_id = $2")
        .bind(product_id)
        .bind(channel_id)
        .fetch_optional(conn)
        .await?;
    Ok(listed.unwrap_or(1) == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct ChannelRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: kippu_domain::catalog::ChannelKind,
}

pub async fn channel_by_code(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<Option<ChannelRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name, kind FROM channels WHERE merchant_id = $1 AND code = $2")
            .bind(m.0)
            .bind(code)
            .fetch_optional(conn)
            .await?,
    )
}

pub struct NewOrder<'a> {
    pub merchant_id: MerchantId,
    pub order_number: &'a str,
    pub channel_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub customer_name: &'a str,
    pub customer_kana: &'a str,
    pub customer_email: &'a str,
    pub customer_phone: &'a str,
    pub ordered_at: i64,
    pub kind: OrderKind,
    pub payment_method: PaymentMethod,
    pub status: Status,
    pub amount: i64,
    pub pin: Option<&'a str>,
    pub paid_at: Option<i64>,
    pub visit_date: Option<&'a str>,
    pub time_slot: Option<&'a str>,
    pub party_size: Option<i64>,
    pub created_by: Option<i64>,
    pub access_token: &'a str,
    /// Reservations: the cancellation policy (JSON tiers) as shown when booking.
    pub cancellation_policy: Option<&'a str>,
}

pub async fn insert_order(conn: &mut AnyConnection, o: &NewOrder<'_>) -> Result<OrderId> {
    sqlx::query_scalar(
        "INSERT INTO orders (merchant_id, order_number, channel_id, customer_id, customer_name, customer_kana, customer_email, \
         customer_phone, ordered_at, kind, payment_method, status, amount, pin, paid_at, visit_date, created_by, access_token, time_slot, party_size, cancellation_policy, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $9) RETURNING id",
    )
    .bind(o.merchant_id.0)
    .bind(o.order_number)
    .bind(o.channel_id)
    .bind(o.customer_id)
    .bind(o.customer_name)
    .bind(o.customer_kana)
    .bind(o.customer_email)
    .bind(o.customer_phone)
    .bind(o.ordered_at)
    .bind(o.kind.as_str())
    .bind(o.payment_method.as_str())
    .bind(o.status.as_str())
    .bind(o.amount)
    .bind(o.pin)
    .bind(o.paid_at)
    .bind(o.visit_date)
    .bind(o.created_by)
    .bind(o.access_token)
    .bind(o.time_slot)
    .bind(o.party_size)
    .bind(o.cancellation_policy)
    .fetch_one(conn)
    .await
    .map(OrderId)
    .map_err(|e| StoreError::conflict_on_unique(e, "order", o.order_number.to_string()))
}

pub struct NewLine<'a> {
    pub product: &'a ProductForSale,
    pub quantity: i64,
    pub stock_id: Option<i64>,
    pub visit_date: Option<&'a str>,
}

pub async fn insert_line(conn: &mut AnyConnection, m: MerchantId, order_id: OrderId, l: &NewLine<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO order_lines (merchant_id, order_id, product_id, product_name, product_code, jan, unit_price, tax_rate, quantity, amount, stock_id, visit_date) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(m.0)
    .bind(order_id.0)
    .bind(l.product.id)
    .bind(&l.product.name)
    .bind(&l.product.code)
    .bind(&l.product.jan)
    .bind(l.product.price)
    .bind(l.product.tax_rate)
    .bind(l.quantity)
    .bind(l.product.price * l.quantity)
    .bind(l.stock_id)
    .bind(l.visit_date)
    .fetch_one(conn)
    .await?)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_ticket(
    conn: &mut AnyConnection,
    m: MerchantId,
    order_id: OrderId,
    line_id: i64,
    number: &str,
    code: &str,
    price: i64,
    holder_customer_id: Option<i64>,
    holder_name: &str,
    eticket_id: Option<&str>,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO tickets (merchant_id, order_id, order_line_id, ticket_number, code, price, holder_customer_id, holder_name, created_at, eticket_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(m.0)
    .bind(order_id.0)
    .bind(line_id)
    .bind(number)
    .bind(code)
    .bind(price)
    .bind(holder_customer_id)
    .bind(holder_name)
    .bind(now)
    .bind(eticket_id)
    .fetch_one(conn)
    .await?)
}

/// True when the 6-digit ID is free among the merchant's open reservations (not cancelled,
/// redeemed or no-show): IDs are reused only after they can no longer be presented.
pub async fn eticket_id_free(conn: &mut AnyConnection, m: MerchantId, id: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM tickets t JOIN orders o ON o.id = t.order_id WHERE t.merchant_id = $1 AND t.eticket_id = $2 \
         AND o.status <> 'cancelled' AND t.redeemed_at IS NULL AND t.status = 'active'",
    )
    .bind(m.0)
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(n == 0)
}

pub struct NewPayment<'a> {
    pub method: &'a str,
    pub gateway: &'a str,
    pub gateway_ref: &'a str,
    pub state: &'a str,
    pub amount: i64,
    pub authorized_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub captured_at: Option<i64>,
}

pub async fn insert_payment(conn: &mut AnyConnection, m: MerchantId, order_id: OrderId, p: &NewPayment<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO payments (merchant_id, order_id, method, gateway, gateway_ref, state, amount, captured_amount, authorized_at, expires_at, captured_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(m.0)
    .bind(order_id.0)
    .bind(p.method)
    .bind(p.gateway)
    .bind(p.gateway_ref)
    .bind(p.state)
    .bind(p.amount)
    .bind(if p.captured_at.is_some() { p.amount } else { 0 })
    .bind(p.authorized_at)
    .bind(p.expires_at)
    .bind(p.captured_at)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Records a gateway step on an order's card payment.
pub async fn update_payment(
    conn: &mut AnyConnection,
    order_id: OrderId,
    state: &str,
    captured_at: Option<i64>,
    refunded: Option<i64>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE payments SET state = $1, captured_at = COALESCE($2, captured_at), \
         captured_amount = CASE WHEN $2 IS NULL THEN captured_amount ELSE amount END, \
         refunded_amount = COALESCE($3, refunded_amount), updated_at = $4 WHERE order_id = $5",
    )
    .bind(state)
    .bind(captured_at)
    .bind(refunded)
    .bind(now)
    .bind(order_id.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub struct HistoryEntry<'a> {
    pub merchant_id: MerchantId,
    pub order_id: OrderId,
    pub ticket_id: Option<TicketId>,
    pub flow: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: &'a str,
    pub actor_user_id: Option<i64>,
    pub actor_label: &'a str,
    pub note: &'a str,
    pub at: i64,
}

pub async fn insert_history(conn: &mut AnyConnection, h: &HistoryEntry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO status_history (merchant_id, order_id, ticket_id, flow, from_status, to_status, actor_user_id, actor_label, note, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(h.merchant_id.0)
    .bind(h.order_id.0)
    .bind(h.ticket_id.map(|t| t.0))
    .bind(h.flow)
    .bind(h.from_status)
    .bind(h.to_status)
    .bind(h.actor_user_id)
    .bind(h.actor_label)
    .bind(h.note)
    .bind(h.at)
    .execute(conn)
    .await?;
    Ok(())
}

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

const ORDER_COLS: &str = "o.id, o.merchant_id, o.order_number, o.channel_id, o.customer_id, o.customer_name, o.customer_kana, \
    o.customer_email, o.customer_phone, o.ordered_at, o.order_type, o.kind, o.payment_method, o.status, o.amount, o.promotion_cost, \
    o.pin, o.pin_failures, o.pin_locked_until, o.paid_at, o.sent_at, o.send_mode, o.cancelled_at, o.cancel_fee, o.refunded_amount, \
    o.visit_date, p.authorized_at, p.captured_at, p.gateway_ref, p.state AS payment_state, o.access_token, o.time_slot, o.party_size, \
    o.cancellation_fee_kept, o.cancel_reason, o.cancelled_by, o.cancellation_policy, o.door_state";

const ORDER_FROM: &str = "orders o LEFT JOIN payments p ON p.order_id = o.id";

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
    let sql = format!("SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE o.order_number = $1 AND ($2 = 0 OR o.merchant_id = $2){lock}");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(number)
        .bind(m.map(|m| m.0).unwrap_or(0))
        .fetch_optional(conn)
        .await?)
}

/// Moves an order from `from` to `to` only if it is still in `from`; false when another request
/// changed it first (the caller reports the row as no longer eligible).
#[allow(clippy::too_many_arguments)]
pub async fn set_status(
    conn: &mut AnyConnection,
    order_id: OrderId,
    from: &str,
    to: &str,
    paid_at: Option<Option<i64>>,
    sent: Option<(Option<i64>, &str)>,
    cancelled_at: Option<i64>,
    now: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE orders SET status = $1, updated_at = $2, \
         paid_at = CASE WHEN $3 = 1 THEN $4 ELSE paid_at END, \
         sent_at = CASE WHEN $5 = 1 THEN $6 ELSE sent_at END, \
         send_mode = CASE WHEN $5 = 1 THEN $7 ELSE send_mode END, \
         cancelled_at = COALESCE($8, cancelled_at) \
         WHERE id = $9 AND status = $10",
    )
    .bind(to)
    .bind(now)
    .bind(paid_at.is_some() as i64)
    .bind(paid_at.flatten())
    .bind(sent.is_some() as i64)
    .bind(sent.and_then(|s| s.0))
    .bind(sent.map(|s| s.1))
    .bind(cancelled_at)
    .bind(order_id.0)
    .bind(from)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn add_cancel_fee(conn: &mut AnyConnection, order_id: OrderId, fee: i64) -> Result<()> {
    sqlx::query("UPDATE orders SET cancel_fee = cancel_fee + $1 WHERE id = $2")
        .bind(fee)
        .bind(order_id.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_refunded(conn: &mut AnyConnection, order_id: OrderId, amount: i64) -> Result<()> {
    sqlx::query("UPDATE orders SET refunded_amount = $1 WHERE id = $2")
        .bind(amount)
        .bind(order_id.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_pin_throttle(conn: &mut AnyConnection, order_id: OrderId, failures: i64, locked_until: Option<i64>) -> Result<()> {
    sqlx::query("UPDATE orders SET pin_failures = $1, pin_locked_until = $2 WHERE id = $3")
        .bind(failures)
        .bind(locked_until)
        .bind(order_id.0)
        .execute(conn)
        .await?;
    Ok(())
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
}

const TICKET_COLS: &str = "t.id, t.order_id, t.ticket_number, t.code, t.price, t.holder_customer_id, t.holder_name, t.usage, t.used_at, \
    l.product_name, l.product_code, l.jan, pr.ticket_type, l.visit_date, t.eticket_id, t.status, t.redeemed_at, t.party_size_actual";
const TICKET_FROM: &str = "tickets t JOIN order_lines l ON l.id = t.order_line_id JOIN products pr ON pr.id = l.product_id";

pub async fn tickets_of_orders(conn: &mut AnyConnection, order_ids: &[OrderId]) -> Result<Vec<TicketRow>> {
    if order_ids.is_empty() {
        return Ok(vec![]);
    }
    let list = order_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
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

pub async fn set_usage(
    conn: &mut AnyConnection,
    ticket_id: TicketId,
    from: &str,
    to: &str,
    used_at: Option<i64>,
    by: Option<i64>,
) -> Result<bool> {
    let r = sqlx::query("UPDATE tickets SET usage = $1, used_at = $2, used_by = $3 WHERE id = $4 AND usage = $5")
        .bind(to)
        .bind(used_at)
        .bind(by)
        .bind(ticket_id.0)
        .bind(from)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn transfer_ticket(
    conn: &mut AnyConnection,
    m: MerchantId,
    ticket_id: TicketId,
    from_name: &str,
    to_customer: Option<i64>,
    to_name: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE tickets SET holder_customer_id = $1, holder_name = $2 WHERE id = $3")
        .bind(to_customer)
        .bind(to_name)
        .bind(ticket_id.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO ticket_transfers (merchant_id, ticket_id, from_name, to_customer_id, to_name, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(m.0)
    .bind(ticket_id.0)
    .bind(from_name)
    .bind(to_customer)
    .bind(to_name)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct HistoryRow {
    pub flow: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_label: String,
    pub note: String,
    pub at: i64,
    pub ticket_id: Option<i64>,
}

/// The history of several orders at once (the list page shows each order's steps).
pub async fn history_of_orders(conn: &mut AnyConnection, order_ids: &[OrderId]) -> Result<Vec<(OrderId, HistoryRow)>> {
    if order_ids.is_empty() {
        return Ok(vec![]);
    }
    #[derive(FromRow)]
    struct Row {
        #[sqlx(try_from = "i64")]
        order_id: OrderId,
        #[sqlx(flatten)]
        h: HistoryRow,
    }
    let list = order_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let sql = format!(
        "SELECT order_id, flow, from_status, to_status, actor_label, note, at, ticket_id FROM status_history WHERE order_id IN ({list}) AND flow = 'web_ticket' ORDER BY id"
    );
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| (r.order_id, r.h)).collect())
}

pub async fn history(conn: &mut AnyConnection, order_id: OrderId) -> Result<Vec<HistoryRow>> {
    Ok(sqlx::query_as(
        "SELECT flow, from_status, to_status, actor_label, note, at, ticket_id FROM status_history WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id.0)
    .fetch_all(conn)
    .await?)
}

/// The search of the order list (§4.3). Every field is optional; text fields match parts.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub merchant: Option<MerchantId>,
    pub order_number: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub payment_method: Option<PaymentMethod>,
    pub status: Option<Status>,
    pub usage: Option<Usage>,
    pub ticket_type: Option<TicketType>,
    pub order_type: Option<OrderType>,
    pub product_code: Option<String>,
    pub holder: Option<String>,
}

pub(crate) enum Bind {
    I(i64),
    S(String),
}

/// Conditions joined by AND, each `?` numbered in order of its bind.
pub(crate) struct Where {
    pub(crate) conds: Vec<String>,
    pub(crate) binds: Vec<Bind>,
}

impl Where {
    pub(crate) fn add(&mut self, cond: &str, b: Bind) {
        self.binds.push(b);
        self.conds.push(cond.replace('?', &format!("${}", self.binds.len())));
    }
}

/// Builds the WHERE clause of a filter with numbered parameters.
fn where_clause(f: &OrderFilter, backend: Backend) -> (String, Vec<Bind>) {
    let like = backend.ilike();
    let mut w = Where {
        conds: vec!["o.kind = 'web_ticket'".into()],
        binds: Vec::new(),
    };
    if let Some(m) = f.merchant {
        w.add("o.merchant_id = ?", Bind::I(m.0));
    }
    if let Some(v) = &f.order_number {
        w.add("o.order_number = ?", Bind::S(v.clone()));
    }
    if let Some(v) = f.from_ms {
        w.add("o.ordered_at >= ?", Bind::I(v));
    }
    if let Some(v) = f.to_ms {
        w.add("o.ordered_at < ?", Bind::I(v));
    }
    if let Some(v) = &f.name {
        // One parameter used twice: name or furigana.
        w.binds.push(Bind::S(contains_pattern(v)));
        let n = w.binds.len();
        w.conds.push(format!(
            "(o.customer_name {like} ${n} ESCAPE '\\' OR o.customer_kana {like} ${n} ESCAPE '\\')"
        ));
    }
    if let Some(v) = &f.email {
        w.add(&format!("o.customer_email {like} ? ESCAPE '\\'"), Bind::S(contains_pattern(v)));
    }
    if let Some(v) = &f.phone {
        w.add("o.customer_phone LIKE ? ESCAPE '\\'", Bind::S(contains_pattern(v)));
    }
    if let Some(v) = &f.payment_method {
        w.add("o.payment_method = ?", Bind::S(v.as_str().into()));
    }
    if let Some(v) = &f.status {
        w.add("o.status = ?", Bind::S(v.as_str().into()));
    }
    if let Some(v) = &f.order_type {
        w.add("o.order_type = ?", Bind::S(v.as_str().into()));
    }
    if let Some(v) = &f.usage {
        w.add(
            "EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = o.id AND t.usage = ?)",
            Bind::S(v.as_str().into()),
        );
    }
    if let Some(v) = &f.holder {
        w.add(
            &format!("EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = o.id AND t.holder_name {like} ? ESCAPE '\\')"),
            Bind::S(contains_pattern(v)),
        );
    }
    if let Some(v) = &f.product_code {
        w.add(
            "EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.product_code = ?)",
            Bind::S(v.clone()),
        );
    }
    if let Some(v) = &f.ticket_type {
        w.add(
            "EXISTS (SELECT 1 FROM order_lines l JOIN products pr ON pr.id = l.product_id WHERE l.order_id = o.id AND pr.ticket_type = ?)",
            Bind::S(v.as_str().into()),
        );
    }
    (w.conds.join(" AND "), w.binds)
}

/// Continues a newest-first walk after (ordered_at, id) with a row-value comparison: both
/// databases turn it into one index range scan.
fn keyset_after(w: &mut String, binds: &mut Vec<Bind>, after: Option<(i64, i64)>) {
    if let Some((at, id)) = after {
        binds.push(Bind::I(at));
        let a = binds.len();
        binds.push(Bind::I(id));
        let b = binds.len();
        w.push_str(&format!(" AND (o.ordered_at, o.id) < (${a}, ${b})"));
    }
}

pub(crate) fn bind_all<'q, O>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    binds: Vec<Bind>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments> {
    for b in binds {
        q = match b {
            Bind::I(i) => q.bind(i),
            Bind::S(s) => q.bind(s),
        };
    }
    q
}

/// One page of the search, newest first.
pub async fn search(conn: &mut AnyConnection, backend: Backend, f: &OrderFilter, limit: i64, offset: i64) -> Result<Vec<OrderRow>> {
    let (w, binds) = where_clause(f, backend);
    let sql =
        format!("SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE {w} ORDER BY o.ordered_at DESC, o.id DESC LIMIT {limit} OFFSET {offset}");
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_all(conn).await?)
}

/// The next `limit` orders of the search after `after` (ordered_at, id), newest first: keyset
/// paging, so an export of a million orders never re-reads what it already wrote.
pub async fn search_after(
    conn: &mut AnyConnection,
    backend: Backend,
    f: &OrderFilter,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<OrderRow>> {
    let (mut w, mut binds) = where_clause(f, backend);
    keyset_after(&mut w, &mut binds, after);
    let sql = format!("SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE {w} ORDER BY o.ordered_at DESC, o.id DESC LIMIT {limit}");
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_all(conn).await?)
}

/// Counts matches up to `cap` (a list over a million orders shows "10,000件以上" rather than
/// spending a second counting exactly).
pub async fn count_capped(conn: &mut AnyConnection, backend: Backend, f: &OrderFilter, cap: i64) -> Result<i64> {
    let (w, binds) = where_clause(f, backend);
    let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM orders o WHERE {w} LIMIT {cap}) capped");
    let row: (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_one(conn).await?;
    Ok(row.0)
}

pub async fn count(conn: &mut AnyConnection, backend: Backend, f: &OrderFilter) -> Result<i64> {
    let (w, binds) = where_clause(f, backend);
    let sql = format!("SELECT COUNT(*) FROM orders o WHERE {w}");
    let row: (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_one(conn).await?;
    Ok(row.0)
}

/// A stored answer to an `Idempotency-Key`.
#[derive(Debug, Clone, FromRow)]
pub struct IdempotentAnswer {
    pub request_hash: String,
    pub status_code: i64,
    pub response_body: String,
}

pub async fn idempotent_answer(conn: &mut AnyConnection, m: MerchantId, key: &str) -> Result<Option<IdempotentAnswer>> {
    Ok(
        sqlx::query_as("SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE merchant_id = $1 AND idem_key = $2")
            .bind(m.0)
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

/// Stores the answer; false if a concurrent request with the same key stored one first.
pub async fn store_idempotent_answer(
    conn: &mut AnyConnection,
    m: MerchantId,
    key: &str,
    hash: &str,
    status: i64,
    body: &str,
    now: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO idempotency_keys (merchant_id, idem_key, request_hash, status_code, response_body, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (merchant_id, idem_key) DO NOTHING",
    )
    .bind(m.0)
    .bind(key)
    .bind(hash)
    .bind(status)
    .bind(body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The order behind a customer link (any merchant: the token itself is the secret).
pub async fn order_by_access_token(conn: &mut AnyConnection, token: &str) -> Result<Option<OrderRow>> {
    let sql = format!("SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE o.access_token = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token).fetch_optional(conn).await?)
}

/// Posts a message in the order's thread (created on first use).
#[allow(clippy::too_many_arguments)]
pub async fn post_message(
    conn: &mut AnyConnection,
    m: MerchantId,
    order_id: OrderId,
    sender: kippu_domain::order::MessageSender,
    user: Option<i64>,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<()> {
    let thread: Option<i64> = sqlx::query_scalar("SELECT id FROM message_threads WHERE order_id = $1")
        .bind(order_id.0)
        .fetch_optional(&mut *conn)
        .await?;
    let thread = match thread {
        Some(t) => t,
        None => {
            sqlx::query_scalar("INSERT INTO message_threads (merchant_id, order_id, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(m.0)
                .bind(order_id.0)
                .bind(now)
                .fetch_one(&mut *conn)
                .await?
        }
    };
    sqlx::query("INSERT INTO messages (merchant_id, thread_id, sender, sender_user_id, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(m.0)
        .bind(thread)
        .bind(sender.as_str())
        .bind(user)
        .bind(subject)
        .bind(body)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct MessageRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub sender: kippu_domain::order::MessageSender,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
}

pub async fn messages(conn: &mut AnyConnection, order_id: OrderId) -> Result<Vec<MessageRow>> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.sender, m.subject, m.body, m.created_at FROM messages m JOIN message_threads th ON th.id = m.thread_id \
         WHERE th.order_id = $1 ORDER BY m.id",
    )
    .bind(order_id.0)
    .fetch_all(conn)
    .await?)
}

pub async fn order_number_of(conn: &mut AnyConnection, order_id: OrderId) -> Result<String> {
    Ok(sqlx::query_scalar("SELECT order_number FROM orders WHERE id = $1")
        .bind(order_id.0)
        .fetch_one(conn)
        .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct StockRow {
    pub stock_date: String,
    pub time_slot: String,
    pub remaining: i64,
}

/// Stock rows of a product from `from_date` on (undated products have one row with date '').
pub async fn stock_of(conn: &mut AnyConnection, m: MerchantId, product_id: i64, from_date: &str) -> Result<Vec<StockRow>> {
    Ok(sqlx::query_as(
        "SELECT stock_date, time_slot, remaining FROM stock WHERE merchant_id = $1 AND product_id = $2 AND (stock_date = '' OR stock_date >= $3) \
         ORDER BY stock_date, time_slot LIMIT 400",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(from_date)
    .fetch_all(conn)
    .await?)
}

/// Web-ticket and reservation products on sale (not archived), for the storefront.
pub async fn products_on_sale(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<ProductForSale>> {
    Ok(sqlx::query_as(
        "SELECT id, code, jan, name, kind, ticket_type, price, tax_rate, archived, party_size_max, cancellation_policy FROM products WHERE merchant_id = $1 AND archived = 0 AND kind IN ('web_ticket', 'reservation') ORDER BY kind DESC, code",
    )
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}

/// Points earned by an order (issued active when the slip's PIN confirms the payment).
pub async fn insert_points(
    conn: &mut AnyConnection,
    m: MerchantId,
    customer_id: Option<i64>,
    order_id: OrderId,
    points: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO points (merchant_id, customer_id, order_id, points, status, activated_at, created_at) VALUES ($1, $2, $3, $4, 'active', $5, $5)")
        .bind(m.0)
        .bind(customer_id)
        .bind(order_id.0)
        .bind(points)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct LineRow {
    pub product_name: String,
    pub product_code: String,
    pub jan: String,
    pub unit_price: i64,
    pub tax_rate: i64,
    pub quantity: i64,
    pub amount: i64,
}

pub async fn lines_of(conn: &mut AnyConnection, order_id: OrderId) -> Result<Vec<LineRow>> {
    Ok(sqlx::query_as(
        "SELECT product_name, product_code, jan, unit_price, tax_rate, quantity, amount FROM order_lines WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id.0)
    .fetch_all(conn)
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
    let placeholders = (0..numbers.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(",");
    let sql =
        format!("SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE ($1 = 0 OR o.merchant_id = $1) AND o.order_number IN ({placeholders}){lock}");
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(m.map(|m| m.0).unwrap_or(0));
    for n in numbers {
        q = q.bind(n.clone());
    }
    Ok(q.fetch_all(conn).await?)
}

/// Moves many orders from `from` to `to` at once (each still in `from`); returns the ids moved.
pub async fn set_status_many(
    conn: &mut AnyConnection,
    ids: &[i64],
    from: &str,
    to: &str,
    paid: bool,
    sent: Option<&str>,
    now: i64,
) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "UPDATE orders SET status = $1, updated_at = $2, \
         paid_at = CASE WHEN $3 = 1 THEN $2 ELSE paid_at END, \
         sent_at = CASE WHEN $4 = 'email' THEN $2 WHEN $4 = 'silent' THEN NULL ELSE sent_at END, \
         send_mode = CASE WHEN $4 = '' THEN send_mode ELSE $4 END \
         WHERE status = $5 AND id IN ({}) RETURNING id",
        crate::batch::id_list(ids)
    );
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(to)
        .bind(now)
        .bind(paid as i64)
        .bind(sent.unwrap_or(""))
        .bind(from)
        .fetch_all(conn)
        .await?)
}

/// Creates the message threads the orders do not have yet and returns (order id, thread id).
pub async fn threads_for(conn: &mut AnyConnection, ids: &[i64], now: i64) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = crate::batch::id_list(ids);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO message_threads (merchant_id, order_id, created_at) SELECT o.merchant_id, o.id, $1 FROM orders o \
         WHERE o.id IN ({list}) AND NOT EXISTS (SELECT 1 FROM message_threads t WHERE t.order_id = o.id)"
    )))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT order_id, id FROM message_threads WHERE order_id IN ({list})"
    )))
    .fetch_all(conn)
    .await?)
}

/// One CSV line's worth: an order's columns beside one of its tickets.
#[derive(Debug, Clone, FromRow)]
pub struct ExportRow {
    #[sqlx(try_from = "i64")]
    pub order_id: OrderId,
    pub order_number: String,
    pub ordered_at: i64,
    pub customer_name: String,
    pub customer_kana: String,
    pub customer_email: String,
    pub customer_phone: String,
    pub amount: i64,
    pub promotion_cost: i64,
    #[sqlx(try_from = "String")]
    pub payment_method: PaymentMethod,
    pub pin: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub paid_at: Option<i64>,
    pub sent_at: Option<i64>,
    #[sqlx(flatten, try_from = "crate::columns::SendModeColumn")]
    pub send_mode: Option<SendMode>,
    #[sqlx(try_from = "String")]
    pub order_type: OrderType,
    pub cancel_fee: i64,
    pub refunded_amount: i64,
    #[sqlx(flatten, try_from = "crate::columns::TicketTypeColumn")]
    pub ticket_type: Option<TicketType>,
    pub ticket_number: String,
    pub price: i64,
    pub holder_name: String,
    pub product_name: String,
    pub product_code: String,
    pub jan: String,
    #[sqlx(try_from = "String")]
    pub usage: Usage,
    pub used_at: Option<i64>,
}

/// The tickets of the next `limit` orders of the search after `after` (ordered_at, id), in one
/// query with only the exported columns: the export's unit of work.
pub async fn export_after(
    conn: &mut AnyConnection,
    backend: Backend,
    f: &OrderFilter,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<ExportRow>> {
    let (mut w, mut binds) = where_clause(f, backend);
    keyset_after(&mut w, &mut binds, after);
    let sql = format!(
        "SELECT o.id AS order_id, o.order_number, o.ordered_at, o.customer_name, o.customer_kana, o.customer_email, o.customer_phone, \
         o.amount, o.promotion_cost, o.payment_method, o.pin, o.status, o.paid_at, o.sent_at, o.send_mode, o.order_type, o.cancel_fee, \
         o.refunded_amount, pr.ticket_type, t.ticket_number, t.price, t.holder_name, l.product_name, l.product_code, l.jan, t.usage, t.used_at \
         FROM (SELECT o.* FROM orders o WHERE {w} ORDER BY o.ordered_at DESC, o.id DESC LIMIT {limit}) o \
         JOIN tickets t ON t.order_id = o.id JOIN order_lines l ON l.id = t.order_line_id JOIN products pr ON pr.id = l.product_id \
         ORDER BY o.ordered_at DESC, o.id DESC, t.id"
    );
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_all(conn).await?)
}

/// A reservation's e-ticket as the door sees it.
#[derive(Debug, Clone, FromRow)]
pub struct DoorTicket {
    #[sqlx(try_from = "i64")]
    pub ticket_id: TicketId,
    #[sqlx(try_from = "i64")]
    pub order_id: OrderId,
    pub order_number: String,
    pub ticket_number: String,
    #[sqlx(try_from = "String")]
    pub order_status: Status,
    #[sqlx(try_from = "String")]
    pub payment_method: PaymentMethod,
    #[sqlx(try_from = "String")]
    pub ticket_status: TicketState,
    pub visit_date: Option<String>,
    pub time_slot: Option<String>,
    pub party_size: Option<i64>,
    pub holder_name: String,
    pub product_name: String,
    pub redeemed_at: Option<i64>,
    pub redeemed_by_label: Option<String>,
    /// The stock row the booking took its seats from, and what is left of it today: extra
    /// people at the door are seated only from what is left.
    pub stock_id: Option<i64>,
    pub day_remaining: Option<i64>,
}

/// The merchant's reservation ticket with this 6-digit ID (the open one first) or QR code.
pub async fn door_ticket(conn: &mut AnyConnection, m: MerchantId, code: &str, by_eticket_id: bool) -> Result<Option<DoorTicket>> {
    let cond = if by_eticket_id { "t.eticket_id = $2" } else { "t.code = $2" };
    let sql = format!(
        "SELECT t.id AS ticket_id, o.id AS order_id, o.order_number, t.ticket_number, o.status AS order_status, o.payment_method, t.status AS ticket_status, \
         o.visit_date, o.time_slot, o.party_size, t.holder_name, l.product_name, t.redeemed_at, \
         t.redeemed_by_label, l.stock_id, s.remaining AS day_remaining \
         FROM tickets t JOIN orders o ON o.id = t.order_id JOIN order_lines l ON l.id = t.order_line_id LEFT JOIN stock s ON s.id = l.stock_id \
         WHERE t.merchant_id = $1 AND o.kind = 'reservation' AND {cond} \
         ORDER BY CASE WHEN o.status <> 'cancelled' AND t.redeemed_at IS NULL AND t.status = 'active' THEN 0 ELSE 1 END, t.id DESC LIMIT 1"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(code)
        .fetch_optional(conn)
        .await?)
}

/// Marks a reservation redeemed if nobody did first; false when it was already redeemed.
pub async fn redeem(
    conn: &mut AnyConnection,
    (order_id, ticket_id): (OrderId, TicketId),
    party_size: i64,
    note: &str,
    by: Option<i64>,
    by_label: &str,
    now: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE tickets SET redeemed_at = $1, redeemed_by = $2, party_size_actual = $3, redemption_note = $4, usage = 'used', used_at = $1, \
         redeemed_by_label = $6 WHERE id = $5 AND redeemed_at IS NULL AND status = 'active'",
    )
    .bind(now)
    .bind(by)
    .bind(party_size)
    .bind(note)
    .bind(ticket_id.0)
    .bind(by_label)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE orders SET door_state = 'redeemed', party_size_came = $1 WHERE id = $2")
        .bind(party_size)
        .bind(order_id.0)
        .execute(conn)
        .await?;
    Ok(true)
}

/// The next `limit` reservation orders after `after` (visit date, id; start with the first
/// visit date to look at and 0) whose visit date is before `today` and that are not cancelled: the candidates of the no-show sweep. Keyset-paged
/// along the index (kind, visit_date, id), so a sweep over a million bookings reads each once
/// and sorts nothing.
pub async fn no_show_candidates(conn: &mut AnyConnection, today: &str, after: (&str, i64), limit: i64) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT o.visit_date, o.id FROM orders o WHERE o.kind = 'reservation' AND (o.visit_date, o.id) > ($1, $2) \
         AND o.visit_date < $3 AND o.status <> 'cancelled' ORDER BY o.visit_date, o.id LIMIT {limit}"
    )))
    .bind(after.0)
    .bind(after.1)
    .bind(today)
    .fetch_all(conn)
    .await?)
}

/// After a sweep that changed many bookings, PostgreSQL's statistics still think ノーショー is
/// rare until autovacuum comes by, and plans the reservation list's "no-shows of a day" as a
/// join of the whole day before sorting (2 s at first, 50 ms with the door's state on the
/// order, instead of under a millisecond). `ANALYZE` samples, so it is cheap and
/// blocks no writer there. SQLite's planner keeps no such value statistics, and its `ANALYZE`
/// reads whole indexes while holding the single writer, so it is not run there.
pub async fn refresh_door_statistics(conn: &mut AnyConnection, backend: Backend) -> Result<()> {
    for sql in backend.refresh_statistics(&["tickets", "orders"]) {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Turns the open e-tickets of these reservation orders into no-shows, with their history rows.
/// The UPDATE's guard (still active, not redeemed) decides, and only the tickets it changed get
/// a history row, so a redemption racing the sweep wins or loses cleanly and a second run
/// changes nothing. Returns the tickets changed.
pub async fn mark_no_shows(conn: &mut AnyConnection, order_ids: &[i64], now: i64) -> Result<u64> {
    if order_ids.is_empty() {
        return Ok(0);
    }
    // Integers only: safe to inline, and no bind-parameter limit to mind.
    let list = order_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let swept: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE tickets SET status = 'no_show' WHERE order_id IN ({list}) AND status = 'active' AND redeemed_at IS NULL RETURNING id, order_id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    if swept.is_empty() {
        return Ok(0);
    }
    let orders = swept.iter().map(|(_, o)| o.to_string()).collect::<Vec<_>>().join(",");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE orders SET door_state = 'no_show' WHERE id IN ({orders})"
    )))
    .execute(&mut *conn)
    .await?;
    let swept: Vec<i64> = swept.into_iter().map(|(t, _)| t).collect();
    // The history rows of exactly the tickets the UPDATE changed, in one set-based statement.
    let changed = swept.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO status_history (merchant_id, order_id, ticket_id, flow, from_status, to_status, actor_label, note, at) \
         SELECT t.merchant_id, t.order_id, t.id, 'redemption', 'booked', 'no_show', 'system', 'ノーショー（来店日を過ぎても未来店）', $1 \
         FROM tickets t WHERE t.id IN ({changed})"
    )))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(swept.len() as u64)
}

/// The day of the last complete no-show sweep (`YYYY-MM-DD`), if any.
pub async fn last_no_show_sweep(conn: &mut AnyConnection) -> Result<Option<String>> {
    let key: Option<String> = sqlx::query_scalar("SELECT MAX(run_key) FROM job_runs WHERE run_key LIKE 'no_show:%'")
        .fetch_one(conn)
        .await?;
    Ok(key.and_then(|k| k.strip_prefix("no_show:").map(str::to_string)))
}

/// Claims a job run key once (`job_runs`); false when it already ran.
pub async fn claim_job_run(conn: &mut AnyConnection, key: &str, now: i64) -> Result<bool> {
    let r = sqlx::query("INSERT INTO job_runs (run_key, started_at) VALUES ($1, $2) ON CONFLICT (run_key) DO NOTHING")
        .bind(key)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}
