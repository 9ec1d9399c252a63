//! 自由メモ: notes of a merchant's operators, each the author's own (`shared` 0) or every
//! operator's (`shared` 1), optionally about a customer. Every query is scoped by merchant; a
//! private note is read only with its author's id. A note written with an API token has no
//! operator (`user_id` NULL, `author_label` names the token) and is shared.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow, serde::Serialize, PartialEq)]
pub struct NoteRow {
    pub id: i64,
    /// The operator who wrote it; `None` for a note written with an API token.
    pub user_id: Option<i64>,
    /// The operator's login ID, or the token as `api:<name>`.
    pub author_login: String,
    pub shared: i64,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub body: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str = "SELECT n.id, n.user_id, COALESCE(u.login_id, n.author_label) AS author_login, n.shared, n.customer_id, \
     c.name AS customer_name, n.body, n.created_at, n.updated_at FROM free_memos n LEFT JOIN users u ON u.id = n.user_id \
     LEFT JOIN customers c ON c.id = n.customer_id";

pub struct NoteFields<'a> {
    pub shared: bool,
    pub customer_id: Option<i64>,
    pub body: &'a str,
}

/// A new note by `user` (an operator), or by the API token `label` names when `user` is `None`.
pub async fn insert(conn: &mut AnyConnection, m: MerchantId, user: Option<i64>, label: &str, f: &NoteFields<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO free_memos (merchant_id, user_id, author_label, shared, customer_id, body, created_at, updated_at, updated_by) \
         VALUES ($1, $2, $7, $3, $4, $5, $6, $6, $2) RETURNING id",
    )
    .bind(m.0)
    .bind(user)
    .bind(f.shared as i64)
    .bind(f.customer_id)
    .bind(f.body)
    .bind(now)
    .bind(label)
    .fetch_one(conn)
    .await?)
}

/// A note `user` may see: their own, or a shared one (an API token, no user: the shared ones).
pub async fn visible(conn: &mut AnyConnection, m: MerchantId, user: Option<i64>, id: i64) -> Result<Option<NoteRow>> {
    let sql = format!("{SELECT} WHERE n.merchant_id = $1 AND n.id = $2 AND (n.user_id = $3 OR n.shared = 1)");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(id)
        .bind(user)
        .fetch_optional(conn)
        .await?)
}

pub async fn update(conn: &mut AnyConnection, m: MerchantId, id: i64, user: Option<i64>, f: &NoteFields<'_>, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE free_memos SET shared = $1, customer_id = $2, body = $3, updated_at = $4, updated_by = $5 \
         WHERE merchant_id = $6 AND id = $7",
    )
    .bind(f.shared as i64)
    .bind(f.customer_id)
    .bind(f.body)
    .bind(now)
    .bind(user)
    .bind(m.0)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn delete(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<bool> {
    let r = sqlx::query("DELETE FROM free_memos WHERE merchant_id = $1 AND id = $2")
        .bind(m.0)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// The notes `user` sees (their own and the shared ones), newest first; only those about
/// `customer` when given.
pub async fn list(
    conn: &mut AnyConnection,
    m: MerchantId,
    user: Option<i64>,
    customer: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<NoteRow>> {
    let by_customer = if customer.is_some() { " AND n.customer_id = $5" } else { "" };
    let sql = format!(
        "{SELECT} WHERE n.merchant_id = $1 AND (n.user_id = $2 OR n.shared = 1){by_customer} \
         ORDER BY n.updated_at DESC, n.id DESC LIMIT $3 OFFSET $4"
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(user)
        .bind(limit)
        .bind(offset);
    if let Some(c) = customer {
        q = q.bind(c);
    }
    Ok(q.fetch_all(conn).await?)
}

pub async fn count(conn: &mut AnyConnection, m: MerchantId, user: Option<i64>, customer: Option<i64>) -> Result<i64> {
    let by_customer = if customer.is_some() { " AND customer_id = $3" } else { "" };
    let sql = format!("SELECT COUNT(*) FROM free_memos WHERE merchant_id = $1 AND (user_id = $2 OR shared = 1){by_customer}");
    let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(m.0).bind(user);
    if let Some(c) = customer {
        q = q.bind(c);
    }
    Ok(q.fetch_one(conn).await?)
}
