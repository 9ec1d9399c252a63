//! Writing an import's OK lines, inside the transaction that checked them, a batch of stored
//! report lines at a time: each batch's destinations are read again (locked since the check),
//! each line is decided again, then written — tracking number, carrier and 配達予定日 and, when
//! asked, the shipping through the goods rule (one history entry per order and batch; no email
//! is sent at import time). A file of 100,000 lines is a few hundred statements, and only one
//! batch of lines is held at a time.

use super::decide::{by_order, order_numbers, rule_views, verdict};
use super::{BATCH, Options};
use crate::goods::history::{self, Step};
use crate::goods::view::activation_of;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::goods::flow::{self, Action, Effect};
use kippu_domain::goods::tracking::TrackingNumber;
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, LineFilter, TrackingUpdate};
use kippu_store::orders::{self, HistoryEntry};
use std::collections::{BTreeMap, HashSet};

/// Writes the lines of run `id` that change something; how many destinations were updated.
pub(super) async fn write(tx: &mut AnyConnection, app: &App, actor: &Actor, m: MerchantId, id: i64, opts: &Options) -> Result<usize> {
    let now_ms = app.now_ms();
    let today = app.clock.today().to_string();
    let points = activation_of(tx, m).await?;
    let carrier = opts.file_type.layout().carrier;
    let (mut updated, mut orders_shipped, mut after) = (0, 0, 0);
    loop {
        let batch = repo::import_lines(tx, id, LineFilter::ToApply, after, BATCH as i64).await?;
        let Some(last) = batch.last() else { break };
        after = last.line;
        let numbers = order_numbers(batch.iter().filter_map(|l| l.order_number.as_deref()));
        let targets = repo::import_targets(tx, app.store.backend(), m, &numbers, true).await?;
        let of_orders = by_order(&targets);
        let views = rule_views(&of_orders);
        // Destinations to ship, per order: (position, shipment id, order id, line).
        let mut to_ship: BTreeMap<&str, Vec<(usize, i64, kippu_domain::OrderId, i64)>> = BTreeMap::new();
        let mut writes = Vec::with_capacity(batch.len());
        for l in &batch {
            let (Some(number), Some(k), Some(raw)) = (l.order_number.as_deref(), l.destination, l.tracking_number.as_deref()) else {
                return Err(AppError::Internal(format!(
                    "import {id} line {}: an OK line without its destination",
                    l.line
                )));
            };
            let tracking = TrackingNumber::parse(raw).map_err(|e| AppError::Internal(format!("import {id} line {}: {e}", l.line)))?;
            // Checked a moment ago in this transaction, on rows it locked: another verdict now is
            // a bug, and loud.
            let target = match verdict(&of_orders, number, k as usize, &tracking, carrier, l.delivery_date.as_deref(), opts) {
                Ok((t, false)) => t,
                other => {
                    return Err(AppError::Internal(format!(
                        "import {id} line {}: decided again as {:?}",
                        l.line,
                        other.map(|(_, same)| same)
                    )));
                }
            };
            if opts.mark_shipped && target.shipment.status == kippu_domain::goods::ShippingStatus::Unshipped {
                to_ship.entry(number).or_default().push((
                    target.shipment.position as usize,
                    target.shipment.id,
                    target.shipment.order_id,
                    l.line,
                ));
            }
            writes.push((target.shipment.id, tracking, l.delivery_date.clone()));
        }

        // The goods rule decides first, so each destination is written once with its shipping.
        let (mut ship_ids, mut activate, mut shipped, mut shipped_lines) = (HashSet::new(), Vec::new(), Vec::new(), Vec::new());
        for (number, destinations) in &to_ship {
            let mut order = views[number].clone();
            let mut effects = Vec::new();
            for (k, shipment_id, _, line) in destinations {
                let next = flow::transition(&order, Action::Ship { destination: *k }, points).map_err(crate::orders::OrderError::Goods)?;
                ship_ids.insert(*shipment_id);
                shipped_lines.push(*line);
                effects.extend(next.effects);
                order = next.order;
            }
            let order_id = destinations[0].2;
            if effects.contains(&Effect::ActivatePoints) {
                activate.push(order_id);
            }
            shipped.push((order_id, order.shipping().as_str()));
        }
        let updates: Vec<TrackingUpdate> = writes
            .iter()
            .map(|(shipment_id, tracking, delivery_date)| TrackingUpdate {
                shipment_id: *shipment_id,
                tracking: tracking.as_str(),
                carrier: Some(carrier),
                delivery_date: delivery_date.clone(),
                ship_date: ship_ids.contains(shipment_id).then_some(today.as_str()),
            })
            .collect();
        repo::set_tracking_many(tx, &updates, now_ms).await?;
        repo::activate_points_many(tx, &activate, &actor.label, now_ms).await?;
        for chunk in shipped.chunks(kippu_store::batch::ROWS_PER_STATEMENT) {
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
        repo::mark_import_lines_shipped(tx, id, &shipped_lines).await?;
        updated += updates.len();
        orders_shipped += shipped.len();
    }
    let after = serde_json::json!({"import": id, "file_type": opts.file_type.as_str(), "mark_shipped": opts.mark_shipped, "destinations": updated, "orders_shipped": orders_shipped});
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
    Ok(updated)
}
