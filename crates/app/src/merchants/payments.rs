//! What a merchant's storefront takes: the choices the platform operator enables (its payment
//! contracts), and within them the merchant admin's 決済設定 (which choices are shown, the card
//! mode and the bank account behind them).

use super::repo;
use crate::{Actor, App, AppError, Result};
use kippu_domain::order::{MethodFamily, Offered};
use kippu_domain::validate::FieldError;

/// Method families typed as codes (`card`, `bank`, `venue`, `cod`, `konbini`, `store_pay`), at
/// least one.
fn choices(field: &'static str, codes: &[&str], none: &str) -> std::result::Result<Offered, FieldError> {
    if codes.len() > MethodFamily::ALL.len() * 2 {
        return Err(FieldError::new(
            field,
            format!("決済方法は{}件までです", MethodFamily::ALL.len() * 2),
        ));
    }
    let parsed: Option<Vec<MethodFamily>> = codes.iter().map(|c| MethodFamily::parse(c.trim())).collect();
    match parsed {
        None => Err(FieldError::new(
            field,
            "card, bank, venue, cod, konbini, store_pay から選んでください",
        )),
        Some(c) => Offered::of(&c).ok_or_else(|| FieldError::new(field, none)),
    }
}

/// The platform operator sets which choices a merchant may take (e.g. no card before its card
/// contract). The storefront's offer shrinks to them at once; orders of every channel are
/// checked against them.
pub async fn set_allowed_payments(app: &App, actor: &Actor, merchant_code: &str, codes: &[&str]) -> Result<Offered> {
    actor.require_platform("the payment methods a merchant may take are the platform's")?;
    let allowed = choices("allowed", codes, "有効にするお支払い方法を1つ以上選んでください")?;
    let mut tx = app.store.begin().await?;
    let m = repo::find_by_code(&mut tx, merchant_code).await?.ok_or(AppError::NotFound)?;
    let offered = m.offered_payments.within(&allowed);
    repo::set_allowed_payments(&mut tx, m.id, &allowed, &offered).await?;
    crate::audit::record(
        &mut tx,
        actor,
        Some(m.id),
        crate::audit::Subject::new("set_allowed_payments", "merchant", merchant_code),
        Some(&serde_json::json!({"allowed": m.allowed_payments.to_code(), "offered": m.offered_payments.to_code()})),
        Some(&serde_json::json!({"allowed": allowed.to_code(), "offered": offered.to_code()})),
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(allowed)
}

/// The payment methods the actor's merchant takes on a NEW order now, on every channel: the
/// families it has switched on (within what the platform allows) and its card mode. Forms and
/// bulk paths that make orders offer these; searches over existing orders keep every method.
pub async fn methods_for_new_orders(app: &App, actor: &Actor) -> Result<Vec<kippu_domain::order::PaymentMethod>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let row = repo::get(&mut conn, m).await?.ok_or(AppError::NotFound)?;
    Ok(kippu_domain::order::methods_on(&row.offered_payments, row.card_mode))
}

/// The storefront's payment settings as typed on the settings page.
pub struct PaymentSettings<'a> {
    pub card_mode: &'a str,
    pub bank_account: &'a str,
    /// The families switched on (`card`, `bank`, `venue`, `cod`, `konbini`, `store_pay`);
    /// `None` leaves them as they are (a client that does not send them).
    pub offered: Option<Vec<&'a str>>,
    /// 振込期限 (days), リマインド (days before it, 0: none), コンビニ支払期限 (days), and whether
    /// unpaid orders past the deadline are cancelled; `None` leaves them as they are.
    pub due: Option<DueInput<'a>>,
}

/// 決済設定's deadlines as typed.
pub struct DueInput<'a> {
    pub bank_due_days: &'a str,
    pub bank_reminder_days: &'a str,
    pub konbini_due_days: &'a str,
    pub cancel_unpaid: bool,
}

