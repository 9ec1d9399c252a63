//! 加盟店管理 (the platform operator): every merchant with its status and fee rate, onboarding a
//! new one (its first admin's initial password shown once), suspending and resuming.

use super::render;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::merchants::onboard::{self, NewMerchant, Onboarded};
use kippu_app::{App, AppError};
use kippu_domain::account::MerchantStatus;
use kippu_domain::order::MethodFamily;

struct Row {
    code: String,
    name: String,
    status: &'static str,
    suspended: bool,
    fee_percent: String,
    ticket_fee_percent: String,
    goods_fee_percent: String,
    /// Every storefront choice: (code, label, allowed by the platform).
    allowed: Vec<(&'static str, &'static str, bool)>,
    joined: String,
}

#[derive(Template)]
#[template(path = "merchants.html")]
struct MerchantsPage {
    c: Chrome,
    rows: Vec<Row>,
    /// A refused fee rate: (merchant code, reason).
    fee_error: Option<(String, String)>,
    /// Refused payment methods: (merchant code, reason).
    payments_error: Option<(String, String)>,
    /// The onboarding form: what was typed and its errors.
    f: NewMerchant,
    errors: FormErrors,
    /// A merchant just onboarded: its admin's initial password, shown this once.
    created: Option<Onboarded>,
}

#[derive(Default)]
struct Shown {
    fee_error: Option<(String, String)>,
    payments_error: Option<(String, String)>,
    f: NewMerchant,
    errors: FormErrors,
    created: Option<Onboarded>,
}

async fn page(app: &App, s: &SignedIn, status: StatusCode, shown: Shown) -> Result<Response, WebError> {
    // `merchants::list` refuses anyone but the platform operator (403).
    let t = s.ctx.t();
    let rows = kippu_app::merchants::list(app, &s.user.actor)
        .await?
        .into_iter()
        .map(|m| Row {
            status: t.l(m.status.label()),
            suspended: m.status == MerchantStatus::Suspended,
            fee_percent: kippu_domain::money::percent_of_bp(m.platform_fee_bp),
            ticket_fee_percent: kippu_domain::money::percent_of_bp(m.ticket_fee_bp),
            goods_fee_percent: kippu_domain::money::percent_of_bp(m.goods_fee_bp),
            allowed: MethodFamily::ALL
                .iter()
                .map(|b| (b.as_str(), t.l(b.label()), m.allowed_payments.has(*b)))
                .collect(),
            joined: t.datetime_ms(m.created_at),
            code: m.code,
            name: m.name,
        })
        .collect();
    render(
        status,
        MerchantsPage {
            c: Chrome::signed_in(&s.ctx, "nav.merchants"),
            rows,
            fee_error: shown.fee_error,
            payments_error: shown.payments_error,
            f: shown.f,
            errors: shown.errors,
            created: shown.created,
        },
    )
}

/// 加盟店管理: the list, the fee rates editable in place, and the onboarding form.
pub async fn list(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    page(&app, &s, StatusCode::OK, Shown::default()).await
}

