//! The order page: status, steps and the actions offered now, history, messages, transfer,
//! the statement PDF.

use super::line::{OrderLine, line};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kippu_app::App;
use kippu_app::orders;
use kippu_domain::clock::{format_jst, from_millis};
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
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    #[serde(default)]
    notice: String,
}

pub async fn detail(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, WebError> {
    let notice = match q.notice.as_str() {
        "resent" => "注文確認メール（eチケット）を再送しました。",
        "reservation-cancelled" => "予約をキャンセルしました。お客様と加盟店ユーザーにメールで通知しました。",
        _ => "",
    };
    detail_page(&app, &s, &number, StatusCode::OK, notice.to_string(), String::new()).await
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
    let app = app.clone();
    let v = orders::get(&app, &s.user.actor, number).await?;
    let history = v
        .history
        .iter()
        .map(|h| {
            let to = orders::next::history_label(&h.to_status);
            (format_jst(from_millis(h.at)), to, h.note.clone(), h.actor_label.clone())
        })
        .collect();
    let messages = {
        orders::messages(&app, &v)
            .await?
            .into_iter()
            .map(|m| (format_jst(from_millis(m.created_at)), m.sender.label_ja().to_string(), m.body))
            .collect()
    };
    let rsv = super::reservation::panel(&app, &s.user.actor, &v).await?;
    render(
        status,
        DetailPage {
            c: Chrome::signed_in(&s.ctx, "orders.detail"),
            o: line(&v, &s.user.actor, app.clock.now()),
            history,
            platform: s.user.actor.is_platform(),
            messages,
            rsv,
            notice,
            error,
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
    orders::post_message(&app, &s.user.actor, &number, &f.body, None).await?;
    Ok(Redirect::to(&format!("/orders/{number}#messages")).into_response())
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
    orders::transfer(&app, &s.user.actor, &f.ticket, &f.holder_name, Some(f.holder_email.as_str())).await?;
    Ok(Redirect::to(&format!("/orders/{number}")).into_response())
}
