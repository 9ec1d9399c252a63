//! Payments at the counter: the terminal a phone names (QR token or passcode), the guarded debit
//! that never takes a balance below zero, the payment row, and its cancellation.

use crate::{Result, StoreError};
use kippu_domain::MerchantId;
use sqlx::AnyConnection;

/// A terminal as a paying phone finds it, with its store.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TerminalFound {
    pub id: i64,
    pub merchant_id: i64,
    pub store_id: i64,
    pub store_code: String,
    pub store_name: String,
    pub terminal_name: String,
}

const TERMINAL: &str = "SELECT t.id, t.merchant_id, t.store_id, s.code AS store_code, s.name AS store_name, t.name AS terminal_name \
     FROM terminals t JOIN stores s ON s.id = t.store_id";

pub async fn terminal_by_qr(conn: &mut AnyConnection, qr_token: &str) -> Result<Option<TerminalFound>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("{TERMINAL} WHERE t.qr_token = $1")))
        .bind(qr_token)
        .fetch_optional(conn)
        .await?)
}

pub async fn terminal_by_passcode(conn: &mut AnyConnection, passcode: &str) -> Result<Option<TerminalFound>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("{TERMINAL} WHERE t.passcode = $1")))
        .bind(passcode)
        .fetch_optional(conn)
        .await?)
}

/// A payment as the phone's receipt, the merchant's records and the holder's history show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRow {
    pub id: i64,
    pub merchant_id: i64,
    pub program_id: i64,
    pub holder_id: i64,
    pub account_id: i64,
    pub payment_number: String,
    pub store_code: String,
    pub store_name: String,
    pub terminal_name: String,
    pub type_name: String,
    pub amount: i64,
    pub paid_at: i64,
    pub balance_after: i64,
    pub cancelled_at: Option<i64>,
    pub cancel_memo: String,
    pub cancelled_by_label: String,
}

pub(crate) const PAYMENT: &str = "SELECT p.id, p.merchant_id, p.program_id, p.holder_id, p.account_id, p.payment_number, \
     s.code AS store_code, s.name AS store_name, t.name AS terminal_name, vt.name AS type_name, p.amount, p.paid_at, \
     p.balance_after, p.cancelled_at, p.cancel_memo, p.cancelled_by_label \
     FROM voucher_payments p JOIN stores s ON s.id = p.store_id JOIN terminals t ON t.id = p.terminal_id \
     JOIN voucher_types vt ON vt.id = p.voucher_type_id";

/// The payment a request key already made, if any (the first answer to a retry).
pub async fn by_request(conn: &mut AnyConnection, client_request_id: &str) -> Result<Option<PaymentRow>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{PAYMENT} WHERE p.client_request_id = $1")))
            .bind(client_request_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// A payment by its number, within merchant `scope` (`None`: the platform's, any merchant).
pub async fn by_number(conn: &mut AnyConnection, scope: Option<MerchantId>, number: &str) -> Result<Option<PaymentRow>> {
    let q = match scope {
        Some(m) => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{PAYMENT} WHERE p.payment_number = $1 AND p.merchant_id = $2"
        )))
        .bind(number)
        .bind(m.0),
        None => sqlx::query_as(sqlx::AssertSqlSafe(format!("{PAYMENT} WHERE p.payment_number = $1"))).bind(number),
    };
    Ok(q.fetch_optional(conn).await?)
}

/// Takes `amount` off the account only when it covers it: `Some(balance after)`, or `None`
/// when it does not. One guarded statement, so two phones paying from one balance at the same
/// instant can never take it below zero, on either database.
pub async fn debit(conn: &mut AnyConnection, account: i64, amount: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("UPDATE voucher_accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING balance")
            .bind(amount)
            .bind(account)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn credit(conn: &mut AnyConnection, account: i64, amount: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("UPDATE voucher_accounts SET balance = balance + $1 WHERE id = $2 RETURNING balance")
            .bind(amount)
            .bind(account)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn balance(conn: &mut AnyConnection, account: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT balance FROM voucher_accounts WHERE id = $1")
        .bind(account)
        .fetch_one(conn)
        .await?)
}

pub struct NewPayment<'a> {
    pub terminal: &'a TerminalFound,
    pub program: i64,
    pub holder: i64,
    pub account: i64,
    pub voucher_type: i64,
    pub payment_number: &'a str,
    pub client_request_id: &'a str,
    pub amount: i64,
    pub balance_after: i64,
}

/// Saves a payment, counted on its day (`day_counts`); a request key or number already used is
/// a [`StoreError::Conflict`].
pub async fn insert(conn: &mut AnyConnection, p: &NewPayment<'_>, now: i64) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO voucher_payments (merchant_id, payment_number, account_id, store_id, terminal_id, voucher_type_id, amount, \
         client_request_id, paid_at, holder_id, program_id, balance_after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(p.terminal.merchant_id)
    .bind(p.payment_number)
    .bind(p.account)
    .bind(p.terminal.store_id)
    .bind(p.terminal.id)
    .bind(p.voucher_type)
    .bind(p.amount)
    .bind(p.client_request_id)
    .bind(now)
    .bind(p.holder)
    .bind(p.program)
    .bind(p.balance_after)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| StoreError::conflict_on_unique(e, "voucher payment", p.client_request_id.to_string()))?;
    super::day_counts::paid(
        conn,
        &super::day_counts::Counted {
            payment_id: id,
            merchant_id: p.terminal.merchant_id,
            paid_at: now,
            store_id: p.terminal.store_id,
            terminal_id: p.terminal.id,
            voucher_type_id: p.voucher_type,
            program_id: p.program,
            amount: p.amount,
        },
    )
    .await?;
    Ok(id)
}

pub struct Cancellation<'a> {
    pub payment: i64,
    pub by_user: Option<i64>,
    pub by_label: &'a str,
    pub memo: &'a str,
}

/// Marks a payment cancelled unless it already was, counted on the payment's day; `false` when
/// it was.
pub async fn cancel(conn: &mut AnyConnection, c: &Cancellation<'_>, now: i64) -> Result<bool> {
    let done: Option<super::day_counts::Counted> = sqlx::query_as(
        "UPDATE voucher_payments SET cancelled_at = $1, cancelled_by = $2, cancelled_by_label = $3, cancel_memo = $4 \
         WHERE id = $5 AND cancelled_at IS NULL \
         RETURNING id AS payment_id, merchant_id, paid_at, store_id, terminal_id, voucher_type_id, \
           COALESCE(program_id, 0) AS program_id, amount",
    )
    .bind(now)
    .bind(c.by_user)
    .bind(c.by_label)
    .bind(c.memo)
    .bind(c.payment)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(counted) = done else {
        return Ok(false);
    };
    super::day_counts::cancelled(conn, &counted).await?;
    Ok(true)
}
