//! Goods refunds: the rest of an order refunded with its cancellation, or a part of it (一部返金),
//! one row each, the order's refunded total kept beside them.

use crate::{Result, StoreError};
use kippu_domain::goods::RefundKind;
use kippu_domain::{MerchantId, OrderId};
use sqlx::{AnyConnection, FromRow};

pub struct NewRefund<'a> {
    pub merchant: MerchantId,
    pub order: OrderId,
    pub amount: i64,
    pub kind: RefundKind,
    pub reason: &'a str,
    pub actor_label: &'a str,
    pub at: i64,
}

/// Records a refund and adds it to the order's refunded total; never past what the order
/// cost (the guard is in the UPDATE, so two refunds at once cannot both pass).
pub async fn insert_refund(conn: &mut AnyConnection, r: &NewRefund<'_>) -> Result<i64> {
    let added = sqlx::query("UPDATE orders SET refunded_amount = refunded_amount + $1 WHERE id = $2 AND refunded_amount + $1 <= amount")
        .bind(r.amount)
        .bind(r.order.0)
        .execute(&mut *conn)
        .await?;
    if added.rows_affected() != 1 {
        return Err(StoreError::Invariant(format!(
            "a refund of {} yen would take order {} past its amount",
            r.amount, r.order.0
        )));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO goods_refunds (merchant_id, order_id, amount, kind, reason, actor_label, refunded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(r.merchant.0)
    .bind(r.order.0)
    .bind(r.amount)
    .bind(r.kind.as_str())
    .bind(r.reason)
    .bind(r.actor_label)
    .bind(r.at)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct RefundRow {
    pub id: i64,
    pub amount: i64,
    #[sqlx(try_from = "String")]
    pub kind: RefundKind,
    pub reason: String,
    pub actor_label: String,
    pub refunded_at: i64,
}

/// An order's refunds, oldest first.
pub async fn refunds_of(conn: &mut AnyConnection, order: OrderId) -> Result<Vec<RefundRow>> {
    Ok(sqlx::query_as(
        "SELECT id, amount, kind, reason, actor_label, refunded_at FROM goods_refunds WHERE order_id = $1 ORDER BY refunded_at, id",
    )
    .bind(order.0)
    .fetch_all(conn)
    .await?)
}
