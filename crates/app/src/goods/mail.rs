//! The goods emails' placeholders, filled from the order as the transaction sees it, and queued
//! in that transaction.

use super::view::GoodsView;
use crate::notify::{self, goods_templates};
use crate::{App, Result};
use kippu_domain::Yen;
use kippu_domain::clock::{date_with_weekday, format_jst, from_millis, parse_date};
use kippu_store::AnyConnection;

fn destinations(v: &GoodsView) -> String {
    v.shipments
        .iter()
        .map(|s| {
            let items: Vec<String> = v
                .lines
                .iter()
                .filter(|l| l.shipment_id == Some(s.id))
                .map(|l| format!("  {} × {}", l.product_name, l.quantity))
                .collect();
            let head = if s.is_pickup() {
                format!("お届け先{}: 店舗受取（{} 様）", s.position, s.recipient_name)
            } else {
                format!("お届け先{}: {} 様 〒{} {}", s.position, s.recipient_name, s.postal_code, s.address)
            };
            std::iter::once(head).chain(items).collect::<Vec<_>>().join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The parcels among `positions`: carrier, tracking number and link, ship date.
fn parcels(v: &GoodsView, positions: &[usize]) -> String {
    v.shipments
        .iter()
        .filter(|s| positions.contains(&(s.position as usize)) && !s.is_pickup())
        .map(|s| {
            let date = s
                .ship_date
                .as_deref()
                .and_then(parse_date)
                .map(|d| date_with_weekday(d, false))
                .unwrap_or_default();
            let tracking = match (s.carrier, s.tracking_number.as_str()) {
                (_, "") => "送り状番号は後ほどお知らせします".to_string(),
                (Some(c), n) => format!("{} {n} {}", c.label_ja(), c.tracking_url(n)),
                (None, n) => n.to_string(),
            };
            format!("お届け先{}: {tracking}（発送日 {date}）", s.position)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn vars(merchant: &str, v: &GoodsView, positions: &[usize]) -> serde_json::Value {
    let o = &v.order;
    serde_json::json!({
        "merchant_name": merchant,
        "order_number": o.order_number,
        "customer_name": o.customer_name,
        "ordered_at": format_jst(from_millis(o.ordered_at)),
        "amount": Yen(o.amount).display_ja(),
        "payment_method": o.payment_method.buyer_label().ja,
        "payment_date": o.payment_date.clone().unwrap_or_default(),
        "destinations": destinations(v),
        "parcels": parcels(v, positions),
    })
}

/// Queues email `key` about order `v` to its buyer, in the caller's transaction.
pub(super) async fn queue(tx: &mut AnyConnection, app: &App, key: &str, v: &GoodsView, positions: &[usize]) -> Result<()> {
    let merchant = kippu_store::merchants::get(tx, v.order.merchant_id)
        .await?
        .map(|m| m.name)
        .unwrap_or_default();
    let vars = vars(&merchant, v, positions);
    notify::queue_email(
        tx,
        app,
        Some(v.order.merchant_id),
        key,
        &v.order.customer_email,
        &vars,
        Some(v.order.id),
    )
    .await?;
    Ok(())
}

/// The notices of shipping `positions`: a shipping notice for parcels, a pickup notice for
/// store pickups handed over.
pub(super) async fn queue_shipping(tx: &mut AnyConnection, app: &App, v: &GoodsView, positions: &[usize]) -> Result<()> {
    let shipped: Vec<&kippu_store::goods::ShipmentRow> =
        v.shipments.iter().filter(|s| positions.contains(&(s.position as usize))).collect();
    if shipped.iter().any(|s| !s.is_pickup()) {
        queue(tx, app, goods_templates::SHIPPING_NOTICE, v, positions).await?;
    }
    if shipped.iter().any(|s| s.is_pickup()) {
        queue(tx, app, goods_templates::PICKUP_NOTICE, v, positions).await?;
    }
    Ok(())
}
