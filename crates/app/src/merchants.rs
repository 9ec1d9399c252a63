//! Merchants as the back office and the storefront read them: the actor's own merchant, the
//! platform's list, a merchant's stores with their terminals, an open storefront by code.

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
pub async fn own(app: &App, actor: &Actor) -> Result<Option<MerchantRow>> {
    let Some(m) = actor.merchant_id else {
        return Ok(None);
    };
    let mut conn = app.store.conn().await?;
    Ok(repo::get(&mut conn, m).await?)
}

/// Every merchant, for the platform operator only.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<MerchantRow>> {
    if !actor.is_platform() {
        return Err(AppError::Forbidden("the list of merchants is the platform's"));
    }
    let mut conn = app.store.conn().await?;
    Ok(repo::list(&mut conn).await?)
}

/// The actor's stores, each with its terminals.
pub async fn stores(app: &App, actor: &Actor) -> Result<Vec<StoreWithTerminals>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let mut out = Vec::new();
    for store in repo::list_stores(&mut conn, m).await? {
        let terminals = repo::list_terminals(&mut conn, m, store.id).await?;
        out.push(StoreWithTerminals { store, terminals });
    }
    Ok(out)
}

/// The merchant whose storefront is at `code`, if it is open for business: a suspended or
/// unknown merchant is simply not found.
pub async fn storefront(app: &App, code: &str) -> Result<MerchantRow> {
    let mut conn = app.store.conn().await?;
    repo::find_by_code(&mut conn, code)
        .await?
        .filter(|m| m.status == kippu_domain::account::MerchantStatus::Active)
        .ok_or(AppError::NotFound)
}

/// The display name of the merchant behind an order the caller already holds.
pub async fn name_of(app: &App, m: MerchantId) -> Result<String> {
    let mut conn = app.store.conn().await?;
    Ok(repo::get(&mut conn, m).await?.map(|m| m.name).unwrap_or_default())
}
