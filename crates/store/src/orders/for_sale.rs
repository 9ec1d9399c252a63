//! What an order can be placed for: products on sale, their listing per sales channel, the channels.

use crate::Result;
use kippu_domain::MerchantId;
use kippu_domain::catalog::TicketType;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct ProductForSale {
    pub id: i64,
    pub code: String,
    pub jan: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: kippu_domain::catalog::ProductKind,
    #[sqlx(flatten, try_from = "crate::columns::TicketTypeColumn")]
    pub ticket_type: Option<TicketType>,
    pub price: i64,
    pub tax_rate: i64,
    pub archived: i64,
    pub party_size_max: i64,
    pub cancellation_policy: String,
    pub uses_per_ticket: i64,
}

pub async fn product_by_code(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<Option<ProductForSale>> {
    Ok(sqlx::query_as(
        "SELECT id, code, jan, name, kind, ticket_type, price, tax_rate, archived, party_size_max, cancellation_policy, \
         uses_per_ticket FROM products WHERE merchant_id = $1 AND code = $2",
    )
    .bind(m.0)
    .bind(code)
    .fetch_optional(conn)
    .await?)
}

/// False only when the product's listing on the channel exists and is stopped.
pub async fn is_listed(conn: &mut AnyConnection, product_id: i64, channel_id: i64) -> Result<bool> {
    let listed: Option<i64> = sqlx::query_scalar("SELECT listed FROM product_listings WHERE product_id = $1 AND channel_id = $2")
        .bind(product_id)
        .bind(channel_id)
        .fetch_optional(conn)
        .await?;
    Ok(listed.unwrap_or(1) == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct ChannelRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: kippu_domain::catalog::ChannelKind,
}

pub async fn channel_by_code(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<Option<ChannelRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name, kind FROM channels WHERE merchant_id = $1 AND code = $2")
            .bind(m.0)
            .bind(code)
            .fetch_optional(conn)
            .await?,
    )
}

/// Web-ticket and reservation products on sale (not archived), for the storefront.
pub async fn products_on_sale(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<ProductForSale>> {
    Ok(sqlx::query_as(
        "SELECT id, code, jan, name, kind, ticket_type, price, tax_rate, archived, party_size_max, cancellation_policy, uses_per_ticket \
         FROM products WHERE merchant_id = $1 AND archived = 0 AND kind IN ('web_ticket', 'reservation', 'goods') ORDER BY kind DESC, code",
    )
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}
