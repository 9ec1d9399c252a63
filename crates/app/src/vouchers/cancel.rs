//! 取消: the merchant cancels a payment within 24 hours of it, the platform operator at any time;
//! the amount goes back on the holder's balance, the memo and who did it are kept and audited.

use super::VoucherError;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::validate::FieldError;
use kippu_domain::voucher::payment::{Canceller, may_cancel};
use kippu_store::vouchers::payments::{self as repo, Cancellation, PaymentRow};

/// How long a cancel memo may be.
const MEMO_MAX: usize = 200;

fn canceller(actor: &Actor) -> Canceller {
    if actor.is_platform() {
        Canceller::Platform
    } else {
        Canceller::Merchant
    }
}

/// A payment of the actor's merchant (any merchant's for the platform) by its number; another
/// merchant's number is `NotFound`.
pub async fn payment(app: &App, actor: &Actor, number: &str) -> Result<PaymentRow> {
    let scope = actor.scope()?;
    let mut conn = app.store.conn().await?;
    repo::by_number(&mut conn, scope, number.trim()).await?.ok_or(AppError::NotFound)
}

/// Whether the actor may cancel this payment now: the one rule the 【取消】 button, the API and
/// the cancel itself follow.
pub fn cancellable(app: &App, actor: &Actor, p: &PaymentRow) -> std::result::Result<(), VoucherError> {
    may_cancel(p.paid_at, p.cancelled_at.is_some(), app.now_ms(), canceller(actor)).map_err(VoucherError::Cancel)
}

/// Cancels payment `number` with an optional memo.
pub async fn cancel(app: &App, actor: &Actor, number: &str, memo: &str) -> Result<PaymentRow> {
    let memo = memo.trim();
    if memo.chars().count() > MEMO_MAX {
        return Err(FieldError::new("memo", format!("取り消し理由は{MEMO_MAX}文字以内で入力してください")).into());
    }
    let p = payment(app, actor, number).await?;
    cancellable(app, actor, &p)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let c = Cancellation {
        payment: p.id,
        by_user: actor.user_id.map(|u| u.0),
        by_label: &actor.label,
        memo,
    };
    if !repo::cancel(&mut tx, &c, now).await? {
        return Err(VoucherError::Cancel(kippu_domain::voucher::payment::CancelRefusal::AlreadyCancelled).into());
    }
    let balance = repo::credit(&mut tx, p.account_id, p.amount).await?;
    let before = serde_json::json!({"amount": p.amount, "paid_at": p.paid_at});
    let after =
        serde_json::json!({"memo": memo, "balance_after": balance, "by": if actor.is_platform() { "platform" } else { "merchant" }});
    audit::record(
        &mut tx,
        actor,
        Some(kippu_domain::MerchantId(p.merchant_id)),
        audit::Subject::new("cancel", "voucher_payment", &p.payment_number),
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    let row = repo::by_number(&mut tx, None, &p.payment_number).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}
