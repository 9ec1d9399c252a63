//! 受注編集: the merchant changes a goods order — each destination's lines and quantities, the
//! 送料, the 代引手数料, the payment method and the points it spends (ポイント利用) — and the
//! rule that decides whether it may. The manual warns before 入金処理: 「受注金額の変更、決済方法の
//! 変更、ポイントやクーポンの変更、送料の変更などは発生していませんか？ 決済方法によっては、入金処理後
//! の各種変更が制限される場合があります」. So before payment everything may change; once paid (or
//! once a parcel left) only a destination's address, phone, date and time band may, and an
//! amount change is refused in those words. A cancelled, processed or shipped order is not
//! edited at all.
//!
//! Points are a means of payment here, 1 point = 1 yen: they lower what the buyer pays, never
//! the price the tax is computed on, and the merchant bears them (the settlement lists them).

use super::flow::GoodsOrder;
use super::{OrderStatus, ShippingStatus};
use crate::label::Said;
use crate::money::{RateTotal, TaxRate, Yen, taxes_by_rate};
use crate::order::PaymentMethod;
use crate::validate::{Collect, FieldError, FieldErrors};
use std::collections::BTreeMap;

/// The most one 送料 (all destinations together) or 代引手数料 may be: more is a typing error.
pub const MAX_FEE: i64 = 100_000;
/// The most an edited order may total (goods and fees): more is a typing error.
pub const MAX_TOTAL: i64 = 10_000_000;
/// The most points one order may spend (never more than its goods total either).
pub const MAX_POINTS_USED: i64 = MAX_TOTAL;
/// The most of one product on one line.
pub const MAX_QUANTITY: i64 = 999;

/// One line of a destination: a product at the unit price the order charges for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub product_id: i64,
    /// Tax included, yen.
    pub unit_price: i64,
    pub tax_rate: TaxRate,
    pub quantity: i64,
}

impl Line {
    pub fn subtotal(&self) -> i64 {
        self.unit_price * self.quantity
    }
}

/// What a goods order charges: the part an edit may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amounts {
    /// Each destination's lines, in the order's destination order.
    pub destinations: Vec<Vec<Line>>,
    /// Each destination's 送料, in the same order (0 for a store pickup).
    pub shipping_fees: Vec<i64>,
    /// 代引手数料 (0 unless cash on delivery).
    pub cod_fee: i64,
    pub method: PaymentMethod,
    /// ポイント利用: yen off what the buyer pays.
    pub points_used: i64,
    /// クーポン割引: the coupon's yen off the goods, kept from the order (at most the goods).
    pub discount: i64,
}

impl Amounts {
    pub fn goods_total(&self) -> i64 {
        self.destinations.iter().flatten().map(Line::subtotal).sum()
    }

    pub fn shipping_total(&self) -> i64 {
        self.shipping_fees.iter().sum()
    }

    /// The coupon's discount as it applies: never more than the goods.
    pub fn discount_applied(&self) -> i64 {
        self.discount.clamp(0, self.goods_total().max(0))
    }

    /// Goods less the coupon's discount, 送料 and 代引手数料: the price, before points.
    pub fn price(&self) -> i64 {
        self.goods_total() - self.discount_applied() + self.shipping_total() + self.cod_fee
    }

    /// What the buyer pays: the price less the points spent.
    pub fn total(&self) -> i64 {
        self.price() - self.points_used
    }

    /// The tax in the price per rate, as the order's receipt shows it: the goods at their own
    /// rate, 送料 and 代引手数料 at 10 % (points pay, they do not discount).
    pub fn taxes(&self) -> Vec<RateTotal> {
        let goods = self.destinations.iter().flatten().map(|l| (l.tax_rate, Yen(l.subtotal())));
        let fees = Yen(self.shipping_total() + self.cod_fee);
        let off = crate::money::discount_by_rate(goods.clone(), Yen(self.discount_applied()));
        taxes_by_rate(goods.chain(off).chain([(TaxRate::Standard10, fees)]))
    }

    /// How many of each product the order holds, over every destination.
    pub fn quantities(&self) -> BTreeMap<i64, i64> {
        let mut out = BTreeMap::new();
        for l in self.destinations.iter().flatten() {
            *out.entry(l.product_id).or_insert(0) += l.quantity;
        }
        out
    }
}

