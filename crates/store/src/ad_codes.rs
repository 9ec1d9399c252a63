//! AD codes (媒体) of a merchant.

use crate::{Result, StoreError};
use kippu_domain::MerchantId;
use kippu_domain::adcode::AdCodeFields;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow, serde::Serialize, PartialEq)]
pub struct AdCodeRow {
    pub id: i64,
    pub merchant_id: i64,
    pub code: String,
    pub name: String,
    pub valid_from: String,
    pub valid_to: String,
    pub enabled: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, merchant_id, code, name, valid_from, valid_to, enabled, created_at, updated_at";

fn conflict(e: sqlx::Error, code: &str) -> StoreError {
    StoreError::conflict_on_unique(e, "ad code", format!("ADコード {code}"))
}

pub async fn insert(conn: &mut AnyConnection, m: MerchantId, f: &AdCodeFields, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO ad_codes (merchant_id, code, name, valid_from, valid_to, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(m.0)
    .bind(&f.code)
    .bind(&f.name)
    .bind(&f.valid_from)
    .bind(&f.valid_to)
    .bind(f.enabled as i64)
    .bind(now)
    .fetch_one(conn)
    .await
    .map_err(|e| conflict(e, &f.code))
}

pub async fn update(conn: &mut AnyConnection, m: MerchantId, id: i64, f: &AdCodeFields, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE ad_codes SET code = $1, name = $2, valid_from = $3, valid_to = $4, enabled = $5, updated_at = $6 \
         WHERE merchant_id = $7 AND id = $8",
    )
    .bind(&f.code)
    .bind(&f.name)
    .bind(&f.valid_from)
    .bind(&f.valid_to)
    .bind(f.enabled as i64)
    .bind(now)
    .bind(m.0)
    .bind(id)
    .execute(conn)
    .await
    .map_err(|e| conflict(e, &f.code))?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_enabled(conn: &mut AnyConnection, m: MerchantId, id: i64, on: bool, now: i64) -> Result<bool> {
    let r = sqlx::query("UPDATE ad_codes SET enabled = $1, updated_at = $2 WHERE merchant_id = $3 AND id = $4")
        .bind(on as i64)
        .bind(now)
        .bind(m.0)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn get(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Option<AdCodeRow>> {
    let sql = format!("SELECT {COLS} FROM ad_codes WHERE merchant_id = $1 AND id = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn by_code(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<Option<AdCodeRow>> {
    let sql = format!("SELECT {COLS} FROM ad_codes WHERE merchant_id = $1 AND code = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(code)
        .fetch_optional(conn)
        .await?)
}

/// One page of `m`'s AD codes by code.
pub async fn list(conn: &mut AnyConnection, m: MerchantId, limit: i64, offset: i64) -> Result<Vec<AdCodeRow>> {
    let sql = format!("SELECT {COLS} FROM ad_codes WHERE merchant_id = $1 ORDER BY code LIMIT $2 OFFSET $3");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?)
}

pub async fn count(conn: &mut AnyConnection, m: MerchantId) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM ad_codes WHERE merchant_id = $1")
        .bind(m.0)
        .fetch_one(conn)
        .await?)
}
