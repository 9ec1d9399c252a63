//! Merchants as the back office and the storefront read them: the actor's own merchant, the
//! platform's list, a merchant's stores with their terminals, an open storefront by code.

pub mod onboard;
mod payments;
pub mod profile;
pub mod stores;

pub use payments::{
    DueInput, PaymentSettings, methods_for_new_orders, platform_bank, set_allowed_payments, set_payment_settings, set_platform_bank,
};

use crate::{Actor, App, AppError, Result};
use kippu_domain::MerchantId;
use kippu_store::merchants as repo;

pub use kippu_store::merchants::{MerchantRow, StoreRow, TerminalRow};

/// A store (店舗) and its terminals (端末).
pub struct StoreWithTerminals {
    pub store: StoreRow,
    pub terminals: Vec<TerminalRow>,
}

/// The merchant the actor belongs to; `None` for the platform.
/// The merchant's own profile and settings as 加盟店情報 and 決済設定 show them (bank account
/// included): administrators only.
pub async fn settings_view(app: &App, actor: &Actor) -> Result<Option<MerchantRow>> {
    // What the merchant's admin may change, only the merchant's admin reads (issue 25 item 8).
    profile::admin_merchant(actor)?;
    own(app, actor).await
}

pub async fn own(app: &App, actor: &Actor) -> Result<Option<MerchantRow>> {
    let Some(m) = actor.merchant_id else {
        return Ok(None);
    };
    let mut conn = app.store.conn().await?;
    Ok(repo::get(&mut conn, m).await?)
}

/// Every merchant, for the platform operator only.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<MerchantRow>> {
    actor.require_platform("the list of merchants is the platform's")?;
    let mut conn = app.store.conn().await?;
    Ok(repo::list(&mut conn).await?)
}

/// The actor's stores, each with its terminals.
pub async fn stores(app: &App, actor: &Actor) -> Result<Vec<StoreWithTerminals>> {
    // 管理者専用: what the settings pages show is the administrators' (issue 25 item 8).
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let mut out = Vec::new();
    for store in repo::list_stores(&mut conn, m).await? {
        let terminals = repo::list_terminals(&mut conn, m, store.id).await?;
        out.push(StoreWithTerminals { store, terminals });
    }
    Ok(out)
}

/// The merchant whose storefront is at `code`, if it is open for business: an unknown code is
/// not found, a suspended merchant is refused with the reason.
pub async fn storefront(app: &App, code: &str) -> Result<MerchantRow> {
    let mut conn = app.store.conn().await?;
    let m = repo::find_by_code(&mut conn, code).await?.ok_or(AppError::NotFound)?;
    if m.status == kippu_domain::account::MerchantStatus::Suspended {
        return Err(AppError::MerchantSuspended);
    }
    Ok(m)
}

/// The merchant behind an order the caller already holds (its name and storefront head the
/// buyer's pages).
pub async fn of_order(app: &App, m: MerchantId) -> Result<MerchantRow> {
    let mut conn = app.store.conn().await?;
    repo::get(&mut conn, m).await?.ok_or(AppError::NotFound)
}
