//! The storefront's confirmation: each destination with its goods at their unit prices and tax
//! rates, its date and time band or its store (name, address, 営業時間); the totals with the tax
//! per rate, 送料, 代引手数料 and the points to be earned; the buyer as the order stores them. Its
//! form carries what was typed to 注文する.

use super::checkout_form::Checkout;
use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::pages::render;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::goods::{Quote, StoreRow};
use kippu_app::merchants::MerchantRow;
use kippu_domain::Yen;
use kippu_domain::goods::buyer::GoodsChoice;

/// A line of the confirmation: 商品, 単価, 税率, 数量, 小計.
pub struct ConfirmLine {
    name: String,
    unit_price: String,
    tax_rate: i64,
    quantity: i64,
    subtotal: String,
}

pub struct ConfirmDestination {
    n: usize,
    pickup: bool,
    gift: bool,
    recipient: String,
    phone: String,
    address: String,
    wish: String,
    store: Option<StoreRow>,
    shipping_fee: String,
    lines: Vec<ConfirmLine>,
}

/// 10%対象 and 8%対象 with the tax in each.
pub struct TaxView {
    rate: i64,
    amount: String,
    tax: String,
}

#[derive(Template)]
#[template(path = "shop_goods_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    merchant_code: String,
    method: &'static str,
    goods_total: String,
    shipping: String,
    cod_fee: Option<String>,
    amount: String,
    taxes: Vec<TaxView>,
    points: i64,
    destinations: Vec<ConfirmDestination>,
    /// The buyer as the order stores them (kana in katakana, the phone normalised).
    buyer_name: String,
    buyer_kana: String,
    buyer_email: String,
    buyer_phone: String,
    f: Checkout,
}

pub(super) fn confirm_page(ctx: &Ctx, m: &MerchantRow, q: Quote, f: Checkout) -> Result<Response, WebError> {
    let t = ctx.t();
    let method = GoodsChoice::parse(&f.payment_method).map(|x| t.l(x.label())).unwrap_or("");
    let buyer_email = q.customer.email.clone();
    let destinations = q
        .destinations
        .iter()
        .enumerate()
        .map(|(i, d)| ConfirmDestination {
            n: i + 1,
            pickup: d.pickup,
            gift: !d.pickup && (d.name != q.customer.name || d.address != q.customer.address),
            recipient: if d.kana.is_empty() {
                d.name.clone()
            } else {
                format!("{}（{}）", d.name, d.kana)
            },
            phone: d.phone.clone(),
            address: format!("〒{} {}", d.postal_code, d.address),
            wish: [
                d.requested_date.as_deref().map(|x| t.date_str(x)).unwrap_or_default(),
                d.time_band.map(|b| t.l(b.label()).to_string()).unwrap_or_default(),
            ]
            .join(" ")
            .trim()
            .to_string(),
            store: d.store.clone(),
            shipping_fee: Yen(d.shipping_fee).display_ja(),
            lines: d
                .lines
                .iter()
                .map(|l| ConfirmLine {
                    name: l.name.clone(),
                    unit_price: Yen(l.unit_price).display_ja(),
                    tax_rate: l.tax_rate,
                    quantity: l.quantity,
                    subtotal: Yen(l.subtotal).display_ja(),
                })
                .collect(),
        })
        .collect();
    render(
        StatusCode::OK,
        ConfirmPage {
            c: Chrome::storefront(ctx, "shop.confirm", &m.name, &m.code),
            merchant_code: m.code.clone(),
            method,
            goods_total: Yen(q.goods_total).display_ja(),
            shipping: Yen(q.shipping).display_ja(),
            cod_fee: (q.cod_fee > 0).then(|| Yen(q.cod_fee).display_ja()),
            amount: Yen(q.amount).display_ja(),
            taxes: q
                .taxes
                .iter()
                .map(|r| TaxView {
                    rate: r.rate.percent(),
                    amount: r.amount.display_ja(),
                    tax: r.tax.display_ja(),
                })
                .collect(),
            points: q.points,
            destinations,
            buyer_name: q.customer.name,
            buyer_kana: q.customer.kana,
            buyer_email,
            buyer_phone: q.customer.phone,
            f,
        },
    )
}
