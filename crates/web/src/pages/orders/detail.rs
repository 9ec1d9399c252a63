//! The order page: status, steps and the actions offered now, history, messages, transfer,
//! the statement PDF.

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
use serde::Deserialize;

#[derive(Template)]
#[template(path = "order.html")]
struct DetailPage {
    c: Chrome,
    o: OrderLine,
    history: Vec<(String, String, String, String)>,
    platform: bool,
    messages: Vec<(String, String, String)>,
    /// Reservations: the door, cancellation and resend panel.
    rsv: Option<super::reservation::Panel>,
    notice: String,
    error: String,
    draft: Draft,
    /// 代理注文: the entry channel, the operator and the memos.
    entry: Option<kippu_app::entry::EntryRow>,
}

/// A message that was refused, kept in its box with the reason beside it.
#[derive(Default)]
pub(super) struct Draft {
    body: String,
    error: String,
}

pub async fn detail(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    detail_page(&app, &s, &number, StatusCode::OK, String::new(), String::new()).await
}

/// The order page, with a notice after an action or the error of a refused one (the form's
/// input is kept in the page).
pub(super) async fn detail_page(
    app: &App,
    s: &SignedIn,
    number: &str,
    status: StatusCode,
    notice: String,
    error: String,
) -> Result<Response, WebError> {
    render_detail(app, s, number, status, (notice, error), Draft::default()).await
}

async fn detail_page_with(app: &App, s: &SignedIn, number: &str, status: StatusCode, draft: Draft) -> Result<Response, WebError> {
    render_detail(app, s, number, status, (String::new(), String::new()), draft).await
}

async fn render_detail(
    app: &App,
    s: &SignedIn,
    number: &str,
    status: StatusCode,
    (notice, error): (String, String),
    draft: Draft,
) -> Result<Response, WebError> {
    let app = app.clone();
    let v = orders::get(&app, &s.user.actor, number).await?;
    let t = s.ctx.t();
    let history = v
        .history
        .iter()
        .map(|h| {
            let to = orders::next::history_label(&h.to_status).map_or_else(|| h.to_status.clone(), |l| t.l(l).to_string());
            (t.datetime_ms(h.at), to, h.note.clone(), h.actor_label.clone())
        })
        .collect();
    let messages = {
        orders::messages(&app, &v)
            .await?
            .into_iter()
            .map(|m| (t.datetime_ms(m.created_at), t.l(m.sender.label()).to_string(), m.body))
            .collect()
    };
    let rsv = super::reservation::panel(&app, &s.user.actor, &v, t).await?;
    let times = orders::use_times(&app, &v).await?;
    let mut o = line(&v, &s.user.actor, app.clock.now(), s.ctx.t());
    for k in &mut o.tickets {
        k.use_times = times
            .iter()
            .filter(|(id, _)| *id == k.id)
            .map(|(_, at)| t.datetime_ms(*at))
            .collect();
    }
    render(
        status,
        DetailPage {
            c: Chrome::signed_in(&s.ctx, "orders.detail"),
            o,
            history,
            platform: s.user.actor.is_platform(),
            messages,
            rsv,
            notice,
            error,
            draft,
            entry: kippu_app::entry::of_order(&app, &s.user.actor, number).await?,
        },
    )
}

/// 明細: the order's statement as PDF.
pub async fn statement(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    let v = orders::get(&app, &s.user.actor, &number).await?;
    let pdf = kippu_app::documents::statement::pdf(&app, &v).await?;
    Ok(crate::pdf_response(&number, pdf))
}

#[derive(Deserialize)]
pub struct MessageForm {
    body: String,
}

/// The merchant writes to the buyer in the order's thread.
pub async fn message(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Form(f): Form<MessageForm>,
) -> Result<Response, WebError> {
    match orders::post_message(&app, &s.user.actor, &number, &f.body, None).await {
        Ok(()) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/orders/{number}#messages"),
            Flash::done(s.ctx.t().s("orders.message_sent")),
        )),
        // The page again, the draft kept in the box and the reason beside it.
        Err(AppError::Invalid(e)) => {
            let draft = Draft {
                body: f.body.clone(),
                error: e.message.clone(),
            };
            detail_page_with(&app, &s, &number, StatusCode::UNPROCESSABLE_ENTITY, draft).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct TransferForm {
    ticket: String,
    holder_name: String,
    #[serde(default)]
    holder_email: String,
}

/// 譲渡 from the order detail: the list then shows the new holder.
pub async fn transfer(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Form(f): Form<TransferForm>,
) -> Result<Response, WebError> {
    let t = orders::Transfer {
        ticket_number: &f.ticket,
        to_name: &f.holder_name,
        to_email: Some(f.holder_email.as_str()),
        order_token: None,
    };
    orders::transfer(&app, &s.user.actor, &t).await?;
    let message = format!("{}: {} {}", f.ticket, s.ctx.t().s("orders.transferred_to"), f.holder_name.trim());
    Ok(flash::redirect(
        s.ctx.secure_cookies,
        &format!("/orders/{number}"),
        Flash::done(message),
    ))
}
