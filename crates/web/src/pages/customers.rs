//! 受付 under 代理注文管理: 顧客検索 (the list with its one search box), 総合受付 (a new
//! customer, warned of a likely duplicate first) and a customer's page (edit, その他情報), scoped
//! to the signed-in merchant.

use super::{ok, render};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::customers::{CustomerInput, CustomerRow};
use kippu_app::reception::{self, ProfileInput, Registered};
use kippu_app::{App, AppError};
use kippu_domain::money::grouped;
use kippu_domain::paging::Paging;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "customers.html")]
struct ListPage {
    c: Chrome,
    q: String,
    rows: Vec<CustomerRow>,
    total: String,
    page: i64,
    pages: i64,
    /// `&q=…` for the pager's links.
    q_param: String,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<i64>,
}

const PER_PAGE: i64 = 50;

/// 顧客検索: every customer a page at a time, or those the box finds.
pub async fn list(State(app): State<App>, s: SignedIn, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let paging = Paging::new(q.page, None, PER_PAGE).map_err(AppError::from)?;
    let page = paging.page();
    let q_param = if q.q.is_empty() {
        String::new()
    } else {
        format!("&{}", serde_urlencoded::to_string([("q", &q.q)]).unwrap_or_default())
    };
    let c = Chrome::signed_in(&s.ctx, "customers.title");
    match reception::search(&app, &s.user.actor, &q.q, paging).await {
        Ok(found) => {
            let total = if found.capped {
                format!("{}{}", grouped(found.total), c.t.s("customers.or_more"))
            } else {
                grouped(found.total)
            };
            ok(ListPage {
                pages: ((found.total + PER_PAGE - 1) / PER_PAGE).max(1),
                rows: found.rows,
                total,
                page,
                q: q.q,
                q_param,
                errors: FormErrors::default(),
                c,
            })
        }
        Err(AppError::Invalid(e)) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            ListPage {
                rows: Vec::new(),
                total: "0".into(),
                page: 1,
                pages: 1,
                q: q.q,
                q_param,
                errors: FormErrors::by_field(&e),
                c,
            },
        ),
        Err(e) => Err(e.into()),
    }
}

/// The customer form as typed: contact, profile, and 「このまま登録」.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CustomerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kana: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    birthday: String,
    #[serde(default)]
    notes: String,
    /// `1` after the duplicate warning: register anyway.
    #[serde(default)]
    confirm: String,
    /// `console`: 総合受付 opened from the call centre's console, which gets the new customer
    /// back, picked.
    #[serde(default)]
    back: String,
}

#[derive(Deserialize)]
pub struct BackQuery {
    #[serde(default)]
    back: String,
}

impl CustomerForm {
    fn parts(&self) -> (CustomerInput, ProfileInput) {
        (
            CustomerInput {
                name: self.name.clone(),
                kana: self.kana.clone(),
                email: self.email.clone(),
                phone: self.phone.clone(),
                postal_code: self.postal_code.clone(),
                address: self.address.clone(),
            },
            ProfileInput {
                birthday: self.birthday.clone(),
                notes: self.notes.clone(),
            },
        )
    }

    fn of(r: &CustomerRow) -> CustomerForm {
        CustomerForm {
            name: r.name.clone(),
            kana: r.kana.clone(),
            email: r.email.clone(),
            phone: r.phone.clone(),
            postal_code: r.postal_code.clone(),
            address: r.address.clone(),
            birthday: r.birthday.clone(),
            notes: r.notes.clone(),
            confirm: String::new(),
            back: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "customer_new.html")]
struct NewPage {
    c: Chrome,
    f: CustomerForm,
    /// Likely the same person: shown with 「このまま登録」.
    duplicates: Vec<CustomerRow>,
    errors: FormErrors,
}

/// 総合受付: the empty form.
pub async fn new_page(s: SignedIn, Query(q): Query<BackQuery>) -> Result<Response, WebError> {
    ok(NewPage {
        c: Chrome::signed_in(&s.ctx, "reception.new_title"),
        f: CustomerForm {
            back: if q.back == "console" { q.back } else { String::new() },
            ..CustomerForm::default()
        },
        duplicates: Vec::new(),
        errors: FormErrors::default(),
    })
}

pub async fn register(State(app): State<App>, s: SignedIn, Form(f): Form<CustomerForm>) -> Result<Response, WebError> {
    let (c, p) = f.parts();
    let page = |status, f, duplicates, errors| {
        render(
            status,
            NewPage {
                c: Chrome::signed_in(&s.ctx, "reception.new_title"),
                f,
                duplicates,
                errors,
            },
        )
    };
    match reception::register(&app, &s.user.actor, &c, &p, f.confirm == "1").await {
        Ok(Registered::Created(row)) => {
            let message = format!(
                "{} {}: {}",
                s.ctx.t().s("customers.number"),
                row.customer_number,
                s.ctx.t().s("reception.registered")
            );
            let to = if f.back == "console" {
                format!("/callcenter?customer={}", row.id)
            } else {
                format!("/proxy/customers/{}", row.id)
            };
            Ok(flash::redirect(s.ctx.secure_cookies, &to, Flash::done(message)))
        }
        Ok(Registered::LikelyDuplicates(d)) => page(StatusCode::CONFLICT, f, d, FormErrors::default()),
        Err(AppError::Invalid(e)) => page(StatusCode::UNPROCESSABLE_ENTITY, f, Vec::new(), FormErrors::by_field(&e)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "customer_edit.html")]
struct EditPage {
    c: Chrome,
    id: i64,
    number: i64,
    registered_at: String,
    order_count: String,
    total_spent: String,
    last_ordered: String,
    f: CustomerForm,
    saved: bool,
    errors: FormErrors,
}

async fn edit_view(
    app: &App,
    s: &SignedIn,
    id: i64,
    f: Option<CustomerForm>,
    saved: bool,
    errors: FormErrors,
) -> Result<EditPage, WebError> {
    let p = reception::profile(app, &s.user.actor, id).await?;
    let c = Chrome::signed_in(&s.ctx, "customers.edit");
    Ok(EditPage {
        id,
        number: p.customer.customer_number,
        registered_at: c.t.datetime_ms(p.customer.created_at),
        order_count: grouped(p.figures.order_count),
        total_spent: grouped(p.figures.total_spent),
        last_ordered: p
            .figures
            .last_ordered_at
            .map(|ms| c.t.datetime_ms(ms))
            .unwrap_or_else(|| "—".into()),
        f: f.unwrap_or_else(|| CustomerForm::of(&p.customer)),
        saved,
        errors,
        c,
    })
}

pub async fn edit_page(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    ok(edit_view(&app, &s, id, None, false, FormErrors::default()).await?)
}

pub async fn edit(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(f): Form<CustomerForm>) -> Result<Response, WebError> {
    let (c, p) = f.parts();
    match reception::update(&app, &s.user.actor, id, &c, &p).await {
        Ok(_) => ok(edit_view(&app, &s, id, None, true, FormErrors::default()).await?),
        Err(AppError::Invalid(fe)) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            edit_view(&app, &s, id, Some(f), false, FormErrors::by_field(&fe)).await?,
        ),
        Err(e) => Err(e.into()),
    }
}
