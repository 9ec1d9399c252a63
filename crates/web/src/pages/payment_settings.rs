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
use kippu_app::merchants::{self, DueInput, PaymentSettings};
use kippu_app::{App, AppError};
use kippu_domain::order::{BANK_ACCOUNTS, CARD_MODES, MethodFamily, Offered};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "payment_settings.html")]
struct SettingsPage {
    c: Chrome,
    card_modes: Vec<(&'static str, &'static str)>,
    bank_accounts: Vec<(&'static str, &'static str)>,
    card_mode: String,
    bank_account: String,
    /// (code, label, ticked, allowed by the platform) of every method family.
    offers: Vec<(&'static str, &'static str, bool, bool)>,
    f: DueForm,
    errors: FormErrors,
}

/// 決済設定's deadlines as typed; the page always sends `due=1` with them (a form without it
/// leaves them as they are).
#[derive(Deserialize, Default, Clone)]
pub struct DueForm {
    #[serde(default)]
    due: String,
    #[serde(default)]
    bank_due_days: String,
    #[serde(default)]
    bank_reminder_days: String,
    #[serde(default)]
    konbini_due_days: String,
    #[serde(default)]
    cancel_unpaid: String,
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    card_mode: String,
    #[serde(default)]
    bank_account: String,
    /// The page's form always sends `offers=1`; then the ticked `offer_<family>` are the
    /// methods in use.
    #[serde(default)]
    offers: String,
    #[serde(default)]
    offer_card: String,
    #[serde(default)]
    offer_bank: String,
    #[serde(default)]
    offer_venue: String,
    #[serde(default)]
    offer_cod: String,
    #[serde(default)]
    offer_konbini: String,
    #[serde(default)]
    offer_store_pay: String,
    #[serde(flatten)]
    due: DueForm,
}

impl SettingsForm {
    fn ticked(&self) -> Vec<&'static str> {
        [
            ("card", &self.offer_card),
            ("bank", &self.offer_bank),
            ("venue", &self.offer_venue),
            ("cod", &self.offer_cod),
            ("konbini", &self.offer_konbini),
            ("store_pay", &self.offer_store_pay),
        ]
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
            offers: MethodFamily::ALL
                .iter()
                .map(|b| (b.as_str(), t.l(b.label()), f.ticked().contains(&b.as_str()), allowed.has(*b)))
                .collect(),
            f: f.due.clone(),
            card_mode: f.card_mode,
            bank_account: f.bank_account,
            errors,
        },
    )
}

pub async fn show(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let m = merchants::settings_view(&app, &s.user.actor).await?.ok_or(WebError::NotFound)?;
    let on = |b: MethodFamily| {
        if m.offered_payments.has(b) {
            "on".to_string()
        } else {
            String::new()
        }
    };
    let f = SettingsForm {
        card_mode: m.card_mode.as_str().to_string(),
        bank_account: m.bank_account.as_str().to_string(),
        offers: "1".into(),
        offer_card: on(MethodFamily::Card),
        offer_bank: on(MethodFamily::Bank),
        offer_venue: on(MethodFamily::Venue),
        offer_cod: on(MethodFamily::Cod),
        offer_konbini: on(MethodFamily::Konbini),
        offer_store_pay: on(MethodFamily::StorePay),
        due: DueForm {
            due: "1".into(),
            bank_due_days: m.bank_due_days.to_string(),
            bank_reminder_days: m.bank_reminder_days.to_string(),
            konbini_due_days: m.konbini_due_days.to_string(),
            cancel_unpaid: if m.cancel_unpaid != 0 { "on".into() } else { String::new() },
        },
    };
    page(&s, &m.allowed_payments, StatusCode::OK, f, FormErrors::default())
}

pub async fn save(State(app): State<App>, s: SignedIn, Form(f): Form<SettingsForm>) -> Result<Response, WebError> {
    let settings = PaymentSettings {
        card_mode: &f.card_mode,
        bank_account: &f.bank_account,
        offered: (!f.offers.is_empty()).then(|| f.ticked()),
        due: (!f.due.due.is_empty()).then(|| DueInput {
            bank_due_days: &f.due.bank_due_days,
            bank_reminder_days: &f.due.bank_reminder_days,
            konbini_due_days: &f.due.konbini_due_days,
            cancel_unpaid: !f.due.cancel_unpaid.is_empty(),
        }),
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
