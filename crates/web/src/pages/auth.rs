//! Sign-in, sign-out, password change and reset, language toggle.

use super::{ok, render, safe_local};
use crate::chrome::Chrome;
use crate::client_addr::ClientAddr;
use crate::ctx::{CSRF_COOKIE, Ctx, LANG_COOKIE, SESSION_COOKIE, SignedIn, cookie};
use crate::error::WebError;
use crate::i18n::{Lang, T};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kippu_app::{App, AppError, accounts};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    error: Option<String>,
    notice: Option<String>,
    login_id: String,
    next: String,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn login_page(ctx: Ctx, Query(q): Query<NextQuery>) -> Result<Response, WebError> {
    if ctx.session.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    ok(LoginPage {
        c: Chrome::public(&ctx, "login.title"),
        error: None,
        notice: None,
        login_id: String::new(),
        next: q.next,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    login_id: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// The lock's end in Japan time, in words (`2026/12/07(月) 20:15`), and the minutes left.
pub fn locked_message(t: T, minutes: i64, until_ms: i64) -> String {
    let until = kippu_domain::clock::datetime_with_weekday(kippu_domain::clock::from_millis(until_ms), t.lang == Lang::En);
    t.s("login.locked").replace("{m}", &minutes.to_string()).replace("{until}", &until)
}

pub async fn login(
    State(app): State<App>,
    ctx: Ctx,
    ClientAddr(client): ClientAddr,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let t = ctx.t();
    let (status, message) = match accounts::login(&app, &f.login_id, &f.password, client).await {
        Ok(ok) => {
            let to = if ok.user.must_change_password == 1 {
                "/password/change"
            } else {
                safe_local(&f.next)
            };
            let jar = jar
                .add(cookie(SESSION_COOKIE, ok.session_token, ctx.secure_cookies))
                .remove(axum_extra::extract::cookie::Cookie::from(CSRF_COOKIE));
            return Ok((jar, Redirect::to(to)).into_response());
        }
        Err(AppError::BadCredentials) => (StatusCode::UNAUTHORIZED, t.s("login.bad").to_string()),
        Err(AppError::Locked { minutes, until_ms }) => (StatusCode::TOO_MANY_REQUESTS, locked_message(t, minutes, until_ms)),
        Err(e @ AppError::MerchantSuspended) => (StatusCode::FORBIDDEN, t.said(&e.said())),
        Err(e) => return Err(e.into()),
    };
    render(
        status,
        LoginPage {
            c: Chrome::public(&ctx, "login.title"),
            error: Some(message),
            notice: None,
            login_id: f.login_id,
            next: f.next,
        },
    )
}

pub async fn logout(State(app): State<App>, jar: CookieJar) -> Result<Response, WebError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        accounts::logout(&app, c.value()).await.map_err(WebError::from)?;
    }
    let jar = jar.remove(axum_extra::extract::cookie::Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login")).into_response())
}

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    back: String,
}

/// Switches the UI language and remembers it (cookie, and the account when signed in).
pub async fn set_lang(State(app): State<App>, ctx: Ctx, jar: CookieJar, Form(f): Form<LangForm>) -> Result<Response, WebError> {
    let lang = Lang::parse(&f.lang).unwrap_or(Lang::Ja);
    if let Some(s) = &ctx.session
        && let Some(uid) = s.actor.user_id
    {
        accounts::set_language(&app, uid, lang.code()).await.map_err(WebError::from)?;
    }
    let mut c = cookie(LANG_COOKIE, lang.code().to_string(), ctx.secure_cookies);
    c.set_max_age(time::Duration::days(365));
    Ok((jar.add(c), Redirect::to(safe_local(&f.back))).into_response())
}

#[derive(Template)]
#[template(path = "password_change.html")]
struct ChangePage {
    c: Chrome,
    forced: bool,
    ask_current: bool,
    done: bool,
    errors: Vec<String>,
    action: String,
}

pub async fn change_page(s: SignedIn) -> Result<Response, WebError> {
    let forced = s.user.user.must_change_password == 1;
    ok(ChangePage {
        c: Chrome::signed_in(&s.ctx, "pw.title"),
        forced,
        ask_current: !forced,
        done: false,
        errors: vec![],
        action: "/password/change".into(),
    })
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    current_password: String,
    new_password: String,
    confirm_password: String,
}

/// Messages for a refused password, in the reader's language.
pub fn password_errors(t: T, e: AppError) -> Result<Vec<String>, WebError> {
    match e {
        AppError::WeakPassword(problems) => {
            let mut v = vec![t.s("pw.weak").to_string()];
            v.extend(problems.iter().map(|p| match t.lang {
                Lang::Ja => p.message_ja().to_string(),
                Lang::En => p.message_en().to_string(),
            }));
            Ok(v)
        }
        AppError::Invalid(f) => Ok(vec![f.message.clone()]),
        other => Err(other.into()),
    }
}

pub async fn change(State(app): State<App>, s: SignedIn, Form(f): Form<ChangeForm>) -> Result<Response, WebError> {
    let forced = s.user.user.must_change_password == 1;
    let current = (!forced).then_some(f.current_password.as_str());
    match accounts::change_password(&app, &s.user, current, &f.new_password, &f.confirm_password).await {
        Ok(()) if forced => Ok(Redirect::to("/").into_response()),
        Ok(()) => ok(ChangePage {
            c: Chrome::signed_in(&s.ctx, "pw.title"),
            forced: false,
            ask_current: true,
            done: true,
            errors: vec![],
            action: "/password/change".into(),
        }),
        Err(e) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            ChangePage {
                c: Chrome::signed_in(&s.ctx, "pw.title"),
                forced,
                ask_current: !forced,
                done: false,
                errors: password_errors(s.ctx.t(), e)?,
                action: "/password/change".into(),
            },
        ),
    }
}

