//! 手動送信: any goods email of an order, its text edited before it goes.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::goods::mail;
use kippu_app::{App, AppError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "goods_mail.html")]
struct MailPage {
    c: Chrome,
    number: String,
    template: String,
    label: String,
    subject: String,
    body: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct MailForm {
    #[serde(default)]
    template: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

fn page(s: &SignedIn, status: StatusCode, number: String, f: MailForm, errors: FormErrors) -> Result<Response, WebError> {
    let label = kippu_app::notify::templates::def(&f.template)
        .map(|d| if s.ctx.t().code() == "en" { d.label_en } else { d.label_ja })
        .unwrap_or("")
        .to_string();
    render(
        status,
        MailPage {
            c: Chrome::signed_in(&s.ctx, "goods.manual_mail"),
            number,
            template: f.template,
            label,
            subject: f.subject,
            body: f.body,
            errors,
        },
    )
}

pub async fn draft(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Query(q): Query<MailForm>,
) -> Result<Response, WebError> {
    let (subject, body) = mail::draft(&app, &s.user.actor, &number, &q.template).await?;
    page(
        &s,
        StatusCode::OK,
        number,
        MailForm {
            template: q.template,
            subject,
            body,
        },
        FormErrors::default(),
    )
}

pub async fn send(State(app): State<App>, s: SignedIn, Path(number): Path<String>, Form(f): Form<MailForm>) -> Result<Response, WebError> {
    match mail::send_edited(&app, &s.user.actor, &number, &f.template, &f.subject, &f.body).await {
        Ok(()) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/shipping/orders/{number}"),
            Flash::done(s.ctx.t().s("goods.mail_sent")),
        )),
        Err(AppError::Invalid(e)) => page(&s, StatusCode::UNPROCESSABLE_ENTITY, number, f, FormErrors::by_field(&e)),
        Err(e) => Err(e.into()),
    }
}
