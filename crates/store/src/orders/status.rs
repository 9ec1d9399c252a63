//! Status changes, each guarded by the status it was checked against: one statement for one
//! order and for a bulk group alike.

use crate::Result;
use kippu_domain::OrderId;
use kippu_domain::web_ticket::{Stamp, StatusChange};
use sqlx::AnyConnection;

fn stamp_code(s: Stamp) -> i64 {
    match s {
        Stamp::Keep => 0,
        Stamp::Now => 1,
        Stamp::Clear => 2,
    }
}

/// Moves an order as `change` says only if it is still in `change.from`; false when another
/// request changed it first (the caller reports the row as no longer eligible).
pub async fn set_status(conn: &mut AnyConnection, order_id: OrderId, change: &StatusChange, now: i64) -> Result<bool> {
    Ok(!set_status_many(conn, &[order_id.0], change, now).await?.is_empty())
}

/// Moves many orders as `change` says (each still in `change.from`); returns the ids moved.
pub async fn set_status_many(conn: &mut AnyConnection, ids: &[i64], change: &StatusChange, now: i64) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "UPDATE orders SET status = $1, updated_at = $2, \
         paid_at = CASE WHEN $3 = 1 THEN $2 WHEN $3 = 2 THEN NULL ELSE paid_at END, \
         sent_at = CASE WHEN $4 = 'email' THEN $2 WHEN $4 = 'silent' THEN NULL ELSE sent_at END, \
         send_mode = CASE WHEN $4 = '' THEN send_mode ELSE $4 END, \
         cancelled_at = CASE WHEN $5 = 1 THEN $2 WHEN $5 = 2 THEN NULL ELSE cancelled_at END \
         WHERE status = $6 AND id IN ({}) RETURNING id",
        crate::batch::id_list(ids.iter().copied())
    );
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(change.to.as_str())
        .bind(now)
        .bind(stamp_code(change.paid))
        .bind(change.sent.map(|s| s.as_str()).unwrap_or(""))
        .bind(stamp_code(change.cancelled))
        .bind(change.from.as_str())
        .fetch_all(conn)
        .await?)
}
