//! Stock taken and given back by orders, and a product's stock by date as the storefront reads it. Every take is one conditional statement, so two buyers racing for the last seat cannot both succeed.

use crate::Result;
use kippu_domain::{MerchantId, OrderId};
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
