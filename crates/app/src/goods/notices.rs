//! 発送通知を送る in bulk: after a carrier file marked destinations shipped (which sends no
//! email, as the manual's import does not), the merchant sends each order's shipping notice —
//! and the pickup notice for store pickups handed over — in one action, with the S000 report.

use super::mail::{Sent, queue_shipping, record_sent};
use super::view::{get, load_on};
use crate::orders::{BulkReport, BulkRows};
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

fn unknown(number: &str) -> String {
    format!("受注番号 {number} の物販の注文はありません")
}

/// Checks (`dry_run`, reading only) or sends the notices of every order number; each sending
/// is one transaction that re-reads the order, with its history entry and audit record.
pub(super) async fn send_many(app: &App, actor: &Actor, numbers: &[String], dry_run: bool) -> Result<BulkReport> {
    let m = actor.merchant()?;
    let mut rows = BulkRows::of(numbers);
    for (i, number) in std::mem::take(&mut rows.pending) {
        let outcome = if dry_run {
            match get(app, actor, &number).await {
                Ok(v) => shipped_positions(&v).map(|_| ()),
                Err(AppError::NotFound) => Err(unknown(&number)),
                Err(e) => return Err(e),
            }
        } else {
            let now = app.now_ms();
            let mut tx = app.store.begin().await?;
            match load_on(&mut tx, app, Some(m), &number).await {
                Err(AppError::NotFound) => Err(unknown(&number)),
                Err(e) => return Err(e),
                Ok(v) => match shipped_positions(&v) {
                    Err(why) => Err(why),
                    Ok(positions) => {
                        queue_shipping(&mut tx, app, &v, &positions).await?;
                        let sent = Sent {
                            note: "一括送信: 発送通知",
                            what: "発送通知",
                            after: serde_json::json!({"to": v.order.customer_email}),
                        };
                        record_sent(&mut tx, actor, &v, &sent, now).await?;
                        tx.commit().await?;
                        Ok(())
                    }
                },
            }
        };
        rows.decide(i, outcome, !dry_run);
    }
    let report = rows.report();
    if report.done_count > 0 {
        app.mail_wakeup.notify_one();
    }
    Ok(report)
}
