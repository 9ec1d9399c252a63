//! 代理注文 (seed 003 注文入力, 受注情報): an order's entry channel and memos, the console's
//! draft of an order per operator and customer, the address book's new entries, and a
//! customer's orders newest first.

use crate::Result;
use kippu_domain::catalog::OrderKind;
use kippu_domain::order::{EntryChannel, OrderType};
use kippu_domain::{CustomerId, MerchantId, OrderId, UserId};
use sqlx::{AnyConnection, FromRow};

/// How the order came in and its two memos, written in the order's transaction.
pub async fn set_entry(conn: &mut AnyConnection, order: OrderId, channel: EntryChannel, memo_inquiry: &str, memo_shop: &str) -> Result<()> {
    sqlx::query("UPDATE orders SET entry_channel = $1, memo_inquiry = $2, memo_shop = $3 WHERE id = $4")
        .bind(channel.as_str())
        .bind(memo_inquiry)
        .bind(memo_shop)
        .bind(order.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// The entry channel and memos of an order of merchant `m`.
#[derive(Debug, Clone, FromRow)]
pub struct EntryRow {
    #[sqlx(try_from = "String")]
    pub entry_channel: EntryChannel,
    pub memo_inquiry: String,
    pub memo_shop: String,
    pub created_by: Option<i64>,
    /// The operator's login, when one entered the order.
    pub created_by_login: Option<String>,
}

pub async fn entry_of(conn: &mut AnyConnection, m: MerchantId, order_number: &str) -> Result<Option<EntryRow>> {
    Ok(sqlx::query_as(
        "SELECT o.entry_channel, o.memo_inquiry, o.memo_shop, o.created_by, u.login_id AS created_by_login \
         FROM orders o LEFT JOIN users u ON u.id = o.created_by WHERE o.merchant_id = $1 AND o.order_number = $2",
    )
    .bind(m.0)
    .bind(order_number)
    .fetch_optional(conn)
    .await?)
}

/// The operator's draft for a customer (JSON as the app wrote it).
pub async fn draft(conn: &mut AnyConnection, m: MerchantId, user: UserId, customer: CustomerId) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT body FROM order_drafts WHERE merchant_id = $1 AND user_id = $2 AND customer_id = $3")
            .bind(m.0)
            .bind(user.0)
            .bind(customer.0)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn put_draft(conn: &mut AnyConnection, m: MerchantId, user: UserId, customer: CustomerId, body: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO order_drafts (merchant_id, user_id, customer_id, body, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, customer_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(m.0)
    .bind(user.0)
    .bind(customer.0)
    .bind(body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the operator's drafts: one customer's, or every one (`None`: オールクリア).
pub async fn clear_drafts(conn: &mut AnyConnection, m: MerchantId, user: UserId, customer: Option<CustomerId>) -> Result<u64> {
    let r = match customer {
        Some(c) => {
            sqlx::query("DELETE FROM order_drafts WHERE merchant_id = $1 AND user_id = $2 AND customer_id = $3")
                .bind(m.0)
                .bind(user.0)
                .bind(c.0)
                .execute(conn)
                .await?
        }
        None => {
            sqlx::query("DELETE FROM order_drafts WHERE merchant_id = $1 AND user_id = $2")
                .bind(m.0)
                .bind(user.0)
                .execute(conn)
                .await?
        }
    };
    Ok(r.rows_affected())
}

/// A new entry of the customer's address book (お届先リストに保存).
pub struct NewAddress<'a> {
    pub name: &'a str,
    pub postal_code: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
}

pub async fn insert_address(conn: &mut AnyConnection, m: MerchantId, customer: CustomerId, a: &NewAddress<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO customer_addresses (merchant_id, customer_id, name, postal_code, address, phone, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(m.0)
    .bind(customer.0)
    .bind(a.name)
    .bind(a.postal_code)
    .bind(a.address)
    .bind(a.phone)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many entries the customer's address book holds.
pub async fn count_addresses(conn: &mut AnyConnection, m: MerchantId, customer: CustomerId) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM customer_addresses WHERE merchant_id = $1 AND customer_id = $2")
            .bind(m.0)
            .bind(customer.0)
            .fetch_one(conn)
            .await?,
    )
}

/// One line of 受注情報: an order of the customer, any kind.
#[derive(Debug, Clone, FromRow)]
pub struct CustomerOrderRow {
    pub order_number: String,
    #[sqlx(try_from = "String")]
    pub kind: OrderKind,
    #[sqlx(try_from = "String")]
    pub order_type: OrderType,
    #[sqlx(try_from = "String")]
    pub entry_channel: EntryChannel,
    pub status: String,
    pub amount: i64,
    pub ordered_at: i64,
}

/// The customer's orders, newest first, a page at a time.
pub async fn customer_orders(
    conn: &mut AnyConnection,
    m: MerchantId,
    customer: CustomerId,
    limit: i64,
    offset: i64,
) -> Result<Vec<CustomerOrderRow>> {
    Ok(sqlx::query_as(
        "SELECT order_number, kind, order_type, entry_channel, status, amount, ordered_at FROM orders \
         WHERE merchant_id = $1 AND customer_id = $2 ORDER BY ordered_at DESC, id DESC LIMIT $3 OFFSET $4",
    )
    .bind(m.0)
    .bind(customer.0)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?)
}

pub async fn count_customer_orders(conn: &mut AnyConnection, m: MerchantId, customer: CustomerId) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE merchant_id = $1 AND customer_id = $2")
            .bind(m.0)
            .bind(customer.0)
            .fetch_one(conn)
            .await?,
    )
}

/// The customer an order is for.
pub async fn customer_of(conn: &mut AnyConnection, order: OrderId) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT customer_id FROM orders WHERE id = $1")
        .bind(order.0)
        .fetch_one(conn)
        .await?)
}
