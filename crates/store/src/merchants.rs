//! Merchants and what belongs to them structurally: stores, terminals, sales channels. Products
//! and their stock have modules of their own (re-exported here, where callers look for them).

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
    /// What 「クレジットカード」 on the storefront takes: `card_auth` or `card_capture`.
    #[sqlx(try_from = "String")]
    pub card_mode: kippu_domain::order::PaymentMethod,
    /// What 「銀行振込」 on the storefront takes: `bank_platform` or `bank_store`.
    #[sqlx(try_from = "String")]
    pub bank_account: kippu_domain::order::PaymentMethod,
    pub name_kana: String,
    pub phone: String,
    pub address: String,
    pub contact_name: String,
    pub invoice_number: String,
    pub bank_name: String,
    pub bank_branch: String,
    #[sqlx(try_from = "String")]
    pub bank_account_kind: kippu_domain::merchant::AccountKind,
    pub bank_account_number: String,
    pub bank_account_holder: String,
    /// The plain choices the storefront offers buyers.
    #[sqlx(try_from = "String")]
    pub offered_payments: kippu_domain::order::Offered,
    /// The platform's fee rate on web tickets (`platform_fee_bp` is the reservations').
    pub ticket_fee_bp: i64,
    /// The platform's fee rate on goods.
    pub goods_fee_bp: i64,
    /// The choices the platform operator has enabled for the merchant; `offered_payments` stay
    /// within them.
    #[sqlx(try_from = "String")]
    pub allowed_payments: kippu_domain::order::Offered,
    /// 決済設定: days to pay a transfer, days before its deadline the reminder goes (0: none),
    /// days to pay at the コンビニ, whether the job cancels unpaid orders past the deadline.
    pub bank_due_days: i64,
    pub bank_reminder_days: i64,
    pub konbini_due_days: i64,
    pub cancel_unpaid: i64,
}

impl MerchantRow {
    pub fn due_settings(&self) -> kippu_domain::payment_due::DueSettings {
        kippu_domain::payment_due::DueSettings {
            bank_due_days: self.bank_due_days,
            bank_reminder_days: self.bank_reminder_days,
            konbini_due_days: self.konbini_due_days,
            cancel_unpaid: self.cancel_unpaid != 0,
        }
    }

    /// The store's own account (the one payouts go to), which 銀行振込・店舗口座 is paid into.
    pub fn bank(&self) -> kippu_domain::merchant::BankAccount {
        kippu_domain::merchant::BankAccount {
            bank_name: self.bank_name.clone(),
            branch_name: self.bank_branch.clone(),
            kind: self.bank_account_kind,
            number: self.bank_account_number.clone(),
            holder: self.bank_account_holder.clone(),
        }
    }
}

const MERCHANT_COLS: &str = "id, code, name, email, platform_fee_bp, status, created_at, card_mode, bank_account, \
     name_kana, phone, address, contact_name, invoice_number, bank_name, bank_branch, bank_account_kind, \
     bank_account_number, bank_account_holder, offered_payments, ticket_fee_bp, allowed_payments, goods_fee_bp, \
     bank_due_days, bank_reminder_days, konbini_due_days, cancel_unpaid";

