//! Writing an import's OK lines, inside the transaction that checked them: each destination's
//! tracking number, carrier and 配達予定日 and, when asked, its shipping through the goods rule
//! (one history entry per order; no email is sent at import time). A file of 100,000 lines is a
//! few hundred statements, not a few hundred thousand.

use super::{Checks, Options};
use crate::goods::history::{self, Step};
use crate::goods::view::activation_of;
use crate::{Actor, App, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::clock::to_millis;
use kippu_domain::goods::flow::{self, Action, Effect};
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, TrackingUpdate};
use kippu_store::orders::{self, HistoryEntry};
use std::collections::{BTreeMap, HashSet};

/// Writes the lines that change something; how many destinations were updated.
pub(super) async fn write(
    tx: &mut AnyConnection,
    app: &App,
    actor: &Actor,
    m: MerchantId,
    checked: &Checks,
    opts: Options,
) -> Result<usize> {
    let now_ms = to_millis(app.clock.now());
    let today = app.clock.today().to_string();
    let points = activation_of(tx, m).await?;
    // Destinations to ship, per order: (position, shipment id, order id).
    let mut to_ship: BTreeMap<&str, Vec<(usize, i64, kippu_domain::OrderId)>> = BTreeMap::new();
    let lines: Vec<_> = checked
        .lines
        .iter()
        .filter_map(|c| {
            match (
                c.target.as_ref().filter(|_| c.line.ok && !c.line.unchanged),
                &c.line.order_number,
                &c.line.tracking_number,
            ) {
                (Some(target), Some(number), Some(tracking)) => Some((c, target, number, tracking)),
                _ => None,
            }
        })
        .collect();
    for (_, target, number, _) in &lines {
        if opts.mark_shipped && target.unshipped {
            to_ship
                .entry(number.as_str())
                .or_default()
                .push((target.position, target.shipment_id, target.order_id));
        }
    }

    // The goods rule decides first, so each destination is written once with its shipping.
    let (mut ship_ids, mut activate, mut shipped_orders) = (HashSet::new(), Vec::new(), Vec::new());
    for (number, destinations) in &to_ship {
        // Read with its destinations under this transaction's write lock when checked.
        let mut order = checked.orders[*number].clone();
        let mut effects = Vec::new();
        for (k, shipment_id, _) in destinations {
            // Checked a moment ago in this transaction: a refusal here is a bug, and loud.
            let next = flow::transition(&order, Action::Ship { destination: *k }, points).map_err(crate::orders::OrderError::Goods)?;
            ship_ids.insert(*shipment_id);
            effects.extend(next.effects);
            order = next.order;
        }
        let id = destinations[0].2;
        if effects.contains(&Effect::ActivatePoints) {
            activate.push(id);
        }
        shipped_orders.push((id, order.shipping().as_str()));
    }
    let updates: Vec<TrackingUpdate> = lines
        .iter()
        .map(|(c, target, _, tracking)| TrackingUpdate {
            shipment_id: target.shipment_id,
            tracking: tracking.as_str(),
            carrier: Some(opts.file_type.layout().carrier),
            delivery_date: c.line.delivery_date.clone(),
            ship_date: ship_ids.contains(&target.shipment_id).then_some(today.as_str()),
        })
        .collect();
    repo::set_tracking_many(tx, &updates, now_ms).await?;
    repo::activate_points_many(tx, &activate, &actor.label, now_ms).await?;
    // One history entry per shipped order, a statement's worth at a time.
    for chunk in shipped_orders.chunks(kippu_store::batch::ROWS_PER_STATEMENT) {
        let history: Vec<HistoryEntry> = chunk
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
    }
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
