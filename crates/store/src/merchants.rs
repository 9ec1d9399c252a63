//! Merchants and what belongs to them structurally: stores, terminals, channels, products, stock.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct MerchantRow {
    #[sqlx(try_from = "i64")]
    pub id: MerchantId,
    pub code: String,
    pub name: String,
    pub email: String,
    pub platform_fee_bp: i64,
    #[sqlx(try_from = "String")]
    pub status: kippu_domain::account::MerchantStatus,
    pub created_at: i64,
}

pub async fn find_by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<MerchantRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name, email, platform_fee_bp, status, created_at FROM merchants WHERE code = $1")
            .bind(code)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn get(conn: &mut AnyConnection, id: MerchantId) -> Result<Option<MerchantRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name, email, platform_fee_bp, status, created_at FROM merchants WHERE id = $1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<MerchantRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name, email, platform_fee_bp, status, created_at FROM merchants ORDER BY code")
            .fetch_all(conn)
            .await?,
    )
}

pub async fn insert(conn: &mut AnyConnection, code: &str, name: &str, email: &str, now: i64) -> Result<MerchantId> {
    let id: i64 = sqlx::query_scalar("INSERT INTO merchants (code, name, email, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(code)
        .bind(name)
        .bind(email)
        .bind(now)
        .fetch_one(conn)
        .await?;
    Ok(MerchantId(id))
}

pub async fn ensure_platform(conn: &mut AnyConnection, name: &str, now: i64) -> Result<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM platform").fetch_one(&mut *conn).await?;
    if n == 0 {
        sqlx::query("INSERT INTO platform (name, created_at) VALUES ($1, $2)")
            .bind(name)
            .bind(now)
            .execute(conn)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct StoreRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub address: String,
}

pub async fn insert_store(conn: &mut AnyConnection, m: MerchantId, code: &str, name: &str, address: &str, now: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("INSERT INTO stores (merchant_id, code, name, address, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(m.0)
            .bind(code)
            .bind(name)
            .bind(address)
            .bind(now)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn list_stores(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<StoreRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name, address FROM stores WHERE merchant_id = $1 ORDER BY code")
            .bind(m.0)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn find_store(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<Option<StoreRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name, address FROM stores WHERE merchant_id = $1 AND code = $2")
            .bind(m.0)
            .bind(code)
            .fetch_optional(conn)
            .await?,
    )
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct TerminalRow {
    pub id: i64,
    pub store_id: i64,
    pub code: String,
    pub name: String,
    pub passcode: String,
}

/// A terminal (端末) of a store, with its QR mount token and passcode.
#[derive(Debug, Clone, Copy)]
pub struct NewTerminal<'a> {
    pub m: MerchantId,
    pub store_id: i64,
    pub code: &'a str,
    pub name: &'a str,
    pub qr_token: &'a str,
    pub passcode: &'a str,
}

pub async fn insert_terminal(conn: &mut AnyConnection, new: &NewTerminal<'_>, now: i64) -> Result<i64> {
    let NewTerminal {
        m,
        store_id,
        code,
        name,
        qr_token,
        passcode,
    } = *new;
    Ok(sqlx::query_scalar(
        "INSERT INTO terminals (merchant_id, store_id, code, name, qr_token, passcode, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(m.0)
    .bind(store_id)
    .bind(code)
    .bind(name)
    .bind(qr_token)
    .bind(passcode)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn list_terminals(conn: &mut AnyConnection, m: MerchantId, store_id: i64) -> Result<Vec<TerminalRow>> {
    Ok(
        sqlx::query_as("SELECT id, store_id, code, name, passcode FROM terminals WHERE merchant_id = $1 AND store_id = $2 ORDER BY code")
            .bind(m.0)
            .bind(store_id)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn insert_channel(conn: &mut AnyConnection, m: MerchantId, code: &str, name: &str, kind: &str, now: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("INSERT INTO channels (merchant_id, code, name, kind, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(m.0)
            .bind(code)
            .bind(name)
            .bind(kind)
            .bind(now)
            .fetch_one(conn)
            .await?,
    )
}

/// A sales channel with how many of the merchant's products it sells now.
#[derive(Debug, Clone, FromRow)]
pub struct ChannelSummary {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: kippu_domain::catalog::ChannelKind,
    pub listed_products: i64,
}

/// The merchant's channels, the own site first, then the OTAs in the order they were added.
pub async fn list_channels(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<ChannelSummary>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.code, c.name, c.kind, \
         (SELECT COUNT(*) FROM products p LEFT JOIN product_listings pl ON pl.product_id = p.id AND pl.channel_id = c.id \
          WHERE p.merchant_id = c.merchant_id AND p.archived = 0 AND COALESCE(pl.listed, 1) = 1) AS listed_products \
         FROM channels c WHERE c.merchant_id = $1 ORDER BY CASE WHEN c.kind = 'own_site' THEN 0 ELSE 1 END, c.id",
    )
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}

/// Stops every product of the merchant on one channel (a new OTA sells nothing until the
/// merchant resumes each product there).
pub async fn stop_all_listings(conn: &mut AnyConnection, m: MerchantId, channel_id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO product_listings (merchant_id, product_id, channel_id, listed, updated_at) \
         SELECT merchant_id, id, $2, 0, $3 FROM products WHERE merchant_id = $1 \
         ON CONFLICT (product_id, channel_id) DO UPDATE SET listed = 0, updated_at = excluded.updated_at",
    )
    .bind(m.0)
    .bind(channel_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ProductRow {
    pub id: i64,
    pub code: String,
    pub jan: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: kippu_domain::catalog::ProductKind,
    #[sqlx(flatten, try_from = "crate::columns::TicketTypeColumn")]
    pub ticket_type: Option<kippu_domain::catalog::TicketType>,
    pub price: i64,
    pub tax_rate: i64,
    pub archived: i64,
}

/// What a new product needs; optional behaviour (policies, listings) is set afterwards.
pub struct NewProduct<'a> {
    pub code: &'a str,
    pub jan: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub ticket_type: Option<&'a str>,
    pub price: i64,
    pub tax_rate: i64,
    pub cancellation_policy: &'a str,
}

pub async fn insert_product(conn: &mut AnyConnection, m: MerchantId, p: &NewProduct<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO products (merchant_id, code, jan, name, kind, ticket_type, price, tax_rate, cancellation_policy, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(m.0)
    .bind(p.code)
    .bind(p.jan)
    .bind(p.name)
    .bind(p.kind)
    .bind(p.ticket_type)
    .bind(p.price)
    .bind(p.tax_rate)
    .bind(p.cancellation_policy)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn list_products(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<ProductRow>> {
    Ok(sqlx::query_as(
        "SELECT id, code, jan, name, kind, ticket_type, price, tax_rate, archived FROM products \
         WHERE merchant_id = $1 ORDER BY code",
    )
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}

pub async fn set_stock(
    conn: &mut AnyConnection,
    m: MerchantId,
    product_id: i64,
    date: &str,
    slot: &str,
    capacity: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO stock (merchant_id, product_id, stock_date, time_slot, capacity, remaining, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $6) \
         ON CONFLICT (product_id, stock_date, time_slot) DO NOTHING",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(date)
    .bind(slot)
    .bind(capacity)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Total remaining stock per product, for the product list.
pub async fn remaining_stock(conn: &mut AnyConnection, m: MerchantId, product_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM stock WHERE merchant_id = $1 AND product_id = $2")
            .bind(m.0)
            .bind(product_id)
            .fetch_one(conn)
            .await?,
    )
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ProductDetail {
    pub id: i64,
    pub code: String,
    pub jan: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: kippu_domain::catalog::ProductKind,
    #[sqlx(flatten, try_from = "crate::columns::TicketTypeColumn")]
    pub ticket_type: Option<kippu_domain::catalog::TicketType>,
    pub price: i64,
    pub tax_rate: i64,
    pub description: String,
    pub party_size_max: i64,
    pub cancellation_policy: String,
    pub archived: i64,
}

const PRODUCT_DETAIL_COLS: &str =
    "id, code, jan, name, kind, ticket_type, price, tax_rate, description, party_size_max, cancellation_policy, archived";

pub async fn product_detail(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<Option<ProductDetail>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PRODUCT_DETAIL_COLS} FROM products WHERE merchant_id = $1 AND code = $2"
    )))
    .bind(m.0)
    .bind(code)
    .fetch_optional(conn)
    .await?)
}

pub async fn product_details(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<ProductDetail>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PRODUCT_DETAIL_COLS} FROM products WHERE merchant_id = $1 ORDER BY archived, code"
    )))
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}

/// The editable fields of a product.
pub struct ProductFields<'a> {
    pub jan: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub ticket_type: Option<&'a str>,
    pub price: i64,
    pub tax_rate: i64,
    pub description: &'a str,
    pub party_size_max: i64,
    pub cancellation_policy: &'a str,
}

pub async fn update_product(conn: &mut AnyConnection, m: MerchantId, code: &str, p: &ProductFields<'_>, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE products SET jan = $1, name = $2, kind = $3, ticket_type = $4, price = $5, tax_rate = $6, description = $7, \
         party_size_max = $8, cancellation_policy = $9, updated_at = $10 WHERE merchant_id = $11 AND code = $12",
    )
    .bind(p.jan)
    .bind(p.name)
    .bind(p.kind)
    .bind(p.ticket_type)
    .bind(p.price)
    .bind(p.tax_rate)
    .bind(p.description)
    .bind(p.party_size_max)
    .bind(p.cancellation_policy)
    .bind(now)
    .bind(m.0)
    .bind(code)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_archived(conn: &mut AnyConnection, m: MerchantId, code: &str, archived: bool, now: i64) -> Result<bool> {
    let r = sqlx::query("UPDATE products SET archived = $1, updated_at = $2 WHERE merchant_id = $3 AND code = $4")
        .bind(archived as i64)
        .bind(now)
        .bind(m.0)
        .bind(code)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ChannelListing {
    pub channel_id: i64,
    pub channel_code: String,
    pub channel_name: String,
    pub listed: i64,
}

/// Every channel of the merchant with the product's listing state (listed unless stopped).
pub async fn listings(conn: &mut AnyConnection, m: MerchantId, product_id: i64) -> Result<Vec<ChannelListing>> {
    Ok(sqlx::query_as(
        "SELECT c.id AS channel_id, c.code AS channel_code, c.name AS channel_name, COALESCE(pl.listed, 1) AS listed \
         FROM channels c LEFT JOIN product_listings pl ON pl.channel_id = c.id AND pl.product_id = $2 \
         WHERE c.merchant_id = $1 ORDER BY c.id",
    )
    .bind(m.0)
    .bind(product_id)
    .fetch_all(conn)
    .await?)
}

pub async fn set_listing(conn: &mut AnyConnection, m: MerchantId, product_id: i64, channel_id: i64, listed: bool, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO product_listings (merchant_id, product_id, channel_id, listed, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (product_id, channel_id) DO UPDATE SET listed = excluded.listed, updated_at = excluded.updated_at",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(channel_id)
    .bind(listed as i64)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets the remaining stock of a product's undated row (created if missing).
pub async fn put_undated_stock(conn: &mut AnyConnection, m: MerchantId, product_id: i64, remaining: i64, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO stock (merchant_id, product_id, stock_date, time_slot, capacity, remaining, updated_at) VALUES ($1, $2, '', '', $3, $3, $4) \
         ON CONFLICT (product_id, stock_date, time_slot) DO UPDATE SET remaining = excluded.remaining, capacity = excluded.capacity, updated_at = excluded.updated_at",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(remaining)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct StockCell {
    pub stock_date: String,
    pub time_slot: String,
    pub capacity: i64,
    pub remaining: i64,
    pub day_kind: String,
}

/// Stock rows of a product between two dates (inclusive), by date and slot.
pub async fn stock_between(conn: &mut AnyConnection, m: MerchantId, product_id: i64, from: &str, to: &str) -> Result<Vec<StockCell>> {
    Ok(sqlx::query_as(
        "SELECT stock_date, time_slot, capacity, remaining, day_kind FROM stock \
         WHERE merchant_id = $1 AND product_id = $2 AND stock_date >= $3 AND stock_date <= $4 ORDER BY stock_date, time_slot",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}

/// What was sold of a product on one date: orders, units (tickets or people) and yen, of the
/// orders that are not cancelled.
#[derive(Debug, Clone, FromRow)]
pub struct SalesCell {
    pub visit_date: String,
    pub orders: i64,
    pub units: i64,
    pub amount: i64,
}

/// Sales of a product per visit date between two dates (inclusive).
pub async fn sales_between(conn: &mut AnyConnection, m: MerchantId, product_id: i64, from: &str, to: &str) -> Result<Vec<SalesCell>> {
    Ok(sqlx::query_as(
        "SELECT l.visit_date, COUNT(DISTINCT o.id) AS orders, CAST(SUM(l.quantity) AS BIGINT) AS units, CAST(SUM(l.amount) AS BIGINT) AS amount \
         FROM order_lines l JOIN orders o ON o.id = l.order_id \
         WHERE l.merchant_id = $1 AND l.product_id = $2 AND l.visit_date >= $3 AND l.visit_date <= $4 AND o.status <> 'cancelled' \
         GROUP BY l.visit_date ORDER BY l.visit_date",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}

/// The stock row of one date and slot, locked for the write transaction on PostgreSQL.
pub async fn stock_cell(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    product_id: i64,
    date: &str,
    slot: &str,
) -> Result<Option<StockCell>> {
    let sql = format!(
        "SELECT stock_date, time_slot, capacity, remaining, day_kind FROM stock WHERE product_id = $1 AND stock_date = $2 AND time_slot = $3{}",
        backend.for_update()
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(product_id)
        .bind(date)
        .bind(slot)
        .fetch_optional(conn)
        .await?)
}

/// Writes a date/slot's capacity; what was already sold stays sold (remaining = capacity − sold).
/// One stock cell (product, date, slot) as the availability import writes it.
#[derive(Debug, Clone, Copy)]
pub struct StockWrite<'a> {
    pub m: MerchantId,
    pub product_id: i64,
    pub date: &'a str,
    pub slot: &'a str,
    pub capacity: i64,
    pub remaining: i64,
    pub day_kind: &'a str,
}

pub async fn put_stock_cell(conn: &mut AnyConnection, new: &StockWrite<'_>, now: i64) -> Result<()> {
    let StockWrite {
        m,
        product_id,
        date,
        slot,
        capacity,
        remaining,
        day_kind,
    } = *new;
    sqlx::query(
        "INSERT INTO stock (merchant_id, product_id, stock_date, time_slot, capacity, remaining, day_kind, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (product_id, stock_date, time_slot) DO UPDATE SET capacity = excluded.capacity, remaining = excluded.remaining, day_kind = excluded.day_kind, updated_at = excluded.updated_at",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(date)
    .bind(slot)
    .bind(capacity)
    .bind(remaining)
    .bind(day_kind)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
