//! ウェブチケット送信: the send screen with the email preview, send / without mail / test.

use super::actions::after_action;
use super::line::{OrderLine, line};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kippu_app::orders;
use kippu_app::{App, AppError};
use kippu_domain::web_ticket::SendMode;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "order_send.html")]
struct SendPage {
    c: Chrome,
    o: OrderLine,
    notice: String,
    error: String,
    preview_subject: String,
    preview_body: String,
}

async fn send_page(app: &App, s: &SignedIn, number: &str, notice: String, error: String) -> Result<Response, WebError> {
    let v = orders::get(app, &s.user.actor, number).await?;
    let (preview_subject, preview_body) = orders::ticket_mail_preview(app, &v).await?;
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::CONFLICT };
    render(
        status,
        SendPage {
            c: Chrome::signed_in(&s.ctx, "orders.bulk_send"),
            o: line(&v, &s.user.actor, app.clock.now(), s.ctx.t()),
            notice,
            error,
            preview_subject,
            preview_body,
        },
    )
}

pub async fn send_screen(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    send_page(&app, &s, &number, String::new(), String::new()).await
}

#[derive(Deserialize)]
pub struct SendForm {
    mode: String,
}

pub async fn send_run(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Form(f): Form<SendForm>,
) -> Result<Response, WebError> {
    let action = match (SendMode::parse(&f.mode), f.mode.as_str()) {
        (Some(mode), _) => mode.action(),
        (None, "test") => {
            return match orders::test_send(&app, &s.user.actor, &number).await {
                Ok(to) => send_page(&app, &s, &number, s.ctx.t().s("send.test_sent").replace("{to}", &to), String::new()).await,
                Err(AppError::Invalid(e)) => send_page(&app, &s, &number, String::new(), e.message.clone()).await,
                Err(e) => Err(e.into()),
            };
        }
        _ => return Ok(Redirect::to("/orders").into_response()),
    };
    match orders::act(&app, &s.user.actor, &number, action, None).await {
        Ok(out) => Ok(after_action(&app, &s, &out, action)),
        Err(AppError::Order(e)) => send_page(&app, &s, &number, String::new(), s.ctx.t().said(&e.said())).await,
        Err(e) => Err(e.into()),
    }
}
