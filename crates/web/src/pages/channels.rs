//! 販売チャネル: the own site and the OTAs, with the API tokens their connections order with.

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
use kippu_app::channels::{self, ChannelView};
use kippu_app::{App, AppError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "channels.html")]
struct Page {
    c: Chrome,
    rows: Vec<Row>,
    can_edit: bool,
    /// A token just issued: shown this once, never again.
    issued: Option<(String, String)>,
    errors: FormErrors,
    f: NewChannel,
}

struct Row {
    v: ChannelView,
    /// An OTA (the own site redeems at the door page, never by token).
    is_ota: bool,
    kind_label: &'static str,
    /// (id, name, prefix, created, last used) of each live token.
    tokens: Vec<(i64, String, String, String, String)>,
}

#[derive(Deserialize, Default)]
pub struct NewChannel {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

async fn page(
    app: &App,
    s: &SignedIn,
    status: StatusCode,
    issued: Option<(String, String)>,
    errors: FormErrors,
    f: NewChannel,
) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let rows = channels::list(app, &s.user.actor)
        .await?
        .into_iter()
        .map(|v| Row {
            kind_label: v.channel.kind.label_ja(),
            is_ota: v.channel.kind == kippu_domain::catalog::ChannelKind::Ota,
            tokens: v
                .tokens
                .iter()
                .map(|tok| {
                    (
                        tok.id,
                        tok.name.clone(),
                        tok.token_prefix.clone(),
                        t.datetime_ms(tok.created_at),
                        tok.last_used_at.map(|at| t.datetime_ms(at)).unwrap_or_else(|| "—".into()),
                    )
                })
                .collect(),
            v,
        })
        .collect();
    render(
        status,
        Page {
            c: Chrome::signed_in(&s.ctx, "channels.title"),
            rows,
            can_edit: s.user.actor.role.can_edit_merchant_settings(s.user.actor.admin_settings),
            issued,
            errors,
            f,
        },
    )
}

fn invalid(e: AppError) -> Result<FormErrors, WebError> {
    match e {
        AppError::Invalid(f) => Ok(FormErrors::by_field(&f)),
        other => Err(other.into()),
    }
}

pub async fn list(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    s.user.actor.merchant()?;
    page(&app, &s, StatusCode::OK, None, FormErrors::default(), NewChannel::default()).await
}

pub async fn create(State(app): State<App>, s: SignedIn, Form(f): Form<NewChannel>) -> Result<Response, WebError> {
    match channels::create_ota(&app, &s.user.actor, &f.code, &f.name).await {
        Ok(_) => {
            let message = format!("{}: {}", f.code.trim().to_uppercase(), s.ctx.t().s("flash.channel_created"));
            Ok(flash::redirect(
                s.ctx.secure_cookies,
                "/reservations/channels",
                Flash::done(message),
            ))
        }
        Err(e) => {
            let errors = invalid(e)?;
            page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, None, errors, f).await
        }
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn issue_token(
    State(app): State<App>,
    s: SignedIn,
    Path(code): Path<String>,
    Form(f): Form<TokenForm>,
) -> Result<Response, WebError> {
    match channels::issue_token(&app, &s.user.actor, &code, &f.name).await {
        Ok(token) => {
            page(
                &app,
                &s,
                StatusCode::OK,
                Some((code, token)),
                FormErrors::default(),
                NewChannel::default(),
            )
            .await
        }
        Err(AppError::Invalid(fe)) if fe.field == "channel" => Err(WebError::NotFound),
        Err(e) => {
            // The token's name is typed in the channel's row, not in the add form: said on top.
            let errors = FormErrors::general(invalid(e)?.first_message());
            page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, None, errors, NewChannel::default()).await
        }
    }
}

pub async fn revoke_token(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    channels::revoke_token(&app, &s.user.actor, id).await?;
    Ok(flash::redirect(
        s.ctx.secure_cookies,
        "/reservations/channels",
        Flash::done(s.ctx.t().s("flash.token_revoked")),
    ))
}

#[derive(Deserialize)]
pub struct RedeemForm {
    /// `1` allows the channel's tokens to redeem, anything else stops them.
    #[serde(default)]
    may: String,
}

pub async fn set_redeem(
    State(app): State<App>,
    s: SignedIn,
    Path(code): Path<String>,
    Form(f): Form<RedeemForm>,
) -> Result<Response, WebError> {
    channels::set_may_redeem(&app, &s.user.actor, &code, f.may == "1").await?;
    Ok(flash::redirect(
        s.ctx.secure_cookies,
        "/reservations/channels",
        Flash::done(s.ctx.t().s("flash.channel_redeem_changed")),
    ))
}
