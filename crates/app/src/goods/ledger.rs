//! A customer's points (ポイント残高) as a ledger: activated points come in, 有効取消 takes them
//! back out, and the merchant's admin may adjust by hand with a note. No change takes a balance
//! below zero; every change is an entry with the balance after it, and audited.

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::goods::ledger::{LedgerReason, LedgerSource};
use kippu_domain::validate::{self, Collect, FieldError};
use kippu_store::goods::ledger::{self as repo, Entry};

pub use kippu_store::goods::PointRow;
pub use kippu_store::goods::ledger::LedgerRow;

/// Entries the customer page shows (newest first).
pub const LIMIT: i64 = 100;

/// A customer's balance, newest entries and each order's points (with their status); another
/// merchant's customer is not found.
pub async fn of_customer(app: &App, actor: &Actor, customer: i64) -> Result<CustomerPoints> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let (balance, entries) = repo::ledger_of(&mut conn, m, customer, LIMIT).await?.ok_or(AppError::NotFound)?;
    let earned = kippu_store::goods::points_of_customer(&mut conn, m, customer, LIMIT).await?;
    let who = kippu_store::people::get_customer(&mut conn, m, kippu_domain::CustomerId(customer))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(CustomerPoints {
        name: who.name,
        customer_number: who.customer_number,
        balance,
        entries,
        earned,
    })
}

/// A customer's ポイント残高・履歴: whose they are, the balance, the ledger and each order's points.
pub struct CustomerPoints {
    pub name: String,
    pub customer_number: i64,
    pub balance: i64,
    pub entries: Vec<LedgerRow>,
    pub earned: Vec<PointRow>,
}

/// 手動調整 as typed: points to add (or, with a minus, to take), and why.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Adjustment {
    #[serde(default)]
    pub points: String,
    #[serde(default)]
    pub note: String,
}

/// The most one adjustment may move: more is a typing error.
pub const MAX_ADJUSTMENT: i64 = 1_000_000;

/// Adjusts a customer's balance by hand (merchant admins only); the new balance.
pub async fn adjust(app: &App, actor: &Actor, customer: i64, a: &Adjustment) -> Result<i64> {
    let m = actor.merchant()?;
    actor.require_settings_rights()?;
    let mut errs = Collect::default();
    let delta = errs.take(
        kippu_domain::normalize::integer(&a.points)
            .filter(|d| *d != 0 && d.abs() <= MAX_ADJUSTMENT)
            .ok_or_else(|| {
                FieldError::new(
                    "points",
                    format!("加算は 100、減算は -100 のように、0以外の{MAX_ADJUSTMENT}以内の整数で入力してください"),
                )
            }),
    );
    let note = errs.take(validate::required_text("note", &a.note, 200));
    errs.finish()?;
    let (Some(delta), Some(note)) = (delta, note) else {
        return Err(AppError::Internal("an adjustment without a value but without an error".into()));
    };
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if repo::ledger_of(&mut tx, m, customer, 0).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let entry = Entry {
        merchant_id: m,
        customer_id: customer,
        order_id: None,
        delta,
        reason: LedgerReason::Adjusted,
        source: LedgerSource::Manual,
        note: &note,
        actor_label: &actor.label,
    };
    if let Err(overdrawn) = repo::post(&mut tx, &[entry], now).await? {
        return Err(FieldError::new("points", overdrawn.to_string()).into());
    }
    let (balance, _) = repo::ledger_of(&mut tx, m, customer, 0).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("ポイント手動調整", "customer", customer.to_string()),
        audit::NONE,
        Some(&serde_json::json!({"delta": delta, "balance": balance, "note": note})),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(balance)
}
