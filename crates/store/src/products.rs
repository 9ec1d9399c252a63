//! A merchant's products: created, edited, archived (never deleted), listed per sales channel.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

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
    /// 回数券: the uses each ticket carries (1 for every other ticket).
    pub uses_per_ticket: i64,
    /// Goods: the parcel's サイズ and weight (grams), when the merchant gave them.
    #[sqlx(flatten, try_from = "crate::columns::SizeClassColumn")]
    pub size_class: Option<kippu_domain::goods::SizeClass>,
    pub weight_g: Option<i64>,
}

const PRODUCT_DETAIL_COLS: &str = "id, code, jan, name, kind, ticket_type, price, tax_rate, description, party_size_max, cancellation_policy, archived, uses_per_ticket, size_class, weight_g";

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
    pub uses_per_ticket: i64,
    pub size_class: Option<kippu_domain::goods::SizeClass>,
    pub weight_g: Option<i64>,
}

pub async fn update_product(conn: &mut AnyConnection, m: MerchantId, code: &str, p: &ProductFields<'_>, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE products SET jan = $1, name = $2, kind = $3, ticket_type = $4, price = $5, tax_rate = $6, description = $7, \
         party_size_max = $8, cancellation_policy = $9, updated_at = $10, uses_per_ticket = $13, size_class = $14, weight_g = $15 WHERE merchant_id = $11 AND code = $12",
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
    .bind(p.uses_per_ticket)
    .bind(p.size_class.map(|c| c.as_str()))
    .bind(p.weight_g)
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

/// A product's code by id, scoped to merchant `m`.
pub async fn code_of(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT code FROM products WHERE merchant_id = $1 AND id = $2")
        .bind(m.0)
        .bind(id)
        .fetch_optional(conn)
        .await?)
}
