//! kippu's copy of a customer's stored cards (登録クレジットカード): what 「情報取得」 fetched from
//! the payment company, per merchant and customer. No card number is ever here, only the
//! gateway's card id, the brand, the last 4 digits and the expiry.

use crate::Result;
use kippu_domain::{CustomerId, MerchantId};
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow, serde::Serialize, PartialEq)]
pub struct StoredCardRow {
    pub id: i64,
    pub customer_id: i64,
    /// The gateway's card id.
    pub card_id: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
    pub fetched_at: i64,
}

/// A card as the gateway described it.
pub struct CardFields<'a> {
    pub card_id: &'a str,
    pub brand: &'a str,
    pub last4: &'a str,
    pub exp_month: i64,
    pub exp_year: i64,
}

const COLS: &str = "id, customer_id, card_id, brand, last4, exp_month, exp_year, fetched_at";

/// The most cards kept per customer (the gateway's own limit is the same).
pub const MAX_CARDS: i64 = 20;

/// The customer's cards (not deleted), oldest first.
pub async fn list(conn: &mut AnyConnection, m: MerchantId, customer: CustomerId) -> Result<Vec<StoredCardRow>> {
    let sql = format!(
        "SELECT {COLS} FROM stored_cards WHERE merchant_id = $1 AND customer_id = $2 AND deleted_at IS NULL ORDER BY id LIMIT {MAX_CARDS}"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(customer.0)
        .fetch_all(conn)
        .await?)
}

/// The customer's card with the gateway's `card_id`; another customer's card is `None`.
pub async fn get(conn: &mut AnyConnection, m: MerchantId, customer: CustomerId, card_id: &str) -> Result<Option<StoredCardRow>> {
    let sql =
        format!("SELECT {COLS} FROM stored_cards WHERE merchant_id = $1 AND customer_id = $2 AND card_id = $3 AND deleted_at IS NULL");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(customer.0)
        .bind(card_id)
        .fetch_optional(conn)
        .await?)
}

/// A subscription master's card: merchant `m`'s stored card row `id`, unless deleted since.
pub async fn by_row(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Option<StoredCardRow>> {
    let sql = format!("SELECT {COLS} FROM stored_cards WHERE merchant_id = $1 AND id = $2 AND deleted_at IS NULL");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The row of the gateway's `card_id` among merchant `m`'s cards (the order paying with it has
/// already been checked to be its customer's).
pub async fn row_of(conn: &mut AnyConnection, m: MerchantId, card_id: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar(
            "SELECT id FROM stored_cards WHERE merchant_id = $1 AND card_id = $2 AND deleted_at IS NULL ORDER BY id LIMIT 1",
        )
        .bind(m.0)
        .bind(card_id)
        .fetch_optional(conn)
        .await?,
    )
}

/// Writes the card as fetched: a new row, or the existing one (even a deleted one) brought up to
/// date and live again.
pub async fn upsert(conn: &mut AnyConnection, m: MerchantId, customer: CustomerId, c: &CardFields<'_>, now: i64) -> Result<()> {
    let r = sqlx::query(
        "UPDATE stored_cards SET brand = $1, last4 = $2, exp_month = $3, exp_year = $4, fetched_at = $5, deleted_at = NULL \
         WHERE merchant_id = $6 AND customer_id = $7 AND card_id = $8",
    )
    .bind(c.brand)
    .bind(c.last4)
    .bind(c.exp_month)
    .bind(c.exp_year)
    .bind(now)
    .bind(m.0)
    .bind(customer.0)
    .bind(c.card_id)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO stored_cards (merchant_id, customer_id, card_id, brand, last4, exp_month, exp_year, created_at, fetched_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(m.0)
        .bind(customer.0)
        .bind(c.card_id)
        .bind(c.brand)
        .bind(c.last4)
        .bind(c.exp_month)
        .bind(c.exp_year)
        .bind(now)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Marks the customer's card deleted; false when it was not theirs or already gone.
pub async fn delete(conn: &mut AnyConnection, m: MerchantId, customer: CustomerId, card_id: &str, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE stored_cards SET deleted_at = $1 WHERE merchant_id = $2 AND customer_id = $3 AND card_id = $4 AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(m.0)
    .bind(customer.0)
    .bind(card_id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}
