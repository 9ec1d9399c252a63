//! The emailed link that lifts an account's sign-in lock: a page with one button (mail scanners
//! follow links; only a person presses the button), then the lock is gone and the link used.

use super::{ok, render};
use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::{App, AppError, accounts};

#[derive(Template)]
#[template(path = "login_unlock.html")]
struct UnlockPage {
    c: Chrome,
    action: String,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    c: Chrome,
    class: &'static str,
    text: String,
    link: &'static str,
    link_label: &'static str,
}

fn message(ctx: &Ctx, status: StatusCode, class: &'static str, text: String) -> Result<Response, WebError> {
    let t = ctx.t();
    render(
        status,
        MessagePage {
            c: Chrome::public(ctx, "unlock.title"),
            class,
            text,
            link: "/login",
            link_label: t.s("reset.back"),
        },
    )
}

pub async fn page(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, WebError> {
    match accounts::check_reset(&app, &token).await {
        Ok(_) => ok(UnlockPage {
            c: Chrome::public(&ctx, "unlock.title"),
            action: format!("/login/unlock/{token}"),
        }),
        Err(AppError::LinkExpired) => message(&ctx, StatusCode::GONE, "error", ctx.t().s("unlock.expired").into()),
        Err(e) => Err(e.into()),
    }
}

pub async fn unlock(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, WebError> {
    let t = ctx.t();
    match accounts::unlock_account(&app, &token).await {
        Ok(login_id) => message(&ctx, StatusCode::OK, "notice", t.s("unlock.done").replace("{login_id}", &login_id)),
        Err(AppError::LinkExpired) => message(&ctx, StatusCode::GONE, "error", t.s("unlock.expired").into()),
        Err(e) => Err(e.into()),
    }
}
