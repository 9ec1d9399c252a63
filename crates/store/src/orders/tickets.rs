//! Ticket usage and transfer.

use crate::Result;
use kippu_domain::{MerchantId, TicketId};
use sqlx::AnyConnection;

pub async fn set_usage(
    conn: &mut AnyConnection,
    ticket_id: TicketId,
    from: &str,
    to: &str,
    used_at: Option<i64>,
    by: Option<i64>,
) -> Result<bool> {
    let r = sqlx::query("UPDATE tickets SET usage = $1, used_at = $2, used_by = $3 WHERE id = $4 AND usage = $5")
        .bind(to)
        .bind(used_at)
        .bind(by)
        .bind(ticket_id.0)
        .bind(from)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// A ticket given to someone else (譲渡).
pub struct TicketTransfer<'a> {
    pub m: MerchantId,
    pub ticket_id: TicketId,
    pub from_name: &'a str,
    pub to_customer: Option<i64>,
    pub to_name: &'a str,
    /// The new holder's own link; `None` takes any earlier link back.
    pub holder_token: Option<&'a str>,
}

pub async fn transfer_ticket(conn: &mut AnyConnection, tr: &TicketTransfer<'_>, now: i64) -> Result<()> {
    let TicketTransfer {
        m,
        ticket_id,
        from_name,
        to_customer,
        to_name,
        holder_token,
    } = *tr;
    sqlx::query("UPDATE tickets SET holder_customer_id = $1, holder_name = $2, holder_token = $3 WHERE id = $4")
        .bind(to_customer)
        .bind(to_name)
        .bind(holder_token)
        .bind(ticket_id.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO ticket_transfers (merchant_id, ticket_id, from_name, to_customer_id, to_name, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(m.0)
    .bind(ticket_id.0)
    .bind(from_name)
    .bind(to_customer)
    .bind(to_name)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The ticket behind a new holder's link, with its order's status and merchant.
pub async fn ticket_by_holder_token(
    conn: &mut AnyConnection,
    token: &str,
) -> Result<Option<(super::TicketRow, kippu_domain::web_ticket::Status, MerchantId)>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE t.holder_token = $1",
        super::rows::TICKET_COLS,
        super::rows::TICKET_FROM
    );
    let Some(t): Option<super::TicketRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(token)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let (status, m): (String, i64) = sqlx::query_as("SELECT status, merchant_id FROM orders WHERE id = $1")
        .bind(t.order_id.0)
        .fetch_one(conn)
        .await?;
    let status = kippu_domain::web_ticket::Status::try_from(status).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(Some((t, status, MerchantId(m))))
}

/// Records one use of a 回数券.
pub async fn insert_use(conn: &mut AnyConnection, m: MerchantId, ticket_id: TicketId, at: i64, actor_label: &str) -> Result<()> {
    sqlx::query("INSERT INTO ticket_uses (merchant_id, ticket_id, used_at, actor_label) VALUES ($1, $2, $3, $4)")
        .bind(m.0)
        .bind(ticket_id.0)
        .bind(at)
        .bind(actor_label)
        .execute(conn)
        .await?;
    Ok(())
}

/// Undoes the last use of a 回数券; the time of the use undone, if there was one.
pub async fn delete_last_use(conn: &mut AnyConnection, ticket_id: TicketId) -> Result<Option<i64>> {
    let last: Option<(i64, i64)> = sqlx::query_as("SELECT id, used_at FROM ticket_uses WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(ticket_id.0)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((id, at)) = last else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM ticket_uses WHERE id = $1").bind(id).execute(conn).await?;
    Ok(Some(at))
}

/// The times of a 回数券's uses, oldest first, per ticket of `ticket_ids`.
pub async fn uses_of(conn: &mut AnyConnection, ticket_ids: &[TicketId]) -> Result<Vec<(i64, i64)>> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::batch::id_list(ticket_ids.iter().map(|t| t.0));
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT ticket_id, used_at FROM ticket_uses WHERE ticket_id IN ({list}) ORDER BY ticket_id, id"
    )))
    .fetch_all(conn)
    .await?)
}

/// Takes the ticket's row lock for the rest of the transaction (PostgreSQL; SQLite's writer
/// lock already serializes).
pub async fn lock_ticket(conn: &mut AnyConnection, ticket_id: TicketId) -> Result<()> {
    sqlx::query("UPDATE tickets SET usage = usage WHERE id = $1")
        .bind(ticket_id.0)
        .execute(conn)
        .await?;
    Ok(())
}
