//! 注文を発送済みにする for many orders at once without notices: 500 orders per transaction,
//! each order checked by the goods rule against the rows the transaction locked, the writes
//! batched (shipping, statuses, points, history). A row the rule refuses is reported NG and
//! left alone; the others of its chunk go through. Notices and the other actions go order by
//! order through `act`.

use super::act::{Command, plan};
use super::history::Step;
use crate::goods::view::{activation_of, rule_view_of_targets};
use crate::{Actor, App, Result};
use kippu_domain::MerchantId;
use kippu_domain::goods::flow::{Action, Effect};
use kippu_store::goods::{self as repo, GoodsStatusChange, ImportTarget};
use kippu_store::orders::{self, HistoryEntry};

const CHUNK: usize = 500;

/// The verdict of each number, in order: `Ok` done, `Err` the reason.
pub(super) async fn ship_many(
    app: &App,
    actor: &Actor,
    m: MerchantId,
    numbers: &[String],
    cmd: &Command,
) -> Result<Vec<std::result::Result<(), String>>> {
    let mut out = Vec::with_capacity(numbers.len());
    let now_ms = app.now_ms();
    let today = app.clock.today().to_string();
    for chunk in numbers.chunks(CHUNK) {
        let mut tx = app.store.begin().await?;
        let points = activation_of(&mut tx, m).await?;
        let targets = repo::import_targets(&mut tx, app.store.backend(), m, chunk, true).await?;
        let (mut ship_ids, mut activate, mut history) = (Vec::new(), Vec::new(), Vec::new());
        let mut processed = Vec::new();
        for number in chunk {
            let rows: Vec<&ImportTarget> = targets.iter().filter(|t| &t.order_number == number).collect();
            let Some(first) = rows.first() else {
                out.push(Err(format!("受注番号 {number} の物販の注文はありません")));
                continue;
            };
            let order = rule_view_of_targets(&rows);
            match plan(&order, cmd, points) {
                Err(r) => out.push(Err(r.to_string())),
                Ok((after, actions, effects)) => {
                    for a in &actions {
                        if let Action::Ship { destination } = a {
                            ship_ids.push(rows[destination - 1].shipment.id);
                        }
                    }
                    let id = first.shipment.order_id;
                    if effects.contains(&Effect::ActivatePoints) {
                        activate.push(id);
                    }
                    if after.status != order.status {
                        processed.push((id, after.clone()));
                    }
                    let to = if after.status != order.status {
                        after.status.as_str()
                    } else {
                        after.shipping().as_str()
                    };
                    history.push((id, to));
                    out.push(Ok(()));
                }
            }
        }
        repo::set_shipped_many(&mut tx, &ship_ids, &today, now_ms).await?;
        for (id, after) in &processed {
            let change = GoodsStatusChange {
                status: after.status,
                payment: after.payment,
                payment_date: None,
                paid_at: None,
            };
            repo::set_goods_status(&mut tx, *id, &change, now_ms).await?;
        }
        repo::activate_points_many(&mut tx, &activate, &actor.label, now_ms).await?;
        let entries: Vec<HistoryEntry> = history
            .iter()
            .map(|(id, to)| {
                let step = Step {
                    from: None,
                    to,
                    note: "発送済みにする（一括）",
                };
                super::history::entry(actor, m, *id, step, now_ms)
            })
            .collect();
        orders::insert_history_many(&mut tx, &entries).await?;
        let after = serde_json::json!({"orders": entries.len(), "destinations": ship_ids.len()});
        crate::audit::record(
            &mut tx,
            actor,
            Some(m),
            crate::audit::Subject::new("発送済みにする（一括）", "orders", "goods"),
            crate::audit::NONE,
            Some(&after),
            now_ms,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(out)
}
