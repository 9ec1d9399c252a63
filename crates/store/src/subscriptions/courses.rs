//! 頒布会: a merchant's courses, each an ordered list of products (one per delivery).

use crate::{Result, StoreError};
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct CourseRow {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct CourseStep {
    pub position: i64,
    pub product_id: i64,
    pub product_code: String,
    pub product_name: String,
    pub archived: i64,
}

/// A new course with its products in order; its id. A code already used is a conflict.
pub async fn insert(conn: &mut AnyConnection, m: MerchantId, code: &str, name: &str, products: &[i64], now: i64) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO courses (merchant_id, code, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(m.0)
    .bind(code)
    .bind(name)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| StoreError::conflict_on_unique(e, "course", format!("頒布会コード {code}")))?;
    for (i, p) in products.iter().enumerate() {
        sqlx::query("INSERT INTO course_items (course_id, merchant_id, position, product_id) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(m.0)
            .bind(i as i64 + 1)
            .bind(*p)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// Merchant `m`'s courses by code (bounded: a merchant defines a handful).
pub async fn list(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<CourseRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name FROM courses WHERE merchant_id = $1 ORDER BY code LIMIT 500")
            .bind(m.0)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn by_code(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<Option<CourseRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name FROM courses WHERE merchant_id = $1 AND code = $2")
            .bind(m.0)
            .bind(code)
            .fetch_optional(conn)
            .await?,
    )
}

/// A course's products in delivery order.
pub async fn steps(conn: &mut AnyConnection, m: MerchantId, course_id: i64) -> Result<Vec<CourseStep>> {
    Ok(sqlx::query_as(
        "SELECT ci.position, ci.product_id, p.code AS product_code, p.name AS product_name, p.archived \
         FROM course_items ci JOIN products p ON p.id = ci.product_id \
         WHERE ci.course_id = $1 AND ci.merchant_id = $2 ORDER BY ci.position",
    )
    .bind(course_id)
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}
