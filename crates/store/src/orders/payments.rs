//! Money on an order after intake: gateway steps, fees, refunds, the slip PIN throttle, points, the lines of a statement.

use crate::Result;
use kippu_domain::OrderId;
use sqlx::{AnyConnection, FromRow};

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

#[derive(Debug, Clone, FromRow)]
pub struct LineRow {
    pub product_name: String,
    pub product_code: String,
    pub jan: String,
    pub unit_price: i64,
    pub tax_rate: i64,
    pub quantity: i64,
    pub amount: i64,
    /// The line's date: a stay has a line per night.
    pub visit_date: Option<String>,
}

pub async fn lines_of(conn: &mut AnyConnection, order_id: OrderId) -> Result<Vec<LineRow>> {
    Ok(sqlx::query_as(
        "SELECT product_name, product_code, jan, unit_price, tax_rate, quantity, amount, visit_date FROM order_lines WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id.0)
    .fetch_all(conn)
    .await?)
}

/// A card authorization still waiting for its capture.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingAuthorization {
    #[sqlx(try_from = "i64")]
    pub order_id: OrderId,
    pub order_number: String,
    #[sqlx(try_from = "i64")]
    pub merchant_id: kippu_domain::MerchantId,
    pub authorized_at: i64,
    pub amount: i64,
    pub customer_name: String,
}

/// Every order of every merchant still 与信済 whose authorization was made at or before
/// `before` (ms): those the daily job may owe a warning, an expiry or a release.
pub async fn pending_authorizations(conn: &mut AnyConnection, before: i64) -> Result<Vec<PendingAuthorization>> {
    Ok(sqlx::query_as(
        "SELECT o.id AS order_id, o.order_number, o.merchant_id, p.authorized_at, o.amount, o.customer_name \
         FROM orders o JOIN payments p ON p.order_id = o.id \
         WHERE o.status = 'authorized' AND o.payment_method = 'card_auth' AND p.authorized_at IS NOT NULL AND p.authorized_at <= $1 \
         ORDER BY o.merchant_id, p.authorized_at, o.id",
    )
    .bind(before)
    .fetch_all(conn)
    .await?)
}
