//! Goods on the storefront: quantity, delivery to the buyer's address (with お届け希望日 and
//! 配達時間帯) or 店舗受取, the ways to pay goods, a confirmation with the shipping and COD fees
//! the order will charge, and the buyer's own page of the order behind its link.

use super::{merchant, storefront_actor};
use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kippu_app::customers::CustomerInput;
use kippu_app::goods::{self, GoodsOrderRequest, Quote};
use kippu_app::merchants::MerchantRow;
use kippu_app::storefront::{ProductForSale, StockRow};
use kippu_app::{App, AppError, secrets};
use kippu_domain::Yen;
use kippu_domain::goods::TimeBand;
use kippu_domain::goods::buyer::GoodsChoice;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoodsForm {
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kana: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    /// `delivery` or `pickup`.
    #[serde(default)]
    receive: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    requested_date: String,
    #[serde(default)]
    time_band: String,
    #[serde(default)]
    payment_method: String,
    #[serde(default)]
    card_token: String,
    #[serde(default)]
    nonce: String,
}

impl GoodsForm {
    fn pickup(&self) -> bool {
        self.receive == "pickup"
    }

    /// The order the form asks for, paid by `method` (empty when the choice is not offered:
    /// the order's own check then names the field).
    fn request(&self, product: &str, method: &str) -> GoodsOrderRequest {
        let pickup = self.pickup();
        let some = |s: &str| (!pickup && !s.trim().is_empty()).then(|| s.trim().to_string());
        GoodsOrderRequest {
            product_code: Some(product.to_string()),
            quantity: Some(kippu_domain::normalize::integer(&self.quantity).unwrap_or(0)),
            lines: vec![],
            payment_method: method.to_string(),
            card_token: (!self.card_token.is_empty()).then(|| self.card_token.clone()),
            customer: CustomerInput {
                name: self.name.clone(),
                kana: self.kana.clone(),
                email: self.email.clone(),
                phone: self.phone.clone(),
                postal_code: if pickup { String::new() } else { self.postal_code.clone() },
                address: if pickup { String::new() } else { self.address.clone() },
            },
            destinations: vec![],
            pickup,
            requested_date: some(&self.requested_date),
            time_band: some(&self.time_band),
        }
    }
}

/// The buyer's own fields: the customer check names them bare, the order under `customer.`.
const BUYER_FIELDS: [&str; 6] = ["name", "kana", "email", "phone", "postal_code", "address"];

/// The form input of an order field.
fn input_of(field: &str) -> &'static str {
    let bare = field.strip_prefix("customer.").unwrap_or(field);
    if let Some(f) = BUYER_FIELDS.iter().find(|f| **f == bare) {
        return f;
    }
    match field {
        "quantity" | "lines" | "lines.quantity" | "lines.product_code" => "quantity",
        "requested_date" => "requested_date",
        "time_band" => "time_band",
        "payment_method" => "payment_method",
        "card_token" => "card_token",
        _ => "",
    }
}

fn form_error(e: AppError) -> Result<FormErrors, WebError> {
    match e {
        AppError::Invalid(f) => Ok(FormErrors::of(&f, input_of)),
        AppError::Order(o) => Ok(FormErrors::general(o.to_string())),
        other => Err(other.into()),
    }
}

type Choice = Result<kippu_domain::order::PaymentMethod, kippu_domain::validate::FieldError>;

/// The method behind the buyer's choice (empty when it cannot be taken, so the order's check
/// still names every other field at once).
fn method_of(choice: &Choice) -> &'static str {
    choice.as_ref().map(|p| p.as_str()).unwrap_or("")
}

/// The order's field errors, with the choice's own reason on the payment field.
fn errors_with(errors: FormErrors, choice: &Choice) -> FormErrors {
    let mut errors = errors;
    if let Err(e) = choice {
        errors.set("payment_method", &e.message);
    }
    errors
}

#[derive(Template)]
#[template(path = "shop_goods.html")]
struct GoodsPage {
    c: Chrome,
    merchant_code: String,
    merchant_name: String,
    product_code: String,
    product_name: String,
    price: String,
    remaining: i64,
    methods: Vec<(&'static str, &'static str)>,
    bands: Vec<(&'static str, &'static str)>,
    f: GoodsForm,
    errors: FormErrors,
}

/// The goods product's page again (after a refusal), read afresh.
pub(super) async fn page(
    app: &App,
    ctx: &Ctx,
    m: &MerchantRow,
    product: &str,
    f: GoodsForm,
    errors: FormErrors,
) -> Result<Response, WebError> {
    let found = kippu_app::storefront::product(app, m.id, product).await?;
    goods_page(ctx, m, found, f, errors)
}

