//! リジェクト注文情報: orders refused by the card company or a fraud rule, kept with their lines
//! and orderer; and the merchant's fraud rules.

use crate::Result;
use crate::query::{Bind, Where, bind_all};
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow, serde::Serialize, PartialEq)]
pub struct RejectedRow {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub reason: String,
    pub reason_detail: String,
    /// The lines as JSON.
    pub payload: String,
    pub at: i64,
    pub channel: String,
    pub operator: String,
    pub payment_method: String,
    pub amount: i64,
    pub customer_name: String,
    pub customer_kana: String,
    pub customer_email: String,
    pub customer_phone: String,
    pub postal_code: String,
    pub address: String,
}

const COLS: &str = "id, customer_id, reason, reason_detail, payload, at, channel, operator, payment_method, amount, \
                    customer_name, customer_kana, customer_email, customer_phone, postal_code, address";

pub struct NewRejected<'a> {
    pub customer_id: Option<i64>,
    pub reason: &'a str,
    pub reason_detail: &'a str,
    pub payload: &'a str,
    pub channel: &'a str,
    pub operator: &'a str,
    pub payment_method: &'a str,
    pub amount: i64,
    pub customer_name: &'a str,
    pub customer_kana: &'a str,
    pub customer_email: &'a str,
    pub customer_phone: &'a str,
    pub postal_code: &'a str,
    pub address: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, m: MerchantId, r: &NewRejected<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO rejected_orders (merchant_id, customer_id, reason, reason_detail, payload, at, channel, operator, payment_method, \
         amount, customer_name, customer_kana, customer_email, customer_phone, postal_code, address) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(m.0)
    .bind(r.customer_id)
    .bind(r.reason)
    .bind(r.reason_detail)
    .bind(r.payload)
    .bind(now)
    .bind(r.channel)
    .bind(r.operator)
    .bind(r.payment_method)
    .bind(r.amount)
    .bind(r.customer_name)
    .bind(r.customer_kana)
    .bind(r.customer_email)
    .bind(r.customer_phone)
    .bind(r.postal_code)
    .bind(r.address)
    .fetch_one(conn)
    .await?)
}

pub async fn get(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Option<RejectedRow>> {
    let sql = format!("SELECT {COLS} FROM rejected_orders WHERE merchant_id = $1 AND id = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// What the list is searched by; every part optional.
#[derive(Debug, Default, Clone)]
pub struct RejectedFilter {
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub reason: Option<String>,
    pub customer_id: Option<i64>,
}

fn filtered(m: MerchantId, f: &RejectedFilter) -> Where {
    let mut w = Where {
        conds: Vec::new(),
        binds: Vec::new(),
    };
    w.add("merchant_id = ?", Bind::I(m.0));
    if let Some(v) = f.from_ms {
        w.add("at >= ?", Bind::I(v));
    }
    if let Some(v) = f.to_ms {
        w.add("at < ?", Bind::I(v));
    }
    if let Some(v) = &f.reason {
        w.add("reason = ?", Bind::S(v.clone()));
    }
    if let Some(v) = f.customer_id {
        w.add("customer_id = ?", Bind::I(v));
    }
    w
}

/// A page of the list, newest first.
pub async fn list(conn: &mut AnyConnection, m: MerchantId, f: &RejectedFilter, limit: i64, offset: i64) -> Result<Vec<RejectedRow>> {
    let w = filtered(m, f);
    let sql = format!(
        "SELECT {COLS} FROM rejected_orders WHERE {} ORDER BY at DESC, id DESC LIMIT {limit} OFFSET {offset}",
        w.conds.join(" AND ")
    );
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds).fetch_all(conn).await?)
}

/// How many match, counted up to `cap + 1` (more than `cap` says "more").
pub async fn count(conn: &mut AnyConnection, m: MerchantId, f: &RejectedFilter, cap: i64) -> Result<i64> {
    let w = filtered(m, f);
    let sql = format!(
        "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM rejected_orders WHERE {} LIMIT {}) capped",
        w.conds.join(" AND "),
        cap + 1
    );
    let row: (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds).fetch_one(conn).await?;
    Ok(row.0)
}

#[derive(Debug, Clone, FromRow, serde::Serialize, PartialEq, Default)]
pub struct FraudRulesRow {
    pub max_amount: i64,
    pub max_orders_per_phone_hour: i64,
    pub blocked_phones: String,
    pub blocked_addresses: String,
}

pub async fn fraud_rules(conn: &mut AnyConnection, m: MerchantId) -> Result<FraudRulesRow> {
    Ok(sqlx::query_as(
        "SELECT max_amount, max_orders_per_phone_hour, blocked_phones, blocked_addresses FROM fraud_rules WHERE merchant_id = $1",
    )
    .bind(m.0)
    .fetch_optional(conn)
    .await?
    .unwrap_or_default())
}

pub async fn put_fraud_rules(conn: &mut AnyConnection, m: MerchantId, r: &FraudRulesRow, now: i64) -> Result<()> {
    let done = sqlx::query(
        "UPDATE fraud_rules SET max_amount = $1, max_orders_per_phone_hour = $2, blocked_phones = $3, blocked_addresses = $4, updated_at = $5 \
         WHERE merchant_id = $6",
    )
    .bind(r.max_amount)
    .bind(r.max_orders_per_phone_hour)
    .bind(&r.blocked_phones)
    .bind(&r.blocked_addresses)
    .bind(now)
    .bind(m.0)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO fraud_rules (merchant_id, max_amount, max_orders_per_phone_hour, blocked_phones, blocked_addresses, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(m.0)
        .bind(r.max_amount)
        .bind(r.max_orders_per_phone_hour)
        .bind(&r.blocked_phones)
        .bind(&r.blocked_addresses)
        .bind(now)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// The merchant's orders from this phone since `since_ms`, counted up to `cap`.
pub async fn orders_from_phone(conn: &mut AnyConnection, m: MerchantId, phone: &str, since_ms: i64, cap: i64) -> Result<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 AS one FROM orders WHERE merchant_id = $1 AND customer_phone = $2 AND ordered_at >= $3 LIMIT {cap}) capped"
    );
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(phone)
        .bind(since_ms)
        .fetch_one(conn)
        .await?)
}