#[derive(Template)]
#[template(path = "reset_request.html")]
struct ResetRequestPage {
    c: Chrome,
    sent: bool,
}

pub async fn reset_request_page(ctx: Ctx) -> Result<Response, WebError> {
    ok(ResetRequestPage {
        c: Chrome::public(&ctx, "reset.title"),
        sent: false,
    })
}

#[derive(Deserialize)]
pub struct ResetRequestForm {
    login_id: String,
}

pub async fn reset_request(State(app): State<App>, ctx: Ctx, Form(f): Form<ResetRequestForm>) -> Result<Response, WebError> {
    accounts::request_reset(&app, &f.login_id).await.map_err(WebError::from)?;
    ok(ResetRequestPage {
        c: Chrome::public(&ctx, "reset.title"),
        sent: true,
    })
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

fn expired(ctx: &Ctx) -> Result<Response, WebError> {
    let t = ctx.t();
    render(
        StatusCode::GONE,
        MessagePage {
            c: Chrome::public(ctx, "reset.title"),
            class: "error",
            text: t.s("reset.expired").into(),
            link: "/password/reset",
            link_label: t.s("reset.title"),
        },
    )
}

fn reset_form(ctx: &Ctx, token: &str, errors: Vec<String>) -> Result<Response, WebError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        ChangePage {
            c: Chrome::public(ctx, "reset.set"),
            forced: false,
            ask_current: false,
            done: false,
            errors,
            action: format!("/password/reset/{token}"),
        },
    )
}

pub async fn reset_page(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, WebError> {
    match accounts::check_reset(&app, &token).await {
        Ok(_) => reset_form(&ctx, &token, vec![]),
        Err(AppError::LinkExpired) => expired(&ctx),
        Err(e) => Err(e.into()),
    }
}

pub async fn reset(State(app): State<App>, ctx: Ctx, Path(token): Path<String>, Form(f): Form<ChangeForm>) -> Result<Response, WebError> {
    let t = ctx.t();
    match accounts::reset_password(&app, &token, &f.new_password, &f.confirm_password).await {
        Ok(()) => ok(MessagePage {
            c: Chrome::public(&ctx, "reset.title"),
            class: "notice",
            text: t.s("reset.done").into(),
            link: "/login",
            link_label: t.s("reset.back"),
        }),
        Err(AppError::LinkExpired) => expired(&ctx),
        Err(e) => reset_form(&ctx, &token, password_errors(t, e)?),
    }
}
