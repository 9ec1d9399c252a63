//! The order list's search: one WHERE clause for the page, the count and the export.

use super::rows::{ORDER_COLS, ORDER_FROM, OrderRow};
use crate::Result;
use crate::dialect::{Backend, contains_pattern};
use crate::query::{Bind, Where, bind_all};
use kippu_domain::MerchantId;
use kippu_domain::catalog::TicketType;
use kippu_domain::order::{OrderType, PaymentMethod};
use kippu_domain::web_ticket::{Status, Usage};
use sqlx::AnyConnection;

/// The search of the order list (§4.3). Every field is optional; text fields match parts.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub merchant: Option<MerchantId>,
    /// The kinds of order searched; none means web tickets (the ウェブチケット list's own).
    pub kinds: Vec<kippu_domain::catalog::OrderKind>,
    /// Only this sales channel's orders (what an OTA's token reads).
    pub channel: Option<i64>,
    pub order_number: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub name: Option<String>,
    /// One box for name, furigana, phone or email (the API's `q`).
    pub q: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub payment_method: Option<PaymentMethod>,
    pub status: Option<Status>,
    pub usage: Option<Usage>,
    pub ticket_type: Option<TicketType>,
    pub order_type: Option<OrderType>,
    pub product_code: Option<String>,
    pub holder: Option<String>,
    /// Card authorizations made at or before this time (ms): expiring soon, or expired.
    pub authorized_by: Option<i64>,
    /// Only orders whose buyer wrote last (a message without the merchant's answer after it).
    pub unanswered: bool,
}

/// Builds the WHERE clause of a filter with numbered parameters.
pub(super) fn where_clause(f: &OrderFilter, backend: Backend) -> (String, Vec<Bind>) {
    let like = backend.ilike();
    // Kinds are codes of our own enum, never typed text: written into the SQL as literals.
    let kinds = if f.kinds.is_empty() {
        "'web_ticket'".to_string()
    } else {
        f.kinds.iter().map(|k| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(", ")
    };
    let mut w = Where {
        conds: vec![format!("o.kind IN ({kinds})")],
        binds: Vec::new(),
    };
    if let Some(m) = f.merchant {
        w.add("o.merchant_id = ?", Bind::I(m.0));
    }
    if let Some(c) = f.channel {
        w.add("o.channel_id = ?", Bind::I(c));
    }
    if let Some(v) = &f.order_number {
        w.add("o.order_number = ?", Bind::S(v.clone()));
    }
    if let Some(v) = f.from_ms {
        w.add("o.ordered_at >= ?", Bind::I(v));
    }
    if let Some(v) = f.to_ms {
        w.add("o.ordered_at < ?", Bind::I(v));
    }
    if let Some(v) = &f.name {
        w.name_or_kana(like, v);
    }
    if let Some(v) = &f.q {
        w.anything(like, v);
    }
    if let Some(v) = &f.email {
        w.add(&format!("o.customer_email {like} ? ESCAPE '\\'"), Bind::S(contains_pattern(v)));
    }
    if let Some(v) = &f.phone {
        w.phone(v);
    }
    if let Some(v) = &f.payment_method {
        w.add("o.payment_method = ?", Bind::S(v.as_str().into()));
    }
    if let Some(v) = &f.status {
        w.add("o.status = ?", Bind::S(v.as_str().into()));
    }
    if let Some(v) = &f.order_type {
        w.add("o.order_type = ?", Bind::S(v.as_str().into()));
    }
    if let Some(v) = &f.usage {
        w.add(
            "EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = o.id AND t.usage = ?)",
            Bind::S(v.as_str().into()),
        );
    }
    if let Some(v) = &f.holder {
        w.add(
            &format!("EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = o.id AND t.holder_name {like} ? ESCAPE '\\')"),
            Bind::S(contains_pattern(v)),
        );
    }
    if let Some(v) = &f.product_code {
        w.add(
            "EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.product_code = ?)",
            Bind::S(v.clone()),
        );
    }
    if let Some(v) = &f.ticket_type {
        w.add(
            "EXISTS (SELECT 1 FROM order_lines l JOIN products pr ON pr.id = l.product_id WHERE l.order_id = o.id AND pr.ticket_type = ?)",
            Bind::S(v.as_str().into()),
        );
    }
    if let Some(v) = f.authorized_by {
        // An authorization is made when the order is, never before it: bounding ordered_at too
        // (true of every match) lets the (merchant, status, ordered_at) index skip newer orders.
        w.add("o.ordered_at <= ?", Bind::I(v));
        w.add(
            "EXISTS (SELECT 1 FROM payments pa WHERE pa.order_id = o.id AND pa.authorized_at <= ?)",
            Bind::I(v),
        );
    }
    if f.unanswered {
        use kippu_domain::order::MessageSender;
        w.conds.push(format!(
            "o.id IN (SELECT th.order_id FROM message_threads th JOIN messages m ON m.thread_id = th.id \
             WHERE m.sender = '{}' AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.thread_id = th.id AND r.id > m.id AND r.sender = '{}'))",
            MessageSender::Buyer.as_str(),
            MessageSender::Merchant.as_str()
        ));
    }
    (w.conds.join(" AND "), w.binds)
}

/// Continues a newest-first walk after (ordered_at, id) with a row-value comparison: both
/// databases turn it into one index range scan.
pub(super) fn keyset_after(w: &mut String, binds: &mut Vec<Bind>, after: Option<(i64, i64)>) {
    if let Some((at, id)) = after {
        binds.push(Bind::I(at));
        let a = binds.len();
        binds.push(Bind::I(id));
        let b = binds.len();
        w.push_str(&format!(" AND (o.ordered_at, o.id) < (${a}, ${b})"));
    }
}

/// An order of a search across kinds: which one, and which shape to load it in.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct OrderRef {
    #[sqlx(try_from = "i64")]
    pub id: kippu_domain::OrderId,
    #[sqlx(try_from = "String")]
    pub kind: kippu_domain::catalog::OrderKind,
}

