//! 事務局口座: the platform operator keeps the platform's bank account, which orders paid by
//! 銀行振込（事務局口座） are told to pay into. Anyone else finds no such page (404).

use super::render;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::{App, AppError};
use kippu_domain::merchant::{AccountKind, BankInput};

#[derive(Template)]
#[template(path = "platform_bank.html")]
struct BankPage {
    c: Chrome,
    f: BankInput,
    errors: FormErrors,
    /// The stored account, masked, in the page's language.
    bank_now: Option<String>,
    kinds: Vec<(&'static str, &'static str)>,
}

async fn page(app: &App, s: &SignedIn, status: StatusCode, typed: Option<BankInput>, errors: FormErrors) -> Result<Response, WebError> {
    let (stored, summary) = match kippu_app::merchants::platform_bank(app, &s.user.actor).await {
        Err(AppError::Forbidden(_)) => return Err(WebError::NotFound),
        other => other?,
    };
    let t = s.ctx.t();
    render(
        status,
        BankPage {
            c: Chrome::signed_in(&s.ctx, "platform_bank.title"),
            f: typed.unwrap_or(stored),
            errors,
            bank_now: summary.map(|said| t.said(&said)),
            kinds: AccountKind::ALL.iter().map(|k| (k.as_str(), t.l(k.label()))).collect(),
        },
    )
}

pub async fn show(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    page(&app, &s, StatusCode::OK, None, FormErrors::default()).await
}

pub async fn save(State(app): State<App>, s: SignedIn, Form(f): Form<BankInput>) -> Result<Response, WebError> {
    match kippu_app::merchants::set_platform_bank(&app, &s.user.actor, &f).await {
        Ok(()) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            "/platform/bank-account",
            Flash::done(s.ctx.t().s("platform_bank.saved")),
        )),
        Err(AppError::Invalid(e)) => {
            // The account number is never sent back to the browser, even as typed.
            let mut typed = f;
            typed.account_number.clear();
            page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, Some(typed), FormErrors::by_field(&e)).await
        }
        Err(AppError::Forbidden(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}
