//! `Idempotency-Key` answers of order intake.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

/// A stored answer to an `Idempotency-Key`.
#[derive(Debug, Clone, FromRow)]
pub struct IdempotentAnswer {
    pub request_hash: String,
    pub status_code: i64,
    pub response_body: String,
}

pub async fn idempotent_answer(conn: &mut AnyConnection, m: MerchantId, key: &str) -> Result<Option<IdempotentAnswer>> {
    Ok(
        sqlx::query_as("SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE merchant_id = $1 AND idem_key = $2")
            .bind(m.0)
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

/// Stores the answer; false if a concurrent request with the same key stored one first.
pub async fn store_idempotent_answer(
    conn: &mut AnyConnection,
    m: MerchantId,
    key: &str,
    hash: &str,
    status: i64,
    body: &str,
    now: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO idempotency_keys (merchant_id, idem_key, request_hash, status_code, response_body, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (merchant_id, idem_key) DO NOTHING",
    )
    .bind(m.0)
    .bind(key)
    .bind(hash)
    .bind(status)
    .bind(body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}
