//! Writing an import's OK lines, inside the transaction that checked them: each destination's
//! tracking number, carrier and 配達予定日 and, when asked, its shipping through the goods rule
//! (one history entry per order; no email is sent at import time). A file of 100,000 lines is a
//! few hundred statements, not a few hundred thousand.

use super::{Checked, Options};
use crate::goods::history::{self, Step};
use crate::goods::view::{activation_of, rule_view_of_targets};
use crate::{Actor, App, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::clock::to_millis;
use kippu_domain::goods::ShippingStatus;
use kippu_domain::goods::flow::{self, Action, Effect};
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, ImportTarget, TrackingUpdate};
use kippu_store::orders::{self, HistoryEntry};
use std::collections::BTreeMap;

/// Writes the lines that change something; how many destinations were updated.
pub(super) async fn write(
    tx: &mut AnyConnection,
    app: &App,
    actor: &Actor,
    m: MerchantId,
    checked: &[Checked],
    opts: Options,
) -> Result<usize> {
    let now_ms = to_millis(app.clock.now());
    let today = app.clock.today().to_string();
    let points = activation_of(tx, m).await?;
    let mut updates = Vec::new();
    // Destinations to ship, per order.
    let mut to_ship: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for c in checked {
        let Some((shipped, target)) = c.target.as_ref().filter(|_| c.line.ok && !c.line.unchanged) else {
            continue;
        };
        updates.push(TrackingUpdate {
            shipment_id: target.shipment.id,
            tracking: shipped.tracking.as_str(),
            carrier: Some(shipped.carrier),
            delivery_date: shipped.delivery_date.map(|d| d.to_string()),
        });
        if opts.mark_shipped && target.shipment.status == ShippingStatus::Unshipped {
            to_ship
                .entry(target.order_number.clone())
                .or_default()
                .push(target.shipment.position as usize);
        }
    }
    repo::set_tracking_many(tx, &updates, now_ms).await?;

    let numbers: Vec<String> = to_ship.keys().cloned().collect();
    let (mut ship_ids, mut activate, mut shipped_orders) = (Vec::new(), Vec::new(), Vec::new());
    for chunk in numbers.chunks(500) {
        let targets = repo::import_targets(tx, app.store.backend(), m, chunk, true).await?;
        for (number, of_order) in by_order(&targets) {
            let mut order = rule_view_of_targets(&of_order);
            let mut effects = Vec::new();
            for k in &to_ship[number] {
                // Checked a moment ago in this transaction: a refusal here is a bug, and loud.
                let next = flow::transition(&order, Action::Ship { destination: *k }, points).map_err(crate::orders::OrderError::Goods)?;
                ship_ids.push(of_order[k - 1].shipment.id);
                effects.extend(next.effects);
                order = next.order;
            }
            let id = of_order[0].shipment.order_id;
            if effects.contains(&Effect::ActivatePoints) {
                activate.push(id);
            }
            shipped_orders.push((id, order.shipping().as_str()));
        }
    }
    repo::set_shipped_many(tx, &ship_ids, &today, now_ms).await?;
    repo::activate_points_many(tx, &activate, &actor.label, now_ms).await?;
    let history: Vec<HistoryEntry> = shipped_orders
        .iter()
        .map(|(order_id, to)| {
            let step = Step {
                from: None,
                to,
                note: "出荷データ一括登録",
            };
            history::entry(actor, m, *order_id, step, now_ms)
        })
        .collect();
    orders::insert_history_many(tx, &history).await?;
    let after = serde_json::json!({"file_type": opts.file_type.as_str(), "mark_shipped": opts.mark_shipped, "destinations": updates.len(), "orders_shipped": shipped_orders.len()});
    audit::record(
        tx,
        actor,
        Some(m),
        audit::Subject::new("出荷データ一括登録", "shipments", opts.file_type.as_str()),
        audit::NONE,
        Some(&after),
        now_ms,
    )
    .await?;
    Ok(updates.len())
}

/// The targets of each order, in position order (the query sorts by order and position).
fn by_order(targets: &[ImportTarget]) -> Vec<(&str, Vec<&ImportTarget>)> {
    let mut out: Vec<(&str, Vec<&ImportTarget>)> = Vec::new();
    for t in targets {
        match out.last_mut() {
            Some((n, v)) if *n == t.order_number => v.push(t),
            _ => out.push((t.order_number.as_str(), vec![t])),
        }
    }
    out
}
