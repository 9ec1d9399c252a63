//! A goods product on the storefront: its price, tax rate and stock, and 「カートに入れる」 with a
//! quantity. The cart and the checkout are `cart.rs`.

use super::cart;
use super::merchant;
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
use kippu_app::App;
use kippu_app::merchants::MerchantRow;
use kippu_app::storefront::{ProductForSale, StockRow};
use kippu_domain::Yen;
use kippu_domain::catalog::ProductKind;
use kippu_domain::goods::cart::Cart;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "shop_goods.html")]
struct GoodsPage {
    c: Chrome,
    merchant_code: String,
    merchant_name: String,
    product_code: String,
    product_name: String,
    price: String,
    tax_rate: i64,
    remaining: i64,
    quantity: String,
    /// Goods already in the cart (0: no link to it).
    in_cart: usize,
    errors: FormErrors,
}

/// A goods product's page: the stock left, 「カートに入れる」 and its error.
pub(super) fn goods_page(
    ctx: &Ctx,
    m: &MerchantRow,
    (p, stock): (ProductForSale, Vec<StockRow>),
    jar: &CookieJar,
    quantity: String,
    errors: FormErrors,
) -> Result<Response, WebError> {
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
            tax_rate: p.tax_rate,
            remaining: stock.iter().map(|s| s.remaining).sum(),
            quantity,
            in_cart: cart::read(jar).lines().len(),
            errors,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    quantity: String,
}

/// 「カートに入れる」: the goods join the cart cookie and the buyer sees the cart; a quantity out
/// of bounds or a full cart is said beside the quantity, and the cart is unchanged.
pub async fn cart_add(
    State(app): State<App>,
    ctx: Ctx,
    jar: CookieJar,
    Path((code, product)): Path<(String, String)>,
    Form(f): Form<AddForm>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let found = kippu_app::storefront::product(&app, m.id, &product).await?;
    if found.0.kind != ProductKind::Goods {
        return Err(kippu_app::AppError::NotFound.into());
    }
    let mut cart: Cart = cart::read(&jar);
    let quantity = kippu_domain::normalize::integer(&f.quantity).unwrap_or(0);
    match cart.add(&found.0.code, quantity) {
        Ok(()) => {
            let jar = jar.add(cart::cookie(&m.code, &cart, ctx.secure_cookies));
            Ok((jar, Redirect::to(&format!("/shop/{}/cart", m.code))).into_response())
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.set("quantity", &e.message());
            goods_page(&ctx, &m, found, &jar, f.quantity, errors)
        }
    }
}
