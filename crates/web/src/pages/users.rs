//! 設定 → ユーザー: the merchant's accounts, an invitation by email, disable and enable.

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
use kippu_app::accounts::staff::{self, Invite, STAFF_ROLES};
use kippu_app::{App, AppError};
use serde::Deserialize;

struct UserLine {
    login_id: String,
    name: String,
    role: &'static str,
    email: String,
    disabled: bool,
    pending: bool,
    /// A call-centre operator: the 「管理者専用設定を表示する」 switch applies, and is `admin`.
    call_centre: bool,
    admin: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    c: Chrome,
    rows: Vec<UserLine>,
    /// The invite form and the switches are the merchant admin's.
    can_manage: bool,
    roles: Vec<(&'static str, &'static str)>,
    f: InviteForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    login_id: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn page(app: &App, s: &SignedIn, status: StatusCode, f: InviteForm, errors: FormErrors) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let rows = kippu_app::accounts::users(app, &s.user.actor)
        .await?
        .into_iter()
        .map(|u| UserLine {
            role: t.s(&format!("role.{}", u.role)),
            call_centre: kippu_domain::account::Role::parse(&u.role) == Some(kippu_domain::account::Role::CallCentre),
            admin: u.admin_settings == 1,
            pending: u.must_change_password == 1,
            disabled: u.disabled == 1,
            login_id: u.login_id,
            name: u.display_name,
            email: u.email,
        })
        .collect();
    let actor = &s.user.actor;
    render(
        status,
        UsersPage {
            c: Chrome::signed_in(&s.ctx, "settings.users"),
            rows,
            can_manage: actor.merchant_id.is_some() && actor.role.can_edit_merchant_settings(actor.admin_settings),
            roles: STAFF_ROLES
                .iter()
                .map(|r| (r.as_str(), t.s(&format!("role.{}", r.as_str()))))
                .collect(),
            f,
            errors,
        },
    )
}

pub async fn list(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let f = InviteForm {
        role: "merchant_staff".into(),
        ..Default::default()
    };
    page(&app, &s, StatusCode::OK, f, FormErrors::default()).await
}

pub async fn invite(State(app): State<App>, s: SignedIn, Form(f): Form<InviteForm>) -> Result<Response, WebError> {
    let i = Invite {
        login_id: &f.login_id,
        display_name: &f.display_name,
        email: &f.email,
        role: &f.role,
    };
    match staff::invite(&app, &s.user.actor, &i).await {
        Ok(_) => {
            let message = format!("{} {} <{}>", s.ctx.t().s("users.invited"), f.login_id.trim(), f.email.trim());
            Ok(flash::redirect(s.ctx.secure_cookies, "/settings/users", Flash::done(message)))
        }
        Err(AppError::Invalid(e)) => {
            let errors = FormErrors::by_field(&e);
            page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, f, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DisabledForm {
    disabled: String,
}

pub async fn set_disabled(
    State(app): State<App>,
    s: SignedIn,
    Path(login_id): Path<String>,
    Form(f): Form<DisabledForm>,
) -> Result<Response, WebError> {
    let disabled = f.disabled == "1";
    let t = s.ctx.t();
    let flash = match staff::set_disabled(&app, &s.user.actor, &login_id, disabled).await {
        Ok(()) => {
            let key = if disabled { "users.now_disabled" } else { "users.now_enabled" };
            // The way back is the other switch of the same row.
            Flash::done(format!("{login_id}: {}", t.s(key)))
        }
        Err(AppError::Conflict(reason)) => Flash::refused(s.ctx.t().said(&reason)),
        Err(e) => return Err(e.into()),
    };
    Ok(flash::redirect(s.ctx.secure_cookies, "/settings/users", flash))
}

/// The admin's 「パスワード再設定メールを送る」.
pub async fn send_reset(State(app): State<App>, s: SignedIn, Path(login_id): Path<String>) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let flash = match staff::send_reset(&app, &s.user.actor, &login_id).await {
        Ok(()) => Flash::done(format!("{login_id}: {}", t.s("users.reset_sent"))),
        Err(AppError::Conflict(reason)) => Flash::refused(t.said(&reason)),
        Err(e) => return Err(e.into()),
    };
    Ok(flash::redirect(s.ctx.secure_cookies, "/settings/users", flash))
}

#[derive(Deserialize)]
pub struct AdminSettingsForm {
    #[serde(default)]
    admin_settings: String,
}

/// A call-centre operator's 「管理者専用設定を表示する」.
pub async fn set_admin_settings(
    State(app): State<App>,
    s: SignedIn,
    Path(login_id): Path<String>,
    Form(f): Form<AdminSettingsForm>,
) -> Result<Response, WebError> {
    let on = f.admin_settings == "1";
    let t = s.ctx.t();
    let flash = match staff::set_admin_settings(&app, &s.user.actor, &login_id, on).await {
        Ok(()) => Flash::done(format!(
            "{login_id}: {}",
            t.s(if on { "users.admin_on" } else { "users.admin_off" })
        )),
        Err(AppError::Conflict(reason)) => Flash::refused(t.said(&reason)),
        Err(e) => return Err(e.into()),
    };
    Ok(flash::redirect(s.ctx.secure_cookies, "/settings/users", flash))
}
