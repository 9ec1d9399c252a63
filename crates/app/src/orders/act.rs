//! Moving an order through its flow, one action at a time, and changing its tickets.

use super::{OrderError, mail, view};
use crate::notify::templates;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::clock::{from_millis, to_millis};
use kippu_domain::order::MessageSender;
use kippu_domain::throttle::ThrottleState;
use kippu_domain::validate::{self, FieldError};
use kippu_domain::web_ticket::multi_use;
use kippu_domain::web_ticket::{self, Action, Effect, Party, Transition, Usage};
use kippu_store::orders::{self, OrderRow};

pub struct ActOutcome {
    pub order: view::OrderView,
    pub transition: Transition,
}

use super::next::{check, party_of};

/// Checks a PIN typed on the customer's online slip: five wrong PINs lock the slip for 15
/// minutes. The failure count is committed even though the action is refused.
async fn check_pin(app: &App, o: &OrderRow, pin: &str) -> Result<()> {
    let now = app.clock.now();
    let state = ThrottleState {
        failures: o.pin_failures,
        locked_until: o.pin_locked_until.map(from_millis),
    };
    if state.is_locked(now) {
        let left = state.locked_until.map(|t| (t - now).whole_seconds()).unwrap_or(0);
        return Err(OrderError::PinLocked {
            minutes: ((left + 59) / 60).max(1),
        }
        .into());
    }
    if o.pin.as_deref().is_some_and(|p| crate::secrets::constant_time_eq(p, pin.trim())) {
        return Ok(());
    }
    let next = state.after_failure(now);
    let mut tx = app.store.begin().await?;
    orders::set_pin_throttle(&mut tx, o.id, next.failures, next.locked_until.map(to_millis)).await?;
    tx.commit().await?;
    if next.is_locked(now) {
        return Err(OrderError::PinLocked {
            minutes: kippu_domain::throttle::LOCK_MINUTES,
        }
        .into());
    }
    Err(OrderError::WrongPin {
        left: kippu_domain::throttle::MAX_FAILURES - next.failures,
    }
    .into())
}

/// Carries out `action` on order `number`. `slip_pin` is the PIN typed on the customer's online
/// slip (receipt only). Gateway calls happen before the transaction; the status change, its
/// history, fees, stock and emails are written together, and only if the order is still in
/// the status the action was checked against.
pub async fn act(app: &App, actor: &Actor, number: &str, action: Action, slip_pin: Option<&str>) -> Result<ActOutcome> {
    let (m, transition) = act_core(app, actor, number, action, slip_pin).await?;
    Ok(ActOutcome {
        order: view::load(app, Some(m), number).await?,
        transition,
    })
}

