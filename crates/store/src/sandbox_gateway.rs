//! NOT kippu's data: the sandbox gateway's own card store, standing in for the payment
//! company's database (`sandbox_gateway_cards`). Only `kippu_app::gateway::SandboxGateway` uses
//! these functions; kippu's copy of a customer's cards is [`crate::cards`].

use crate::Result;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct SandboxCardRow {
    pub card_id: String,
    pub customer_ref: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
    pub decline_on_charge: i64,
}

pub struct NewSandboxCard<'a> {
    pub card_id: &'a str,
    pub customer_ref: &'a str,
    pub token: &'a str,
    pub brand: &'a str,
    pub last4: &'a str,
    pub exp_month: i64,
    pub exp_year: i64,
    pub decline_on_charge: bool,
}

const COLS: &str = "card_id, customer_ref, brand, last4, exp_month, exp_year, decline_on_charge";

/// The most cards one customer may have at the sandbox (a real processor has its own limit).
pub const MAX_CARDS_PER_CUSTOMER: i64 = 20;

pub async fn insert(conn: &mut AnyConnection, c: &NewSandboxCard<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO sandbox_gateway_cards (card_id, customer_ref, token, brand, last4, exp_month, exp_year, decline_on_charge, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.card_id)
    .bind(c.customer_ref)
    .bind(c.token)
    .bind(c.brand)
    .bind(c.last4)
    .bind(c.exp_month)
    .bind(c.exp_year)
    .bind(c.decline_on_charge as i64)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The customer's live cards, oldest first (at most [`MAX_CARDS_PER_CUSTOMER`]).
pub async fn list(conn: &mut AnyConnection, customer_ref: &str) -> Result<Vec<SandboxCardRow>> {
    let sql = format!(
        "SELECT {COLS} FROM sandbox_gateway_cards WHERE customer_ref = $1 AND deleted_at IS NULL ORDER BY id LIMIT {MAX_CARDS_PER_CUSTOMER}"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(customer_ref).fetch_all(conn).await?)
}

pub async fn count(conn: &mut AnyConnection, customer_ref: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM sandbox_gateway_cards WHERE customer_ref = $1 AND deleted_at IS NULL")
            .bind(customer_ref)
            .fetch_one(conn)
            .await?,
    )
}

/// The customer's live card `card_id`; another customer's card is `None`.
pub async fn get(conn: &mut AnyConnection, customer_ref: &str, card_id: &str) -> Result<Option<SandboxCardRow>> {
    let sql = format!("SELECT {COLS} FROM sandbox_gateway_cards WHERE customer_ref = $1 AND card_id = $2 AND deleted_at IS NULL");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(customer_ref)
        .bind(card_id)
        .fetch_optional(conn)
        .await?)
}

/// Deletes the customer's card; false when it was not theirs or already gone.
pub async fn delete(conn: &mut AnyConnection, customer_ref: &str, card_id: &str, now: i64) -> Result<bool> {
    let r = sqlx::query("UPDATE sandbox_gateway_cards SET deleted_at = $1 WHERE customer_ref = $2 AND card_id = $3 AND deleted_at IS NULL")
        .bind(now)
        .bind(customer_ref)
        .bind(card_id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}
