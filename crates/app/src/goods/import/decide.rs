//! Deciding a line against its destination as a batch read it: OK, OK but unchanged, or NG with
//! the reason. The check and the apply decide with the same functions.

use super::Options;
use crate::goods::view::rule_view_of_targets;
use kippu_domain::goods::tracking::TrackingNumber;
use kippu_domain::goods::{Carrier, OrderStatus, ShippingStatus};
use kippu_store::goods::ImportTarget;
use std::collections::HashMap;

/// Each order's destinations in position order (the query sorts by order and position).
pub(super) fn by_order(targets: &[ImportTarget]) -> HashMap<&str, Vec<&ImportTarget>> {
    let mut of_orders: HashMap<&str, Vec<&ImportTarget>> = HashMap::new();
    for t in targets {
        of_orders.entry(t.order_number.as_str()).or_default().push(t);
    }
    of_orders
}

pub(super) fn order_numbers<'a>(numbers: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut numbers: Vec<String> = numbers.map(str::to_string).collect();
    numbers.sort();
    numbers.dedup();
    numbers
}

/// A line's destination among its batch's, and whether nothing would change; or NG with the
/// reason.
pub(super) fn verdict<'a>(
    of_orders: &HashMap<&str, Vec<&'a ImportTarget>>,
    number: &str,
    k: usize,
    tracking: &TrackingNumber,
    carrier: Carrier,
    delivery_date: Option<&str>,
    opts: &Options,
) -> std::result::Result<(&'a ImportTarget, bool), String> {
    let of_order: &[&ImportTarget] = of_orders.get(number).map(Vec::as_slice).unwrap_or_default();
    let Some(t) = of_order.iter().find(|t| t.shipment.position == k as i64) else {
        return Err(if of_order.is_empty() {
            format!("受注番号 {number} の物販の注文はありません")
        } else {
            format!("受注 {number} にお届け先{k}はありません")
        });
    };
    decide(t, tracking, carrier, delivery_date, opts).map(|same| (*t, same))
}

/// OK (and whether nothing would change) or NG with the reason.
fn decide(
    t: &ImportTarget,
    tracking: &TrackingNumber,
    carrier: Carrier,
    delivery_date: Option<&str>,
    opts: &Options,
) -> std::result::Result<bool, String> {
    if let Some(why) = crate::goods::destination::refuse_tracking(t.order_status, &t.shipment, tracking) {
        return Err(why);
    }
    let s = &t.shipment;
    let same = s.tracking_number == tracking.as_str()
        && s.carrier == Some(carrier)
        && s.delivery_date.as_deref() == delivery_date
        && (!opts.mark_shipped || s.status == ShippingStatus::Shipped);
    if t.order_status == OrderStatus::Processed && !same {
        return Err(format!(
            "受注 {} は処理済みです（通常処理に戻してから登録してください）",
            t.order_number
        ));
    }
    Ok(same)
}

/// The goods rule's view of each order of a batch (all its destinations).
pub(super) fn rule_views<'a>(of_orders: &HashMap<&'a str, Vec<&ImportTarget>>) -> HashMap<&'a str, kippu_domain::goods::flow::GoodsOrder> {
    of_orders.iter().map(|(n, of)| (*n, rule_view_of_targets(of))).collect()
}
