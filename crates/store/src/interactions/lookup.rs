//! What an import line names, found among the merchant's own rows only: a customer by number, an
//! operator by login ID, an order by number. Another merchant's is simply not found.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

pub async fn customer_by_number(conn: &mut AnyConnection, m: MerchantId, number: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM customers WHERE merchant_id = $1 AND customer_number = $2")
            .bind(m.0)
            .bind(number)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn customer_exists(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE merchant_id = $1 AND id = $2")
        .bind(m.0)
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(n == 1)
}

pub async fn user_by_login(conn: &mut AnyConnection, m: MerchantId, login: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM users WHERE merchant_id = $1 AND login_id = $2")
        .bind(m.0)
        .bind(login)
        .fetch_optional(conn)
        .await?)
}

/// An order of the merchant by number: its id and customer.
pub async fn order_by_number(conn: &mut AnyConnection, m: MerchantId, number: &str) -> Result<Option<(i64, Option<i64>)>> {
    Ok(
        sqlx::query_as("SELECT id, customer_id FROM orders WHERE merchant_id = $1 AND order_number = $2")
            .bind(m.0)
            .bind(number)
            .fetch_optional(conn)
            .await?,
    )
}

/// An operator of the 対応者一覧 download.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct OperatorRow {
    pub id: i64,
    pub login_id: String,
    pub display_name: String,
}

/// The merchant's users by login ID, at most `limit`.
pub async fn operators(conn: &mut AnyConnection, m: MerchantId, limit: i64) -> Result<Vec<OperatorRow>> {
    Ok(
        sqlx::query_as("SELECT id, login_id, display_name FROM users WHERE merchant_id = $1 ORDER BY login_id LIMIT $2")
            .bind(m.0)
            .bind(limit)
            .fetch_all(conn)
            .await?,
    )
}
