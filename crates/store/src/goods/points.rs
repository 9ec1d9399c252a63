//! ポイント: the points each order earned — a goods order's (付与, pending until activated)
//! and a pay-at-venue ticket's (issued usable by the online slip) — pending (有効待ち), usable
//! (有効) or cancelled with their order. Every move of usable points is a ledger entry.

use crate::Result;
use kippu_domain::MerchantId;
use kippu_domain::catalog::OrderKind;
use kippu_domain::goods::PointStatus;
use kippu_domain::goods::ledger::{LedgerSource, Overdrawn};
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct PointRow {
    pub id: i64,
    pub order_number: String,
    /// The order's kind: its page (出荷 or ウェブチケット) differs by kind.
    #[sqlx(try_from = "String")]
    pub order_kind: OrderKind,
    pub customer_id: Option<i64>,
    pub customer_name: String,
    pub points: i64,
    #[sqlx(try_from = "String")]
    pub status: PointStatus,
    #[sqlx(try_from = "String")]
    pub source: LedgerSource,
    pub activated_at: Option<i64>,
    pub created_at: i64,
}

const POINT_COLS: &str = "p.id, o.order_number, o.kind AS order_kind, p.customer_id, o.customer_name, p.points, p.status, p.source, \
    p.activated_at, p.created_at";

