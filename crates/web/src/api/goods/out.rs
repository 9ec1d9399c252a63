//! A goods order as the API answers it.

use kippu_app::goods::GoodsView;
use kippu_domain::clock::{from_millis, rfc3339_jst};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct GoodsLineOut {
    pub product_code: String,
    pub product_name: String,
    pub unit_price: i64,
    pub quantity: i64,
    pub amount: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DestinationOut {
    /// 1, 2, … within the order (the carrier files' `T…-2`).
    pub number: i64,
    /// 店舗受取.
    pub pickup: bool,
    pub name: String,
    pub kana: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub requested_date: Option<String>,
    /// `morning`, `14-16`, `16-18`, `18-20`, `19-21`.
    pub time_band: Option<String>,
    /// `unshipped` or `shipped`.
    pub shipping_status: String,
    pub shipping_status_label: String,
    pub ship_date: Option<String>,
    pub tracking_number: Option<String>,
    /// `yamato`, `sagawa`, `japan_post`.
    pub carrier: Option<String>,
    pub tracking_url: Option<String>,
    pub delivery_date: Option<String>,
    pub shipping_fee: i64,
    pub lines: Vec<GoodsLineOut>,
}

#[derive(Serialize, ToSchema)]
pub struct GoodsOrderOut {
    pub order_number: String,
    /// 定期: the master this order started (or, for a 定期便 child, was made by).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<i64>,
    /// `normal`, or `subscription_child` for a 定期便 child order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_type: Option<String>,
    /// `goods`.
    pub kind: String,
    /// `normal` (通常処理), `processed` (処理済み) or `cancelled` (キャンセル).
    pub order_status: String,
    pub order_status_label: String,
    /// `unpaid` or `paid`; cash on delivery stays `unpaid` (the carrier collects).
    pub payment_status: String,
    pub payment_status_label: String,
    pub payment_date: Option<String>,
    /// `unshipped` until every destination is shipped.
    pub shipping_status: String,
    pub payment_method: String,
    /// Card orders: `authorized`, `captured`, `failed`, `voided` (cancelled before capture) or
    /// `refunded` (cancelled after capture).
    pub card_state: Option<String>,
    /// What the buyer pays, yen, tax included: goods − `discount` + shipping fees + COD fee −
    /// `points_used`.
    pub amount: i64,
    /// The same as `amount`: the order's total after any 受注編集.
    pub total: i64,
    /// ポイント利用: points spent on the order, 1 point = 1 yen off the total.
    pub points_used: i64,
    /// クーポン割引: yen the coupon took off the goods.
    pub discount: i64,
    /// The coupon the order used, if any.
    pub coupon_code: Option<String>,
    /// The AD code (媒体) the order came from, if any.
    pub ad_code: Option<String>,
    pub shipping_fee: i64,
    pub cod_fee: i64,
    /// Refunded so far (キャンセル and 一部返金), yen.
    pub refunded_amount: i64,
    pub points: i64,
    pub ordered_at: String,
    pub customer_name: String,
    pub customer_email: String,
    pub destinations: Vec<DestinationOut>,
    /// コンビニ支払い and bank transfers: the 受付番号 or the account, and the deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_instructions: Option<crate::api::orders::PaymentInstructionsOut>,
}

pub fn goods_out(v: GoodsView) -> GoodsOrderOut {
    let shipping = v.shipping();
    let o = &v.order;
    GoodsOrderOut {
        payment_instructions: v.instructions.as_ref().map(crate::api::orders::instructions_out),
        order_number: o.order_number.clone(),
        kind: "goods".into(),
        order_status: o.status.as_str().into(),
        order_status_label: o.status.label_ja().into(),
        payment_status: o.payment_status.as_str().into(),
        payment_status_label: o.payment_status.label_ja().into(),
        payment_date: o.payment_date.clone(),
        shipping_status: shipping.as_str().into(),
        payment_method: o.payment_method.as_str().into(),
        card_state: o.card.map(|c| c.as_str().into()),
        amount: o.amount,
        total: o.amount,
        points_used: o.points_used,
        discount: o.discount,
        coupon_code: o.coupon_code.clone(),
        ad_code: o.ad_code.clone(),
        subscription_id: o.subscription_id,
        order_type: (o.order_type != kippu_domain::order::OrderType::Normal).then(|| o.order_type.as_str().into()),
        shipping_fee: o.shipping_fee,
        cod_fee: o.handling_fee,
        refunded_amount: o.refunded_amount,
        points: o.points,
        ordered_at: rfc3339_jst(from_millis(o.ordered_at)),
        customer_name: o.customer_name.clone(),
        customer_email: o.customer_email.clone(),
        destinations: v
            .shipments
            .iter()
            .map(|s| DestinationOut {
                number: s.position,
                pickup: s.is_pickup(),
                name: s.recipient_name.clone(),
                kana: s.recipient_kana.clone(),
                postal_code: s.postal_code.clone(),
                address: s.address.clone(),
                phone: s.phone.clone(),
                requested_date: s.requested_date.clone(),
                time_band: s.time_band.map(|b| b.as_str().into()),
                shipping_status: s.status.as_str().into(),
                shipping_status_label: s.status.label_ja().into(),
                ship_date: s.ship_date.clone(),
                tracking_number: Some(s.tracking_number.clone()).filter(|t| !t.is_empty()),
                carrier: s.carrier.map(|c| c.as_str().into()),
                tracking_url: s
                    .carrier
                    .filter(|_| !s.tracking_number.is_empty())
                    .map(|c| c.tracking_url(&s.tracking_number)),
                delivery_date: s.delivery_date.clone(),
                shipping_fee: s.shipping_fee,
                lines: v
                    .lines
                    .iter()
                    .filter(|l| l.shipment_id == Some(s.id))
                    .map(|l| GoodsLineOut {
                        product_code: l.product_code.clone(),
                        product_name: l.product_name.clone(),
                        unit_price: l.unit_price,
                        quantity: l.quantity,
                        amount: l.amount,
                    })
                    .collect(),
            })
            .collect(),
    }
}
