//! Reading a goods order with its destinations and lines.

use crate::{Backend, Result};
use kippu_domain::goods::{CardState, Carrier, OrderStatus, PaymentStatus, ShippingStatus, TimeBand};
use kippu_domain::order::PaymentMethod;
use kippu_domain::{MerchantId, OrderId};
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct GoodsOrderRow {
    #[sqlx(try_from = "i64")]
    pub id: OrderId,
    #[sqlx(try_from = "i64")]
    pub merchant_id: MerchantId,
    pub order_number: String,
    /// The sales channel it was ordered through (the own site, or an OTA's token).
    pub channel_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub customer_name: String,
    pub customer_kana: String,
    pub customer_email: String,
    pub customer_phone: String,
    pub ordered_at: i64,
    #[sqlx(try_from = "String")]
    pub payment_method: PaymentMethod,
    #[sqlx(try_from = "String")]
    pub status: OrderStatus,
    #[sqlx(try_from = "String")]
    pub payment_status: PaymentStatus,
    /// 入金日 (`YYYY-MM-DD`), once paid.
    pub payment_date: Option<String>,
    pub paid_at: Option<i64>,
    /// Goods, shipping fees and the COD fee, tax included.
    pub amount: i64,
    pub shipping_fee: i64,
    pub handling_fee: i64,
    /// Refunded so far (返金額), never more than what was paid.
    pub refunded_amount: i64,
    pub points: i64,
    /// ポイント利用: points the order spends (yen off `amount`).
    pub points_used: i64,
    /// クーポン割引: yen the order's coupon took off the goods (already out of `amount`).
    pub discount: i64,
    /// The coupon's code, when the order used one.
    pub coupon_code: Option<String>,
    /// The AD code (媒体) the order came from, and its name.
    pub ad_code: Option<String>,
    pub ad_code_name: Option<String>,
    pub access_token: Option<String>,
    pub gateway_ref: Option<String>,
    #[sqlx(flatten, try_from = "crate::columns::CardStateColumn")]
    pub card: Option<CardState>,
    /// 定期: the master this order made or was made by (`order_type` tells which).
    pub subscription_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub order_type: kippu_domain::order::OrderType,
    /// 受注経路: 代理注文 when an operator entered it in the console.
    #[sqlx(try_from = "String")]
    pub entry_channel: kippu_domain::order::EntryChannel,
}

pub(super) const GOODS_COLS: &str = "o.id, o.merchant_id, o.order_number, o.channel_id, o.customer_id, o.customer_name, o.customer_kana, o.customer_email, \
    o.customer_phone, o.ordered_at, o.payment_method, o.status, o.payment_status, o.payment_date, o.paid_at, o.amount, o.shipping_fee, \
    o.handling_fee, o.refunded_amount, o.points, o.points_used, o.discount, \
    (SELECT c.code FROM coupons c WHERE c.id = o.coupon_id) AS coupon_code, \
    (SELECT a.code FROM ad_codes a WHERE a.id = o.ad_code_id) AS ad_code, \
    (SELECT a.name FROM ad_codes a WHERE a.id = o.ad_code_id) AS ad_code_name, \
    o.access_token, p.gateway_ref, p.state AS payment_state, o.subscription_id, o.order_type, o.entry_channel";

/// One goods order by number, scoped to merchant `m` (any merchant for the platform).
pub async fn goods_order_by_number(
    conn: &mut AnyConnection,
    backend: Backend,
    m: Option<MerchantId>,
    number: &str,
    lock: bool,
) -> Result<Option<GoodsOrderRow>> {
    let lock = if lock { backend.for_update_of_orders() } else { "" };
    let sql = format!(
        "SELECT {GOODS_COLS} FROM orders o LEFT JOIN payments p ON p.order_id = o.id \
         WHERE o.order_number = $1 AND ($2 = 0 OR o.merchant_id = $2) AND o.kind = 'goods'{lock}"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(number)
        .bind(m.map(|m| m.0).unwrap_or(0))
        .fetch_optional(conn)
        .await?)
}

/// Goods orders by id (any order), for a page of the orders search across kinds.
pub async fn goods_orders_by_ids(conn: &mut AnyConnection, ids: &[OrderId]) -> Result<Vec<GoodsOrderRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::batch::id_list(ids.iter().map(|i| i.0));
    let sql =
        format!("SELECT {GOODS_COLS} FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE o.id IN ({list}) AND o.kind = 'goods'");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await?)
}

/// The goods order behind a buyer's link (its access token), of any merchant.
pub async fn goods_order_by_token(conn: &mut AnyConnection, token: &str) -> Result<Option<GoodsOrderRow>> {
    let sql = format!(
        "SELECT {GOODS_COLS} FROM orders o LEFT JOIN payments p ON p.order_id = o.id \
         WHERE o.access_token = $1 AND o.kind = 'goods'"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token).fetch_optional(conn).await?)
}

/// One お届け先.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ShipmentRow {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub order_id: OrderId,
    /// 1-based within the order.
    pub position: i64,
    /// `delivery` or `pickup` (店舗受取).
    pub method: String,
    pub recipient_name: String,
    pub recipient_kana: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub requested_date: Option<String>,
    #[sqlx(flatten, try_from = "crate::columns::TimeBandColumn")]
    pub time_band: Option<TimeBand>,
    /// 配達予定日 from the carrier.
    pub delivery_date: Option<String>,
    /// 商品発送日.
    pub ship_date: Option<String>,
    #[sqlx(flatten, try_from = "crate::columns::CarrierColumn")]
    pub carrier: Option<Carrier>,
    pub tracking_number: String,
    #[sqlx(try_from = "String")]
    pub status: ShippingStatus,
    pub shipping_fee: i64,
    pub shipped_at: Option<i64>,
}

