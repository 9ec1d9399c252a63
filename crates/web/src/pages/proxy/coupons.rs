//! クーポン: the merchant's code coupons — list, new, edit, on/off. Field errors beside their
//! fields; every change through `kippu_app::coupons` (admins only, audited).

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
use kippu_app::coupons::{self, CouponRow};
use kippu_app::{App, AppError};
use kippu_domain::coupon::{CouponInput, Discount};
use kippu_domain::money::grouped;
use kippu_domain::paging::Paging;
use serde::Deserialize;

/// One coupon as the list shows it.
struct Line {
    id: i64,
    code: String,
    name: String,
    discount: kippu_domain::label::Said,
    period: String,
    min_amount: String,
    uses: String,
    enabled: bool,
}

fn line(r: CouponRow) -> Line {
    let discount = Discount::from_columns(r.discount_yen, r.discount_percent)
        .map(Discount::said)
        .unwrap_or_else(|e| kippu_domain::label::Said::new(e.clone(), e));
    Line {
        id: r.id,
        period: format!("{} 〜 {}", r.valid_from, r.valid_to),
        min_amount: grouped(r.min_amount),
        uses: match r.total_limit {
            Some(l) => format!("{} / {}", grouped(r.used_count), grouped(l)),
            None => grouped(r.used_count),
        },
        enabled: r.enabled == 1,
        code: r.code,
        name: r.name,
        discount,
    }
}

#[derive(Template)]
#[template(path = "coupons.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Line>,
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
    let p = coupons::list(&app, &s.user.actor, paging).await?;
    ok(ListPage {
        c: Chrome::signed_in(&s.ctx, "coupons.title"),
        pages: ((p.total + PER_PAGE - 1) / PER_PAGE).max(1),
        rows: p.rows.into_iter().map(line).collect(),
        total: p.total,
        page,
        can_edit: s.user.actor.role.can_edit_merchant_settings(s.user.actor.admin_settings),
    })
}

/// The form as typed (a checkbox sends `on` or nothing).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CouponForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    discount_kind: String,
    #[serde(default)]
    discount_value: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    min_amount: String,
    #[serde(default)]
    per_customer: String,
    #[serde(default)]
    total_limit: String,
    #[serde(default)]
    enabled: Option<String>,
}

impl CouponForm {
    fn input(&self) -> CouponInput {
        CouponInput {
            code: self.code.clone(),
            name: self.name.clone(),
            discount_kind: self.discount_kind.clone(),
            discount_value: self.discount_value.clone(),
            valid_from: self.valid_from.clone(),
            valid_to: self.valid_to.clone(),
            min_amount: self.min_amount.clone(),
            per_customer: self.per_customer.clone(),
            total_limit: self.total_limit.clone(),
            enabled: self.enabled.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "coupon_form.html")]
struct FormPage {
    c: Chrome,
    /// `None` for a new coupon.
    id: Option<i64>,
    f: CouponInput,
    errors: FormErrors,
}

fn form_page(s: &SignedIn, status: StatusCode, id: Option<i64>, f: CouponInput, errors: FormErrors) -> Result<Response, WebError> {
    let title = if id.is_some() { "coupons.edit" } else { "coupons.new" };
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
    let f = CouponInput {
        discount_kind: "yen".into(),
        enabled: true,
        ..CouponInput::default()
    };
    form_page(&s, StatusCode::OK, None, f, FormErrors::default())
}

fn saved(s: &SignedIn, r: &CouponRow, key: &str) -> Response {
    let message = format!("{}: {}", r.code, s.ctx.t().s(key));
    flash::redirect(s.ctx.secure_cookies, "/proxy/coupons", Flash::done(message))
}

pub async fn create(State(app): State<App>, s: SignedIn, Form(f): Form<CouponForm>) -> Result<Response, WebError> {
    let input = f.input();
    match coupons::create(&app, &s.user.actor, &input).await {
        Ok(r) => Ok(saved(&s, &r, "coupons.created")),
        Err(AppError::Invalid(e)) => form_page(&s, StatusCode::UNPROCESSABLE_ENTITY, None, input, FormErrors::by_field(&e)),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_page(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    s.user.actor.require_settings_rights()?;
    let r = coupons::get(&app, &s.user.actor, id).await?;
    form_page(&s, StatusCode::OK, Some(id), coupons::input_of(&r), FormErrors::default())
}

pub async fn edit(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(f): Form<CouponForm>) -> Result<Response, WebError> {
    let input = f.input();
    match coupons::update(&app, &s.user.actor, id, &input).await {
        Ok(r) => Ok(saved(&s, &r, "common.saved")),
        Err(AppError::Invalid(e)) => form_page(&s, StatusCode::UNPROCESSABLE_ENTITY, Some(id), input, FormErrors::by_field(&e)),
        Err(e) => Err(e.into()),
    }
}

/// 有効 / 停止.
pub async fn switch(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(f): Form<Switch>) -> Result<Response, WebError> {
    let r = coupons::set_enabled(&app, &s.user.actor, id, f.on()).await?;
    Ok(saved(&s, &r, if f.on() { "coupons.switched_on" } else { "coupons.switched_off" }))
}