/// The merchant's order points in one state, newest first (at most `limit`), and how many.
pub async fn points_in(conn: &mut AnyConnection, m: MerchantId, status: PointStatus, limit: i64) -> Result<(Vec<PointRow>, i64)> {
    let sql = format!(
        "SELECT {POINT_COLS} \
         FROM points p JOIN orders o ON o.id = p.order_id WHERE p.merchant_id = $1 AND p.status = $2 \
         ORDER BY p.created_at DESC, p.id DESC LIMIT {limit}"
    );
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(status.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM points WHERE merchant_id = $1 AND status = $2")
        .bind(m.0)
        .bind(status.as_str())
        .fetch_one(conn)
        .await?;
    Ok((rows, count))
}

/// The points order `order_id` earned (one row, or none when it earned none).
pub async fn points_of_order(conn: &mut AnyConnection, order_id: kippu_domain::OrderId) -> Result<Vec<PointRow>> {
    let sql = format!("SELECT {POINT_COLS} FROM points p JOIN orders o ON o.id = p.order_id WHERE p.order_id = $1 ORDER BY p.id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(order_id.0).fetch_all(conn).await?)
}

/// Moves the merchant's points `ids` to `to` from the other state (有効 sets the time, 有効取消
/// clears it) and posts the customers' ledger entries; how many moved, or the overdraft that
/// refuses the whole move (the caller rolls back). Another merchant's ids, or points already
/// in `to`, are left alone.
pub async fn move_points(
    conn: &mut AnyConnection,
    m: MerchantId,
    ids: &[i64],
    to: PointStatus,
    actor_label: &str,
    now: i64,
) -> Result<std::result::Result<u64, kippu_domain::goods::ledger::Overdrawn>> {
    use super::ledger::{Moved, post};
    use kippu_domain::goods::ledger::LedgerReason;
    if ids.is_empty() {
        return Ok(Ok(0));
    }
    let from = match to {
        PointStatus::Active => PointStatus::Pending,
        PointStatus::Pending => PointStatus::Active,
        PointStatus::Cancelled => {
            return Err(crate::StoreError::Invariant(
                "points are cancelled with their order (cancel_points_of), never moved there".into(),
            ));
        }
    };
    let list = crate::batch::id_list(ids.iter().copied());
    // $2 is bound either way: PostgreSQL refuses a parameter the statement does not use.
    let sql = format!(
        "UPDATE points SET status = $1, activated_at = CASE WHEN $1 = 'active' THEN $2 ELSE NULL END WHERE merchant_id = $3 AND status = $4 AND id IN ({list}) \
         RETURNING merchant_id, customer_id, order_id, points, source"
    );
    let moved: Vec<Moved> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(to.as_str())
        .bind(now)
        .bind(m.0)
        .bind(from.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let (sign, reason) = if to == PointStatus::Active {
        (1, LedgerReason::Earned)
    } else {
        (-1, LedgerReason::Revoked)
    };
    let entries: Vec<_> = moved.iter().filter_map(|p| p.entry(sign, reason, actor_label)).collect();
    Ok(post(conn, &entries, now).await?.map(|()| moved.len() as u64))
}

/// The points of a cancelled order: usable ones come off the customer's balance (a ledger
/// entry), pending ones are simply cancelled; the overdraft refuses the whole cancellation.
pub async fn cancel_points_of(
    conn: &mut AnyConnection,
    order_id: kippu_domain::OrderId,
    actor_label: &str,
    now: i64,
) -> Result<std::result::Result<(), kippu_domain::goods::ledger::Overdrawn>> {
    use super::ledger::{Moved, post};
    use kippu_domain::goods::ledger::LedgerReason;
    let active: Vec<Moved> = sqlx::query_as(
        "UPDATE points SET status = 'cancelled', activated_at = NULL WHERE order_id = $1 AND status = 'active' \
         RETURNING merchant_id, customer_id, order_id, points, source",
    )
    .bind(order_id.0)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query("UPDATE points SET status = 'cancelled' WHERE order_id = $1 AND status = 'pending'")
        .bind(order_id.0)
        .execute(&mut *conn)
        .await?;
    let entries: Vec<_> = active
        .iter()
        .filter_map(|p| p.entry(-1, LedgerReason::Cancelled, actor_label))
        .collect();
    post(conn, &entries, now).await
}

/// The points of one customer of merchant `m` (every order's, newest first, at most `limit`).
pub async fn points_of_customer(conn: &mut AnyConnection, m: MerchantId, customer: i64, limit: i64) -> Result<Vec<PointRow>> {
    let sql = format!(
        "SELECT {POINT_COLS} FROM points p JOIN orders o ON o.id = p.order_id \
         WHERE p.merchant_id = $1 AND p.customer_id = $2 ORDER BY p.created_at DESC, p.id DESC LIMIT {limit}"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(customer)
        .fetch_all(conn)
        .await?)
}

/// The merchant's points among `ids` as the activation rule reads them: the points row, its
/// order's id and, for a ticket paid at the venue, the order's status. Another merchant's ids
/// are not returned.
#[derive(Debug, Clone, FromRow)]
pub struct PointTarget {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub order_id: kippu_domain::OrderId,
    pub order_number: String,
    #[sqlx(try_from = "String")]
    pub order_kind: OrderKind,
    #[sqlx(try_from = "String")]
    pub status: PointStatus,
    #[sqlx(flatten, try_from = "crate::columns::TicketStatusColumn")]
    pub ticket_status: Option<kippu_domain::web_ticket::Status>,
}

pub async fn point_targets(conn: &mut AnyConnection, m: MerchantId, ids: &[i64]) -> Result<Vec<PointTarget>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::batch::id_list(ids.iter().copied());
    let sql = format!(
        "SELECT p.id, p.order_id, o.order_number, o.kind AS order_kind, p.status, \
         CASE WHEN o.kind = 'goods' THEN NULL ELSE o.status END AS ticket_status \
         FROM points p JOIN orders o ON o.id = p.order_id WHERE p.merchant_id = $1 AND p.id IN ({list}) ORDER BY p.id"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(m.0).fetch_all(conn).await?)
}

/// Points issued usable at once (the online slip's 【暗証番号を入れてポイント発行】).
#[derive(Debug, Clone)]
pub struct Issue<'a> {
    pub merchant: MerchantId,
    /// An order without a customer keeps its points row (there is no ledger to post to).
    pub customer_id: Option<i64>,
    pub order_id: kippu_domain::OrderId,
    pub points: i64,
    pub source: LedgerSource,
    pub actor_label: &'a str,
    pub at: i64,
}

/// Writes issued points: a points row, usable, and the customer's ledger entry.
pub async fn issue_points(conn: &mut AnyConnection, i: &Issue<'_>) -> Result<std::result::Result<(), Overdrawn>> {
    use super::ledger::{Moved, post};
    use kippu_domain::goods::ledger::LedgerReason;
    sqlx::query(
        "INSERT INTO points (merchant_id, customer_id, order_id, points, status, source, activated_at, created_at) \
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $6)",
    )
    .bind(i.merchant.0)
    .bind(i.customer_id)
    .bind(i.order_id.0)
    .bind(i.points)
    .bind(i.source.as_str())
    .bind(i.at)
    .execute(&mut *conn)
    .await?;
    let issued = Moved {
        merchant_id: i.merchant.0,
        customer_id: i.customer_id,
        order_id: Some(i.order_id.0),
        points: i.points,
        source: i.source,
    };
    let entries: Vec<_> = issued.entry(1, LedgerReason::Earned, i.actor_label).into_iter().collect();
    post(conn, &entries, i.at).await
}
