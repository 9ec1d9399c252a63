//! Cancelling a reservation: by the customer under the booking's cancellation policy, or by the
//! merchant for force majeure with a full refund. The decision is
//! [`kippu_domain::reservation::plan_cancel`]; this applies it: gateway calls first, then the
//! status, money, stock, history, emails and audit in one transaction.

use super::policy_of;
use crate::orders::{OrderError, OrderView};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::order::Side;
use kippu_domain::reservation::{CancelEffect, CancelFacts, CancelPlan, Canceller, plan_cancel};
use kippu_domain::web_ticket::{self, Status};
use kippu_store::orders::{self, OrderRow};
use kippu_store::reservations::{self as repo, CancelWrite};

/// Which reservation: by order number within the actor's merchant, or by the customer's link.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Number(&'a str),
    Token(&'a str),
}

pub struct CancelOutcome {
    pub order: OrderView,
    pub fee_kept: i64,
    pub refunded: i64,
    pub percent_kept: u32,
}

async fn find(app: &App, actor: &Actor, target: Target<'_>, lock: bool, conn: &mut kippu_store::AnyConnection) -> Result<OrderRow> {
    let o = match target {
        Target::Number(n) => orders::order_by_number(conn, app.store.backend(), Some(actor.merchant()?), n, lock).await?,
        Target::Token(t) => orders::order_by_access_token(conn, t).await?,
    };
    o.filter(|o| o.kind == kippu_domain::catalog::ProductKind::Reservation)
        .ok_or(AppError::NotFound)
}

/// What cancelling now would do, without doing it: the customer's page shows the fee before
/// the button, or why there is no button.
pub async fn preview(app: &App, actor: &Actor, target: Target<'_>, who: &Canceller) -> Result<std::result::Result<CancelPlan, OrderError>> {
    let mut conn = app.store.conn().await?;
    let o = find(app, actor, target, false, &mut conn).await?;
    let tickets = orders::tickets_of_orders(&mut conn, &[o.id]).await?;
    Ok(plan(app, &o, &tickets, who).map_err(OrderError::from))
}

fn plan(
    app: &App,
    o: &OrderRow,
    tickets: &[orders::TicketRow],
    who: &Canceller,
) -> std::result::Result<CancelPlan, kippu_domain::reservation::CancelReservationRefusal> {
    let visit = o
        .visit_date
        .as_deref()
        .and_then(kippu_domain::clock::parse_date)
        .unwrap_or(time::Date::MIN);
    let facts = CancelFacts {
        method: o.payment_method,
        status: o.status,
        redeemed: tickets.iter().any(|t| t.redeemed_at.is_some()),
        no_show: tickets.iter().any(|t| t.status == kippu_domain::reservation::TicketState::NoShow),
        amount: o.amount,
        visit,
        today: app.clock.today(),
    };
    plan_cancel(&facts, who, &policy_of(o))
}

