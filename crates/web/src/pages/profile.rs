//! 加盟店情報: the merchant admin's own profile and payout bank account.

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
use kippu_app::merchants::profile::{self, ProfileForm};
use kippu_app::{App, AppError};
use kippu_domain::merchant::AccountKind;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    c: Chrome,
    f: ProfileForm,
    errors: FormErrors,
    /// The stored account, masked, in the page's language.
    bank_now: Option<String>,
    kinds: Vec<(&'static str, &'static str)>,
}

async fn page(app: &App, s: &SignedIn, status: StatusCode, typed: Option<ProfileForm>, errors: FormErrors) -> Result<Response, WebError> {
    let m = kippu_app::merchants::settings_view(app, &s.user.actor)
        .await?
        .ok_or(WebError::NotFound)?;
    let t = s.ctx.t();
    let bank_now = profile::bank_summary(&m).map(|said| t.said(&said));
    render(
        status,
        ProfilePage {
            c: Chrome::signed_in(&s.ctx, "profile.title"),
            f: typed.unwrap_or_else(|| ProfileForm::of(&m)),
            errors,
            bank_now,
            kinds: AccountKind::ALL.iter().map(|k| (k.as_str(), t.l(k.label()))).collect(),
        },
    )
}

pub async fn show(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    page(&app, &s, StatusCode::OK, None, FormErrors::default()).await
}

pub async fn save(State(app): State<App>, s: SignedIn, Form(f): Form<ProfileForm>) -> Result<Response, WebError> {
    match profile::save(&app, &s.user.actor, &f).await {
        Ok(()) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            "/settings/merchant",
            Flash::done(s.ctx.t().s("profile.saved")),
        )),
        Err(AppError::Invalid(e)) => {
            // The account number is never sent back to the browser, even as typed.
            let mut typed = f;
            typed.bank.account_number.clear();
            page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, Some(typed), FormErrors::by_field(&e)).await
        }
        Err(AppError::Forbidden(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}
