//! 有効化処理: the points orders earned, 有効待ち and 有効 — a goods order's and a pay-at-venue
//! ticket's (issued by the online slip) — activating them (one or many) and 有効取消. The
//! merchant's staff do it; every change is a ledger entry and audited. Activation asks the
//! domain's rule for every row (never before the order's money is in) and reports each row.

use crate::orders::{BulkReport, BulkRows};
use crate::{Actor, App, Result, audit};
use kippu_domain::OrderId;
use kippu_domain::goods::PointStatus;
use kippu_domain::goods::points::{Earner, NotYet, may_activate};
use kippu_domain::validate::FieldError;
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, PointRow, PointTarget};

/// The list shows at most this many rows per state (newest first) and says how many there are.
pub const LIMIT: i64 = 200;
/// The most rows one 一括有効 or 有効取消 takes.
pub const MAX_IDS: usize = 1_000;

pub async fn list(app: &App, actor: &Actor, status: PointStatus) -> Result<(Vec<PointRow>, i64)> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    Ok(repo::points_in(&mut conn, m, status, LIMIT).await?)
}

/// 一括有効 (`activate`) or 有効取消 (`!activate`) of the points `ids`: each row OK or NG with
/// the reason (keyed by order number; an id not the merchant's reads 見つかりません). The rows
/// the rule allows move; an 有効取消 that would take a customer's balance below zero refuses
/// the whole request (nothing moves).
pub async fn change(app: &App, actor: &Actor, ids: &[i64], activate: bool) -> Result<BulkReport> {
    let m = actor.merchant()?;
    if ids.is_empty() {
        return Err(FieldError::new("ids", "処理する行を選択してください").into());
    }
    if ids.len() > MAX_IDS {
        return Err(FieldError::new("ids", format!("一度に処理できるのは{MAX_IDS}件までです")).into());
    }
    let to = if activate { PointStatus::Active } else { PointStatus::Pending };
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let targets = repo::point_targets(&mut tx, m, ids).await?;
    let verdicts = verdicts(&mut tx, &targets, to).await?;
    let keys: Vec<String> = ids
        .iter()
        .map(|id| {
            targets
                .iter()
                .find(|t| t.id == *id)
                .map_or_else(|| format!("#{id}"), |t| t.order_number.clone())
        })
        .collect();
    let mut rows = BulkRows::of(&keys);
    let mut moving = Vec::new();
    for (i, key) in std::mem::take(&mut rows.pending) {
        let outcome = match targets.iter().position(|t| t.order_number == key) {
            None => Err("見つかりません".to_string()),
            Some(k) => verdicts[k].clone(),
        };
        if outcome.is_ok() {
            moving.push(ids[i]);
        }
        rows.decide(i, outcome, true);
    }
    let moved = match repo::move_points(&mut tx, m, &moving, to, &actor.label, now).await? {
        Ok(n) => n,
        // Nothing is applied: the transaction is dropped.
        Err(overdrawn) => return Err(FieldError::new("ids", overdrawn.to_string()).into()),
    };
    let after = serde_json::json!({"points": moving, "to": to.as_str(), "changed": moved});
    let verb = if activate { "有効にする" } else { "有効取消" };
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(verb, "points", "goods"),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(rows.report())
}

/// Each target's verdict, in order: already in the target state, or (to activate) the domain's
/// rule on its order as it stands in this transaction.
async fn verdicts(conn: &mut AnyConnection, targets: &[PointTarget], to: PointStatus) -> Result<Vec<std::result::Result<(), String>>> {
    let goods_ids: Vec<OrderId> = targets.iter().filter(|t| t.ticket_status.is_none()).map(|t| t.order_id).collect();
    let orders = repo::goods_orders_by_ids(conn, &goods_ids).await?;
    let shipments = repo::shipments_of(conn, &goods_ids).await?;
    Ok(targets
        .iter()
        .map(|t| {
            if t.status == to {
                return Err(to.label().ja.to_string() + "です（変更はありません）");
            }
            if t.status == PointStatus::Cancelled {
                return Err(NotYet::Cancelled.said().ja);
            }
            if to != PointStatus::Active {
                return Ok(());
            }
            let said = |e: NotYet| e.said().ja;
            match t.ticket_status {
                Some(s) => may_activate(Earner::Ticket(s)).map_err(said),
                None => {
                    let o = orders.iter().find(|o| o.id == t.order_id).ok_or("見つかりません")?;
                    let mine: Vec<_> = shipments.iter().filter(|s| s.order_id == t.order_id).cloned().collect();
                    may_activate(Earner::Goods(&super::view::rule_view(o, &mine))).map_err(said)
                }
            }
        })
        .collect())
}