/// [`act`] without reading the whole order back afterwards (bulk actions need only the verdict).
pub(crate) async fn act_core(
    app: &App,
    actor: &Actor,
    number: &str,
    action: Action,
    slip_pin: Option<&str>,
) -> Result<(MerchantId, Transition)> {
    let scope = actor.scope()?;
    let party = if slip_pin.is_some() { Party::Slip } else { party_of(actor) };
    let first = {
        let mut conn = app.store.conn().await?;
        orders::order_by_number(&mut conn, app.store.backend(), scope, number, false)
            .await?
            .filter(|o| {
                o.kind == kippu_domain::catalog::ProductKind::WebTicket || o.kind == kippu_domain::catalog::ProductKind::Reservation
            })
            .ok_or(AppError::NotFound)?
    };
    let planned = check(&first, action, party, app.clock.now())?;
    if let Some(pin) = slip_pin {
        check_pin(app, &first, pin).await?;
    }
    let reference = first.gateway_ref.clone().unwrap_or_default();
    for e in &planned.effects {
        match e {
            Effect::CaptureCard => app.gateway.capture(&reference, first.amount).await.map_err(OrderError::from)?,
            Effect::VoidAuthorization => app.gateway.void(&reference).await.map_err(OrderError::from)?,
            Effect::RefundCard => app.gateway.refund(&reference, first.amount).await.map_err(OrderError::from)?,
            _ => {}
        }
    }

    let now = app.clock.now();
    let now_ms = to_millis(now);
    let mut tx = app.store.begin().await?;
    let o = orders::order_by_number(&mut tx, app.store.backend(), scope, number, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.status != first.status {
        return Err(OrderError::Changed.into());
    }
    let t = check(&o, action, party, now)?;
    let m = o.merchant_id;
    if !orders::set_status(&mut tx, o.id, &t.change(), now_ms).await? {
        return Err(OrderError::Changed.into());
    }
    for e in &t.effects {
        match e {
            Effect::CaptureCard => orders::update_payment(&mut tx, o.id, "captured", Some(now_ms), None, now_ms).await?,
            Effect::VoidAuthorization => orders::update_payment(&mut tx, o.id, "voided", None, None, now_ms).await?,
            Effect::RefundCard => {
                orders::update_payment(&mut tx, o.id, "refunded", None, Some(o.amount), now_ms).await?;
                orders::set_refunded(&mut tx, o.id, o.amount).await?;
            }
            Effect::RestoreStock => orders::restore_stock(&mut tx, o.id, now_ms).await?,
            Effect::ChargeCancelRequestFee => {
                let fee = kippu_domain::Yen(web_ticket::CANCEL_REQUEST_FEE)
                    .with_tax(kippu_domain::money::TaxRate::Standard10)
                    .0;
                orders::add_cancel_fee(&mut tx, o.id, fee).await?;
            }
            _ => {}
        }
    }
    if t.to == web_ticket::Status::Cancelled {
        // A cancelled order gives its coupon use back, as a goods order does.
        kippu_store::coupons::release_use(&mut tx, m, o.id.0, now_ms).await?;
    }
    if slip_pin.is_some() {
        orders::set_pin_throttle(&mut tx, o.id, 0, None).await?;
        // 【暗証番号を入れてポイント発行】: the slip also issues the order's points (1 per 100 yen),
        // usable at once, as entries of the customer's one ledger.
        let issue = kippu_store::goods::Issue {
            merchant: m,
            customer_id: o.customer_id,
            order_id: o.id,
            points: o.amount / 100,
            source: kippu_domain::goods::ledger::LedgerSource::VenueSlip,
            actor_label: &actor.label,
            at: now_ms,
        };
        // Only points coming in: an overdraft here is a bug.
        kippu_store::goods::issue_points(&mut tx, &issue)
            .await?
            .map_err(|o| AppError::Internal(o.to_string()))?;
    }
    let note = match (action, slip_pin) {
        (Action::Receive, Some(_)) => "オンライン伝票（暗証番号）",
        (Action::SendSilently, _) => "送信せずに送信済み",
        _ => action.label_ja(),
    };
    orders::insert_history(
        &mut tx,
        &orders::HistoryEntry {
            merchant_id: m,
            order_id: o.id,
            ticket_id: None,
            flow: "web_ticket",
            from_status: Some(t.from.as_str()),
            to_status: t.to.as_str(),
            actor_user_id: actor.user_id.map(|u| u.0),
            actor_label: &actor.label,
            note,
            at: now_ms,
        },
    )
    .await?;
    let after_row = orders::order_by_number(&mut tx, app.store.backend(), Some(m), number, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let tickets = orders::tickets_of_orders(&mut tx, &[o.id]).await?;
    let vars = mail::vars(&mut tx, app, &after_row, &tickets).await?;
    for e in &t.effects {
        match e {
            Effect::MailMerchantDeposit => mail::to_merchant(&mut tx, app, &after_row, templates::DEPOSIT_NOTICE, &vars).await?,
            Effect::MailCustomerPaymentConfirmed => {
                mail::to_customer(&mut tx, app, &after_row, templates::PAYMENT_CONFIRMED, &vars, true).await?
            }
            Effect::MailCustomerThanks => mail::to_customer(&mut tx, app, &after_row, templates::THANKS, &vars, true).await?,
            Effect::MailTickets => mail::to_customer(&mut tx, app, &after_row, templates::TICKET_SEND, &vars, true).await?,
            Effect::MailCancelled => mail::to_customer(&mut tx, app, &after_row, templates::ORDER_CANCELLED, &vars, false).await?,
            _ => {}
        }
    }
    let before = serde_json::json!({"status": t.from.as_str()});
    let after = serde_json::json!({"status": t.to.as_str(), "action": action.as_str()});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(action.as_str(), "order", number),
        Some(&before),
        Some(&after),
        now_ms,
    )
    .await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok((m, t))
}

/// 自分にテスト送信: the ticket email of this order to the acting user's own address. Nothing
/// about the order changes.
pub async fn test_send(app: &App, actor: &Actor, number: &str) -> Result<String> {
    let scope = actor.scope()?;
    let v = view::load(app, scope, number).await?;
    let user = actor.user_id.ok_or(AppError::Forbidden("test sending needs a signed-in user"))?;
    let mut tx = app.store.begin().await?;
    let email = kippu_store::people::get_user(&mut tx, user)
        .await?
        .map(|u| u.email)
        .unwrap_or_default();
    if email.is_empty() {
        return Err(FieldError::new("email", "アカウントにメールアドレスが登録されていません").into());
    }
    let vars = mail::vars(&mut tx, app, &v.order, &v.tickets).await?;
    let m = v.order.merchant_id;
    crate::notify::queue_email(
        &mut tx,
        app,
        Some(m),
        templates::TICKET_SEND,
        &email,
        &serde_json::Value::Object(vars),
        Some(v.order.id),
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("test_send", "order", number),
        audit::NONE,
        Some(&serde_json::json!({"to": email})),
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(email)
}

/// A ticket and its order, within the actor's merchant, or within the order behind
/// `order_token` (the buyer's "my web tickets"): a ticket of any other order is not found.
pub(super) async fn ticket_of(
    tx: &mut kippu_store::AnyConnection,
    app: &App,
    actor: &Actor,
    ticket_number: &str,
    order_token: Option<&str>,
) -> Result<(orders::OrderRow, orders::TicketRow)> {
    let order = match order_token {
        Some(token) => orders::order_by_access_token(tx, token).await?.ok_or(AppError::NotFound)?,
        None => {
            let m = actor.merchant()?;
            let t = orders::ticket_by_number(tx, m, ticket_number).await?.ok_or(AppError::NotFound)?;
            let number: String = orders::order_number_of(tx, t.order_id).await?;
            orders::order_by_number(tx, app.store.backend(), Some(m), &number, true)
                .await?
                .ok_or(AppError::NotFound)?
        }
    };
    let t = orders::ticket_by_number(tx, order.merchant_id, ticket_number)
        .await?
        .filter(|t| t.order_id == order.id)
        .ok_or(AppError::NotFound)?;
    Ok((order, t))
}

/// Marks a ticket used (`true`) or back to unused (`false`). `order_token` is set when the
/// customer does it from "my web tickets"; the ticket must then belong to that order.
pub async fn change_usage(app: &App, actor: &Actor, ticket_number: &str, used: bool, order_token: Option<&str>) -> Result<view::OrderView> {
    let now_ms = app.now_ms();
    let mut tx = app.store.begin().await?;
    let (order, t) = ticket_of(&mut tx, app, actor, ticket_number, order_token).await?;
    let m = order.merchant_id;
    if order.kind == kippu_domain::catalog::ProductKind::Reservation {
        // A reservation is used by redemption at the door, on its day; a no-show is final.
        if t.status == kippu_domain::reservation::TicketState::NoShow {
            return Err(OrderError::NoShowFinal.into());
        }
        return Err(FieldError::new(
            "ticket_number",
            "予約のeチケットは引き換え画面（6桁のeチケットIDかQRコード）で来店日に引き換えます",
        )
        .into());
    }
    let multi = t.is_multi_use();
    // A 回数券's uses are counted under the ticket's row lock: two taps at once never spend
    // more uses than it has.
    let t = if multi {
        orders::lock_ticket(&mut tx, t.id).await?;
        orders::ticket_by_number(&mut tx, m, ticket_number)
            .await?
            .ok_or(AppError::NotFound)?
    } else {
        t
    };
    let status = order.status;
    let current = t.usage;
    let uses = t.uses();
    let after_uses = multi_use::change_uses(status, uses, used).map_err(OrderError::from)?;
    let next = after_uses.usage();
    if multi {
        if used {
            orders::insert_use(&mut tx, m, t.id, now_ms, &actor.label).await?;
        } else {
            orders::delete_last_use(&mut tx, t.id).await?;
        }
    }
    if next != current {
        let used_at = (next == Usage::Used).then_some(now_ms);
        if !orders::set_usage(&mut tx, t.id, current.as_str(), next.as_str(), used_at, actor.user_id.map(|u| u.0)).await? {
            return Err(OrderError::Changed.into());
        }
    }
    let note = if multi {
        format!("{} {}/{}回", t.ticket_number, after_uses.spent, after_uses.total)
    } else {
        t.ticket_number.clone()
    };
    orders::insert_history(
        &mut tx,
        &orders::HistoryEntry {
            merchant_id: m,
            order_id: order.id,
            ticket_id: Some(t.id),
            flow: "usage",
            from_status: Some(current.as_str()),
            to_status: next.as_str(),
            actor_user_id: actor.user_id.map(|u| u.0),
            actor_label: &actor.label,
            note: &note,
            at: now_ms,
        },
    )
    .await?;
    let before = serde_json::json!({"usage": current.as_str(), "uses": uses.spent});
    let after = serde_json::json!({"usage": next.as_str(), "uses": after_uses.spent});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(if used { "use" } else { "unuse" }, "ticket", ticket_number),
        Some(&before),
        Some(&after),
        now_ms,
    )
    .await?;
    tx.commit().await?;
    view::load(app, Some(m), &order.order_number).await
}

/// Posts a message in the order's thread: by the merchant (`order_token` is `None`) or by the
/// buyer from "my web tickets" (`order_token` is the order's link token).
pub async fn post_message(app: &App, actor: &Actor, number: &str, body: &str, order_token: Option<&str>) -> Result<()> {
    let body = validate::multiline_text("body", body, 2000)?;
    let now_ms = app.now_ms();
    let mut tx = app.store.begin().await?;
    let o = match order_token {
        Some(token) => orders::order_by_access_token(&mut tx, token).await?.ok_or(AppError::NotFound)?,
        None => orders::order_by_number(&mut tx, app.store.backend(), Some(actor.merchant()?), number, false)
            .await?
            .ok_or(AppError::NotFound)?,
    };
    let m = o.merchant_id;
    let sender = if order_token.is_some() {
        MessageSender::Buyer
    } else {
        MessageSender::Merchant
    };
    orders::post_message(
        &mut tx,
        &orders::NewMessage {
            m,
            order_id: o.id,
            sender,
            user: actor.user_id.map(|u| u.0),
            subject: "",
            body: &body,
        },
        now_ms,
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("message", "order", &o.order_number),
        audit::NONE,
        Some(&serde_json::json!({"sender": sender})),
        now_ms,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 受注キャンセル of any order, decided by what the order is: a reservation is cancelled under
/// its policy (or for force majeure when the merchant gives a reason), a web ticket by its
/// flow's transition. The one entry point the API and the pages use.
pub async fn cancel(
    app: &App,
    actor: &Actor,
    number: &str,
    merchant_reason: Option<kippu_domain::reservation::MerchantReason>,
) -> Result<view::OrderView> {
    use crate::reservations::cancel::{self as rsv, Target};
    use kippu_domain::reservation::Canceller;
    let order = view::get(app, actor, number).await?;
    if order.order.kind == kippu_domain::catalog::ProductKind::Reservation && !actor.is_platform() {
        let who = match merchant_reason {
            Some(r) => Canceller::Merchant(r),
            None => Canceller::Customer,
        };
        return Ok(rsv::cancel(app, actor, Target::Number(number), who).await?.order);
    }
    Ok(act(app, actor, number, Action::Cancel, None).await?.order)
}
