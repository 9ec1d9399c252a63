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
