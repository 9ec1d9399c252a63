//! A goods order as every screen and the API read it: the order, its destinations, its lines.

use crate::{Actor, App, AppError, Result};
use kippu_domain::MerchantId;
use kippu_domain::goods::flow::{Destination, GoodsOrder, PointsActivation};
use kippu_domain::goods::{ShippingStatus, confirmation_of};
use kippu_store::goods::{self as repo, GoodsLineRow, GoodsOrderRow, ShipmentRow};

#[derive(Debug, Clone, serde::Serialize)]
pub struct GoodsView {
    pub order: GoodsOrderRow,
    pub shipments: Vec<ShipmentRow>,
    pub lines: Vec<GoodsLineRow>,
    /// コンビニ支払い and bank transfers: what the buyer was told to pay by (one order's read
    /// only; lists leave it out).
    #[serde(skip)]
    pub instructions: Option<kippu_domain::payment_due::Instructions>,
}

impl GoodsView {
    /// The order as the transition rule sees it.
    pub fn rule_view(&self) -> GoodsOrder {
        rule_view(&self.order, &self.shipments)
    }

    /// Why the order's points cannot become usable yet (`None`: they may), by the domain's rule.
    pub fn points_not_yet(&self) -> Option<kippu_domain::label::Said> {
        use kippu_domain::goods::points::{Earner, may_activate};
        may_activate(Earner::Goods(&self.rule_view())).err().map(|e| e.said())
    }

    /// 発送済み once every destination is.
    pub fn shipping(&self) -> ShippingStatus {
        self.rule_view().shipping()
    }

    /// 未発送, 一部発送 or 発送済み, as the order page and the list show it.
    pub fn progress(&self) -> kippu_domain::goods::ShippingProgress {
        self.rule_view().progress()
    }

    /// 消費税 by rate in the order's tax-included total, as the storefront's confirmation
    /// computed it: the goods at their rates less the coupon's discount prorated per rate, 送料
    /// and 代引手数料 in the 10 % part.
    pub fn taxes(&self) -> Vec<kippu_domain::money::RateTotal> {
        use kippu_domain::money::{TaxRate, taxes_by_rate};
        let goods = self
            .lines
            .iter()
            .map(|l| (super::quote::rate_of(l.tax_rate), kippu_domain::Yen(l.amount)));
        let fees = kippu_domain::Yen(self.order.shipping_fee + self.order.handling_fee);
        // A coupon's discount comes off the goods, prorated per rate (docs/decisions.md).
        let off = kippu_domain::money::discount_by_rate(goods.clone(), kippu_domain::Yen(self.order.discount));
        taxes_by_rate(goods.chain(off).chain([(TaxRate::Standard10, fees)]))
    }

    /// The lines sent to destination `s`.
    pub fn lines_of<'a>(&'a self, s: &'a ShipmentRow) -> impl Iterator<Item = &'a GoodsLineRow> + 'a {
        self.lines.iter().filter(move |l| l.shipment_id == Some(s.id))
    }

    /// The goods sent to destination `s`, as every screen and email lists them: 「今治タオル × 2」.
    pub fn items_of(&self, s: &ShipmentRow) -> Vec<String> {
        self.lines
            .iter()
            .filter(|l| l.shipment_id == Some(s.id))
            .map(|l| format!("{} × {}", l.product_name, l.quantity))
            .collect()
    }

    /// The parcel to destination `s`: the largest サイズ of its goods, and their total weight
    /// (grams) when every one of them has a weight.
    pub fn parcel_of(&self, s: &ShipmentRow) -> (Option<kippu_domain::goods::SizeClass>, Option<i64>) {
        let lines: Vec<&GoodsLineRow> = self.lines.iter().filter(|l| l.shipment_id == Some(s.id)).collect();
        let size = lines
            .iter()
            .filter_map(|l| l.size_class)
            .max_by_key(|c| c.as_str().parse::<u32>().unwrap_or(0));
        let weight = lines
            .iter()
            .map(|l| l.weight_g.map(|g| g * l.quantity))
            .sum::<Option<i64>>()
            .filter(|_| !lines.is_empty());
        (size, weight)
    }

    /// The goods' total, before the shipping and COD fees.
    pub fn goods_total(&self) -> i64 {
        self.lines.iter().map(|l| l.amount).sum()
    }

    /// The payment instructions while the buyer still has to pay (not once paid or cancelled).
    pub fn instructions_pending(&self) -> Option<&kippu_domain::payment_due::Instructions> {
        let o = &self.order;
        let open =
            o.payment_status == kippu_domain::goods::PaymentStatus::Unpaid && o.status != kippu_domain::goods::OrderStatus::Cancelled;
        self.instructions.as_ref().filter(|_| open)
    }

    /// Whether the row has a checkbox under `tab`: in 未入金, not for methods whose payment cannot
    /// be marked by hand (コンビニ: the payment company's notice only; 代金引換: not tracked),
    /// as the manual says.
    pub fn pickable_in(&self, tab: kippu_store::goods::GoodsTab) -> bool {
        use kippu_domain::goods::PaymentConfirmation;
        tab != kippu_store::goods::GoodsTab::Unpaid
            || !matches!(
                confirmation_of(self.order.payment_method),
                PaymentConfirmation::NotificationOnly | PaymentConfirmation::NotTracked
            )
    }

    /// Whether the payment status is tracked here (not for cash on delivery).
    pub fn payment_tracked(&self) -> bool {
        confirmation_of(self.order.payment_method) != kippu_domain::goods::PaymentConfirmation::NotTracked
    }
}

