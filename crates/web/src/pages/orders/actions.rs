//! The confirmation screens of status changes (入金済み, 実決済, キャンセル…) and 現地払い領収処理.

use super::line::{OrderLine, line};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::orders;
use kippu_app::{App, AppError};
use kippu_domain::action_names::TicketActionName;
use kippu_domain::web_ticket::Action;
use serde::Deserialize;

/// A status change reachable from the UI, with its confirmation screen's texts.
struct ScreenAction {
    action: Action,
    title: &'static str,
    button: &'static str,
    needs_approval: bool,
}

/// The screen of an action name of the flow's one table (`kippu_domain::action_names`), as the
/// API takes it; receipt and sending have their own screens.
fn screen_action(name: &str, platform: bool) -> Option<ScreenAction> {
    let action = TicketActionName::parse(name)?.step(platform)?;
    // (title key, button key) in the label table: the screens speak English too.
    let (title, button, needs_approval) = match action {
        Action::MarkPaid => ("confirm.mark_paid", "confirm.mark_paid_button", false),
        Action::RevertPayment => ("confirm.revert_payment", "confirm.revert_payment_button", false),
        Action::Capture => ("confirm.capture", "confirm.capture_button", false),
        Action::Cancel => ("confirm.cancel", "confirm.cancel_button", false),
        Action::RequestCancel => ("confirm.cancel_request", "confirm.cancel_request_button", true),
        Action::ConfirmDeposit => ("confirm.confirm_deposit", "confirm.confirm_deposit_button", false),
        Action::CompleteCancelRequest => ("confirm.complete_cancel_request", "confirm.complete_cancel_request_button", false),
        Action::Receive | Action::Send | Action::SendSilently => return None,
    };
    Some(ScreenAction {
        action,
        title,
        button,
        needs_approval,
    })
}

#[derive(Template)]
#[template(path = "order_action.html")]
struct ActionPage {
    c: Chrome,
    o: OrderLine,
    title: &'static str,
    button: &'static str,
    action: String,
    needs_approval: bool,
    error: String,
    receipt: bool,
}

async fn action_page(app: &App, s: &SignedIn, number: &str, name: &str, error: String) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let (title, button, needs_approval, receipt) = if name == "receive" {
        (t.s("confirm.receive"), t.s("confirm.receive_button"), false, true)
    } else {
        let a = screen_action(name, s.user.actor.is_platform()).ok_or(WebError::NotFound)?;
        (t.s(a.title), t.s(a.button), a.needs_approval, false)
    };
    let v = orders::get(app, &s.user.actor, number).await?;
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::CONFLICT };
    render(
        status,
        ActionPage {
            c: Chrome::signed_in(&s.ctx, "orders.confirm_title"),
            o: line(&v, &s.user.actor, app.clock.now(), s.ctx.t()),
            title,
            button,
            action: if receipt {
                format!("/orders/{number}/receive")
            } else {
                format!("/orders/{number}/do/{name}")
            },
            needs_approval,
            error,
            receipt,
        },
    )
}

pub async fn action_screen(
    State(app): State<App>,
    s: SignedIn,
    Path((number, name)): Path<(String, String)>,
) -> Result<Response, WebError> {
    action_page(&app, &s, &number, &name, String::new()).await
}

#[derive(Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    approve: String,
}

/// Back to the order, whose page says what changed (「T…01: 未入金 → 送信待ち」) and offers the
/// undo when the rule allows one now (入金済み → 未入金に戻す).
pub(super) fn after_action(app: &App, s: &SignedIn, out: &orders::ActOutcome, action: Action) -> Response {
    let t = s.ctx.t();
    let number = &out.order.order.order_number;
    let message = format!(
        "{number}: {} → {}（{}）",
        t.l(out.transition.from.label()),
        t.l(out.transition.to.label()),
        t.l(action.label())
    );
    let mut flash = Flash::done(message);
    if orders::available_actions(&out.order.order, &s.user.actor, app.clock.now()).contains(&Action::RevertPayment) {
        flash = flash.with_undo(
            format!("/orders/{number}/do/{}", TicketActionName::RevertPayment.as_str()),
            t.l(Action::RevertPayment.label()),
        );
    }
    flash::redirect(s.ctx.secure_cookies, &format!("/orders/{number}"), flash)
}

pub async fn action_run(
    State(app): State<App>,
    s: SignedIn,
    Path((number, name)): Path<(String, String)>,
    Form(f): Form<ApproveForm>,
) -> Result<Response, WebError> {
    let a = screen_action(&name, s.user.actor.is_platform()).ok_or(WebError::NotFound)?;
    if a.needs_approval && f.approve != "1" {
        return action_page(&app, &s, &number, &name, s.ctx.t().s("action.tick_approve").into()).await;
    }
    match orders::act(&app, &s.user.actor, &number, a.action, None).await {
        Ok(out) => Ok(after_action(&app, &s, &out, a.action)),
        Err(AppError::Order(e)) => action_page(&app, &s, &number, &name, s.ctx.t().said(&e.said())).await,
        Err(e) => Err(e.into()),
    }
}

/// 店頭払い入金照合 (the matching URL of the order notification) and 現地払い領収処理.
pub async fn receive_screen(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    action_page(&app, &s, &number, TicketActionName::Receive.as_str(), String::new()).await
}

pub async fn receive_run(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    match orders::act(&app, &s.user.actor, &number, Action::Receive, None).await {
        Ok(out) => Ok(after_action(&app, &s, &out, Action::Receive)),
        Err(AppError::Order(e)) => action_page(&app, &s, &number, TicketActionName::Receive.as_str(), s.ctx.t().said(&e.said())).await,
        Err(e) => Err(e.into()),
    }
}
