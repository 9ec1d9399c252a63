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

struct Row {
    code: String,
    name: String,
    status: &'static str,
    suspended: bool,
    fee_percent: String,
    ticket_fee_percent: String,
    joined: String,
}

#[derive(Template)]
#[template(path = "merchants.html")]
struct MerchantsPage {
    c: Chrome,
    rows: Vec<Row>,
    /// A refused fee rate: (merchant code, reason).
    fee_error: Option<(String, String)>,
    /// The onboarding form: what was typed and its errors.
    f: NewMerchant,
    errors: FormErrors,
    /// A merchant just onboarded: its admin's initial password, shown this once.
    created: Option<Onboarded>,
}

#[derive(Default)]
struct Shown {
    fee_error: Option<(String, String)>,
    f: NewMerchant,
    errors: FormErrors,
    created: Option<Onboarded>,
}

async fn page(app: &App, s: &SignedIn, status: StatusCode, shown: Shown) -> Result<Response, WebError> {
    if !s.user.actor.is_platform() {
        return Err(WebError::NotFound);
    }
    let t = s.ctx.t();
    let rows = kippu_app::merchants::list(app, &s.user.actor)
        .await?
        .into_iter()
        .map(|m| Row {
            status: t.l(m.status.label()),
            suspended: m.status == MerchantStatus::Suspended,
            fee_percent: kippu_domain::money::percent_of_bp(m.platform_fee_bp),
            ticket_fee_percent: kippu_domain::money::percent_of_bp(m.ticket_fee_bp),
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
}

/// The operator changes a merchant's fee rate from the merchant list.
pub async fn set_fee(State(app): State<App>, s: SignedIn, Path(code): Path<String>, Form(f): Form<FeeForm>) -> Result<Response, WebError> {
    match kippu_app::settlements::set_fee_rates(&app, &s.user.actor, &code, &f.fee_percent, f.ticket_fee_percent.as_deref()).await {
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
                fee_error: Some((code, e.all().iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" / "))),
                ..Shown::default()
            };
            page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, shown).await
        }
        Err(AppError::Forbidden(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}
