//! 店舗・端末: the merchant's stores and each store's terminals, added in place.

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
use axum::response::IntoResponse;
use axum::response::Response;
use kippu_app::merchants::StoreWithTerminals;
use kippu_app::merchants::stores::{self, NewStore};
use kippu_app::{App, AppError};

#[derive(Template)]
#[template(path = "stores.html")]
struct StoresPage {
    c: Chrome,
    stores: Vec<StoreWithTerminals>,
    can_edit: bool,
    f: NewStore,
    errors: FormErrors,
    /// A terminal form's refusal: (store code, reason).
    terminal_error: Option<(String, String)>,
}

async fn page(
    app: &App,
    s: &SignedIn,
    status: StatusCode,
    f: NewStore,
    errors: FormErrors,
    terminal_error: Option<(String, String)>,
) -> Result<Response, WebError> {
    let stores = kippu_app::merchants::stores(app, &s.user.actor).await?;
    render(
        status,
        StoresPage {
            c: Chrome::signed_in(&s.ctx, "settings.stores"),
            stores,
            can_edit: s.user.actor.role.can_edit_merchant_settings(s.user.actor.admin_settings),
            f,
            errors,
            terminal_error,
        },
    )
}

pub async fn list(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    page(&app, &s, StatusCode::OK, NewStore::default(), FormErrors::default(), None).await
}

pub async fn add_store(State(app): State<App>, s: SignedIn, Form(f): Form<NewStore>) -> Result<Response, WebError> {
    match stores::add_store(&app, &s.user.actor, &f).await {
        Ok(code) => {
            let message = format!("{code}: {}", s.ctx.t().s("stores.store_added"));
            Ok(flash::redirect(s.ctx.secure_cookies, "/settings/stores", Flash::done(message)))
        }
        Err(AppError::Invalid(e)) => page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, f, FormErrors::by_field(&e), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
pub struct TerminalForm {
    #[serde(default)]
    name: String,
}

pub async fn add_terminal(
    State(app): State<App>,
    s: SignedIn,
    Path(store): Path<String>,
    Form(f): Form<TerminalForm>,
) -> Result<Response, WebError> {
    match stores::add_terminal(&app, &s.user.actor, &store, &f.name).await {
        Ok(t) => {
            let message = format!("{}: {} {}", t.code, s.ctx.t().s("stores.terminal_added"), t.passcode);
            Ok(flash::redirect(s.ctx.secure_cookies, "/settings/stores", Flash::done(message)))
        }
        Err(AppError::Invalid(e)) => {
            let refused = Some((store, e.message.clone()));
            page(
                &app,
                &s,
                StatusCode::UNPROCESSABLE_ENTITY,
                NewStore::default(),
                FormErrors::default(),
                refused,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// QR台紙: the terminal's printable mount (QR code, store, passcode) as PDF, or its QR code
/// alone as PNG (for a mount of the merchant's own design).
pub async fn qr_mount(State(app): State<App>, s: SignedIn, Path(file): Path<String>) -> Result<Response, WebError> {
    if let Some(code) = file.strip_suffix(".png") {
        let payload = stores::terminal_qr(&app, &s.user.actor, code).await?;
        let png = crate::qr::png(&payload, 8).map_err(WebError::Internal)?;
        return Ok(([(axum::http::header::CONTENT_TYPE, "image/png")], png).into_response());
    }
    let code = file.strip_suffix(".pdf").ok_or(WebError::NotFound)?;
    let (name, bytes) = stores::qr_mount(&app, &s.user.actor, code).await?;
    Ok(crate::pdf_response(&name, bytes))
}

/// パスコード再発行: the terminal's passcode changes (its QR code stays).
pub async fn reissue(State(app): State<App>, s: SignedIn, Path(code): Path<String>) -> Result<Response, WebError> {
    let passcode = stores::reissue_passcode(&app, &s.user.actor, &code).await?;
    let message = format!("{code}: {} {passcode}", s.ctx.t().s("vouchers.reissued"));
    Ok(flash::redirect(s.ctx.secure_cookies, "/settings/stores", Flash::done(message)))
}