/// The operator onboards a merchant; the answer shows the initial password once (never in a
/// cookie or a redirect).
pub async fn create(State(app): State<App>, s: SignedIn, Form(f): Form<NewMerchant>) -> Result<Response, WebError> {
    match onboard::onboard(&app, &s.user.actor, &f).await {
        Ok(done) => {
            let shown = Shown {
                created: Some(done),
                ..Shown::default()
            };
            page(&app, &s, StatusCode::CREATED, shown).await
        }
        Err(AppError::Invalid(e)) => {
            let shown = Shown {
                errors: FormErrors::by_field(&e),
                f,
                ..Shown::default()
            };
            page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, shown).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn change(app: &App, s: &SignedIn, code: &str, to: MerchantStatus) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let message = match onboard::set_status(app, &s.user.actor, code, to).await {
        Ok(()) => Flash::done(format!("{code}: {}", t.l(to.label()))),
        Err(AppError::Conflict(why)) => Flash::refused(t.said(&why)),
        Err(e) => return Err(e.into()),
    };
    Ok(flash::redirect(s.ctx.secure_cookies, "/platform/merchants", message))
}

pub async fn suspend(State(app): State<App>, s: SignedIn, Path(code): Path<String>) -> Result<Response, WebError> {
    change(&app, &s, &code, MerchantStatus::Suspended).await
}

pub async fn resume(State(app): State<App>, s: SignedIn, Path(code): Path<String>) -> Result<Response, WebError> {
    change(&app, &s, &code, MerchantStatus::Active).await
}

#[derive(serde::Deserialize)]
pub struct FeeForm {
    /// Reservations' rate.
    #[serde(default)]
    fee_percent: String,
    /// Web tickets' rate; a client that does not send it leaves it as it is.
    #[serde(default)]
    ticket_fee_percent: Option<String>,
    /// Goods' rate, likewise.
    #[serde(default)]
    goods_fee_percent: Option<String>,
}

/// The operator changes a merchant's fee rate from the merchant list.
pub async fn set_fee(State(app): State<App>, s: SignedIn, Path(code): Path<String>, Form(f): Form<FeeForm>) -> Result<Response, WebError> {
    let input = kippu_app::settlements::FeeRateInput {
        reservation: &f.fee_percent,
        ticket: f.ticket_fee_percent.as_deref(),
        goods: f.goods_fee_percent.as_deref(),
    };
    match kippu_app::settlements::set_fee_rates(&app, &s.user.actor, &code, &input).await {
        Ok(()) => {
            let message = match &f.ticket_fee_percent {
                Some(ticket) => format!(
                    "{code}: {} {}% ・ {}%",
                    s.ctx.t().s("merchants.fee_set"),
                    f.fee_percent.trim(),
                    ticket.trim()
                ),
                None => format!("{code}: {} {}%", s.ctx.t().s("merchants.fee_set"), f.fee_percent.trim()),
            };
            Ok(flash::redirect(s.ctx.secure_cookies, "/platform/merchants", Flash::done(message)))
        }
        Err(AppError::Invalid(e)) => {
            let shown = Shown {
                fee_error: Some((code, e.messages())),
                ..Shown::default()
            };
            page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, shown).await
        }
        Err(AppError::Forbidden(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct PaymentsForm {
    #[serde(default)]
    allow_card: String,
    #[serde(default)]
    allow_bank: String,
    #[serde(default)]
    allow_venue: String,
    #[serde(default)]
    allow_cod: String,
    #[serde(default)]
    allow_konbini: String,
    #[serde(default)]
    allow_store_pay: String,
}

/// The operator sets which payment methods a merchant may take, from the merchant list.
pub async fn set_payments(
    State(app): State<App>,
    s: SignedIn,
    Path(code): Path<String>,
    Form(f): Form<PaymentsForm>,
) -> Result<Response, WebError> {
    let ticked: Vec<&str> = [
        ("card", &f.allow_card),
        ("bank", &f.allow_bank),
        ("venue", &f.allow_venue),
        ("cod", &f.allow_cod),
        ("konbini", &f.allow_konbini),
        ("store_pay", &f.allow_store_pay),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(c, _)| c)
    .collect();
    match kippu_app::merchants::set_allowed_payments(&app, &s.user.actor, &code, &ticked).await {
        Ok(allowed) => {
            let t = s.ctx.t();
            let names: Vec<&str> = allowed.families().iter().map(|b| t.l(b.label())).collect();
            let message = format!("{code}: {} {}", t.s("merchants.payments_set"), names.join("・"));
            Ok(flash::redirect(s.ctx.secure_cookies, "/platform/merchants", Flash::done(message)))
        }
        Err(AppError::Invalid(e)) => {
            let shown = Shown {
                payments_error: Some((code, e.messages())),
                ..Shown::default()
            };
            page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, shown).await
        }
        Err(AppError::Forbidden(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}