/// A goods product's page: the stock left, the form and its errors.
pub(super) fn goods_page(
    ctx: &Ctx,
    m: &MerchantRow,
    (p, stock): (ProductForSale, Vec<StockRow>),
    f: GoodsForm,
    errors: FormErrors,
) -> Result<Response, WebError> {
    let t = ctx.t();
    let mut c = Chrome::storefront(ctx, "shop.title", &m.name, &m.code);
    c.title = p.name.clone();
    let status = errors.status();
    render(
        status,
        GoodsPage {
            c,
            merchant_code: m.code.clone(),
            merchant_name: m.name.clone(),
            product_code: p.code,
            product_name: p.name,
            price: Yen(p.price).display_ja(),
            remaining: stock.iter().map(|s| s.remaining).sum(),
            methods: kippu_app::storefront::goods_choices(m)
                .iter()
                .map(|x| (x.as_str(), t.l(x.label())))
                .collect(),
            bands: TimeBand::ALL.iter().map(|b| (b.as_str(), t.l(b.label()))).collect(),
            f,
            errors,
        },
    )
}

/// What a goods product page starts with.
pub(super) fn blank() -> GoodsForm {
    GoodsForm {
        quantity: "1".into(),
        receive: "delivery".into(),
        payment_method: GoodsChoice::Card.as_str().into(),
        card_token: "tok_visa".into(),
        ..Default::default()
    }
}

pub struct ConfirmDestination {
    pickup: bool,
    address: String,
    wish: String,
    lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "shop_goods_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    merchant_code: String,
    product_code: String,
    method: &'static str,
    goods_total: String,
    shipping: String,
    cod_fee: Option<String>,
    amount: String,
    points: i64,
    destinations: Vec<ConfirmDestination>,
    f: GoodsForm,
}

fn confirm_page(ctx: &Ctx, m: &MerchantRow, product: &str, q: Quote, f: GoodsForm) -> Result<Response, WebError> {
    let t = ctx.t();
    let method = GoodsChoice::parse(&f.payment_method).map(|x| t.l(x.label())).unwrap_or("");
    let destinations = q
        .destinations
        .iter()
        .map(|d| ConfirmDestination {
            pickup: d.pickup,
            address: format!("〒{} {}", d.postal_code, d.address),
            wish: [
                d.requested_date.clone().unwrap_or_default(),
                d.time_band.map(|b| t.l(b.label()).to_string()).unwrap_or_default(),
            ]
            .join(" ")
            .trim()
            .to_string(),
            lines: d
                .lines
                .iter()
                .map(|l| format!("{} × {}（{}）", l.name, l.quantity, Yen(l.subtotal).display_ja()))
                .collect(),
        })
        .collect();
    render(
        StatusCode::OK,
        ConfirmPage {
            c: Chrome::storefront(ctx, "shop.confirm", &m.name, &m.code),
            merchant_code: m.code.clone(),
            product_code: product.to_string(),
            method,
            goods_total: Yen(q.goods_total).display_ja(),
            shipping: Yen(q.shipping).display_ja(),
            cod_fee: (q.cod_fee > 0).then(|| Yen(q.cod_fee).display_ja()),
            amount: Yen(q.amount).display_ja(),
            points: q.points,
            destinations,
            f,
        },
    )
}

pub async fn goods_confirm(
    State(app): State<App>,
    ctx: Ctx,
    Path((code, product)): Path<(String, String)>,
    Form(mut f): Form<GoodsForm>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let choice = kippu_app::storefront::goods_method_for(&m, &f.payment_method, f.pickup());
    match goods::quote(&app, &storefront_actor(m.id), &f.request(&product, method_of(&choice))).await {
        Ok(q) if choice.is_ok() => {
            // One nonce per confirmation screen: pressing 注文する twice makes one order.
            f.nonce = secrets::random_token(16);
            confirm_page(&ctx, &m, &product, q, f)
        }
        Ok(_) => page(&app, &ctx, &m, &product, f, errors_with(FormErrors::default(), &choice)).await,
        Err(e) => page(&app, &ctx, &m, &product, f, errors_with(form_error(e)?, &choice)).await,
    }
}

pub async fn goods_place(
    State(app): State<App>,
    ctx: Ctx,
    Path((code, product)): Path<(String, String)>,
    Form(f): Form<GoodsForm>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let choice = kippu_app::storefront::goods_method_for(&m, &f.payment_method, f.pickup());
    if choice.is_err() {
        return page(&app, &ctx, &m, &product, f, errors_with(FormErrors::default(), &choice)).await;
    }
    let key = (!f.nonce.is_empty()).then(|| format!("shop-{}", f.nonce));
    match goods::create(
        &app,
        &storefront_actor(m.id),
        &f.request(&product, method_of(&choice)),
        key.as_deref(),
    )
    .await
    {
        Ok(out) => {
            let token = out.view.order.access_token.clone().unwrap_or_default();
            Ok(Redirect::to(&format!("/my/orders/{token}?placed=1")).into_response())
        }
        Err(e) => page(&app, &ctx, &m, &product, f, form_error(e)?).await,
    }
}
