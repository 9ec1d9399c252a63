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
