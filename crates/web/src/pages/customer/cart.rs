//! The storefront's cart and checkout: the goods in the cart (a cookie, `kippu_domain::goods::cart`),
//! the buyer, and one or more destinations — to the buyer, to someone else as a gift (their own
//! name, kana, phone and address), or 店舗受取 at one of the merchant's stores — each with its
//! own quantities, お届け希望日 and 配達時間帯. 「お届け先を追加」 and 「削除」 come back to the same
//! page with everything typed kept, so it works without JavaScript. The confirmation is priced by
//! `goods::quote`, the order by `goods::create`: the same pricing.

use super::cart_confirm::confirm_page;
use super::checkout_form::{Checkout, DestForm};
use super::{merchant, storefront_actor};
use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use kippu_app::goods::{self, StoreRow};
use kippu_app::merchants::MerchantRow;
use kippu_app::{App, AppError, secrets};
use kippu_domain::Yen;
use kippu_domain::catalog::ProductKind;
use kippu_domain::goods::TimeBand;
use kippu_domain::goods::cart::{self as rule, Cart};

pub const CART_COOKIE: &str = "kippu_cart";

/// The cart the buyer's browser holds for this storefront (the cookie's path is the shop's).
pub fn read(jar: &CookieJar) -> Cart {
    jar.get(CART_COOKIE).map(|c| Cart::decode(c.value())).unwrap_or_default()
}

