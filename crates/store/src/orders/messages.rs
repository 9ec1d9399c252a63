//! The merchant ⇄ buyer message thread of an order.

use crate::Result;
use kippu_domain::{MerchantId, OrderId};
use sqlx::{AnyConnection, FromRow};

/// Posts a message in the order's thread (created on first use).
/// A message for an order's thread.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    pub m: MerchantId,
    pub order_id: OrderId,
    pub sender: kippu_domain::order::MessageSender,
    pub user: Option<i64>,
    pub subject: &'a str,
    pub body: &'a str,
}

pub async fn post_message(conn: &mut AnyConnection, new: &NewMessage<'_>, now: i64) -> Result<()> {
    let NewMessage {
        m,
        order_id,
        sender,
        user,
        subject,
        body,
    } = *new;
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

/// Creates the message threads the orders do not have yet and returns (order id, thread id).
pub async fn threads_for(conn: &mut AnyConnection, ids: &[i64], now: i64) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = crate::batch::id_list(ids.iter().copied());
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
