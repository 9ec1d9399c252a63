//! 商品: products and their channel listings, under 予約・引き換え.

use super::{ok, render};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use askama::Template;
use axum::Form;
use axum::extract::RawForm;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::catalog::{self, ProductInput, ProductView};
use kippu_app::{App, AppError};
use kippu_domain::Yen;
use kippu_domain::catalog::{ProductKind, TicketType};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "products.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<(ProductView, String, &'static str, i64)>,
    can_edit: bool,
}

pub async fn list(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let products = catalog::list(&app, &s.user.actor).await?;
    let mut rows = Vec::with_capacity(products.len());
    for p in products {
        let stock = stock_of(&app, &s, p.product.id).await?;
        let price = Yen(p.product.price).display_ja();
        let kind = p.product.kind.label_ja();
        rows.push((p, price, kind, stock));
    }
    ok(ListPage {
        c: Chrome::signed_in(&s.ctx, "products.title"),
        rows,
        can_edit: s.user.actor.role.can_edit_merchant_settings(s.user.actor.admin_settings),
    })
}

#[derive(Template)]
#[template(path = "product_form.html")]
struct FormPage {
    c: Chrome,
    f: ProductInput,
    /// The cancellation policy as table rows (days before, percent kept), plus one empty row.
    tiers: Vec<(String, String)>,
    new: bool,
    errors: FormErrors,
    kinds: Vec<(&'static str, &'static str)>,
    ticket_types: Vec<(&'static str, &'static str)>,
    /// Goods: the carriers' サイズ, (code, label).
    sizes: Vec<(&'static str, &'static str)>,
    view: Option<ProductView>,
    stock: i64,
    saved: bool,
}

/// The form input of a product field (the policy's rows answer as one).
fn input_of_field(field: &str) -> &'static str {
    const INPUTS: [&str; 14] = [
        "code",
        "jan",
        "name",
        "kind",
        "ticket_type",
        "price",
        "tax_rate",
        "description",
        "party_size_max",
        "policy",
        "remaining",
        "uses",
        "size_class",
        "weight_g",
    ];
    INPUTS.iter().find(|i| **i == field).copied().unwrap_or("name")
}

/// The policy text (`0:100` lines) as table rows, with an empty row to add one more.
fn tier_rows(policy: &str) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = policy
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(d, p)| (d.trim().to_string(), p.trim().to_string()))
        .collect();
    rows.push((String::new(), String::new()));
    rows
}

/// The product form as posted: repeated `tier_days` / `tier_percent` pairs become the policy's
/// lines (empty rows dropped), everything else is read by name.
fn posted(body: &[u8]) -> Result<ProductInput, WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| WebError::Invalid("form".into()))?;
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let all = |k: &str| {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .collect::<Vec<_>>()
    };
    let policy = all("tier_days")
        .into_iter()
        .zip(all("tier_percent"))
        .filter(|(d, p)| !(d.is_empty() && p.is_empty()))
        .map(|(d, p)| format!("{d}:{p}"))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(ProductInput {
        code: one("code"),
        jan: one("jan"),
        name: one("name"),
        kind: one("kind"),
        ticket_type: one("ticket_type"),
        price: one("price"),
        tax_rate: one("tax_rate"),
        description: one("description"),
        party_size_max: one("party_size_max"),
        policy,
        uses: one("uses"),
        size_class: one("size_class"),
        weight_g: one("weight_g"),
    })
}

fn form(
    s: &SignedIn,
    f: ProductInput,
    new: bool,
    errors: FormErrors,
    view: Option<ProductView>,
    stock: i64,
    saved: bool,
) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let status = if !errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        status,
        FormPage {
            c: Chrome::signed_in(&s.ctx, "products.title"),
            tiers: tier_rows(&f.policy),
            f,
            new,
            errors,
            kinds: ProductKind::ALL.iter().map(|k| (k.as_str(), t.l(k.label()))).collect(),
            ticket_types: TicketType::ALL.iter().map(|k| (k.as_str(), t.l(k.label()))).collect(),
            sizes: kippu_domain::goods::SizeClass::ALL
                .iter()
                .map(|k| (k.as_str(), t.l(k.label())))
                .collect(),
            view,
            stock,
            saved,
        },
    )
}

fn input_of(v: &ProductView) -> ProductInput {
    let p = &v.product;
    ProductInput {
        code: p.code.clone(),
        jan: p.jan.clone(),
        name: p.name.clone(),
        kind: p.kind.as_str().into(),
        ticket_type: p.ticket_type.map(|t| t.as_str().to_string()).unwrap_or_default(),
        price: p.price.to_string(),
        tax_rate: p.tax_rate.to_string(),
        description: p.description.clone(),
        party_size_max: p.party_size_max.to_string(),
        policy: v.policy_text.clone(),
        uses: if p.uses_per_ticket > 1 {
            p.uses_per_ticket.to_string()
        } else {
            String::new()
        },
        size_class: p.size_class.map(|c| c.as_str().to_string()).unwrap_or_default(),
        weight_g: p.weight_g.map(|g| g.to_string()).unwrap_or_default(),
    }
}