/// Cancels the reservation. The API and "my tickets" cancel as the customer (the policy
/// applies); the order page cancels as the merchant with a reason (full refund).
pub async fn cancel(app: &App, actor: &Actor, target: Target<'_>, who: Canceller) -> Result<CancelOutcome> {
    let first = {
        let mut conn = app.store.conn().await?;
        let o = find(app, actor, target, false, &mut conn).await?;
        let tickets = orders::tickets_of_orders(&mut conn, &[o.id]).await?;
        (o, tickets)
    };
    let planned = plan(app, &first.0, &first.1, &who).map_err(OrderError::from)?;
    // Money moves at the gateway before the write; the write then checks nothing changed.
    let reference = first.0.gateway_ref.clone().unwrap_or_default();
    for e in &planned.effects {
        match *e {
            CancelEffect::CaptureCard(fee) => app.gateway.capture(&reference, fee).await.map_err(OrderError::from)?,
            CancelEffect::VoidAuthorization => app.gateway.void(&reference).await.map_err(OrderError::from)?,
            CancelEffect::RefundCard(amount) => app.gateway.refund(&reference, amount).await.map_err(OrderError::from)?,
            _ => {}
        }
    }
    let now_ms = app.now_ms();
    let mut tx = app.store.begin().await?;
    let o = find(app, actor, target, true, &mut tx).await?;
    let m = o.merchant_id;
    let (reason, by) = match &who {
        Canceller::Customer => (String::new(), Side::Customer),
        Canceller::Merchant(r) => (r.label_ja(), Side::Merchant),
    };
    let crf = if planned.effects.contains(&CancelEffect::ChargeCancelRequestFee) {
        kippu_domain::Yen(web_ticket::CANCEL_REQUEST_FEE)
            .with_tax(kippu_domain::money::TaxRate::Standard10)
            .0
    } else {
        0
    };
    let written = repo::cancel(
        &mut tx,
        &CancelWrite {
            order_id: o.id,
            from_status: first.0.status,
            fee_kept: planned.fee_kept,
            refunded: planned.refunded,
            cancel_request_fee: crf,
            reason: &reason,
            by,
            now: now_ms,
        },
    )
    .await?;
    if !written {
        return Err(OrderError::Changed.into());
    }
    for e in &planned.effects {
        match *e {
            CancelEffect::CaptureCard(_) => orders::update_payment(&mut tx, o.id, "captured", Some(now_ms), None, now_ms).await?,
            CancelEffect::VoidAuthorization => orders::update_payment(&mut tx, o.id, "voided", None, None, now_ms).await?,
            CancelEffect::RefundCard(amount) => orders::update_payment(&mut tx, o.id, "refunded", None, Some(amount), now_ms).await?,
            CancelEffect::RestoreStock => orders::restore_stock(&mut tx, o.id, now_ms).await?,
            // A transfer refund is the platform's (or the store's) bank task, recorded on the
            // order as refunded_amount; the cancel-request fee is written with the status.
            CancelEffect::RefundByTransfer(_) | CancelEffect::ChargeCancelRequestFee => {}
        }
    }
    // A cancelled booking gives its coupon use back, as a goods order does.
    kippu_store::coupons::release_use(&mut tx, m, o.id.0, now_ms).await?;
    let note = match &who {
        Canceller::Customer if planned.fee_kept > 0 => format!(
            "お客様によるキャンセル（取消料{}% {}円、返金{}円）",
            planned.percent_kept, planned.fee_kept, planned.refunded
        ),
        Canceller::Customer => format!("お客様によるキャンセル（返金{}円）", planned.refunded),
        Canceller::Merchant(r) => format!("加盟店によるキャンセル（{}、全額返金{}円）", r.label_ja(), planned.refunded),
    };
    orders::insert_history(
        &mut tx,
        &orders::HistoryEntry {
            merchant_id: m,
            order_id: o.id,
            ticket_id: None,
            flow: "reservation",
            from_status: Some(o.status.as_str()),
            to_status: Status::Cancelled.as_str(),
            actor_user_id: actor.user_id.map(|u| u.0),
            actor_label: &actor.label,
            note: &note,
            at: now_ms,
        },
    )
    .await?;
    let after = orders::order_by_number(&mut tx, app.store.backend(), Some(m), &o.order_number, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let tickets = orders::tickets_of_orders(&mut tx, &[o.id]).await?;
    super::notices::cancelled(&mut tx, app, &after, &tickets).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(
            if by == Side::Merchant {
                "cancel_force_majeure"
            } else {
                "cancel_by_customer"
            },
            "order",
            &o.order_number,
        ),
        Some(&serde_json::json!({"status": o.status})),
        Some(&serde_json::json!({"status": "cancelled", "fee_kept": planned.fee_kept, "refunded": planned.refunded, "reason": reason})),
        now_ms,
    )
    .await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(CancelOutcome {
        order: crate::orders::load(app, Some(m), &o.order_number).await?,
        fee_kept: planned.fee_kept,
        refunded: planned.refunded,
        percent_kept: planned.percent_kept,
    })
}