impl ShipmentRow {
    pub fn is_pickup(&self) -> bool {
        self.method == "pickup"
    }

    /// The carrier's page following this parcel, once it has a carrier and a tracking number.
    pub fn tracking_url(&self) -> Option<String> {
        self.carrier
            .filter(|_| !self.tracking_number.is_empty())
            .map(|c| c.tracking_url(&self.tracking_number))
    }
}

/// The columns of a [`ShipmentRow`], of the shipments table named `t`.
fn shipment_cols(t: &str) -> String {
    format!(
        "{t}.id, {t}.order_id, {t}.position, {t}.method, {t}.recipient_name, {t}.recipient_kana, {t}.postal_code, {t}.address, {t}.phone, \
         {t}.requested_date, NULLIF({t}.time_band, '') AS time_band, {t}.delivery_date, {t}.ship_date, NULLIF({t}.carrier, '') AS carrier, \
         {t}.tracking_number, {t}.status, {t}.shipping_fee, {t}.shipped_at"
    )
}

/// The destinations of some orders, by order then position.
pub async fn shipments_of(conn: &mut AnyConnection, order_ids: &[OrderId]) -> Result<Vec<ShipmentRow>> {
    if order_ids.is_empty() {
        return Ok(vec![]);
    }
    let list = crate::batch::id_list(order_ids.iter().map(|i| i.0));
    let sql = format!(
        "SELECT {} FROM shipments s WHERE s.order_id IN ({list}) ORDER BY s.order_id, s.position",
        shipment_cols("s")
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await?)
}

/// A line of a goods order, with the destination it goes to.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct GoodsLineRow {
    pub shipment_id: Option<i64>,
    pub product_code: String,
    pub product_name: String,
    pub unit_price: i64,
    pub tax_rate: i64,
    pub quantity: i64,
    pub amount: i64,
    /// The product's parcel サイズ and weight (grams), when the merchant gave them.
    #[sqlx(flatten, try_from = "crate::columns::SizeClassColumn")]
    pub size_class: Option<kippu_domain::goods::SizeClass>,
    pub weight_g: Option<i64>,
}

/// The kind of the order with this number (`None`: no such order of `m`).
pub async fn kind_of_order(
    conn: &mut AnyConnection,
    m: Option<MerchantId>,
    number: &str,
) -> Result<Option<kippu_domain::catalog::OrderKind>> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM orders WHERE order_number = $1 AND ($2 = 0 OR merchant_id = $2)")
        .bind(number)
        .bind(m.map(|m| m.0).unwrap_or(0))
        .fetch_optional(conn)
        .await?;
    kind.map(kippu_domain::catalog::OrderKind::try_from)
        .transpose()
        .map_err(|e| crate::StoreError::Sql(sqlx::Error::Decode(Box::new(e))))
}

/// A destination the carrier import names, with its order's number and status.
#[derive(Debug, Clone, FromRow)]
pub struct ImportTarget {
    pub order_number: String,
    #[sqlx(try_from = "String")]
    pub order_status: OrderStatus,
    #[sqlx(try_from = "String")]
    pub payment_method: PaymentMethod,
    #[sqlx(try_from = "String")]
    pub payment_status: PaymentStatus,
    #[sqlx(flatten, try_from = "crate::columns::CardStateColumn")]
    pub card: Option<CardState>,
    pub amount: i64,
    pub refunded_amount: i64,
    #[sqlx(flatten)]
    pub shipment: ShipmentRow,
}

/// Every destination of the merchant's goods orders with these numbers (locked on PostgreSQL
/// when `lock`, inside the import's transaction).
pub async fn import_targets(
    conn: &mut AnyConnection,
    backend: Backend,
    m: MerchantId,
    numbers: &[String],
    lock: bool,
) -> Result<Vec<ImportTarget>> {
    if numbers.is_empty() {
        return Ok(vec![]);
    }
    let placeholders = backend.params(1, numbers.len());
    // The merchant (an integer) is written into the text: every bound value is an order number.
    let merchant = m.0;
    let lock = if lock { backend.for_update_of_orders_and_shipments() } else { "" };
    let cols = shipment_cols("s");
    let sql = format!(
        "SELECT o.order_number, o.status AS order_status, o.payment_method, o.payment_status, p.state AS payment_state, o.amount, o.refunded_amount, {cols} \
         FROM shipments s JOIN orders o ON o.id = s.order_id LEFT JOIN payments p ON p.order_id = o.id \
         WHERE o.merchant_id = {merchant} AND o.kind = 'goods' AND o.order_number IN ({placeholders}) ORDER BY s.order_id, s.position{lock}"
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for n in numbers {
        q = q.bind(n.clone());
    }
    Ok(q.fetch_all(conn).await?)
}

/// The lines of several goods orders (a page of an export).
pub async fn goods_lines_of_orders(conn: &mut AnyConnection, order_ids: &[OrderId]) -> Result<Vec<GoodsLineRow>> {
    if order_ids.is_empty() {
        return Ok(vec![]);
    }
    let list = crate::batch::id_list(order_ids.iter().map(|i| i.0));
    let sql = format!(
        "SELECT l.shipment_id, l.product_code, l.product_name, l.unit_price, l.tax_rate, l.quantity, l.amount, p.size_class, p.weight_g \
         FROM order_lines l LEFT JOIN products p ON p.id = l.product_id WHERE l.order_id IN ({list}) ORDER BY l.id"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await?)
}