pub(crate) fn rule_view(o: &GoodsOrderRow, shipments: &[ShipmentRow]) -> GoodsOrder {
    GoodsOrder {
        method: o.payment_method,
        status: o.status,
        payment: o.payment_status,
        card: o.card,
        total: o.amount,
        refunded: o.refunded_amount,
        destinations: shipments
            .iter()
            .map(|s| Destination {
                pickup: s.is_pickup(),
                shipping: s.status,
            })
            .collect(),
    }
}

/// A date as people type it (`2026/11/25`, `2026-11-25`, full-width digits), as stored.
pub(crate) fn typed_date(s: &str) -> Option<String> {
    kippu_domain::clock::parse_date(&kippu_domain::normalize::text(s.trim()).replace('/', "-")).map(|d| d.to_string())
}

/// An order as the goods rule sees it, from its destinations' rows (in position order) as a
/// batch read them.
pub(crate) fn rule_view_of_targets(of_order: &[&kippu_store::goods::ImportTarget]) -> GoodsOrder {
    let first = of_order[0];
    GoodsOrder {
        method: first.payment_method,
        status: first.order_status,
        payment: first.payment_status,
        card: first.card,
        total: first.amount,
        refunded: first.refunded_amount,
        destinations: of_order
            .iter()
            .map(|t| Destination {
                pickup: t.shipment.is_pickup(),
                shipping: t.shipment.status,
            })
            .collect(),
    }
}

pub(crate) async fn load(app: &App, scope: Option<MerchantId>, number: &str) -> Result<GoodsView> {
    let mut conn = app.store.conn().await?;
    load_on(&mut conn, app, scope, number).await
}

/// [`load`] on a given connection: inside a write transaction, what it has written so far.
pub(crate) async fn load_on(
    conn: &mut kippu_store::AnyConnection,
    app: &App,
    scope: Option<MerchantId>,
    number: &str,
) -> Result<GoodsView> {
    let order = repo::goods_order_by_number(conn, app.store.backend(), scope, number, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let shipments = repo::shipments_of(conn, &[order.id]).await?;
    let lines = repo::goods_lines_of_orders(conn, &[order.id]).await?;
    let instructions = crate::payment_company::instructions_of(conn, order.id).await?;
    Ok(GoodsView {
        order,
        shipments,
        lines,
        instructions,
    })
}

/// One goods order; another merchant's is not found.
pub async fn get(app: &App, actor: &Actor, number: &str) -> Result<GoodsView> {
    let v = load(app, actor.scope()?, number).await?;
    if !actor.sees_channel(v.order.channel_id) {
        return Err(AppError::NotFound);
    }
    Ok(v)
}

/// The goods order behind a buyer's link: the buyer's own page shows it without a login.
pub async fn by_token(app: &App, token: &str) -> Result<GoodsView> {
    if token.len() < 16 {
        return Err(AppError::NotFound);
    }
    let mut conn = app.store.conn().await?;
    let order = repo::goods_order_by_token(&mut conn, token).await?.ok_or(AppError::NotFound)?;
    let shipments = repo::shipments_of(&mut conn, &[order.id]).await?;
    let lines = repo::goods_lines_of_orders(&mut conn, &[order.id]).await?;
    let instructions = crate::payment_company::instructions_of(&mut conn, order.id).await?;
    Ok(GoodsView {
        order,
        shipments,
        lines,
        instructions,
    })
}

/// When the merchant's points become usable.
pub(crate) async fn activation_of(conn: &mut kippu_store::AnyConnection, m: MerchantId) -> Result<PointsActivation> {
    Ok(repo::points_policy(conn, m).await?.activation)
}

/// The refunds of an order already read for its actor (キャンセル and 一部返金), oldest first.
pub async fn refunds(app: &App, v: &GoodsView) -> Result<Vec<kippu_store::goods::RefundRow>> {
    let mut conn = app.store.conn().await?;
    Ok(repo::refunds_of(&mut conn, v.order.id).await?)
}

/// 店舗受取: the store the order is collected from (its name, address and 営業時間), when it
/// names one.
pub async fn pickup_store(app: &App, v: &GoodsView) -> Result<Option<kippu_store::merchants::StoreRow>> {
    if !v.shipments.iter().any(|s| s.is_pickup()) {
        return Ok(None);
    }
    let mut conn = app.store.conn().await?;
    Ok(kippu_store::merchants::pickup_store(&mut conn, v.order.merchant_id, v.order.id.0).await?)
}

/// The order's status history, oldest first: who changed what, when, from what to what.
pub async fn history(app: &App, v: &GoodsView) -> Result<Vec<kippu_store::orders::HistoryRow>> {
    let mut conn = app.store.conn().await?;
    Ok(kippu_store::orders::history(&mut conn, v.order.id).await?)
}

/// The points the order earned (付与ポイント) with their status.
pub async fn points(app: &App, v: &GoodsView) -> Result<Vec<kippu_store::goods::PointRow>> {
    let mut conn = app.store.conn().await?;
    Ok(repo::points_of_order(&mut conn, v.order.id).await?)
}
