//! Merchants as the back office and the storefront read them: the actor's own merchant, the
//! platform's list, a merchant's stores with their terminals, an open storefront by code.

pub mod onboard;
pub mod profile;
pub mod stores;

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

/// The storefront's payment settings as typed on the settings page.
pub struct PaymentSettings<'a> {
    pub card_mode: &'a str,
    pub bank_account: &'a str,
    /// The choices ticked (`card`, `bank`, `venue`); `None` leaves them as they are (a client
    /// that does not send them).
    pub offered: Option<Vec<&'a str>>,
}

/// Sets what 「クレジットカード」 and 「銀行振込」 take on the merchant's storefront; the merchant's
/// admin only. Both fields are checked before answering.
pub async fn set_payment_settings(app: &App, actor: &Actor, s: PaymentSettings<'_>) -> Result<()> {
    use kippu_domain::order::{BANK_ACCOUNTS, CARD_MODES, PaymentMethod};
    use kippu_domain::validate::{Collect, FieldError};
    let m = actor.merchant()?;
    if actor.role != kippu_domain::account::Role::MerchantAdmin {
        return Err(AppError::Forbidden("payment settings are the merchant admin's"));
    }
    let mut errs = Collect::default();
    let pick = |field: &'static str, code: &str, allowed: &[PaymentMethod]| {
        PaymentMethod::parse(code)
            .filter(|p| allowed.contains(p))
            .ok_or_else(|| FieldError::new(field, "選択肢から選んでください"))
    };
    let card = errs.take(pick("card_mode", s.card_mode, &CARD_MODES));
    let bank = errs.take(pick("bank_account", s.bank_account, &BANK_ACCOUNTS));
    let offered = match &s.offered {
        None => Some(None),
        Some(codes) => errs
            .take(
                codes
                    .iter()
                    .map(|c| kippu_domain::order::BuyerPayment::parse(c.trim()))
                    .collect::<Option<Vec<_>>>()
                    .and_then(|c| kippu_domain::order::Offered::of(&c))
                    .ok_or_else(|| FieldError::new("offered", "お客様に表示するお支払い方法を1つ以上選んでください")),
            )
            .map(Some),
    };
    errs.finish()?;
    let (Some(card), Some(bank), Some(offered)) = (card, bank, offered) else {
        return Err(AppError::Internal("a setting without a value but without an error".into()));
    };
    let mut tx = app.store.begin().await?;
    let before = repo::get(&mut tx, m).await?.ok_or(AppError::NotFound)?;
    let offered = offered.unwrap_or_else(|| before.offered_payments.clone());
    repo::set_payment_settings(&mut tx, m, card, bank, &offered).await?;
    crate::audit::record(
        &mut tx,
        actor,
        Some(m),
        crate::audit::Subject::new("update", "merchant", &before.code),
        Some(
            &serde_json::json!({"card_mode": before.card_mode.as_str(), "bank_account": before.bank_account.as_str(),
                                 "offered": before.offered_payments.to_code()}),
        ),
        Some(&serde_json::json!({"card_mode": card.as_str(), "bank_account": bank.as_str(), "offered": offered.to_code()})),
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
