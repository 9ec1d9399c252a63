//! 受注編集: the merchant changes a goods order before 入金処理 — each destination's lines and
//! quantities, the 送料, the 代引手数料, the payment method and the points it spends — or, once
//! paid, only a destination's address, phone, date and time band (the rule:
//! `kippu_domain::goods::edit`). The total is recomputed with the order's own unit prices (a
//! product new to the order at its catalogue price), the 代引手数料 of the merchant's rule when the
//! order turns to cash on delivery; stock moves with the quantities; a 与信 card authorization is
//! replaced by one of the new total through the gateway before anything is written (its refusal
//! changes nothing); the コンビニ or bank instructions follow a method change; points are spent
//! from (or given back to) the customer's one ledger. One transaction writes the change, the
//! order's history entry in words and the audit row before → after.

use crate::goods::view::{self, GoodsView};
use crate::orders::OrderError;
use crate::{Actor, App, AppError, Result};
use kippu_domain::goods::edit::{self as rule, CardChange, EditError};
use kippu_domain::goods::ledger::LedgerReason;
use kippu_domain::order::PaymentMethod;
use kippu_domain::validate::FieldError;
use kippu_domain::{MerchantId, OrderId};
use kippu_store::AnyConnection;
use kippu_store::goods::ledger::{self as points_repo, Entry};
use kippu_store::goods::{self as repo};

mod ad_code;
mod request;
mod write;

pub use ad_code::set_ad_code;

use request::{Asked, Resolved, amounts_of, asked};
pub use request::{DestinationEdit, GoodsEditRequest};
use write::{Write, write};

/// The payment methods an order may be changed to: its own, and those the merchant has on that
/// fit its delivery (not a card: the buyer's card cannot be typed by the merchant).
pub async fn methods(app: &App, actor: &Actor, view: &GoodsView) -> Result<Vec<PaymentMethod>> {
    let m = actor.merchant()?;
    let merchant = {
        let mut conn = app.store.conn().await?;
        kippu_store::merchants::get(&mut conn, m).await?.ok_or(AppError::NotFound)?
    };
    let pickup = view.shipments.iter().any(|s| s.is_pickup());
    let mut out = vec![view.order.payment_method];
    for c in crate::storefront::goods_choices(&merchant).into_iter().filter(|c| c.fits(pickup)) {
        let method = c.method(merchant.card_mode);
        if !out.contains(&method) && !matches!(method, PaymentMethod::CardAuth | PaymentMethod::CardCapture) {
            out.push(method);
        }
    }
    Ok(out)
}

/// What the edit form shows: whether the amounts may still change, the customer's usable
/// points (those the order already spends included), and the methods to choose from.
pub struct EditForm {
    pub view: GoodsView,
    pub amounts_editable: bool,
    pub points_available: i64,
    pub methods: Vec<PaymentMethod>,
}

/// The order as the edit form starts from; refused (409) when it may not be edited at all.
pub async fn form(app: &App, actor: &Actor, number: &str) -> Result<EditForm> {
    let m = merchant_only(actor)?;
    let view = view::load(app, Some(m), number).await?;
    if let Some(r) = rule::refusal(&view.rule_view()) {
        return Err(OrderError::Edit(r).into());
    }
    let balance = balance_of(app, m, view.order.customer_id).await?;
    Ok(EditForm {
        amounts_editable: rule::amounts_editable(&view.rule_view()),
        points_available: balance + view.order.points_used,
        methods: methods(app, actor, &view).await?,
        view,
    })
}

fn merchant_only(actor: &Actor) -> Result<MerchantId> {
    if actor.is_platform() || actor.channel_id().is_some() {
        return Err(AppError::Forbidden("goods orders are edited by their merchant"));
    }
    actor.merchant()
}

async fn balance_of(app: &App, m: MerchantId, customer: Option<i64>) -> Result<i64> {
    let Some(c) = customer else { return Ok(0) };
    let mut conn = app.store.conn().await?;
    Ok(points_repo::ledger_of(&mut conn, m, c, 0).await?.map(|(b, _)| b).unwrap_or(0))
}

fn plan_of(e: EditError) -> AppError {
    match e {
        EditError::Refused(r) => OrderError::Edit(r).into(),
        EditError::Invalid(f) => f.into(),
    }
}

