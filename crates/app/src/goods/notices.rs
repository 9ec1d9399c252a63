//! 発送通知を送る in bulk: after a carrier file marked destinations shipped (which sends no
//! email, as the manual's import does not), the merchant sends each order's shipping notice —
//! and the pickup notice for store pickups handed over — in one action, with the S000 report.

use super::mail::queue_shipping;
use super::view::load_on;
use crate::orders::{BulkReport, BulkRow};
use crate::{Actor, App, AppError, Result};
use kippu_domain::goods::ShippingStatus;

/// The shipped destinations' positions of an order; none is a refusal naming why.
fn shipped_positions(v: &super::GoodsView) -> std::result::Result<Vec<usize>, String> {
    let shipped: Vec<usize> = v
        .shipments
        .iter()
        .filter(|s| s.status == ShippingStatus::Shipped)
        .map(|s| s.position as usize)
        .collect();
    if shipped.is_empty() {
        Err("発送済みのお届け先がないため、発送通知は送れません".to_string())
    } else {
        Ok(shipped)
    }
}

/// Checks (`dry_run`) or sends the notices of every order number; each order is one
/// transaction with its history entry and audit record.
pub(super) async fn send_many(app: &App, actor: &Actor, numbers: &[String], dry_run: bool) -> Result<BulkReport> {
    let m = actor.merchant()?;
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::with_capacity(numbers.len());
    let mut done = 0;
    for number in numbers {
        let outcome = if !seen.insert(number.as_str()) {
            Err("重複して選択されています".to_string())
        } else {
            let now = app.now_ms();
            let mut tx = app.store.begin().await?;
            match load_on(&mut tx, app, Some(m), number).await {
                Err(AppError::NotFound) => Err(format!("受注番号 {number} の物販の注文はありません")),
                Err(e) => return Err(e),
                Ok(v) => match shipped_positions(&v) {
                    Err(why) => Err(why),
                    Ok(_) if dry_run => Ok(()),
                    Ok(positions) => {
                        queue_shipping(&mut tx, app, &v, &positions).await?;
                        record(&mut tx, actor, &v, now).await?;
                        tx.commit().await?;
                        done += 1;
                        Ok(())
                    }
                },
            }
        };
        rows.push(BulkRow {
            key: number.clone(),
            ok: outcome.is_ok(),
            reason: outcome.err(),
        });
    }
    if done > 0 {
        app.mail_wakeup.notify_one();
    }
    let ok_count = rows.iter().filter(|r| r.ok).count();
    Ok(BulkReport {
        rows,
        ok_count,
        done_count: done,
    })
}

async fn record(tx: &mut kippu_store::AnyConnection, actor: &Actor, v: &super::GoodsView, now: i64) -> Result<()> {
    let m = v.order.merchant_id;
    kippu_store::orders::insert_history(
        tx,
        &kippu_store::orders::HistoryEntry {
            merchant_id: m,
            order_id: v.order.id,
            ticket_id: None,
            flow: "goods",
            from_status: None,
            to_status: v.order.status.as_str(),
            actor_user_id: actor.user_id.map(|u| u.0),
            actor_label: &actor.label,
            note: "一括送信: 発送通知",
            at: now,
        },
    )
    .await?;
    crate::audit::record(
        tx,
        actor,
        Some(m),
        crate::audit::Subject::new("発送通知", "order", &v.order.order_number),
        crate::audit::NONE,
        Some(&serde_json::json!({"to": v.order.customer_email})),
        now,
    )
    .await?;
    Ok(())
}
