//! 商品: products and their channel listings, under 予約・引き換え.

use super::{ok, render};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
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
    new: bool,
    error: Option<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    ticket_types: Vec<(&'static str, &'static str)>,
    view: Option<ProductView>,
    stock: i64,
    saved: bool,
}

fn field_label(field: &str) -> &'static str {
    match field {
        "code" => "商品コード",
        "jan" => "JANコード",
        "name" => "商品名",
        "kind" => "商品の種類",
        "ticket_type" => "ウェブチケットタイプ",
        "price" => "価格（税込）",
        "tax_rate" => "税率",
        "description" => "説明",
        "party_size_max" => "最大人数",
        "policy" => "キャンセルポリシー",
        "remaining" => "在庫数",
        _ => "入力内容",
    }
}

fn form(
    s: &SignedIn,
    f: ProductInput,
    new: bool,
    error: Option<(String, String)>,
    view: Option<ProductView>,
    stock: i64,
    saved: bool,
) -> Result<Response, WebError> {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        status,
        FormPage {
            c: Chrome::signed_in(&s.ctx, "products.title"),
            f,
            new,
            error,
            kinds: ProductKind::ALL.iter().map(|k| (k.as_str(), k.label_ja())).collect(),
            ticket_types: TicketType::ALL.iter().map(|k| (k.as_str(), k.label_ja())).collect(),
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
    form(&s, f, true, None, None, 0, false)
}

fn invalid(e: AppError) -> Result<(String, String), WebError> {
    match e {
        AppError::Invalid(f) => Ok((field_label(f.field).to_string(), f.message.clone())),
        other => Err(other.into()),
    }
}

pub async fn create(State(app): State<App>, s: SignedIn, Form(f): Form<ProductInput>) -> Result<Response, WebError> {
    match catalog::create(&app, &s.user.actor, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/reservations/products/{}", f.code.trim().to_uppercase())).into_response()),
        Err(e) => {
            let err = invalid(e)?;
            form(&s, f, true, Some(err), None, 0, false)
        }
    }
}

pub async fn edit_page(State(app): State<App>, s: SignedIn, Path(code): Path<String>) -> Result<Response, WebError> {
    let v = catalog::get(&app, &s.user.actor, &code).await?;
    let stock = stock_of(&app, &s, v.product.id).await?;
    form(&s, input_of(&v), false, None, Some(v), stock, false)
}

pub async fn update(
    State(app): State<App>,
    s: SignedIn,
    Path(code): Path<String>,
    Form(mut f): Form<ProductInput>,
) -> Result<Response, WebError> {
    f.code = code.clone();
    let result = catalog::update(&app, &s.user.actor, &code, &f).await;
    let v = catalog::get(&app, &s.user.actor, &code).await?;
    let stock = stock_of(&app, &s, v.product.id).await?;
    match result {
        Ok(()) => form(&s, input_of(&v), false, None, Some(v), stock, true),
        Err(e) => {
            let err = invalid(e)?;
            form(&s, f, false, Some(err), Some(v), stock, false)
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
    catalog::set_archived(&app, &s.user.actor, &code, f.archived == "1").await?;
    Ok(Redirect::to("/reservations/products").into_response())
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
    catalog::set_listing(&app, &s.user.actor, &code, &f.channel, f.listed == "1").await?;
    Ok(Redirect::to("/reservations/products").into_response())
}

#[derive(Deserialize)]
pub struct StockForm {
    remaining: String,
}

pub async fn stock(State(app): State<App>, s: SignedIn, Path(code): Path<String>, Form(f): Form<StockForm>) -> Result<Response, WebError> {
    catalog::set_undated_stock(&app, &s.user.actor, &code, &f.remaining).await?;
    Ok(Redirect::to(&format!("/reservations/products/{code}")).into_response())
}