/// 受注編集 of goods order `number` by its merchant; the order as it is after.
pub async fn edit(app: &App, actor: &Actor, number: &str, r: &GoodsEditRequest) -> Result<GoodsView> {
    let m = merchant_only(actor)?;
    let first = view::load(app, Some(m), number).await?;
    if let Some(refusal) = rule::refusal(&first.rule_view()) {
        return Err(OrderError::Edit(refusal).into());
    }
    let stored = {
        let mut conn = app.store.conn().await?;
        repo::edit_lines_of(&mut conn, first.order.id).await?
    };
    let asked = asked(app, m, &first, &stored, r).await?;
    let (before, before_lines) = amounts_of(&first, &stored);
    let balance = balance_of(app, m, first.order.customer_id).await?;
    let contact_changed: Vec<bool> = asked.contacts.iter().map(Option::is_some).collect();
    let plan = rule::check(rule::Edit {
        order: &first.rule_view(),
        before: &before,
        after: asked.after.clone(),
        contact_changed: &contact_changed,
        balance,
    })
    .map_err(plan_of)?;
    if plan.points_delta != 0 && first.order.customer_id.is_none() {
        return Err(FieldError::new("points_used", "お客様の分からない注文ではポイントを使えません").into());
    }
    let merchant = {
        let mut conn = app.store.conn().await?;
        kippu_store::merchants::get(&mut conn, m).await?.ok_or(AppError::NotFound)?
    };
    let method_changed = plan.after.method != before.method;
    if method_changed {
        kippu_domain::order::check_method(&merchant.offered_payments, merchant.card_mode, plan.after.method)?;
    }
    // The payment company's number or the account to transfer to, for a method that has them;
    // a コンビニ number is for one amount, so a new total takes a new number.
    let konbini_amount_changed = plan.after.method == kippu_domain::order::PaymentMethod::Konbini && plan.after.total() != before.total();
    let issued = if method_changed || konbini_amount_changed {
        crate::payment_company::issue(app, &merchant, plan.after.method, app.clock.now()).await?
    } else {
        None
    };
    // The card company first: its refusal leaves the order as it was.
    let old_ref = first.order.gateway_ref.clone().unwrap_or_default();
    let new_ref = match plan.card {
        CardChange::Adjust(amount) => Some(app.gateway.reauthorize(&old_ref, amount).await.map_err(OrderError::from)?),
        _ => None,
    };
    let w = Write {
        actor,
        m,
        number,
        first: &first,
        before: &before,
        before_lines: &before_lines,
        asked: &asked,
        plan: &plan,
        new_ref: new_ref.as_deref(),
        issued: issued.as_ref(),
    };
    match write(app, &w).await {
        Ok(()) => {
            if plan.card == CardChange::Release
                && let Err(e) = app.gateway.void(&old_ref).await
            {
                tracing::error!(reference = old_ref, error = %e, "could not release the card authorization of an edited goods order");
            }
            view::load(app, Some(m), number).await
        }
        Err(e) => {
            if let Some(reference) = &new_ref {
                // Back to the amount the order still holds.
                match app.gateway.reauthorize(reference, before.total()).await {
                    Ok(back) => {
                        if let Err(s) = restore_reference(app, first.order.id, &back, before.total()).await {
                            tracing::error!(error = %s, "could not record the card authorization restored after a failed edit");
                        }
                    }
                    Err(g) => tracing::error!(reference, error = %g, "could not restore the card authorization of a failed edit"),
                }
            }
            Err(e)
        }
    }
}

async fn restore_reference(app: &App, order: OrderId, reference: &str, amount: i64) -> Result<()> {
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let expires = now + kippu_domain::web_ticket::AUTHORIZATION_DAYS * 86_400_000;
    repo::replace_authorization(&mut tx, order, reference, amount, expires, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A cancelled order gives back the points it spent (in the cancellation's transaction).
pub(super) async fn give_back_points(tx: &mut AnyConnection, o: &repo::GoodsOrderRow, actor_label: &str, now: i64) -> Result<()> {
    let (Some(customer), true) = (o.customer_id, o.points_used > 0) else {
        return Ok(());
    };
    let note = format!("受注 {} のキャンセルによるポイント利用の返還", o.order_number);
    let entry = Entry {
        merchant_id: o.merchant_id,
        customer_id: customer,
        order_id: Some(o.id.0),
        delta: o.points_used,
        reason: LedgerReason::Spent,
        source: kippu_domain::goods::ledger::LedgerSource::GoodsOrder,
        note: &note,
        actor_label,
    };
    points_repo::post(tx, &[entry], now)
        .await?
        .map_err(|e| AppError::Internal(format!("giving points back overdrew a balance: {e}")))
}

/// Whether the order may be edited at all (the order page's 「受注編集」 link).
pub fn can_edit(view: &GoodsView) -> bool {
    rule::refusal(&view.rule_view()).is_none()
}