async fn stock_of(app: &App, s: &SignedIn, id: i64) -> Result<i64, WebError> {
    Ok(kippu_app::catalog::remaining_stock(app, &s.user.actor, id).await?)
}

pub async fn new_page(s: SignedIn) -> Result<Response, WebError> {
    s.user.actor.merchant()?;
    let f = ProductInput {
        kind: "web_ticket".into(),
        ticket_type: "basic".into(),
        tax_rate: "10".into(),
        ..Default::default()
    };
    form(&s, f, true, FormErrors::default(), None, 0, false)
}

fn invalid(e: AppError) -> Result<FormErrors, WebError> {
    match e {
        AppError::Invalid(f) => Ok(FormErrors::of(&f, input_of_field)),
        other => Err(other.into()),
    }
}

pub async fn create(State(app): State<App>, s: SignedIn, RawForm(body): RawForm) -> Result<Response, WebError> {
    let f = posted(&body)?;
    match catalog::create(&app, &s.user.actor, &f).await {
        Ok(()) => {
            let code = f.code.trim().to_uppercase();
            let message = format!("{code}: {}", s.ctx.t().s("products.created"));
            Ok(flash::redirect(
                s.ctx.secure_cookies,
                &format!("/reservations/products/{code}"),
                Flash::done(message),
            ))
        }
        Err(e) => {
            let errors = invalid(e)?;
            form(&s, f, true, errors, None, 0, false)
        }
    }
}

pub async fn edit_page(State(app): State<App>, s: SignedIn, Path(code): Path<String>) -> Result<Response, WebError> {
    let v = catalog::get(&app, &s.user.actor, &code).await?;
    let stock = stock_of(&app, &s, v.product.id).await?;
    form(&s, input_of(&v), false, FormErrors::default(), Some(v), stock, false)
}

pub async fn update(State(app): State<App>, s: SignedIn, Path(code): Path<String>, RawForm(body): RawForm) -> Result<Response, WebError> {
    let mut f = posted(&body)?;
    f.code = code.clone();
    let result = catalog::update(&app, &s.user.actor, &code, &f).await;
    let v = catalog::get(&app, &s.user.actor, &code).await?;
    let stock = stock_of(&app, &s, v.product.id).await?;
    match result {
        Ok(()) => form(&s, input_of(&v), false, FormErrors::default(), Some(v), stock, true),
        Err(e) => {
            let errors = invalid(e)?;
            form(&s, f, false, errors, Some(v), stock, false)
        }
    }
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    archived: String,
}

pub async fn archive(
    State(app): State<App>,
    s: SignedIn,
    Path(code): Path<String>,
    Form(f): Form<ArchiveForm>,
) -> Result<Response, WebError> {
    let archived = f.archived == "1";
    catalog::set_archived(&app, &s.user.actor, &code, archived).await?;
    let t = s.ctx.t();
    let what = if archived { t.s("flash.archived") } else { t.s("flash.restored") };
    // Archiving is undone by restoring, from the same list.
    Ok(flash::redirect(
        s.ctx.secure_cookies,
        "/reservations/products",
        Flash::done(format!("{code}: {what}")),
    ))
}

#[derive(Deserialize)]
pub struct ListingForm {
    channel: String,
    listed: String,
}

pub async fn listing(
    State(app): State<App>,
    s: SignedIn,
    Path(code): Path<String>,
    Form(f): Form<ListingForm>,
) -> Result<Response, WebError> {
    let listed = f.listed == "1";
    catalog::set_listing(&app, &s.user.actor, &code, &f.channel, listed).await?;
    let t = s.ctx.t();
    let what = if listed { t.s("flash.listed") } else { t.s("flash.unlisted") };
    let message = format!("{code} / {}: {what}", f.channel.trim().to_uppercase());
    Ok(flash::redirect(
        s.ctx.secure_cookies,
        "/reservations/products",
        Flash::done(message),
    ))
}

#[derive(Deserialize)]
pub struct StockForm {
    remaining: String,
}

pub async fn stock(State(app): State<App>, s: SignedIn, Path(code): Path<String>, Form(f): Form<StockForm>) -> Result<Response, WebError> {
    catalog::set_undated_stock(&app, &s.user.actor, &code, &f.remaining).await?;
    let message = format!("{code}: {} {}", s.ctx.t().s("flash.stock_set"), f.remaining.trim());
    Ok(flash::redirect(
        s.ctx.secure_cookies,
        &format!("/reservations/products/{code}"),
        Flash::done(message),
    ))
}
