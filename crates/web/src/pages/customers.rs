//! Customers under 代理注文管理: list and edit, scoped to the signed-in merchant.

use super::{ok, render};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::form_errors::FormErrors;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::customers::CustomerRow;
use kippu_app::customers::{self, CustomerInput};
use kippu_app::{App, AppError};
use kippu_domain::paging::Paging;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "customers.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<CustomerRow>,
    total: i64,
    page: i64,
    pages: i64,
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

const PER_PAGE: i64 = 50;

pub async fn list(State(app): State<App>, s: SignedIn, Query(q): Query<PageQuery>) -> Result<Response, WebError> {
    let paging = Paging::new(q.page, None, PER_PAGE).map_err(kippu_app::AppError::from)?;
    let page = paging.page();
    let p = customers::list(&app, &s.user.actor, paging).await?;
    ok(ListPage {
        c: Chrome::signed_in(&s.ctx, "customers.title"),
        pages: ((p.total + PER_PAGE - 1) / PER_PAGE).max(1),
        rows: p.rows,
        total: p.total,
        page,
    })
}

#[derive(Template)]
#[template(path = "customer_edit.html")]
struct EditPage {
    c: Chrome,
    id: i64,
    f: CustomerInput,
    saved: bool,
    errors: FormErrors,
}

fn input_of(r: CustomerRow) -> CustomerInput {
    CustomerInput {
        name: r.name,
        kana: r.kana,
        email: r.email,
        phone: r.phone,
        postal_code: r.postal_code,
        address: r.address,
    }
}

pub async fn edit_page(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    let row = customers::get(&app, &s.user.actor, id).await?;
    ok(EditPage {
        c: Chrome::signed_in(&s.ctx, "customers.edit"),
        id,
        f: input_of(row),
        saved: false,
        errors: FormErrors::default(),
    })
}

pub async fn edit(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(f): Form<CustomerInput>) -> Result<Response, WebError> {
    match customers::update(&app, &s.user.actor, id, &f).await {
        Ok(row) => ok(EditPage {
            c: Chrome::signed_in(&s.ctx, "customers.edit"),
            id,
            f: input_of(row),
            saved: true,
            errors: FormErrors::default(),
        }),
        Err(AppError::Invalid(fe)) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            EditPage {
                c: Chrome::signed_in(&s.ctx, "customers.edit"),
                id,
                f,
                saved: false,
                errors: FormErrors::by_field(&fe),
            },
        ),
        Err(e) => Err(e.into()),
    }
}
