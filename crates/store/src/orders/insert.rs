//! Writing a new order: the order row, its lines, tickets and payment.

use super::for_sale::ProductForSale;
use crate::{Result, StoreError};
use kippu_domain::catalog::OrderKind;
use kippu_domain::order::PaymentMethod;
use kippu_domain::web_ticket::Status;
use kippu_domain::{MerchantId, OrderId};
use sqlx::AnyConnection;

/// The status an order is written with: a ticket flow's, or a goods order's order status.
#[derive(Debug, Clone, Copy)]
pub enum InitialStatus {
    Ticket(Status),
    Goods(kippu_domain::goods::OrderStatus),
}

impl InitialStatus {
    fn as_str(self) -> &'static str {
        match self {
            InitialStatus::Ticket(s) => s.as_str(),
            InitialStatus::Goods(s) => s.as_str(),
        }
    }
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
    pub status: InitialStatus,
    pub amount: i64,
    pub pin: Option<&'a str>,
    pub paid_at: Option<i64>,
    pub visit_date: Option<&'a str>,
    pub time_slot: Option<&'a str>,
    pub party_size: Option<i64>,
    pub nights: Option<i64>,
    pub created_by: Option<i64>,
    pub access_token: &'a str,
    /// Reservations: the cancellation policy (JSON tiers) as shown when booking.
    pub cancellation_policy: Option<&'a str>,
}

pub async fn insert_order(conn: &mut AnyConnection, o: &NewOrder<'_>) -> Result<OrderId> {
    sqlx::query_scalar(
        "INSERT INTO orders (merchant_id, order_number, channel_id, customer_id, customer_name, customer_kana, customer_email, \
         customer_phone, ordered_at, kind, payment_method, status, amount, pin, paid_at, visit_date, created_by, access_token, time_slot, party_size, cancellation_policy, nights, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $9) RETURNING id",
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
    .bind(o.nights)
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

/// A ticket of an order line.
#[derive(Debug, Clone, Copy)]
pub struct NewTicket<'a> {
    pub m: MerchantId,
    pub order_id: OrderId,
    pub line_id: i64,
    pub number: &'a str,
    pub code: &'a str,
    pub price: i64,
    pub holder_customer_id: Option<i64>,
    pub holder_name: &'a str,
    pub eticket_id: Option<&'a str>,
}

pub async fn insert_ticket(conn: &mut AnyConnection, new: &NewTicket<'_>, now: i64) -> Result<i64> {
    let NewTicket {
        m,
        order_id,
        line_id,
        number,
        code,
        price,
        holder_customer_id,
        holder_name,
        eticket_id,
    } = *new;
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
