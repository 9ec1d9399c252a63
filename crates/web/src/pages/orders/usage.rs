//! 使用状況の個別変更: one ticket used or unused again.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::pages::{ok, render};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::orders;
use kippu_app::{App, AppError};
use kippu_domain::web_ticket::Usage;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "usage_change.html")]
struct UsagePage {
    c: Chrome,
    number: String,
    ticket: String,
    used: bool,
    error: String,
}

#[derive(Deserialize)]
pub struct UsageQuery {
    #[serde(default)]
    used: String,
}

/// 使用状況の個別変更画面, only for a ticket of this merchant's order.
pub async fn usage_screen(
    State(app): State<App>,
    s: SignedIn,
    Path((number, ticket)): Path<(String, String)>,
    Query(q): Query<UsageQuery>,
) -> Result<Response, WebError> {
    let order = orders::get(&app, &s.user.actor, &number).await?;
    if !order.tickets.iter().any(|t| t.ticket_number == ticket) {
        return Err(WebError::NotFound);
    }
    ok(UsagePage {
        c: Chrome::signed_in(&s.ctx, "orders.usage"),
        number,
        ticket,
        used: q.used != "0",
        error: String::new(),
    })
}

#[derive(Deserialize)]
pub struct UsageForm {
    used: String,
}

pub async fn usage_run(
    State(app): State<App>,
    s: SignedIn,
    Path((number, ticket)): Path<(String, String)>,
    Form(f): Form<UsageForm>,
) -> Result<Response, WebError> {
    let used = f.used == "1";
    match orders::change_usage(&app, &s.user.actor, &ticket, used, None).await {
        Ok(_) => {
            // Said in words, with the way back: 使用済み ↔ 未使用 are each other's undo.
            let t = s.ctx.t();
            let (from, to) = if used {
                (Usage::Unused, Usage::Used)
            } else {
                (Usage::Used, Usage::Unused)
            };
            let message = format!("{ticket}: {} → {}", t.l(from.label()), t.l(to.label()));
            let undo = format!("/orders/{number}/tickets/{ticket}/usage?used={}", if used { 0 } else { 1 });
            let label = if used { t.s("orders.unuse") } else { t.s("orders.use") };
            Ok(flash::redirect(
                s.ctx.secure_cookies,
                &format!("/orders/{number}"),
                Flash::done(message).with_undo(undo, label),
            ))
        }
        Err(AppError::Order(e)) => render(
            StatusCode::CONFLICT,
            UsagePage {
                c: Chrome::signed_in(&s.ctx, "orders.usage"),
                number,
                ticket,
                used,
                error: s.ctx.t().said(&e.said()),
            },
        ),
        Err(e) => Err(e.into()),
    }
}
