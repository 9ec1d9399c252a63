//! The buyer's own page of a goods order, behind the link in the thanks mail: what was
//! ordered, what it costs (goods, shipping, COD fee), where the payment stands, and each
//! parcel with its carrier, tracking number and the carrier's tracking page.

use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::pages::ok;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use kippu_app::App;
use kippu_domain::Yen;
use kippu_domain::goods::ShippingStatus;
use serde::Deserialize;

pub struct Parcel {
    number: i64,
    pickup: bool,
    address: String,
    lines: Vec<String>,
    shipping: &'static str,
    shipped: bool,
    ship_date: String,
    carrier: String,
    tracking: String,
    tracking_url: String,
}

#[derive(Template)]
#[template(path = "my_order.html")]
struct MyOrderPage {
    c: Chrome,
    placed: bool,
    /// The order was cancelled (by the shop, or past its payment deadline): nothing is owed.
    cancelled: bool,
    number: String,
    ordered_at: String,
    method: &'static str,
    /// The payment's state where it is tracked (not for cash on delivery).
    payment: Option<&'static str>,
    goods_total: String,
    shipping_fee: String,
    cod_fee: Option<String>,
    /// ポイント利用, taken off the total.
    points_used: Option<String>,
    amount: String,
    points: i64,
    parcels: Vec<Parcel>,
    /// 店舗受取: where.
    store: Option<kippu_app::goods::StoreRow>,
    /// コンビニ支払い, bank transfers: how to pay, while it is still unpaid.
    instructions: Option<super::instructions::Shown>,
}

#[derive(Deserialize)]
pub struct Placed {
    #[serde(default)]
    placed: Option<String>,
}

pub async fn my_order(State(app): State<App>, ctx: Ctx, Path(token): Path<String>, Query(q): Query<Placed>) -> Result<Response, WebError> {
    let v = kippu_app::goods::by_token(&app, &token).await?;
    let shop = kippu_app::merchants::of_order(&app, v.order.merchant_id).await?;
    let store = kippu_app::goods::pickup_store(&app, &v).await?;
    let t = ctx.t();
    let o = &v.order;
    let parcels = v
        .shipments
        .iter()
        .map(|d| Parcel {
            number: d.position,
            pickup: d.is_pickup(),
            address: format!("{} 様 〒{} {}", d.recipient_name, d.postal_code, d.address),
            lines: v.items_of(d),
            shipping: t.l(d.status.label()),
            shipped: d.status == ShippingStatus::Shipped,
            ship_date: d.ship_date.as_deref().map(|x| t.date_str(x)).unwrap_or_default(),
            carrier: d.carrier.map(|c| t.l(c.label()).to_string()).unwrap_or_default(),
            tracking: d.tracking_number.clone(),
            tracking_url: d.tracking_url().unwrap_or_default(),
        })
        .collect();
    ok(MyOrderPage {
        c: Chrome::storefront(&ctx, "my_order.title", &shop.name, &shop.code),
        placed: q.placed.is_some(),
        cancelled: o.status == kippu_domain::goods::OrderStatus::Cancelled,
        number: o.order_number.clone(),
        ordered_at: t.datetime_ms(o.ordered_at),
        method: t.l(o.payment_method.buyer_label()),
        payment: (v.payment_tracked() && o.status != kippu_domain::goods::OrderStatus::Cancelled).then(|| t.l(o.payment_status.label())),
        goods_total: Yen(v.goods_total()).display_ja(),
        shipping_fee: Yen(o.shipping_fee).display_ja(),
        cod_fee: (o.handling_fee > 0).then(|| Yen(o.handling_fee).display_ja()),
        points_used: (o.points_used > 0).then(|| format!("-{}", Yen(o.points_used).display_ja())),
        amount: Yen(o.amount).display_ja(),
        points: o.points,
        parcels,
        store,
        instructions: v.instructions_pending().map(|i| super::instructions::shown(&t, i)),
    })
}
