//! ADコード (媒体): the merchant's AD codes — list, new, edit, on/off. Field errors beside their
//! fields; every change through `kippu_app::ad_codes` (admins only, audited).

use super::Switch;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::{ok, render};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::ad_codes::{self, AdCodeRow};
use kippu_app::{App, AppError};
use kippu_domain::adcode::AdCodeInput;
use kippu_domain::paging::Paging;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "adcodes.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<AdCodeRow>,
    total: i64,
    page: i64,
    pages: i64,
    can_edit: bool,
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

const PER_PAGE: i64 = 50;

pub async fn list(State(app): State<App>, s: SignedIn, Query(q): Query<PageQuery>) -> Result<Response, WebError> {
    let paging = Paging::new(q.page, None, PER_PAGE).map_err(AppError::from)?;
    let page = paging.page();
    let p = ad_codes::list(&app, &s.user.actor, paging).await?;
    ok(ListPage {
        c: Chrome::signed_in(&s.ctx, "adcodes.title"),
        pages: ((p.total + PER_PAGE - 1) / PER_PAGE).max(1),
        rows: p.rows,
        total: p.total,
        page,
        can_edit: s.user.actor.role.can_edit_merchant_settings(s.user.actor.admin_settings),
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AdCodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    enabled: Option<String>,
}

impl AdCodeForm {
    fn input(&self) -> AdCodeInput {
        AdCodeInput {
            code: self.code.clone(),
            name: self.name.clone(),
            valid_from: self.valid_from.clone(),
            valid_to: self.valid_to.clone(),
            enabled: self.enabled.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "adcode_form.html")]
struct FormPage {
    c: Chrome,
    id: Option<i64>,
    f: AdCodeInput,
    errors: FormErrors,
}

fn form_page(s: &SignedIn, status: StatusCode, id: Option<i64>, f: AdCodeInput, errors: FormErrors) -> Result<Response, WebError> {
    let title = if id.is_some() { "adcodes.edit" } else { "adcodes.new" };
    render(
        status,
        FormPage {
            c: Chrome::signed_in(&s.ctx, title),
            id,
            f,
            errors,
        },
    )
}

pub async fn new_page(s: SignedIn) -> Result<Response, WebError> {
    s.user.actor.require_settings_rights()?;
    let f = AdCodeInput {
        enabled: true,
        ..AdCodeInput::default()
    };
    form_page(&s, StatusCode::OK, None, f, FormErrors::default())
}

fn saved(s: &SignedIn, r: &AdCodeRow, key: &str) -> Response {
    let message = format!("{}: {}", r.code, s.ctx.t().s(key));
    flash::redirect(s.ctx.secure_cookies, "/proxy/adcodes", Flash::done(message))
}

pub async fn create(State(app): State<App>, s: SignedIn, Form(f): Form<AdCodeForm>) -> Result<Response, WebError> {
    let input = f.input();
    match ad_codes::create(&app, &s.user.actor, &input).await {
        Ok(r) => Ok(saved(&s, &r, "adcodes.created")),
        Err(AppError::Invalid(e)) => form_page(&s, StatusCode::UNPROCESSABLE_ENTITY, None, input, FormErrors::by_field(&e)),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_page(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    s.user.actor.require_settings_rights()?;
    let r = ad_codes::get(&app, &s.user.actor, id).await?;
    form_page(&s, StatusCode::OK, Some(id), ad_codes::input_of(&r), FormErrors::default())
}

pub async fn edit(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(f): Form<AdCodeForm>) -> Result<Response, WebError> {
    let input = f.input();
    match ad_codes::update(&app, &s.user.actor, id, &input).await {
        Ok(r) => Ok(saved(&s, &r, "common.saved")),
        Err(AppError::Invalid(e)) => form_page(&s, StatusCode::UNPROCESSABLE_ENTITY, Some(id), input, FormErrors::by_field(&e)),
        Err(e) => Err(e.into()),
    }
}

pub async fn switch(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(f): Form<Switch>) -> Result<Response, WebError> {
    let r = ad_codes::set_enabled(&app, &s.user.actor, id, f.on()).await?;
    Ok(saved(&s, &r, if f.on() { "coupons.switched_on" } else { "coupons.switched_off" }))
}
