//! The storefront: the merchant's products, a product with its dates and the cancellation
//! policy, the confirmation and the order.

use super::{merchant, storefront_actor};
use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::form_errors::FormErrors;
use crate::pages::{ok, render};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use kippu_app::customers::CustomerInput;
use kippu_app::merchants::MerchantRow;
use kippu_app::orders::{self, OrderRequest};
use kippu_app::storefront::{ProductForSale, StockRow};
use kippu_app::{App, AppError, secrets};
use kippu_domain::Yen;
use serde::Deserialize;

pub struct ProductCard {
    code: String,
    name: String,
    price: String,
    type_label: &'static str,
}

#[derive(Template)]
#[template(path = "shop.html")]
struct ShopPage {
    c: Chrome,
    merchant_code: String,
    merchant_name: String,
    products: Vec<ProductCard>,
    /// Goods are sold here: the cart is a link away.
    sells_goods: bool,
}

pub async fn shop(State(app): State<App>, ctx: Ctx, Path(code): Path<String>) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let products = kippu_app::storefront::products(&app, m.id).await?;
    let mut c = Chrome::storefront(&ctx, "shop.title", &m.name, &m.code);
    c.title = m.name.clone();
    let sells_goods = products.iter().any(|p| p.kind == kippu_domain::catalog::ProductKind::Goods);
    ok(ShopPage {
        c,
        sells_goods,
        merchant_code: m.code,
        merchant_name: m.name,
        products: products
            .into_iter()
            .map(|p| ProductCard {
                type_label: ctx.t().l(p.kind.buyer_label()),
                code: p.code,
                name: p.name,
                price: Yen(p.price).display_ja(),
            })
            .collect(),
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ShopForm {
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    visit: String,
    #[serde(default)]
    payment_method: String,
    #[serde(default)]
    card_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kana: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    nonce: String,
    /// Reservations: people in the party.
    #[serde(default)]
    party_size: String,
    /// Stays: nights from the check-in date in `visit`.
    #[serde(default)]
    nights: String,
}

impl ShopForm {
    /// The order the form asks for; `method` is the flow the merchant's settings give the
    /// buyer's choice (empty when the choice is not one of the storefront's).
    fn request(&self, product: &str, method: &str) -> OrderRequest {
        let (date, slot) = match self.visit.split_once(' ') {
            Some((d, s)) => (Some(d.to_string()), Some(s.to_string())),
            None if !self.visit.is_empty() => (Some(self.visit.clone()), None),
            None => (None, None),
        };
        OrderRequest {
            product_code: product.to_string(),
            quantity: kippu_domain::normalize::integer(&self.quantity).unwrap_or(0),
            visit_date: date,
            time_slot: slot,
            payment_method: method.to_string(),
            card_token: (!self.card_token.is_empty()).then(|| self.card_token.clone()),
            card_id: None,
            channel: Some("OWN".into()),
            party_size: match self.party_size.trim() {
                "" => None,
                n => Some(kippu_domain::normalize::integer(n).unwrap_or(0)),
            },
            nights: match self.nights.trim() {
                "" => None,
                n => Some(kippu_domain::normalize::integer(n).unwrap_or(0)),
            },
            customer: CustomerInput {
                name: self.name.clone(),
                kana: self.kana.clone(),
                email: self.email.clone(),
                phone: self.phone.clone(),
                postal_code: String::new(),
                address: String::new(),
            },
            ..OrderRequest::default()
        }
    }
}

#[derive(Template)]
#[template(path = "shop_product.html")]
struct ProductPage {
    c: Chrome,
    merchant_code: String,
    merchant_name: String,
    product_code: String,
    product_name: String,
    price: String,
    dated: bool,
    visits: Vec<(String, String)>,
    methods: Vec<(&'static str, &'static str)>,
    f: ShopForm,
    errors: FormErrors,
    max_quantity: i64,
    /// Reservations: the party size input and the cancellation policy.
    reservation: bool,
    party_max: i64,
    policy: String,
    /// 宿泊タイプ: the visit is the check-in date, and the nights are asked.
    stay: bool,
    max_nights: i64,
}

/// The product's page again (after a refusal), read afresh.
async fn product_page(app: &App, ctx: &Ctx, m: &MerchantRow, product: &str, f: ShopForm, errors: FormErrors) -> Result<Response, WebError> {
    let (p, stock) = kippu_app::storefront::product(app, m.id, product).await?;
    ticket_page(ctx, m, (p, stock), f, errors)
}

/// A web ticket's or a reservation's page with its dates, the form and its errors.
fn ticket_page(
    ctx: &Ctx,
    m: &MerchantRow,
    (p, stock): (ProductForSale, Vec<StockRow>),
    f: ShopForm,
    errors: FormErrors,
) -> Result<Response, WebError> {
    let reservation = p.kind == kippu_domain::catalog::ProductKind::Reservation;
    let policy = kippu_app::reservations::parse_policy_json(&p.cancellation_policy).describe_ja();
    let party_max = orders::party_max(&p);
    let dated = stock.iter().any(|s| !s.stock_date.is_empty());
    let visits = stock
        .iter()
        .filter(|s| !s.stock_date.is_empty())
        .map(|s| {
            let value = if s.time_slot.is_empty() {
                s.stock_date.clone()
            } else {
                format!("{} {}", s.stock_date, s.time_slot)
            };
            let label = if s.remaining > 0 {
                format!("{value}（残り{}）", s.remaining)
            } else {
                format!("{value}（売り切れ）")
            };
            (value, label)
        })
        .collect();
    let mut c = Chrome::storefront(ctx, "shop.title", &m.name, &m.code);
    c.title = p.name.clone();
    let status = errors.status();
    let t = ctx.t();
    render(
        status,
        ProductPage {
            c,
            merchant_code: m.code.clone(),
            merchant_name: m.name.clone(),
            product_code: p.code,
            product_name: p.name,
            price: Yen(p.price).display_ja(),
            dated,
            visits,
            methods: kippu_app::storefront::choices(m)
                .iter()
                .map(|x| (x.as_str(), t.l(x.label())))
                .collect(),
            f,
            errors,
            max_quantity: orders::MAX_QUANTITY,
            reservation,
            party_max,
            policy,
            stay: p.ticket_type == Some(kippu_domain::catalog::TicketType::Accommodation),
            max_nights: kippu_domain::web_ticket::stay::MAX_NIGHTS,
        },
    )
}

pub async fn product(
    State(app): State<App>,
    ctx: Ctx,
    jar: axum_extra::extract::CookieJar,
    Path((code, product)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let found = kippu_app::storefront::product(&app, m.id, &product).await?;
    if found.0.kind == kippu_domain::catalog::ProductKind::Goods {
        return super::shop_goods::goods_page(&ctx, &m, found, &jar, "1".into(), FormErrors::default());
    }
    let f = ShopForm {
        quantity: "1".into(),
        payment_method: "card".into(),
        card_token: "tok_visa".into(),
        party_size: "2".into(),
        nights: "1".into(),
        ..Default::default()
    };
    ticket_page(&ctx, &m, found, f, FormErrors::default())
}

#[derive(Template)]
#[template(path = "shop_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    merchant_code: String,
    product_code: String,
    product_name: String,
    amount: String,
    method: &'static str,
    f: ShopForm,
    policy: Option<String>,
    /// 宿泊タイプ: check-in to check-out and the nights.
    stay: String,
}

/// The form input of an order field.
fn input_of(field: &str) -> &'static str {
    match field {
        "quantity" => "quantity",
        "party_size" => "party_size",
        "nights" => "nights",
        "visit_date" | "time_slot" => "visit",
        "payment_method" => "payment_method",
        "card_token" => "card_token",
        "customer.name" => "name",
        "customer.kana" => "kana",
        "customer.email" => "email",
        "customer.phone" => "phone",
        _ => "",
    }
}

/// The method behind the buyer's choice, or "" (the order's check then names the field).
fn chosen_method(m: &kippu_app::merchants::MerchantRow, f: &ShopForm) -> String {
    kippu_app::storefront::method_for(m, &f.payment_method)
        .map(|p| p.as_str().to_string())
        .unwrap_or_default()
}

fn form_error(e: AppError, ctx: &Ctx) -> Result<FormErrors, WebError> {
    match e {
        AppError::Invalid(f) => {
            let mut errors = FormErrors::of(&f, input_of);
            // The buyer picked from plain words, not method codes.
            if !errors.on("payment_method").is_empty() {
                errors.set("payment_method", ctx.t().s("shop.pick_payment"));
            }
            Ok(errors)
        }
        AppError::Order(o) => Ok(FormErrors::general(o.to_string())),
        other => Err(other.into()),
    }
}

pub async fn confirm(
    State(app): State<App>,
    ctx: Ctx,
    Path((code, product)): Path<(String, String)>,
    Form(mut f): Form<ShopForm>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let actor = storefront_actor(m.id);
    let method = chosen_method(&m, &f);
    match orders::precheck(&app, &actor, &f.request(&product, &method)).await {
        Ok(orders::Precheck {
            name,
            amount,
            policy,
            stay,
        }) => {
            // One nonce per confirmation screen: pressing 注文する twice makes one order.
            f.nonce = secrets::random_token(16);
            let c = Chrome::storefront(&ctx, "shop.confirm", &m.name, &m.code);
            ok(ConfirmPage {
                c,
                merchant_code: m.code,
                product_code: product,
                product_name: name,
                amount: Yen(amount).display_ja(),
                method: kippu_domain::order::BuyerPayment::parse(&f.payment_method)
                    .map(|x| ctx.t().l(x.label()))
                    .unwrap_or(""),
                f,
                policy,
                stay: stay.map(|s| s.describe(ctx.t().lang == crate::i18n::Lang::En)).unwrap_or_default(),
            })
        }
        Err(e) => {
            let msg = form_error(e, &ctx)?;
            product_page(&app, &ctx, &m, &product, f, msg).await
        }
    }
}

pub async fn place(
    State(app): State<App>,
    ctx: Ctx,
    Path((code, product)): Path<(String, String)>,
    Form(f): Form<ShopForm>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let actor = storefront_actor(m.id);
    let key = (!f.nonce.is_empty()).then(|| format!("shop-{}", f.nonce));
    let method = chosen_method(&m, &f);
    match orders::create(&app, &actor, &f.request(&product, &method), key.as_deref()).await {
        Ok(out) => {
            let token = out.order.order.access_token.clone().unwrap_or_default();
            Ok(Redirect::to(&format!("/my/tickets/{token}?placed=1")).into_response())
        }
        Err(e) => {
            let msg = form_error(e, &ctx)?;
            product_page(&app, &ctx, &m, &product, f, msg).await
        }
    }
}