/// Sets what 「クレジットカード」 and 「銀行振込」 take on the merchant's storefront; the merchant's
/// admin only. Both fields are checked before answering.
pub async fn set_payment_settings(app: &App, actor: &Actor, s: PaymentSettings<'_>) -> Result<()> {
    use kippu_domain::order::{BANK_ACCOUNTS, CARD_MODES, PaymentMethod};
    use kippu_domain::validate::Collect;
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
    let mut tx = app.store.begin().await?;
    let before = repo::get(&mut tx, m).await?.ok_or(AppError::NotFound)?;
    let card = errs.take(pick("card_mode", s.card_mode, &CARD_MODES));
    let bank = errs.take(pick("bank_account", s.bank_account, &BANK_ACCOUNTS));
    let offered = match &s.offered {
        None => Some(None),
        Some(codes) => errs
            .take(choices("offered", codes, "利用する決済方法を1つ以上選んでください").and_then(|o| {
                match o.families().iter().find(|c| !before.allowed_payments.has(**c)) {
                    Some(c) => Err(FieldError::new(
                        "offered",
                        format!("「{}」はプラットフォームで有効になっていないため利用できません", c.label_ja()),
                    )),
                    None => Ok(o),
                }
            }))
            .map(Some),
    };
    let due = match &s.due {
        None => Some(before.due_settings()),
        Some(d) => errs.take_all(kippu_domain::payment_due::DueSettings::check(
            d.bank_due_days,
            d.bank_reminder_days,
            d.konbini_due_days,
            d.cancel_unpaid,
        )),
    };
    errs.finish()?;
    let (Some(card), Some(bank), Some(offered), Some(due)) = (card, bank, offered, due) else {
        return Err(AppError::Internal("a setting without a value but without an error".into()));
    };
    let offered = offered.unwrap_or_else(|| before.offered_payments.clone());
    repo::set_payment_settings(&mut tx, m, card, bank, &offered).await?;
    repo::set_due_settings(&mut tx, m, &due).await?;
    crate::audit::record(
        &mut tx,
        actor,
        Some(m),
        crate::audit::Subject::new("update", "merchant", &before.code),
        Some(
            &serde_json::json!({"card_mode": before.card_mode.as_str(), "bank_account": before.bank_account.as_str(),
                                 "offered": before.offered_payments.to_code(), "due": due_json(&before.due_settings())}),
        ),
        Some(&serde_json::json!({"card_mode": card.as_str(), "bank_account": bank.as_str(), "offered": offered.to_code(), "due": due_json(&due)})),
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn due_json(d: &kippu_domain::payment_due::DueSettings) -> serde_json::Value {
    serde_json::json!({"bank_due_days": d.bank_due_days, "bank_reminder_days": d.bank_reminder_days,
                       "konbini_due_days": d.konbini_due_days, "cancel_unpaid": d.cancel_unpaid})
}

/// The platform's (事務局) account as the operator's screen shows it: the form filled from it
/// (the account number left empty: never sent to a browser whole) and the stored account
/// masked (`None` before one is set).
pub async fn platform_bank(app: &App, actor: &Actor) -> Result<(kippu_domain::merchant::BankInput, Option<kippu_domain::label::Said>)> {
    actor.require_platform("the platform's account is the platform's")?;
    let mut conn = app.store.conn().await?;
    let b = repo::platform_bank(&mut conn).await?;
    let form = kippu_domain::merchant::BankInput {
        bank_name: b.bank_name.clone(),
        branch_name: b.branch_name.clone(),
        account_kind: if b.bank_name.is_empty() {
            String::new()
        } else {
            b.kind.as_str().to_string()
        },
        account_number: String::new(),
        account_holder: b.holder.clone(),
    };
    let summary = (!b.number.is_empty()).then(|| {
        let with_kind = |kind: &str| {
            format!(
                "{} {} {kind} {} {}",
                b.bank_name,
                b.branch_name,
                kippu_domain::merchant::masked_number(&b.number),
                b.holder
            )
        };
        let l = b.kind.label();
        kippu_domain::label::Said::new(with_kind(l.ja), with_kind(l.en))
    });
    Ok((form, summary))
}

/// The platform operator sets the platform's (事務局) account, which 銀行振込・事務局口座 is
/// paid into; orders placed afterwards show it. Every field is checked at once; an empty
/// account number keeps the stored one. Audited with the number masked.
pub async fn set_platform_bank(app: &App, actor: &Actor, input: &kippu_domain::merchant::BankInput) -> Result<()> {
    use kippu_domain::merchant::masked_number;
    actor.require_platform("the platform's account is the platform's")?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    repo::ensure_platform(&mut tx, "kippu", now).await?;
    let before = repo::platform_bank(&mut tx).await?;
    let stored = Some(before.number.as_str()).filter(|n| !n.is_empty());
    let account = input.check(stored)?;
    repo::set_platform_bank(&mut tx, &account).await?;
    let json = |a: &kippu_domain::merchant::BankAccount| {
        serde_json::json!({"bank_name": a.bank_name, "branch": a.branch_name, "kind": a.kind.as_str(),
                           "number": masked_number(&a.number), "holder": a.holder})
    };
    crate::audit::record(
        &mut tx,
        actor,
        None,
        crate::audit::Subject::new("update", "platform_bank", "platform"),
        Some(&json(&before)),
        Some(&json(&account)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