/// One page of the search across kinds, newest first: each order's id and kind, for the
/// caller to load in its kind's own shape.
pub async fn search_refs(conn: &mut AnyConnection, backend: Backend, f: &OrderFilter, limit: i64, offset: i64) -> Result<Vec<OrderRef>> {
    let (w, binds) = where_clause(f, backend);
    let sql = format!("SELECT o.id, o.kind FROM orders o WHERE {w} ORDER BY o.ordered_at DESC, o.id DESC LIMIT {limit} OFFSET {offset}");
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_all(conn).await?)
}

/// Web-ticket and reservation orders by id (any order), for a page of [`search_refs`].
pub async fn orders_by_ids(conn: &mut AnyConnection, ids: &[kippu_domain::OrderId]) -> Result<Vec<OrderRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::batch::id_list(ids.iter().map(|i| i.0));
    let sql = format!("SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE o.id IN ({list}) AND o.kind IN ('web_ticket', 'reservation')");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await?)
}

/// One page of the search, newest first.
pub async fn search(conn: &mut AnyConnection, backend: Backend, f: &OrderFilter, limit: i64, offset: i64) -> Result<Vec<OrderRow>> {
    let (w, binds) = where_clause(f, backend);
    let sql =
        format!("SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE {w} ORDER BY o.ordered_at DESC, o.id DESC LIMIT {limit} OFFSET {offset}");
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_all(conn).await?)
}

/// The next `limit` orders of the search after `after` (ordered_at, id), newest first: keyset
/// paging, so an export of a million orders never re-reads what it already wrote.
pub async fn search_after(
    conn: &mut AnyConnection,
    backend: Backend,
    f: &OrderFilter,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<OrderRow>> {
    let (mut w, mut binds) = where_clause(f, backend);
    keyset_after(&mut w, &mut binds, after);
    let sql = format!("SELECT {ORDER_COLS} FROM {ORDER_FROM} WHERE {w} ORDER BY o.ordered_at DESC, o.id DESC LIMIT {limit}");
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_all(conn).await?)
}

/// Counts matches up to `cap` (a list over a million orders shows "10,000件以上" rather than
/// spending a second counting exactly).
pub async fn count_capped(conn: &mut AnyConnection, backend: Backend, f: &OrderFilter, cap: i64) -> Result<i64> {
    let (w, binds) = where_clause(f, backend);
    let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM orders o WHERE {w} LIMIT {cap}) capped");
    let row: (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_one(conn).await?;
    Ok(row.0)
}

pub async fn count(conn: &mut AnyConnection, backend: Backend, f: &OrderFilter) -> Result<i64> {
    let (w, binds) = where_clause(f, backend);
    let sql = format!("SELECT COUNT(*) FROM orders o WHERE {w}");
    let row: (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_one(conn).await?;
    Ok(row.0)
}
