//! The reservation part of the order page: visit, party and e-ticket, the door's outcome,
//! the merchant's force-majeure cancellation and the e-ticket resend (own-site only).

use super::detail::detail_page;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::orders::{self, OrderView};
use kippu_app::reservations::cancel::{self, Target};
use kippu_app::reservations::{Door, eticket_of, notices, policy_of, visit_label};
use kippu_app::{Actor, App, AppError};
use kippu_domain::Yen;
use kippu_domain::reservation::DoorState;
use kippu_domain::reservation::{Canceller, MerchantReason};
use serde::Deserialize;

pub struct Panel {
    pub visit: String,
    pub party: i64,
    pub eticket: String,
    /// 未来店 / 引き換え済み … / ノーショー / キャンセル.
    pub door: String,
    pub policy: String,
    pub channel: String,
    pub own_site: bool,
    /// Why the merchant cannot cancel now (empty: the form is offered).
    pub cannot_cancel: String,
    pub cancelled: String,
}

pub async fn panel(app: &App, actor: &Actor, v: &OrderView, t: crate::i18n::T) -> Result<Option<Panel>, WebError> {
    let o = &v.order;
    if o.kind != kippu_domain::catalog::ProductKind::Reservation {
        return Ok(None);
    }
    let door = match Door::of(o, &v.tickets) {
        Door::Redeemed { at, party } => format!(
            "{} {}（{}{party}{}）",
            t.l(DoorState::Redeemed.label()),
            t.datetime_ms(at),
            t.s("rsv.came"),
            t.s("door.people")
        ),
        Door::NoShow => t.l(DoorState::NoShow.label()).into(),
        Door::Open if o.status == kippu_domain::web_ticket::Status::Cancelled => t.s("rsv.cancelled").into(),
        Door::Open => t.l(DoorState::Open.label()).into(),
    };
    let (channel, own_site) = match orders::channel(app, v).await? {
        Some(c) => (c.name, c.own_site),
        None => (String::new(), false),
    };
    let cannot_cancel = if actor.is_platform() {
        t.s("rsv.platform_uses_merchant").to_string()
    } else {
        match cancel::preview(
            app,
            actor,
            Target::Number(&o.order_number),
            &Canceller::Merchant(MerchantReason::Weather),
        )
        .await?
        {
            Ok(_) => String::new(),
            Err(e) => t.said(&e.said()),
        }
    };
    let cancelled = if o.status == kippu_domain::web_ticket::Status::Cancelled {
        let by = o.cancelled_by.map(|c| t.l(c.label())).unwrap_or("");
        let mut s = t.s("rsv.cancelled_by").replace("{by}", by);
        if let Some(r) = o.cancel_reason.as_deref().filter(|r| !r.is_empty()) {
            s.push_str(&t.s("rsv.cancelled_reason").replace("{reason}", r));
        }
        if o.cancellation_fee_kept > 0 {
            s.push_str(&format!(" {} {}", t.s("rsv.fee_kept"), Yen(o.cancellation_fee_kept).display_ja()));
        }
        s.push_str(&format!(" {} {}", t.s("rsv.refunded"), Yen(o.refunded_amount).display_ja()));
        s
    } else {
        String::new()
    };
    Ok(Some(Panel {
        visit: visit_label(o),
        party: o.party_size.unwrap_or(1),
        eticket: eticket_of(&v.tickets),
        door,
        policy: policy_of(o).describe_ja(),
        channel,
        own_site,
        cannot_cancel,
        cancelled,
    }))
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    reason_text: String,
}

/// 予約をキャンセル（不可抗力）: a reason from the list, free text for その他, full refund.
pub async fn cancel_run(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Form(f): Form<CancelForm>,
) -> Result<Response, WebError> {
    let who = match MerchantReason::parse(&f.reason, &f.reason_text) {
        Ok(r) => Canceller::Merchant(r),
        Err(e) => return detail_page(&app, &s, &number, StatusCode::UNPROCESSABLE_ENTITY, String::new(), e.message).await,
    };
    match cancel::cancel(&app, &s.user.actor, Target::Number(&number), who).await {
        Ok(_) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/orders/{number}"),
            Flash::done(format!("{number}: {}", s.ctx.t().s("orders.reservation_cancelled"))),
        )),
        Err(AppError::Order(e)) => detail_page(&app, &s, &number, StatusCode::CONFLICT, String::new(), s.ctx.t().said(&e.said())).await,
        Err(e) => Err(e.into()),
    }
}

/// 注文確認メール再送.
pub async fn resend(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    match notices::resend(&app, &s.user.actor, &number).await {
        Ok(to) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/orders/{number}"),
            Flash::done(format!("{number}: {} {to}", s.ctx.t().s("orders.resent_to"))),
        )),
        Err(AppError::Order(e)) => {
            detail_page(
                &app,
                &s,
                &number,
                StatusCode::UNPROCESSABLE_ENTITY,
                String::new(),
                s.ctx.t().said(&e.said()),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
