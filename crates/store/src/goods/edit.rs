//! 受注編集's writes: a goods order's lines replaced, its amounts, payment method and points
//! updated, each destination's 送料 and (when changed) address, and the stock moved — given
//! back for what the order no longer holds, taken for what it holds more of, never below zero.

use crate::Result;
use kippu_domain::goods::TimeBand;
use kippu_domain::order::PaymentMethod;
use kippu_domain::{MerchantId, OrderId};
use sqlx::AnyConnection;

/// A destination's address, phone, date and time band as the merchant changed them.
pub struct ContactWrite<'a> {
    pub name: &'a str,
    pub kana: &'a str,
    pub postal_code: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
    pub requested_date: Option<&'a str>,
    pub time_band: Option<TimeBand>,
}

/// One line as the order will hold it.
pub struct LineWrite<'a> {
    pub product_id: i64,
    pub product_name: &'a str,
    pub product_code: &'a str,
    pub jan: &'a str,
    pub unit_price: i64,
    pub tax_rate: i64,
    pub quantity: i64,
}

pub struct DestinationWrite<'a> {
    pub shipment_id: i64,
    pub shipping_fee: i64,
    /// `None`: the address stays as it is.
    pub contact: Option<ContactWrite<'a>>,
    pub lines: Vec<LineWrite<'a>>,
}

/// Everything one edit writes, in one call inside the caller's transaction.
pub struct GoodsEdit<'a> {
    pub merchant_id: MerchantId,
    pub order_id: OrderId,
    pub destinations: Vec<DestinationWrite<'a>>,
    /// Whether the lines, the amounts, the method or the points change (or only addresses).
    pub amounts: bool,
    /// Per product: how many more to take from stock (negative: to give back).
    pub stock: &'a [(i64, i64)],
    pub method: PaymentMethod,
    pub shipping_fee: i64,
    pub cod_fee: i64,
    pub points_used: i64,
    /// クーポン割引 as it applies after the edit.
    pub discount: i64,
    /// What the buyer pays after the edit.
    pub amount: i64,
    pub now: i64,
}

/// A product the edit wanted more of than the stock holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoldOut {
    pub product_id: i64,
}

