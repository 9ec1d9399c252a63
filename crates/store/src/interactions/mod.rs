//! 対応履歴 of a merchant: the entries (`rows`: insert, update, one by id, the search and its
//! keyset walk for the CSV), the merchant's settings (`settings`), and the look-ups an import
//! makes (`lookup`). Every query is scoped by merchant.

pub mod lookup;
pub mod settings;

use crate::Result;
use crate::dialect::{Backend, contains_pattern};
use crate::query::{Bind, Where, bind_all};
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

/// An entry with the names a list shows: the customer's number and name, the operator's login
/// and name, the order's number.
#[derive(Debug, Clone, FromRow, serde::Serialize, PartialEq)]
pub struct InteractionRow {
    pub id: i64,
    pub customer_id: i64,
    pub customer_number: i64,
    pub customer_name: String,
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    pub user_id: Option<i64>,
    pub operator_login: Option<String>,
    pub operator_name: Option<String>,
    pub category: String,
    pub summary: String,
    pub content: String,
    pub at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str = "SELECT i.id, i.customer_id, c.customer_number, c.name AS customer_name, i.order_id, \
     o.order_number, i.user_id, u.login_id AS operator_login, u.display_name AS operator_name, i.category, \
     i.summary, i.content, i.at, i.created_at, i.updated_at \
     FROM interactions i JOIN customers c ON c.id = i.customer_id \
     LEFT JOIN orders o ON o.id = i.order_id LEFT JOIN users u ON u.id = i.user_id";

/// What one entry is made of (a new one, or an edit's new values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionFields {
    pub customer_id: i64,
    pub order_id: Option<i64>,
    pub user_id: Option<i64>,
    pub category: String,
    pub summary: String,
    pub content: String,
    pub at: i64,
}

pub async fn insert(conn: &mut AnyConnection, m: MerchantId, f: &InteractionFields, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO interactions (merchant_id, customer_id, order_id, user_id, category, summary, content, at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(m.0)
    .bind(f.customer_id)
    .bind(f.order_id)
    .bind(f.user_id)
    .bind(&f.category)
    .bind(&f.summary)
    .bind(&f.content)
    .bind(f.at)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Rewrites an entry's category, summary, content, time and order (its customer and operator stay).
pub async fn update(conn: &mut AnyConnection, m: MerchantId, id: i64, f: &InteractionFields, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE interactions SET category = $1, summary = $2, content = $3, at = $4, order_id = $5, updated_at = $6 \
         WHERE merchant_id = $7 AND id = $8",
    )
    .bind(&f.category)
    .bind(&f.summary)
    .bind(&f.content)
    .bind(f.at)
    .bind(f.order_id)
    .bind(now)
    .bind(m.0)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn get(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Option<InteractionRow>> {
    let sql = format!("{SELECT} WHERE i.merchant_id = $1 AND i.id = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// A search of 対応履歴: each field optional. `from`/`to` are instants (ms, `to` exclusive).
#[derive(Debug, Clone, Default)]
pub struct InteractionFilter {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub user_id: Option<i64>,
    pub category: Option<String>,
    pub summary: Option<String>,
    pub customer_id: Option<i64>,
    pub text: Option<String>,
}

fn where_of(backend: Backend, m: MerchantId, f: &InteractionFilter) -> Where {
    let mut w = Where {
        conds: Vec::new(),
        binds: Vec::new(),
    };
    w.add("i.merchant_id = ?", Bind::I(m.0));
    if let Some(v) = f.from {
        w.add("i.at >= ?", Bind::I(v));
    }
    if let Some(v) = f.to {
        w.add("i.at < ?", Bind::I(v));
    }
    if let Some(v) = f.user_id {
        w.add("i.user_id = ?", Bind::I(v));
    }
    if let Some(v) = &f.category {
        w.add("i.category = ?", Bind::S(v.clone()));
    }
    if let Some(v) = &f.summary {
        w.add("i.summary = ?", Bind::S(v.clone()));
    }
    if let Some(v) = f.customer_id {
        w.add("i.customer_id = ?", Bind::I(v));
    }
    if let Some(v) = &f.text {
        let like = backend.ilike();
        w.add(&format!("i.content {like} ? ESCAPE '\\'"), Bind::S(contains_pattern(v)));
    }
    w
}

/// One page of the search, newest first.
pub async fn search(
    conn: &mut AnyConnection,
    m: MerchantId,
    f: &InteractionFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<InteractionRow>> {
    let w = where_of(Backend::of(conn), m, f);
    let n = w.binds.len();
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY i.at DESC, i.id DESC LIMIT ${} OFFSET ${}",
        w.conds.join(" AND "),
        n + 1,
        n + 2
    );
    let q = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds);
    Ok(q.bind(limit).bind(offset).fetch_all(conn).await?)
}

/// How many entries the search finds, counted up to `cap` (a page says 「10,000件以上」 beyond).
pub async fn count(conn: &mut AnyConnection, m: MerchantId, f: &InteractionFilter, cap: i64) -> Result<i64> {
    let w = where_of(Backend::of(conn), m, f);
    let n = w.binds.len();
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT i.id FROM interactions i WHERE {} LIMIT ${}) t",
        w.conds.join(" AND "),
        n + 1
    );
    let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
    for b in w.binds {
        q = match b {
            Bind::I(i) => q.bind(i),
            Bind::S(s) => q.bind(s),
        };
    }
    Ok(q.bind(cap).fetch_one(conn).await?)
}

/// The search's entries with an id above `after`, by id: the CSV reads the whole search a chunk
/// at a time.
pub async fn after(conn: &mut AnyConnection, m: MerchantId, f: &InteractionFilter, after: i64, limit: i64) -> Result<Vec<InteractionRow>> {
    let mut w = where_of(Backend::of(conn), m, f);
    w.add("i.id > ?", Bind::I(after));
    let n = w.binds.len();
    let sql = format!("{SELECT} WHERE {} ORDER BY i.id LIMIT ${}", w.conds.join(" AND "), n + 1);
    let q = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds);
    Ok(q.bind(limit).fetch_all(conn).await?)
}