/// The cookie that holds `cart` for shop `code` (an empty cart removes it).
pub fn cookie(code: &str, cart: &Cart, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::build((CART_COOKIE, cart.encode()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path(format!("/shop/{code}"))
        .build();
    if cart.is_empty() {
        c.make_removal();
        c.set_path(format!("/shop/{code}"));
    } else {
        c.set_max_age(time::Duration::days(7));
    }
    c
}

/// A product of the cart as the page shows it.
pub struct CartLine {
    code: String,
    name: String,
    price: String,
    tax_rate: i64,
}

/// One destination block as the page shows it, with its own errors.
pub struct DestView {
    i: usize,
    n: usize,
    f: DestForm,
    /// (code, name, quantity as typed).
    quantities: Vec<(String, String, String)>,
}

impl DestView {
    /// The input named `field` of this destination (`d0_name`).
    fn input(&self, field: &str) -> String {
        format!("d{}_{field}", self.i)
    }
}

#[derive(Template)]
#[template(path = "shop_cart.html")]
struct CartPage {
    c: Chrome,
    merchant_code: String,
    lines: Vec<CartLine>,
    f: Checkout,
    dests: Vec<DestView>,
    stores: Vec<StoreRow>,
    more_destinations: bool,
    methods: Vec<(&'static str, &'static str)>,
    bands: Vec<(&'static str, &'static str)>,
    errors: FormErrors,
}

/// The cart's goods still on sale, in the cart's order (a product withdrawn since is left out).
async fn cart_lines(app: &App, m: &MerchantRow, cart: &Cart) -> Result<Vec<CartLine>, WebError> {
    let mut out = Vec::new();
    for (code, _) in cart.lines() {
        match kippu_app::storefront::product(app, m.id, code).await {
            Ok((p, _)) if p.kind == ProductKind::Goods => out.push(CartLine {
                code: p.code,
                name: p.name,
                price: Yen(p.price).display_ja(),
                tax_rate: p.tax_rate,
            }),
            Ok(_) | Err(AppError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

async fn cart_page(app: &App, ctx: &Ctx, m: &MerchantRow, cart: &Cart, f: Checkout, errors: FormErrors) -> Result<Response, WebError> {
    let t = ctx.t();
    let lines = cart_lines(app, m, cart).await?;
    let dests = f
        .dests
        .iter()
        .enumerate()
        .map(|(i, d)| DestView {
            i,
            n: i + 1,
            f: d.clone(),
            quantities: lines
                .iter()
                .map(|l| (l.code.clone(), l.name.clone(), d.quantity(&l.code).to_string()))
                .collect(),
        })
        .collect();
    let mut c = Chrome::storefront(ctx, "shop.cart", &m.name, &m.code);
    c.title = t.s("shop.cart").to_string();
    let status = errors.status();
    render(
        status,
        CartPage {
            c,
            merchant_code: m.code.clone(),
            lines,
            more_destinations: f.dests.len() < rule::MAX_DESTINATIONS,
            dests,
            f,
            stores: kippu_app::storefront::pickup_stores(app, m.id).await?,
            methods: kippu_app::storefront::goods_choices(m)
                .iter()
                .map(|x| (x.as_str(), t.l(x.label())))
                .collect(),
            bands: TimeBand::ALL.iter().map(|b| (b.as_str(), t.l(b.label()))).collect(),
            errors,
        },
    )
}

/// `GET /shop/{code}/cart`: the cart and the checkout form.
pub async fn cart(State(app): State<App>, ctx: Ctx, jar: CookieJar, Path(code): Path<String>) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let cart = read(&jar);
    cart_page(&app, &ctx, &m, &cart, Checkout::blank(&cart), FormErrors::default()).await
}

#[derive(Debug, serde::Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    product: String,
}

/// 「削除」 on a cart line.
pub async fn cart_remove(
    State(app): State<App>,
    ctx: Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
    Form(f): Form<RemoveForm>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let mut cart = read(&jar);
    cart.remove(f.product.trim());
    let jar = jar.add(cookie(&m.code, &cart, ctx.secure_cookies));
    Ok((jar, Redirect::to(&format!("/shop/{}/cart", m.code))).into_response())
}

type Choice = Result<kippu_domain::order::PaymentMethod, kippu_domain::validate::FieldError>;

/// The payment choice's own reason, when the choice cannot be taken.
fn choice_errors(choice: &Choice) -> FormErrors {
    let mut errors = FormErrors::default();
    if let Err(e) = choice {
        errors.set("payment_method", &e.message);
    }
    errors
}

/// The order's errors on this form, with the payment choice's own reason on its field.
fn form_errors(f: &Checkout, e: AppError, choice: &Choice) -> Result<FormErrors, WebError> {
    let mut errors = match e {
        AppError::Invalid(fe) => {
            // The buyer's own destination is typed in the buyer's fields: its errors there speak
            // of the buyer, not of 「お届け先1」.
            let mut own = kippu_domain::validate::Collect::default();
            for e in fe.all() {
                let on_buyer = !f.input_of(e.field).starts_with('d');
                let message = match e.message.split_once(": ") {
                    Some((head, rest)) if on_buyer && head.starts_with("お届け先") => rest.to_string(),
                    _ => e.message.clone(),
                };
                own.push(kippu_domain::validate::FieldError::new(e.field, message));
            }
            match own.finish_all() {
                Err(fe) => FormErrors::of_inputs(&fe, |field| f.input_of(field)),
                Ok(()) => FormErrors::default(),
            }
        }
        AppError::Order(o) => FormErrors::general(o.to_string()),
        other => return Err(other.into()),
    };
    if let Err(e) = choice {
        errors.set("payment_method", &e.message);
    }
    Ok(errors)
}

/// `POST /shop/{code}/cart`: add or remove a destination (the page again, nothing lost), or go
/// to the confirmation — every field checked at once, each error beside its field.
pub async fn checkout(
    State(app): State<App>,
    ctx: Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let cart = read(&jar);
    let mut f = match Checkout::parse(pairs) {
        Ok(f) => f,
        Err(why) => return cart_page(&app, &ctx, &m, &cart, Checkout::blank(&cart), FormErrors::general(why)).await,
    };
    if f.op == "add_destination" {
        let errors = if f.dests.len() >= rule::MAX_DESTINATIONS {
            FormErrors::general(format!("お届け先は{}件までです", rule::MAX_DESTINATIONS))
        } else {
            f.dests.push(DestForm {
                to: "gift".into(),
                ..Default::default()
            });
            FormErrors::default()
        };
        return cart_page(&app, &ctx, &m, &cart, f, errors).await;
    }
    if f.op == "back" {
        return cart_page(&app, &ctx, &m, &cart, f, FormErrors::default()).await;
    }
    if let Some(i) = f.op.strip_prefix("remove_destination:").and_then(|i| i.parse::<usize>().ok()) {
        if i < f.dests.len() && f.dests.len() > 1 {
            f.dests.remove(i);
        }
        return cart_page(&app, &ctx, &m, &cart, f, FormErrors::default()).await;
    }
    let lines = cart_lines(&app, &m, &cart).await?;
    if lines.is_empty() {
        return cart_page(&app, &ctx, &m, &cart, f, FormErrors::general(ctx.t().s("shop.cart_empty"))).await;
    }
    let choice = kippu_app::storefront::goods_method_for(&m, &f.payment_method, f.pickup());
    let method = choice.as_ref().map(|p| p.as_str()).unwrap_or("");
    let codes: Vec<String> = lines.iter().map(|l| l.code.clone()).collect();
    match goods::quote(&app, &storefront_actor(m.id), &f.request(&codes, method)).await {
        Ok(q) if choice.is_ok() => {
            // One nonce per confirmation screen: pressing 注文する twice makes one order.
            f.nonce = secrets::random_token(16);
            confirm_page(&ctx, &m, q, f)
        }
        Ok(_) => cart_page(&app, &ctx, &m, &cart, f, choice_errors(&choice)).await,
        Err(e) => {
            let errors = form_errors(&f, e, &choice)?;
            cart_page(&app, &ctx, &m, &cart, f, errors).await
        }
    }
}

/// `POST /shop/{code}/cart/order`: 注文する. The order is placed from the confirmed form (its
/// nonce makes a second press answer with the first order), the cart is emptied, and the buyer
/// lands on the order's own page.
pub async fn place(
    State(app): State<App>,
    ctx: Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let cart = read(&jar);
    let f = match Checkout::parse(pairs) {
        Ok(f) => f,
        Err(why) => return cart_page(&app, &ctx, &m, &cart, Checkout::blank(&cart), FormErrors::general(why)).await,
    };
    let choice = kippu_app::storefront::goods_method_for(&m, &f.payment_method, f.pickup());
    if choice.is_err() {
        return cart_page(&app, &ctx, &m, &cart, f, choice_errors(&choice)).await;
    }
    let method = choice.as_ref().map(|p| p.as_str()).unwrap_or("");
    let key = (!f.nonce.is_empty()).then(|| format!("shop-{}", f.nonce));
    match goods::create(&app, &storefront_actor(m.id), &f.request(&f.codes(), method), key.as_deref()).await {
        Ok(out) => {
            let token = out.view.order.access_token.clone().unwrap_or_default();
            let jar = jar.add(cookie(&m.code, &Cart::default(), ctx.secure_cookies));
            Ok((jar, Redirect::to(&format!("/my/orders/{token}?placed=1"))).into_response())
        }
        Err(e) => {
            let errors = form_errors(&f, e, &choice)?;
            cart_page(&app, &ctx, &m, &cart, f, errors).await
        }
    }
}
