//! 決済設定: what 「クレジットカード」 and 「銀行振込」 on the storefront take — the card mode (与信
//! モード or 仮実同時モード) and the account of a bank transfer — set by the merchant's admin
//! (the manual's 基本設定). Buyers never see these words.

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
use kippu_app::merchants::{self, PaymentSettings};
use kippu_app::{App, AppError};
use kippu_domain::order::{BANK_ACCOUNTS, CARD_MODES};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "payment_settings.html")]
struct SettingsPage {
    c: Chrome,
    card_modes: Vec<(&'static str, &'static str)>,
    bank_accounts: Vec<(&'static str, &'static str)>,
    card_mode: String,
    bank_account: String,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    card_mode: String,
    #[serde(default)]
    bank_account: String,
}

fn page(s: &SignedIn, status: StatusCode, f: SettingsForm, errors: FormErrors) -> Result<Response, WebError> {
    let t = s.ctx.t();
    render(
        status,
        SettingsPage {
            c: Chrome::signed_in(&s.ctx, "payment.title"),
            card_modes: CARD_MODES.iter().map(|m| (m.as_str(), t.l(m.label()))).collect(),
            bank_accounts: BANK_ACCOUNTS.iter().map(|m| (m.as_str(), t.l(m.label()))).collect(),
            card_mode: f.card_mode,
            bank_account: f.bank_account,
            errors,
        },
    )
}

pub async fn show(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let m = merchants::own(&app, &s.user.actor).await?.ok_or(WebError::NotFound)?;
    let f = SettingsForm {
        card_mode: m.card_mode.as_str().to_string(),
        bank_account: m.bank_account.as_str().to_string(),
    };
    page(&s, StatusCode::OK, f, FormErrors::default())
}

pub async fn save(State(app): State<App>, s: SignedIn, Form(f): Form<SettingsForm>) -> Result<Response, WebError> {
    let settings = PaymentSettings {
        card_mode: &f.card_mode,
        bank_account: &f.bank_account,
    };
    match merchants::set_payment_settings(&app, &s.user.actor, settings).await {
        Ok(()) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            "/settings/payment",
            Flash::done(s.ctx.t().s("payment.saved")),
        )),
        Err(AppError::Invalid(e)) => {
            let errors = FormErrors::by_field(&e);
            page(&s, StatusCode::UNPROCESSABLE_ENTITY, f, errors)
        }
        Err(e) => Err(e.into()),
    }
}
