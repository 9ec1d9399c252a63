//! 予約一覧: the merchant's reservations by visit date, searched and paged, for the list screen,
//! its CSV and the API.

use crate::Result;
use crate::dialect::{Backend, contains_pattern};
use crate::query::{Bind, Where, bind_all};
use kippu_domain::MerchantId;
pub use kippu_domain::reservation::BookingState;
use sqlx::{AnyConnection, FromRow};

/// The SQL condition of a booking state, on the order alone.
fn condition(s: BookingState) -> &'static str {
    match s {
        BookingState::Open => "o.status <> 'cancelled' AND o.door_state = 'open'",
        BookingState::Redeemed => "o.door_state = 'redeemed'",
        BookingState::NoShow => "o.door_state = 'no_show'",
        BookingState::Cancelled => "o.status = 'cancelled'",
    }
}

/// The search of the reservation list. Dates are `YYYY-MM-DD` (visit dates, inclusive).
#[derive(Debug, Clone)]
pub struct BookingFilter {
    /// Always one merchant's list: `$1` in every condition.
    pub merchant: MerchantId,
    pub visit_from: Option<String>,
    pub visit_to: Option<String>,
    pub state: Option<BookingState>,
    pub channel: Option<String>,
    pub product_code: Option<String>,
    /// Part of the customer's name or furigana (a reservation's e-ticket carries the booker's
    /// name).
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub order_number: Option<String>,
    pub eticket_id: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct BookingRow {
    #[sqlx(try_from = "i64")]
    pub order_id: kippu_domain::OrderId,
    pub order_number: String,
    pub ordered_at: i64,
    pub visit_date: String,
    pub time_slot: Option<String>,
    pub party_size: i64,
    /// People who came (set at redemption).
    pub party_size_came: Option<i64>,
    pub customer_name: String,
    pub customer_kana: String,
    pub customer_phone: String,
    pub customer_email: String,
    pub product_name: String,
    pub product_code: String,
    pub channel_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: kippu_domain::web_ticket::Status,
    #[sqlx(try_from = "String")]
    pub payment_method: kippu_domain::order::PaymentMethod,
    pub amount: i64,
    pub eticket_id: Option<String>,
    /// Kept on the order by the door.
    #[sqlx(try_from = "String")]
    pub door_state: kippu_domain::reservation::DoorState,
    pub redeemed_at: Option<i64>,
    pub redeemed_by_label: Option<String>,
}

const FROM: &str =
    "orders o JOIN tickets t ON t.order_id = o.id JOIN order_lines l ON l.id = t.order_line_id LEFT JOIN channels c ON c.id = o.channel_id";

const COLS: &str = "o.id AS order_id, o.order_number, o.ordered_at, o.visit_date, o.time_slot, COALESCE(o.party_size, 1) AS party_size, \
    o.party_size_came, o.customer_name, o.customer_kana, o.customer_phone, o.customer_email, l.product_name, l.product_code, \
    c.name AS channel_name, o.status, o.payment_method, o.amount, t.eticket_id, o.door_state, t.redeemed_at, t.redeemed_by_label";

/// The search's conditions, on the orders alone (the door's outcome is kept on the order), so
/// the count and the day's people never join the tickets.
fn where_clause(f: &BookingFilter, backend: Backend) -> (String, Vec<Bind>) {
    let like = backend.ilike();
    let mut w = Where {
        conds: vec!["o.merchant_id = $1 AND o.kind = 'reservation'".into()],
        binds: vec![Bind::I(f.merchant.0)],
    };
    if let Some(v) = &f.visit_from {
        w.add("o.visit_date >= ?", Bind::S(v.clone()));
    }
    if let Some(v) = &f.visit_to {
        w.add("o.visit_date <= ?", Bind::S(v.clone()));
    }
    if let Some(s) = f.state {
        w.conds.push(condition(s).into());
    }
    if let Some(v) = &f.channel {
        w.add(
            "o.channel_id = (SELECT id FROM channels WHERE merchant_id = $1 AND code = ?)",
            Bind::S(v.clone()),
        );
    }
    if let Some(v) = &f.product_code {
        w.add(
            "EXISTS (SELECT 1 FROM order_lines pl WHERE pl.order_id = o.id AND pl.product_code = ?)",
            Bind::S(v.clone()),
        );
    }
    if let Some(v) = &f.name {
        w.name_or_kana(like, v);
    }
    if let Some(v) = &f.phone {
        w.phone(v);
    }
    if let Some(v) = &f.email {
        w.add(&format!("o.customer_email {like} ? ESCAPE '\\'"), Bind::S(contains_pattern(v)));
    }
    if let Some(v) = &f.order_number {
        w.add("o.order_number = ?", Bind::S(v.clone()));
    }
    if let Some(v) = &f.eticket_id {
        // Through the tickets' (merchant, e-ticket ID) index, not a walk over the bookings.
        w.add(
            "o.id IN (SELECT order_id FROM tickets WHERE merchant_id = $1 AND eticket_id = ?)",
            Bind::S(v.clone()),
        );
    }
    (w.conds.join(" AND "), w.binds)
}

/// Where the next page of an export starts: after this (visit date, slot, order id).
pub type BookingKey = (String, String, i64);

impl BookingRow {
    pub fn key(&self) -> BookingKey {
        (self.visit_date.clone(), self.time_slot.clone().unwrap_or_default(), self.order_id.0)
    }
}

/// One page of the search in visit order (date, slot, order), from `after` (exclusive) when
/// given: keyset paging along the index (merchant, kind, visit date, id), so an export walks a
/// million bookings without re-reading any.
pub async fn search(
    conn: &mut AnyConnection,
    backend: Backend,
    f: &BookingFilter,
    after: Option<&BookingKey>,
    limit: i64,
    offset: i64,
) -> Result<Vec<BookingRow>> {
    let (mut w, mut binds) = where_clause(f, backend);
    if let Some((date, slot, id)) = after {
        binds.push(Bind::S(date.clone()));
        let a = binds.len();
        binds.push(Bind::S(slot.clone()));
        let b = binds.len();
        binds.push(Bind::I(*id));
        let c = binds.len();
        w.push_str(&format!(
            " AND (o.visit_date, COALESCE(o.time_slot, ''), o.id) > (${a}, ${b}, ${c})"
        ));
    }
    let sql =
        format!("SELECT {COLS} FROM {FROM} WHERE {w} ORDER BY o.visit_date, COALESCE(o.time_slot, ''), o.id LIMIT {limit} OFFSET {offset}");
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_all(conn).await?)
}

/// Counts matches up to `cap`.
pub async fn count_capped(conn: &mut AnyConnection, backend: Backend, f: &BookingFilter, cap: i64) -> Result<i64> {
    let (w, binds) = where_clause(f, backend);
    let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM orders o WHERE {w} LIMIT {cap}) capped");
    let row: (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_one(conn).await?;
    Ok(row.0)
}

/// People booked (cancelled bookings left out) and people who came, over the search: the
/// day's figures at the top of the list.
pub async fn people(conn: &mut AnyConnection, backend: Backend, f: &BookingFilter) -> Result<(i64, i64)> {
    let (w, binds) = where_clause(f, backend);
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN o.status <> 'cancelled' THEN COALESCE(o.party_size, 1) ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(COALESCE(o.party_size_came, 0)), 0) AS BIGINT) FROM orders o WHERE {w}"
    );
    let row: (i64, i64) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_one(conn).await?;
    Ok(row)
}
