//! Writing an import's OK lines, inside the transaction that checked them: each destination's
//! tracking number, carrier and 配達予定日 and, when asked, its shipping through the goods rule
//! (one history entry per order; no email is sent at import time).

use super::{Checked, Options};
use crate::goods::view::{activation_of, rule_view};
use crate::{Actor, App, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::clock::to_millis;
use kippu_domain::goods::ShippingStatus;
use kippu_domain::goods::flow::{self, Action, Effect};
use kippu_store::AnyConnection;
use kippu_store::goods as repo;
use kippu_store::orders;
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
    let points = activation_of(&repo::points_policy(tx, m).await?.1)?;
    let mut applied = 0;
    // Destinations to ship, per order.
    let mut to_ship: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for c in checked {
        let Some((shipped, target)) = c.target.as_ref().filter(|_| c.line.ok && !c.line.unchanged) else {
            continue;
        };
        let date = shipped.delivery_date.map(|d| d.to_string());
        crate::goods::destination::set_tracking(
            tx,
            &target.shipment,
            &shipped.tracking,
            Some(shipped.carrier),
            date.as_deref(),
            now_ms,
        )
        .await?;
        if opts.mark_shipped && target.shipment.status == ShippingStatus::Unshipped {
            to_ship
                .entry(target.order_number.clone())
                .or_default()
                .push(target.shipment.position as usize);
        }
        applied += 1;
    }
    for (number, positions) in &to_ship {
        let o = repo::goods_order_by_number(tx, app.store.backend(), Some(m), number, true)
            .await?
            .ok_or(crate::AppError::NotFound)?;
        let shipments = repo::shipments_of(tx, &[o.id]).await?;
        let mut order = rule_view(&o, &shipments);
        let mut effects = Vec::new();
        for k in positions {
            // Checked a moment ago in this transaction: a refusal here is a bug, and loud.
            let next = flow::transition(&order, Action::Ship { destination: *k }, points).map_err(crate::orders::OrderError::Goods)?;
            repo::set_shipped(tx, shipments[k - 1].id, &today, now_ms).await?;
            effects.extend(next.effects);
            order = next.order;
        }
        if effects.contains(&Effect::ActivatePoints) {
            repo::activate_points(tx, o.id, now_ms).await?;
        }
        orders::insert_history(
            tx,
            &orders::HistoryEntry {
                merchant_id: m,
                order_id: o.id,
                ticket_id: None,
                flow: "goods",
                from_status: None,
                to_status: order.shipping().as_str(),
                actor_user_id: actor.user_id.map(|u| u.0),
                actor_label: &actor.label,
                note: "出荷データ一括登録",
                at: now_ms,
            },
        )
        .await?;
    }
    let after = serde_json::json!({"file_type": opts.file_type.as_str(), "mark_shipped": opts.mark_shipped, "destinations": applied, "orders_shipped": to_ship.len()});
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
    Ok(applied)
}
