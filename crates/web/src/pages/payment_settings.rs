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
use kippu_domain::order::{BANK_ACCOUNTS, BuyerPayment, CARD_MODES, Offered};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "payment_settings.html")]
struct SettingsPage {
    c: Chrome,
    card_modes: Vec<(&'static str, &'static str)>,
    bank_accounts: Vec<(&'static str, &'static str)>,
    card_mode: String,
    bank_account: String,
    /// (code, plain word, ticked, allowed by the platform) of every storefront choice.
    offers: Vec<(&'static str, &'static str, bool, bool)>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    card_mode: String,
    #[serde(default)]
    bank_account: String,
    /// The page's form always sends `offers=1`; then the ticked `offer_card`, `offer_bank`,
    /// `offer_venue` are the storefront's choices.
    #[serde(default)]
    offers: String,
    #[serde(default)]
    offer_card: String,
    #[serde(default)]
    offer_bank: String,
    #[serde(default)]
    offer_venue: String,
}

impl SettingsForm {
    fn ticked(&self) -> Vec<&'static str> {
        [("card", &self.offer_card), ("bank", &self.offer_bank), ("venue", &self.offer_venue)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(c, _)| c)
            .collect()
    }
}

fn page(s: &SignedIn, allowed: &Offered, status: StatusCode, f: SettingsForm, errors: FormErrors) -> Result<Response, WebError> {
    let t = s.ctx.t();
    render(
        status,
        SettingsPage {
            c: Chrome::signed_in(&s.ctx, "payment.title"),
            card_modes: CARD_MODES.iter().map(|m| (m.as_str(), t.l(m.label()))).collect(),
            bank_accounts: BANK_ACCOUNTS.iter().map(|m| (m.as_str(), t.l(m.label()))).collect(),
            offers: BuyerPayment::ALL
                .iter()
                .map(|b| (b.as_str(), t.l(b.label()), f.ticked().contains(&b.as_str()), allowed.contains(*b)))
                .collect(),
            card_mode: f.card_mode,
            bank_account: f.bank_account,
            errors,
        },
    )
}

pub async fn show(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let m = merchants::own(&app, &s.user.actor).await?.ok_or(WebError::NotFound)?;
    let on = |b: BuyerPayment| {
        if m.offered_payments.contains(b) {
            "on".to_string()
        } else {
            String::new()
        }
    };
    let f = SettingsForm {
        card_mode: m.card_mode.as_str().to_string(),
        bank_account: m.bank_account.as_str().to_string(),
        offers: "1".into(),
        offer_card: on(BuyerPayment::Card),
        offer_bank: on(BuyerPayment::Bank),
        offer_venue: on(BuyerPayment::Venue),
    };
    page(&s, &m.allowed_payments, StatusCode::OK, f, FormErrors::default())
}

pub async fn save(State(app): State<App>, s: SignedIn, Form(f): Form<SettingsForm>) -> Result<Response, WebError> {
    let settings = PaymentSettings {
        card_mode: &f.card_mode,
        bank_account: &f.bank_account,
        offered: (!f.offers.is_empty()).then(|| f.ticked()),
    };
    match merchants::set_payment_settings(&app, &s.user.actor, settings).await {
        Ok(()) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            "/settings/payment",
            Flash::done(s.ctx.t().s("payment.saved")),
        )),
        Err(AppError::Invalid(e)) => {
            let errors = FormErrors::by_field(&e);
            let m = merchants::own(&app, &s.user.actor).await?.ok_or(WebError::NotFound)?;
            page(&s, &m.allowed_payments, StatusCode::UNPROCESSABLE_ENTITY, f, errors)
        }
        Err(e) => Err(e.into()),
    }
}