/// Writes a merchant's profile (every field of the 加盟店情報 form but the bank account).
pub async fn update_profile(conn: &mut AnyConnection, m: MerchantId, p: &kippu_domain::merchant::Profile) -> Result<()> {
    sqlx::query(
        "UPDATE merchants SET name = $1, name_kana = $2, email = $3, phone = $4, address = $5, contact_name = $6, \
         invoice_number = $7 WHERE id = $8",
    )
    .bind(&p.name)
    .bind(&p.kana)
    .bind(&p.email)
    .bind(&p.phone)
    .bind(&p.address)
    .bind(&p.contact_name)
    .bind(&p.invoice_number)
    .bind(m.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the bank account payouts go to.
pub async fn update_bank(conn: &mut AnyConnection, m: MerchantId, b: &kippu_domain::merchant::BankAccount) -> Result<()> {
    sqlx::query(
        "UPDATE merchants SET bank_name = $1, bank_branch = $2, bank_account_kind = $3, bank_account_number = $4, \
         bank_account_holder = $5 WHERE id = $6",
    )
    .bind(&b.bank_name)
    .bind(&b.branch_name)
    .bind(b.kind.as_str())
    .bind(&b.number)
    .bind(&b.holder)
    .bind(m.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves a merchant from `from` to `to`; `false` when its status was no longer `from`.
pub async fn set_status(
    conn: &mut AnyConnection,
    m: MerchantId,
    from: kippu_domain::account::MerchantStatus,
    to: kippu_domain::account::MerchantStatus,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query("UPDATE merchants SET status = $1, status_changed_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.as_str())
        .bind(now)
        .bind(m.0)
        .bind(from.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets the storefront's card mode and bank account of a merchant.
pub async fn set_payment_settings(
    conn: &mut AnyConnection,
    m: MerchantId,
    card_mode: kippu_domain::order::PaymentMethod,
    bank_account: kippu_domain::order::PaymentMethod,
    offered: &kippu_domain::order::Offered,
) -> Result<()> {
    sqlx::query("UPDATE merchants SET card_mode = $1, bank_account = $2, offered_payments = $4 WHERE id = $3")
        .bind(card_mode.as_str())
        .bind(bank_account.as_str())
        .bind(m.0)
        .bind(offered.to_code())
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets only the card mode (the demo's history: orders made under both modes).
pub async fn set_card_mode(conn: &mut AnyConnection, m: MerchantId, card_mode: kippu_domain::order::PaymentMethod) -> Result<()> {
    sqlx::query("UPDATE merchants SET card_mode = $1 WHERE id = $2")
        .bind(card_mode.as_str())
        .bind(m.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets 決済設定's deadlines.
pub async fn set_due_settings(conn: &mut AnyConnection, m: MerchantId, d: &kippu_domain::payment_due::DueSettings) -> Result<()> {
    sqlx::query(
        "UPDATE merchants SET bank_due_days = $1, bank_reminder_days = $2, konbini_due_days = $3, cancel_unpaid = $4 WHERE id = $5",
    )
    .bind(d.bank_due_days)
    .bind(d.bank_reminder_days)
    .bind(d.konbini_due_days)
    .bind(i64::from(d.cancel_unpaid))
    .bind(m.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// The platform's (事務局) account, which 銀行振込・事務局口座 is paid into.
pub async fn platform_bank(conn: &mut AnyConnection) -> Result<kippu_domain::merchant::BankAccount> {
    let row: Option<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT bank_name, bank_branch, bank_account_kind, bank_account_number, bank_account_holder FROM platform ORDER BY id LIMIT 1",
    )
    .fetch_optional(conn)
    .await?;
    let (b, br, k, n, h) = row.unwrap_or_default();
    Ok(kippu_domain::payment_due::account(&b, &br, &k, &n, &h))
}

pub async fn set_platform_bank(conn: &mut AnyConnection, b: &kippu_domain::merchant::BankAccount) -> Result<()> {
    sqlx::query(
        "UPDATE platform SET bank_name = $1, bank_branch = $2, bank_account_kind = $3, bank_account_number = $4, bank_account_holder = $5",
    )
    .bind(&b.bank_name)
    .bind(&b.branch_name)
    .bind(b.kind.as_str())
    .bind(&b.number)
    .bind(&b.holder)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets what the platform allows a merchant and what its storefront offers (within it).
pub async fn set_allowed_payments(
    conn: &mut AnyConnection,
    m: MerchantId,
    allowed: &kippu_domain::order::Offered,
    offered: &kippu_domain::order::Offered,
) -> Result<()> {
    sqlx::query("UPDATE merchants SET allowed_payments = $1, offered_payments = $2 WHERE id = $3")
        .bind(allowed.to_code())
        .bind(offered.to_code())
        .bind(m.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find_by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<MerchantRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MERCHANT_COLS} FROM merchants WHERE code = $1"
    )))
    .bind(code)
    .fetch_optional(conn)
    .await?)
}

pub async fn get(conn: &mut AnyConnection, id: MerchantId) -> Result<Option<MerchantRow>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MERCHANT_COLS} FROM merchants WHERE id = $1")))
            .bind(id.0)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<MerchantRow>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MERCHANT_COLS} FROM merchants ORDER BY code")))
            .fetch_all(conn)
            .await?,
    )
}

pub async fn insert(conn: &mut AnyConnection, code: &str, name: &str, email: &str, now: i64) -> Result<MerchantId> {
    // A new merchant is allowed, and has on, every method family until someone says otherwise.
    let all = kippu_domain::order::Offered::all().to_code();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO merchants (code, name, email, created_at, allowed_payments, offered_payments) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(code)
    .bind(name)
    .bind(email)
    .bind(now)
    .bind(all)
        .fetch_one(conn)
        .await
        .map_err(|e| crate::StoreError::conflict_on_unique(e, "merchant", format!("code {code}")))?;
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
    /// 営業時間 as the merchant wrote it (shown to a buyer who picks up there).
    pub hours: String,
}

/// A store as written: code, name, address and 営業時間.
pub struct NewStoreRow<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub address: &'a str,
    pub hours: &'a str,
}

pub async fn insert_store(conn: &mut AnyConnection, m: MerchantId, s: &NewStoreRow<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO stores (merchant_id, code, name, address, hours, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(m.0)
    .bind(s.code)
    .bind(s.name)
    .bind(s.address)
    .bind(s.hours)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// The store a pickup destination of `order` is collected from, if it names one.
pub async fn pickup_store(conn: &mut AnyConnection, m: MerchantId, order: i64) -> Result<Option<StoreRow>> {
    Ok(sqlx::query_as(
        "SELECT st.id, st.code, st.name, st.address, st.hours FROM shipments sh JOIN stores st ON st.id = sh.store_id \
         WHERE sh.merchant_id = $1 AND st.merchant_id = $1 AND sh.order_id = $2 ORDER BY sh.position LIMIT 1",
    )
    .bind(m.0)
    .bind(order)
    .fetch_optional(conn)
    .await?)
}

pub async fn list_stores(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<StoreRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name, address, hours FROM stores WHERE merchant_id = $1 ORDER BY code")
            .bind(m.0)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn find_store(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<Option<StoreRow>> {
    Ok(
        sqlx::query_as("SELECT id, code, name, address, hours FROM stores WHERE merchant_id = $1 AND code = $2")
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
    pub qr_token: String,
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

/// Whether a terminal anywhere on the platform has this passcode.
pub async fn passcode_taken(conn: &mut AnyConnection, passcode: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM terminals WHERE passcode = $1")
        .bind(passcode)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Gives terminal `code` of merchant `m` a new passcode; `false` when there is no such terminal.
pub async fn set_passcode(conn: &mut AnyConnection, m: MerchantId, code: &str, passcode: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE terminals SET passcode = $1 WHERE merchant_id = $2 AND code = $3")
        .bind(passcode)
        .bind(m.0)
        .bind(code)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn list_terminals(conn: &mut AnyConnection, m: MerchantId, store_id: i64) -> Result<Vec<TerminalRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, code, name, passcode, qr_token FROM terminals WHERE merchant_id = $1 AND store_id = $2 ORDER BY code",
    )
    .bind(m.0)
    .bind(store_id)
    .fetch_all(conn)
    .await?)
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
    /// 0/1: the channel's API tokens may redeem its own bookings at the door.
    pub may_redeem: i64,
}

/// The merchant's channels, the own site first, then the OTAs in the order they were added.
pub async fn list_channels(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<ChannelSummary>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.code, c.name, c.kind, c.may_redeem, \
         (SELECT COUNT(*) FROM products p LEFT JOIN product_listings pl ON pl.product_id = p.id AND pl.channel_id = c.id \
          WHERE p.merchant_id = c.merchant_id AND p.archived = 0 AND COALESCE(pl.listed, 1) = 1) AS listed_products \
         FROM channels c WHERE c.merchant_id = $1 ORDER BY CASE WHEN c.kind = 'own_site' THEN 0 ELSE 1 END, c.id",
    )
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}

/// Lets an OTA channel's tokens redeem its bookings, or stops them; false when the merchant
/// has no such OTA channel (the own site redeems through the door page, never by token).
pub async fn set_channel_may_redeem(conn: &mut AnyConnection, m: MerchantId, code: &str, may: bool) -> Result<bool> {
    let r = sqlx::query("UPDATE channels SET may_redeem = $1 WHERE merchant_id = $2 AND code = $3 AND kind = 'ota'")
        .bind(i64::from(may))
        .bind(m.0)
        .bind(code)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
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

pub use crate::products::*;
pub use crate::stock::*;
