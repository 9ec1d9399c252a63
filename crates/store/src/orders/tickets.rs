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

pub async fn transfer_ticket(
    conn: &mut AnyConnection,
    m: MerchantId,
    ticket_id: TicketId,
    from_name: &str,
    to_customer: Option<i64>,
    to_name: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE tickets SET holder_customer_id = $1, holder_name = $2 WHERE id = $3")
        .bind(to_customer)
        .bind(to_name)
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