/// 送料 for the whole order, split over its shipped destinations as evenly as yen allow (the
/// first ones take the odd yen); a store pickup pays none. `None` when every destination is a
/// pickup and `total` is not 0.
pub fn split_shipping(total: i64, pickup: &[bool]) -> Option<Vec<i64>> {
    let shipped = pickup.iter().filter(|p| !**p).count() as i64;
    if shipped == 0 {
        return (total == 0).then(|| vec![0; pickup.len()]);
    }
    let (each, odd) = (total / shipped, total % shipped);
    let mut nth = 0;
    Some(
        pickup
            .iter()
            .map(|p| {
                if *p {
                    return 0;
                }
                nth += 1;
                each + i64::from(nth <= odd)
            })
            .collect(),
    )
}

/// Why an order may not be edited (or not in that way), in the manual's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditRefusal {
    Cancelled,
    Processed,
    Shipped,
    /// After 入金処理 (or once a parcel left): amounts, payment method and points stay.
    Paid,
    /// A destination that left cannot be given another address.
    DestinationShipped(usize),
}

impl EditRefusal {
    /// The API's `code` for the refusal.
    pub fn code(self) -> &'static str {
        match self {
            EditRefusal::Cancelled => "order_cancelled",
            EditRefusal::Processed => "order_processed",
            EditRefusal::Shipped | EditRefusal::DestinationShipped(_) => "order_shipped",
            EditRefusal::Paid => "order_paid",
        }
    }

    pub fn said(self) -> Said {
        match self {
            EditRefusal::Cancelled => Said::new("キャンセルされた注文は編集できません", "A cancelled order cannot be edited"),
            EditRefusal::Processed => Said::new(
                "処理済みの注文は編集できません（変更するには通常処理に戻してください）",
                "A processed order cannot be edited (reopen it first)",
            ),
            EditRefusal::Shipped => Said::new("発送済みの注文は編集できません", "A shipped order cannot be edited"),
            EditRefusal::Paid => Said::new(
                "入金処理後のため、受注金額・決済方法・ポイント・送料・代引手数料は変更できません（お届け先の住所・配達時間帯・送り状番号は変更できます）",
                "The order is paid: its amounts, payment method, points and fees can no longer change (the delivery address, time band and tracking number still can)",
            ),
            EditRefusal::DestinationShipped(n) => Said::new(
                format!("お届け先{n}は発送済みのため変更できません"),
                format!("Destination {n} has shipped and cannot be changed"),
            ),
        }
    }
}

crate::display_said!(EditRefusal);

/// Why an edit is not made: the rule refused it, or a value is out of bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    Refused(EditRefusal),
    Invalid(FieldErrors),
}

impl From<EditRefusal> for EditError {
    fn from(r: EditRefusal) -> Self {
        EditError::Refused(r)
    }
}

/// What happens to the card authorization of a 与信 order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardChange {
    Keep,
    /// Authorize this new amount in place of the old one.
    Adjust(i64),
    /// The order is no longer paid by card: release the authorization.
    Release,
}

/// An edit the rule allows: the order's new amounts and what moves with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub after: Amounts,
    /// Whether anything the buyer pays changed (lines, fees, method, points).
    pub amounts_changed: bool,
    /// Per product: how many more the order takes from stock (negative: given back).
    pub stock: Vec<(i64, i64)>,
    /// How many more points the order spends (negative: given back to the customer).
    pub points_delta: i64,
    pub card: CardChange,
}

/// The edit of an order: its amounts `before` and as the merchant wants them `after`, which
/// destinations' address, phone, date or time band the merchant changed, and the customer's
/// point balance now (the points this order already spends are not in it).
pub struct Edit<'a> {
    pub order: &'a GoodsOrder,
    pub before: &'a Amounts,
    pub after: Amounts,
    pub contact_changed: &'a [bool],
    pub balance: i64,
}

/// Whether an order's amounts may still change: not paid, no parcel gone, not processed or
/// cancelled (cash on delivery is never marked paid: until it ships).
pub fn amounts_editable(order: &GoodsOrder) -> bool {
    order.status == OrderStatus::Normal
        && order.payment == super::PaymentStatus::Unpaid
        && order.destinations.iter().all(|d| d.shipping == ShippingStatus::Unshipped)
}

/// Whether the order may be edited at all (a destination's address at least).
pub fn refusal(order: &GoodsOrder) -> Option<EditRefusal> {
    match order.status {
        OrderStatus::Cancelled => Some(EditRefusal::Cancelled),
        OrderStatus::Processed => Some(EditRefusal::Processed),
        OrderStatus::Normal if order.shipping() == ShippingStatus::Shipped => Some(EditRefusal::Shipped),
        OrderStatus::Normal => None,
    }
}

