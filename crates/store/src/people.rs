//! Accounts (users of every role) and customers.

use crate::{Result, StoreError};
use kippu_domain::{CustomerId, MerchantId, UserId};
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub merchant_id: Option<i64>,
    pub role: String,
    pub login_id: String,
    pub display_name: String,
    pub email: String,
    pub password_hash: String,
    pub must_change_password: i64,
    pub admin_settings: i64,
    pub lang: String,
    pub disabled: i64,
}

const USER_COLS: &str = "id, merchant_id, role, login_id, display_name, email, password_hash, \
                         must_change_password, admin_settings, lang, disabled";

pub struct NewUser<'a> {
    pub merchant_id: Option<MerchantId>,
    pub role: &'a str,
    pub login_id: &'a str,
    pub display_name: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub admin_settings: bool,
}

pub async fn insert_user(conn: &mut AnyConnection, u: &NewUser<'_>, now: i64) -> Result<UserId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (merchant_id, role, login_id, display_name, email, password_hash, \
         must_change_password, admin_settings, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(u.merchant_id.map(|m| m.0))
    .bind(u.role)
    .bind(u.login_id)
    .bind(u.display_name)
    .bind(u.email)
    .bind(u.password_hash)
    .bind(u.must_change_password as i64)
    .bind(u.admin_settings as i64)
    .bind(now)
    .fetch_one(conn)
    .await
    .map_err(|e| StoreError::conflict_on_unique(e, "user", format!("login ID {}", u.login_id)))?;
    Ok(UserId(id))
}

pub async fn find_user_by_login(conn: &mut AnyConnection, login_id: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE login_id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(login_id).fetch_optional(conn).await?)
}

pub async fn get_user(conn: &mut AnyConnection, id: UserId) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(conn).await?)
}

pub async fn list_users(conn: &mut AnyConnection, m: Option<MerchantId>) -> Result<Vec<UserRow>> {
    let sql = match m {
        Some(_) => {
            format!("SELECT {USER_COLS} FROM users WHERE merchant_id = $1 ORDER BY login_id")
        }
        None => {
            format!("SELECT {USER_COLS} FROM users WHERE merchant_id IS NULL ORDER BY login_id")
        }
    };
    let q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    let q = match m {
        Some(m) => q.bind(m.0),
        None => q,
    };
    Ok(q.fetch_all(conn).await?)
}

pub async fn update_password(conn: &mut AnyConnection, id: UserId, hash: &str, must_change: bool, now: i64) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3 WHERE id = $4")
        .bind(hash)
        .bind(must_change as i64)
        .bind(now)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Disables or re-enables an account of merchant `m`; false when it is not that merchant's.
pub async fn set_disabled(conn: &mut AnyConnection, m: MerchantId, id: UserId, disabled: bool) -> Result<bool> {
    let r = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2 AND merchant_id = $3")
        .bind(disabled as i64)
        .bind(id.0)
        .bind(m.0)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_admin_settings(conn: &mut AnyConnection, m: MerchantId, id: UserId, on: bool) -> Result<bool> {
    let r = sqlx::query("UPDATE users SET admin_settings = $1 WHERE id = $2 AND merchant_id = $3")
        .bind(on as i64)
        .bind(id.0)
        .bind(m.0)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_lang(conn: &mut AnyConnection, id: UserId, lang: &str) -> Result<()> {
    sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(lang)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize, PartialEq)]
pub struct CustomerRow {
    pub id: i64,
    pub merchant_id: i64,
    pub name: String,
    pub kana: String,
    pub email: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// 1, 2, 3 … per merchant, in the order customers were registered.
    pub customer_number: i64,
    /// `YYYY-MM-DD` or empty.
    pub birthday: String,
    pub notes: String,
}

pub(crate) const CUSTOMER_COLS: &str =
    "id, merchant_id, name, kana, email, phone, postal_code, address, created_at, updated_at, customer_number, birthday, notes";

/// The next customer number of merchant `m` (1 for its first customer), reserved in the
/// caller's transaction: the sequence row is locked until it ends, so two registrations never
/// share a number.
async fn next_customer_number(conn: &mut AnyConnection, m: MerchantId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO sequences (name, next_value) VALUES ($1, 2) \
         ON CONFLICT (name) DO UPDATE SET next_value = sequences.next_value + 1 RETURNING next_value - 1",
    )
    .bind(format!("customer_number/{}", m.0))
    .fetch_one(conn)
    .await?)
}

/// The editable part of a customer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerFields {
    pub name: String,
    pub kana: String,
    pub email: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
}

/// A new customer with the next customer number of its merchant.
pub async fn insert_customer(conn: &mut AnyConnection, m: MerchantId, c: &CustomerFields, now: i64) -> Result<CustomerId> {
    let number = next_customer_number(conn, m).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (merchant_id, name, kana, email, phone, postal_code, address, created_at, updated_at, \
         customer_number, phone_digits) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) RETURNING id",
    )
    .bind(m.0)
    .bind(&c.name)
    .bind(&c.kana)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.postal_code)
    .bind(&c.address)
    .bind(now)
    .bind(number)
    .bind(kippu_domain::normalize::digits(&c.phone))
    .fetch_one(conn)
    .await?;
    Ok(CustomerId(id))
}

/// A customer of merchant `m`, or `None` — also when the id belongs to another merchant.
pub async fn get_customer(conn: &mut AnyConnection, m: MerchantId, id: CustomerId) -> Result<Option<CustomerRow>> {
    let sql = format!("SELECT {CUSTOMER_COLS} FROM customers WHERE merchant_id = $1 AND id = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(id.0)
        .fetch_optional(conn)
        .await?)
}

pub async fn find_customer_by_email(conn: &mut AnyConnection, m: MerchantId, email: &str) -> Result<Option<CustomerRow>> {
    let sql = format!("SELECT {CUSTOMER_COLS} FROM customers WHERE merchant_id = $1 AND email = $2 ORDER BY id LIMIT 1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(email)
        .fetch_optional(conn)
        .await?)
}

pub async fn list_customers(conn: &mut AnyConnection, m: MerchantId, limit: i64, offset: i64) -> Result<Vec<CustomerRow>> {
    let sql = format!("SELECT {CUSTOMER_COLS} FROM customers WHERE merchant_id = $1 ORDER BY kana, id LIMIT $2 OFFSET $3");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?)
}

pub async fn count_customers(conn: &mut AnyConnection, m: MerchantId) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE merchant_id = $1")
        .bind(m.0)
        .fetch_one(conn)
        .await?)
}

/// Updates a customer of merchant `m`; returns false when no such customer exists for `m`.
pub async fn update_customer(conn: &mut AnyConnection, m: MerchantId, id: CustomerId, c: &CustomerFields, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE customers SET name = $1, kana = $2, email = $3, phone = $4, postal_code = $5, address = $6, updated_at = $7, \
         phone_digits = $10 WHERE merchant_id = $8 AND id = $9",
    )
    .bind(&c.name)
    .bind(&c.kana)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.postal_code)
    .bind(&c.address)
    .bind(now)
    .bind(m.0)
    .bind(id.0)
    .bind(kippu_domain::normalize::digits(&c.phone))
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}
