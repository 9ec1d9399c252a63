//! Voucher holders and their ledger: a holder (signed in by a link token kept as its hash) has
//! one account per voucher type; a grant credits an account and is a ledger row of its own.

use crate::Result;
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HolderRow {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
}

/// One balance of a holder: a voucher type and what is left of it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub voucher_type_id: i64,
    pub type_code: String,
    pub type_name: String,
    pub balance: i64,
}

pub async fn insert_holder(conn: &mut AnyConnection, program: i64, name: &str, token_hash: &str, now: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("INSERT INTO voucher_holders (program_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(program)
            .bind(name)
            .bind(token_hash)
            .bind(now)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn holder_by_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<HolderRow>> {
    Ok(
        sqlx::query_as("SELECT id, program_id, name FROM voucher_holders WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn holder_by_id(conn: &mut AnyConnection, program: i64, id: i64) -> Result<Option<HolderRow>> {
    Ok(
        sqlx::query_as("SELECT id, program_id, name FROM voucher_holders WHERE id = $1 AND program_id = $2")
            .bind(id)
            .bind(program)
            .fetch_optional(conn)
            .await?,
    )
}

/// The holder's account for a voucher type, opened at zero the first time.
pub async fn account_for(conn: &mut AnyConnection, h: &HolderRow, voucher_type: i64, now: i64) -> Result<i64> {
    sqlx::query(
        "INSERT INTO voucher_accounts (program_id, voucher_type_id, holder_id, holder_name, balance, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (holder_id, voucher_type_id) DO NOTHING",
    )
    .bind(h.program_id)
    .bind(voucher_type)
    .bind(h.id)
    .bind(&h.name)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT id FROM voucher_accounts WHERE holder_id = $1 AND voucher_type_id = $2")
            .bind(h.id)
            .bind(voucher_type)
            .fetch_one(conn)
            .await?,
    )
}

/// A grant: the ledger row and the credit, in the caller's transaction.
pub struct NewGrant<'a> {
    pub holder: &'a HolderRow,
    pub account: i64,
    pub amount: i64,
    pub memo: &'a str,
}

pub async fn grant(conn: &mut AnyConnection, g: &NewGrant<'_>, now: i64) -> Result<()> {
    sqlx::query("INSERT INTO voucher_grants (program_id, holder_id, account_id, amount, memo, granted_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(g.holder.program_id)
        .bind(g.holder.id)
        .bind(g.account)
        .bind(g.amount)
        .bind(g.memo)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE voucher_accounts SET balance = balance + $1 WHERE id = $2")
        .bind(g.amount)
        .bind(g.account)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn accounts_of(conn: &mut AnyConnection, holder: i64) -> Result<Vec<AccountRow>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.voucher_type_id, t.code AS type_code, t.name AS type_name, a.balance \
         FROM voucher_accounts a JOIN voucher_types t ON t.id = a.voucher_type_id WHERE a.holder_id = $1 ORDER BY t.id",
    )
    .bind(holder)
    .fetch_all(conn)
    .await?)
}

/// One line of a holder's history, newest first.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    /// `grant`, `payment` or `cancel` (a cancelled payment's amount given back).
    pub kind: String,
    pub at: i64,
    pub amount: i64,
    pub type_name: String,
    pub store_name: String,
    pub payment_number: String,
}

/// The holder's last `limit` ledger lines: grants, payments and cancelled payments given back.
pub async fn history(conn: &mut AnyConnection, holder: i64, limit: i64) -> Result<Vec<HistoryRow>> {
    Ok(sqlx::query_as(
        "SELECT kind, at, amount, type_name, store_name, payment_number FROM (\
           SELECT 'grant' AS kind, g.granted_at AS at, g.amount, t.name AS type_name, '' AS store_name, '' AS payment_number \
             FROM voucher_grants g JOIN voucher_accounts a ON a.id = g.account_id JOIN voucher_types t ON t.id = a.voucher_type_id \
             WHERE g.holder_id = $1 \
           UNION ALL \
           SELECT 'payment', p.paid_at, p.amount, t.name, s.name, p.payment_number \
             FROM voucher_payments p JOIN voucher_types t ON t.id = p.voucher_type_id JOIN stores s ON s.id = p.store_id \
             WHERE p.holder_id = $1 \
           UNION ALL \
           SELECT 'cancel', p.cancelled_at, p.amount, t.name, s.name, p.payment_number \
             FROM voucher_payments p JOIN voucher_types t ON t.id = p.voucher_type_id JOIN stores s ON s.id = p.store_id \
             WHERE p.holder_id = $1 AND p.cancelled_at IS NOT NULL\
         ) h ORDER BY at DESC, kind LIMIT $2",
    )
    .bind(holder)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