/// The one rule of 受注編集.
pub fn check(e: Edit<'_>) -> Result<Plan, EditError> {
    if let Some(r) = refusal(e.order) {
        return Err(r.into());
    }
    if let Some(n) = e
        .contact_changed
        .iter()
        .zip(&e.order.destinations)
        .position(|(changed, d)| *changed && d.shipping == ShippingStatus::Shipped)
    {
        return Err(EditRefusal::DestinationShipped(n + 1).into());
    }
    let amounts_changed = e.after != *e.before;
    if amounts_changed && !amounts_editable(e.order) {
        return Err(EditRefusal::Paid.into());
    }
    bounds(&e)?;
    let after = e.after;
    let before_q = e.before.quantities();
    let after_q = after.quantities();
    let mut stock: Vec<(i64, i64)> = Vec::new();
    for id in before_q.keys().chain(after_q.keys()) {
        let delta = after_q.get(id).copied().unwrap_or(0) - before_q.get(id).copied().unwrap_or(0);
        if delta != 0 && !stock.iter().any(|(p, _)| p == id) {
            stock.push((*id, delta));
        }
    }
    let card = match (e.before.method, after.method) {
        (PaymentMethod::CardAuth, PaymentMethod::CardAuth) if after.total() != e.before.total() => CardChange::Adjust(after.total()),
        (PaymentMethod::CardAuth, m) if m != PaymentMethod::CardAuth => CardChange::Release,
        _ => CardChange::Keep,
    };
    Ok(Plan {
        points_delta: after.points_used - e.before.points_used,
        amounts_changed,
        stock,
        card,
        after,
    })
}

/// Every value within its bounds; every problem named at once, by its field.
fn bounds(e: &Edit<'_>) -> Result<(), EditError> {
    let a = &e.after;
    let mut errs = Collect::default();
    let shipping = a.shipping_total();
    if a.shipping_fees.iter().any(|f| *f < 0) || !(0..=MAX_FEE).contains(&shipping) {
        errs.push(FieldError::new(
            "shipping_fee",
            format!("送料は0〜{}で入力してください", Yen(MAX_FEE).display_ja()),
        ));
    }
    if !(0..=MAX_FEE).contains(&a.cod_fee) {
        errs.push(FieldError::new(
            "cod_fee",
            format!("代引手数料は0〜{}で入力してください", Yen(MAX_FEE).display_ja()),
        ));
    } else if a.cod_fee > 0 && a.method != PaymentMethod::Cod {
        errs.push(FieldError::new("cod_fee", "代引手数料は代金引換の注文にだけかかります"));
    }
    if a.method != e.before.method && matches!(a.method, PaymentMethod::CardAuth | PaymentMethod::CardCapture) {
        errs.push(FieldError::new(
            "payment_method",
            "カード決済へは変更できません（カード情報はお客様ご自身の入力が必要です）",
        ));
    }
    if a.method == PaymentMethod::Cod && e.order.destinations.iter().any(|d| d.pickup) {
        errs.push(FieldError::new("payment_method", "店舗受取では代金引換を選べません"));
    }
    if a.destinations.iter().any(Vec::is_empty) {
        errs.push(FieldError::new("destinations", "各お届け先に商品を1つ以上指定してください"));
    }
    if a.destinations.iter().flatten().any(|l| !(1..=MAX_QUANTITY).contains(&l.quantity)) {
        errs.push(FieldError::new(
            "destinations",
            format!("数量は1〜{MAX_QUANTITY}で指定してください"),
        ));
    }
    let available = e.balance.saturating_add(e.before.points_used);
    let goods = a.goods_total() - a.discount_applied();
    if a.points_used < 0 || a.points_used > MAX_POINTS_USED {
        errs.push(FieldError::new("points_used", "ポイント利用は0以上の整数で入力してください"));
    } else if a.points_used > available {
        errs.push(FieldError::new(
            "points_used",
            format!("ポイント利用は残高の{}ポイントまでです", crate::money::grouped(available)),
        ));
    } else if a.points_used > goods {
        errs.push(FieldError::new(
            "points_used",
            format!("ポイント利用は商品合計の{}までです", Yen(goods).display_ja()),
        ));
    }
    if a.price() > MAX_TOTAL {
        errs.push(FieldError::new(
            "destinations",
            format!("受注金額は{}までです", Yen(MAX_TOTAL).display_ja()),
        ));
    }
    errs.finish().map_err(EditError::Invalid)
}

#[cfg(test)]
mod tests;
