//! The outbox: emails queued in the transaction of the change that causes them and delivered
//! afterwards by the worker, with retries.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

pub struct NewMessage<'a> {
    pub merchant_id: Option<MerchantId>,
    pub template_key: &'a str,
    pub to_addr: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub order_id: Option<kippu_domain::OrderId>,
}

pub async fn enqueue(conn: &mut AnyConnection, m: &NewMessage<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (merchant_id, template_key, to_addr, subject, body, order_id, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(m.merchant_id.map(|m| m.0))
    .bind(m.template_key)
    .bind(m.to_addr)
    .bind(m.subject)
    .bind(m.body)
    .bind(m.order_id.map(|o| o.0))
    .bind(now)
    .fetch_one(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct OutboxRow {
    pub id: i64,
    pub merchant_id: Option<i64>,
    pub template_key: String,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

const COLS: &str =
    "id, merchant_id, template_key, to_addr, subject, body, status, attempts, next_attempt_at, last_error, created_at, sent_at";

pub async fn due(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<OutboxRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM outbox WHERE status IN ('queued', 'retrying') AND next_attempt_at <= $1 ORDER BY id LIMIT $2"
    )))
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Claims a message for delivery. Returns false if another worker got it first.
pub async fn claim(conn: &mut AnyConnection, id: i64, lease_until: i64) -> Result<bool> {
    let r = sqlx::query("UPDATE outbox SET status = 'sending', next_attempt_at = $1 WHERE id = $2 AND status IN ('queued', 'retrying')")
        .bind(lease_until)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Messages left in `sending` by a worker that died: their lease ran out, so try them again.
pub async fn release_expired_leases(conn: &mut AnyConnection, now: i64) -> Result<u64> {
    let r = sqlx::query("UPDATE outbox SET status = 'retrying' WHERE status = 'sending' AND next_attempt_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}

pub async fn mark_sent(conn: &mut AnyConnection, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, last_error = '' WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a failed attempt: `retrying` at `next_attempt_at`, or `failed` for good.
pub async fn mark_failed(conn: &mut AnyConnection, id: i64, error: &str, next_attempt_at: Option<i64>) -> Result<()> {
    let (status, next) = match next_attempt_at {
        Some(t) => ("retrying", t),
        None => ("failed", 0),
    };
    sqlx::query("UPDATE outbox SET status = $1, next_attempt_at = $2, attempts = attempts + 1, last_error = $3 WHERE id = $4")
        .bind(status)
        .bind(next)
        .bind(error)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Puts a failed message back in the queue (the admin's "retry now").
pub async fn requeue(conn: &mut AnyConnection, m: Option<MerchantId>, id: i64, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE outbox SET status = 'retrying', next_attempt_at = $1 WHERE id = $2 AND status = 'failed' \
         AND COALESCE(merchant_id, 0) = $3",
    )
    .bind(now)
    .bind(id)
    .bind(m.map(|m| m.0).unwrap_or(0))
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The newest messages of one merchant, or every message when `m` is `None` (platform view).
pub async fn list(conn: &mut AnyConnection, m: Option<MerchantId>, limit: i64) -> Result<Vec<OutboxRow>> {
    Ok(match m {
        Some(m) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLS} FROM outbox WHERE merchant_id = $1 ORDER BY id DESC LIMIT $2"
            )))
            .bind(m.0)
            .bind(limit)
            .fetch_all(conn)
            .await?
        }
        None => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM outbox ORDER BY id DESC LIMIT $1")))
                .bind(limit)
                .fetch_all(conn)
                .await?
        }
    })
}

/// The merchant a message belongs to: `Some(None)` for platform mail, `None` if no such message.
pub async fn owner(conn: &mut AnyConnection, id: i64) -> Result<Option<Option<i64>>> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT merchant_id FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.0))
}

/// One rendered email to queue with [`enqueue_many`].
pub struct QueuedMail {
    pub merchant_id: kippu_domain::MerchantId,
    pub template_key: &'static str,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    pub order_id: kippu_domain::OrderId,
}

/// Queues many rendered emails in a few multi-row statements (bulk work and order intake).
pub async fn enqueue_many(conn: &mut AnyConnection, mails: Vec<QueuedMail>, now: i64) -> Result<()> {
    use crate::batch::{Value, insert_rows};
    let rows: Vec<Vec<Value>> = mails
        .into_iter()
        .map(|m| {
            vec![
                Value::I(m.merchant_id.0),
                m.template_key.into(),
                m.to_addr.into(),
                m.subject.into(),
                m.body.into(),
                Value::I(m.order_id.0),
                Value::I(now),
                Value::I(now),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "outbox",
        &[
            "merchant_id",
            "template_key",
            "to_addr",
            "subject",
            "body",
            "order_id",
            "next_attempt_at",
            "created_at",
        ],
        rows,
    )
    .await
}