/// The undated stock row of a goods product (goods have one).
async fn stock_id(conn: &mut AnyConnection, m: MerchantId, product_id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM stock WHERE merchant_id = $1 AND product_id = $2 AND stock_date = '' AND time_slot = ''")
            .bind(m.0)
            .bind(product_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Writes the edit; `Err(SoldOut)` (nothing of it to be kept: the caller rolls back) when a
/// product has not enough stock left for what the order now holds more of.
pub async fn write_edit(conn: &mut AnyConnection, e: &GoodsEdit<'_>) -> Result<std::result::Result<(), SoldOut>> {
    let m = e.merchant_id;
    for (product_id, delta) in e.stock {
        if *delta > 0 {
            if super::super::orders::take_stock(conn, m, *product_id, "", "", *delta, e.now)
                .await?
                .is_none()
            {
                return Ok(Err(SoldOut { product_id: *product_id }));
            }
        } else if *delta < 0 {
            sqlx::query(
                "UPDATE stock SET remaining = remaining + $1, updated_at = $2 \
                 WHERE merchant_id = $3 AND product_id = $4 AND stock_date = '' AND time_slot = ''",
            )
            .bind(-delta)
            .bind(e.now)
            .bind(m.0)
            .bind(product_id)
            .execute(&mut *conn)
            .await?;
        }
    }
    for d in &e.destinations {
        if let Some(c) = &d.contact {
            sqlx::query(
                "UPDATE shipments SET recipient_name = $1, recipient_kana = $2, postal_code = $3, address = $4, phone = $5, \
                 requested_date = $6, time_band = $7, updated_at = $8 WHERE id = $9 AND order_id = $10",
            )
            .bind(c.name)
            .bind(c.kana)
            .bind(c.postal_code)
            .bind(c.address)
            .bind(c.phone)
            .bind(c.requested_date)
            .bind(c.time_band.map(|b| b.as_str()))
            .bind(e.now)
            .bind(d.shipment_id)
            .bind(e.order_id.0)
            .execute(&mut *conn)
            .await?;
        }
    }
    if !e.amounts {
        sqlx::query("UPDATE orders SET updated_at = $1 WHERE id = $2")
            .bind(e.now)
            .bind(e.order_id.0)
            .execute(&mut *conn)
            .await?;
        return Ok(Ok(()));
    }
    sqlx::query("DELETE FROM order_lines WHERE order_id = $1 AND merchant_id = $2")
        .bind(e.order_id.0)
        .bind(m.0)
        .execute(&mut *conn)
        .await?;
    for d in &e.destinations {
        sqlx::query("UPDATE shipments SET shipping_fee = $1, updated_at = $2 WHERE id = $3 AND order_id = $4")
            .bind(d.shipping_fee)
            .bind(e.now)
            .bind(d.shipment_id)
            .bind(e.order_id.0)
            .execute(&mut *conn)
            .await?;
        for l in &d.lines {
            let stock_id = stock_id(conn, m, l.product_id).await?;
            sqlx::query(
                "INSERT INTO order_lines (merchant_id, order_id, product_id, product_name, product_code, jan, unit_price, tax_rate, quantity, amount, stock_id, shipment_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(m.0)
            .bind(e.order_id.0)
            .bind(l.product_id)
            .bind(l.product_name)
            .bind(l.product_code)
            .bind(l.jan)
            .bind(l.unit_price)
            .bind(l.tax_rate)
            .bind(l.quantity)
            .bind(l.unit_price * l.quantity)
            .bind(stock_id)
            .bind(d.shipment_id)
            .execute(&mut *conn)
            .await?;
        }
    }
    sqlx::query(
        "UPDATE orders SET payment_method = $1, shipping_fee = $2, handling_fee = $3, points_used = $4, amount = $5, updated_at = $6, discount = $9 \
         WHERE id = $7 AND merchant_id = $8",
    )
    .bind(e.method.as_str())
    .bind(e.shipping_fee)
    .bind(e.cod_fee)
    .bind(e.points_used)
    .bind(e.amount)
    .bind(e.now)
    .bind(e.order_id.0)
    .bind(m.0)
    .bind(e.discount)
    .execute(&mut *conn)
    .await?;
    Ok(Ok(()))
}

/// Deletes an order's payment instructions (its method no longer has any).
pub async fn delete_instructions(conn: &mut AnyConnection, order_id: OrderId) -> Result<()> {
    sqlx::query("DELETE FROM payment_instructions WHERE order_id = $1")
        .bind(order_id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// A card authorization replaced by another of a new amount.
pub async fn replace_authorization(
    conn: &mut AnyConnection,
    order_id: OrderId,
    reference: &str,
    amount: i64,
    expires_at: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE payments SET gateway_ref = $1, amount = $2, authorized_at = $3, expires_at = $5, updated_at = $3 WHERE order_id = $4",
    )
    .bind(reference)
    .bind(amount)
    .bind(now)
    .bind(order_id.0)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A line of a goods order as an edit reads it: with its product and JAN.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EditLineRow {
    pub shipment_id: Option<i64>,
    pub product_id: i64,
    pub product_code: String,
    pub product_name: String,
    pub jan: String,
    pub unit_price: i64,
    pub tax_rate: i64,
    pub quantity: i64,
}

/// The lines of a goods order, in their order.
pub async fn edit_lines_of(conn: &mut AnyConnection, order_id: OrderId) -> Result<Vec<EditLineRow>> {
    Ok(sqlx::query_as(
        "SELECT shipment_id, product_id, product_code, product_name, jan, unit_price, tax_rate, quantity FROM order_lines \
         WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id.0)
    .fetch_all(conn)
    .await?)
}
