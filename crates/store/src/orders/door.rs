//! Reservations at the door: the e-ticket look-up, redemption, and the no-show sweep. The door's outcome is written on the ticket and on the order in one place, here.

use crate::Result;
use crate::dialect::Backend;
use kippu_domain::order::PaymentMethod;
use kippu_domain::reservation::TicketState;
use kippu_domain::web_ticket::Status;
use kippu_domain::{MerchantId, OrderId, TicketId};
use sqlx::{AnyConnection, FromRow};

/// A reservation's e-ticket as the door sees it.
#[derive(Debug, Clone, FromRow)]
pub struct DoorTicket {
    #[sqlx(try_from = "i64")]
    pub ticket_id: TicketId,
    #[sqlx(try_from = "i64")]
    pub order_id: OrderId,
    pub order_number: String,
    /// The channel it was booked through: an OTA's token redeems only its own channel's.
    pub channel_id: Option<i64>,
    pub ticket_number: String,
    #[sqlx(try_from = "String")]
    pub order_status: Status,
    #[sqlx(try_from = "String")]
    pub payment_method: PaymentMethod,
    #[sqlx(try_from = "String")]
    pub ticket_status: TicketState,
    pub visit_date: Option<String>,
    pub time_slot: Option<String>,
    pub party_size: Option<i64>,
    /// What the booking costs (the amount a 現地払い guest pays at the door).
    pub amount: i64,
    pub holder_name: String,
    pub product_name: String,
    pub redeemed_at: Option<i64>,
    pub redeemed_by_label: Option<String>,
    /// The stock row the booking took its seats from, and what is left of it today: extra
    /// people at the door are seated only from what is left.
    pub stock_id: Option<i64>,
    pub day_remaining: Option<i64>,
}

/// The merchant's reservation ticket with this 6-digit ID (the open one first) or QR code.
pub async fn door_ticket(conn: &mut AnyConnection, m: MerchantId, code: &str, by_eticket_id: bool) -> Result<Option<DoorTicket>> {
    let cond = if by_eticket_id { "t.eticket_id = $2" } else { "t.code = $2" };
    let sql = format!(
        "SELECT t.id AS ticket_id, o.id AS order_id, o.order_number, o.channel_id, t.ticket_number, o.status AS order_status, o.payment_method, t.status AS ticket_status, \
         o.visit_date, o.time_slot, o.party_size, o.amount, t.holder_name, l.product_name, t.redeemed_at, \
         t.redeemed_by_label, l.stock_id, s.remaining AS day_remaining \
         FROM tickets t JOIN orders o ON o.id = t.order_id JOIN order_lines l ON l.id = t.order_line_id LEFT JOIN stock s ON s.id = l.stock_id \
         WHERE t.merchant_id = $1 AND o.kind = 'reservation' AND {cond} \
         ORDER BY CASE WHEN o.status <> 'cancelled' AND t.redeemed_at IS NULL AND t.status = 'active' THEN 0 ELSE 1 END, t.id DESC LIMIT 1"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(code)
        .fetch_optional(conn)
        .await?)
}

/// Marks a reservation redeemed if nobody did first; false when it was already redeemed.
pub async fn redeem(
    conn: &mut AnyConnection,
    (order_id, ticket_id): (OrderId, TicketId),
    party_size: i64,
    note: &str,
    by: Option<i64>,
    by_label: &str,
    now: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE tickets SET redeemed_at = $1, redeemed_by = $2, party_size_actual = $3, redemption_note = $4, usage = 'used', used_at = $1, \
         redeemed_by_label = $6 WHERE id = $5 AND redeemed_at IS NULL AND status = 'active'",
    )
    .bind(now)
    .bind(by)
    .bind(party_size)
    .bind(note)
    .bind(ticket_id.0)
    .bind(by_label)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE orders SET door_state = 'redeemed', party_size_came = $1 WHERE id = $2")
        .bind(party_size)
        .bind(order_id.0)
        .execute(conn)
        .await?;
    Ok(true)
}

/// The next `limit` reservation orders after `after` (visit date, id; start with the first
/// visit date to look at and 0) whose visit date is before `today` and that are not cancelled: the candidates of the no-show sweep. Keyset-paged
/// along the index (kind, visit_date, id), so a sweep over a million bookings reads each once
/// and sorts nothing.
pub async fn no_show_candidates(conn: &mut AnyConnection, today: &str, after: (&str, i64), limit: i64) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT o.visit_date, o.id FROM orders o WHERE o.kind = 'reservation' AND (o.visit_date, o.id) > ($1, $2) \
         AND o.visit_date < $3 AND o.status <> 'cancelled' ORDER BY o.visit_date, o.id LIMIT {limit}"
    )))
    .bind(after.0)
    .bind(after.1)
    .bind(today)
    .fetch_all(conn)
    .await?)
}

/// After a sweep that changed many bookings, PostgreSQL's statistics still think ノーショー is
/// rare until autovacuum comes by, and plans the reservation list's "no-shows of a day" as a
/// join of the whole day before sorting (2 s at first, 50 ms with the door's state on the
/// order, instead of under a millisecond). `ANALYZE` samples, so it is cheap and
/// blocks no writer there. SQLite's planner keeps no such value statistics, and its `ANALYZE`
/// reads whole indexes while holding the single writer, so it is not run there.
pub async fn refresh_door_statistics(conn: &mut AnyConnection, backend: Backend) -> Result<()> {
    for sql in backend.refresh_statistics(&["tickets", "orders"]) {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Turns the open e-tickets of these reservation orders into no-shows, with their history rows.
/// The UPDATE's guard (still active, not redeemed) decides, and only the tickets it changed get
/// a history row, so a redemption racing the sweep wins or loses cleanly and a second run
/// changes nothing. Returns the tickets changed.
pub async fn mark_no_shows(conn: &mut AnyConnection, order_ids: &[i64], now: i64) -> Result<u64> {
    if order_ids.is_empty() {
        return Ok(0);
    }
    // Integers only: safe to inline, and no bind-parameter limit to mind.
    let list = crate::batch::id_list(order_ids.iter().copied());
    let swept: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE tickets SET status = 'no_show' WHERE order_id IN ({list}) AND status = 'active' AND redeemed_at IS NULL RETURNING id, order_id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    if swept.is_empty() {
        return Ok(0);
    }
    let orders = crate::batch::id_list(swept.iter().map(|(_, o)| *o));
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE orders SET door_state = 'no_show' WHERE id IN ({orders})"
    )))
    .execute(&mut *conn)
    .await?;
    let swept: Vec<i64> = swept.into_iter().map(|(t, _)| t).collect();
    // The history rows of exactly the tickets the UPDATE changed, in one set-based statement.
    let changed = crate::batch::id_list(swept.iter().copied());
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO status_history (merchant_id, order_id, ticket_id, flow, from_status, to_status, actor_label, note, at) \
         SELECT t.merchant_id, t.order_id, t.id, 'redemption', 'booked', 'no_show', 'system', 'ノーショー（来店日を過ぎても未来店）', $1 \
         FROM tickets t WHERE t.id IN ({changed})"
    )))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(swept.len() as u64)
}

/// The day of the last complete no-show sweep (`YYYY-MM-DD`), if any.
pub async fn last_no_show_sweep(conn: &mut AnyConnection) -> Result<Option<String>> {
    let key: Option<String> = sqlx::query_scalar("SELECT MAX(run_key) FROM job_runs WHERE run_key LIKE 'no_show:%'")
        .fetch_one(conn)
        .await?;
    Ok(key.and_then(|k| k.strip_prefix("no_show:").map(str::to_string)))
}
