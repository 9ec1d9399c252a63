//! The daily payment-deadline job (issue 22): a bank transfer not yet paid gets one reminder
//! the merchant's number of days before its 振込期限; an order still unpaid past its 支払期限 /
//! 振込期限 is cancelled through its flow's one transition (the stock given back, the history
//! and the buyer's email in the cancellation's transaction) when the merchant's 決済設定 says
//! so. A paid order is left alone. Each step is done once per order however often the job runs:
//! the reminder is claimed in the transaction that queues it, and an instruction is closed once
//! the job is done with it.

use crate::goods::Command;
use crate::orders::OrderError;
use crate::{Actor, App, AppError, Result};
use kippu_domain::account::Role;
use kippu_domain::catalog::ProductKind;
use kippu_store::orders::{self, DueInstruction};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DueReport {
    pub reminded: u64,
    pub cancelled: u64,
    /// Past the deadline but paid, already cancelled, or kept by the merchant's setting.
    pub left_alone: u64,
}

/// Orders looked at per read: the job goes on until none is left.
const BATCH: i64 = 200;

/// The actor the job cancels as, named in the history and the audit log.
const CANCELLER: &str = "system:支払期限切れの自動キャンセル";

/// One run at the app's clock.
pub async fn run(app: &App) -> Result<DueReport> {
    let mut report = DueReport::default();
    loop {
        let due = {
            let mut conn = app.store.conn().await?;
            orders::reminders_due(&mut conn, app.now_ms(), BATCH).await?
        };
        for d in &due {
            report.reminded += u64::from(remind(app, d).await?);
        }
        if (due.len() as i64) < BATCH {
            break;
        }
    }
    loop {
        let due = {
            let mut conn = app.store.conn().await?;
            orders::past_due(&mut conn, app.now_ms(), BATCH).await?
        };
        for d in &due {
            if cancel(app, d).await? {
                report.cancelled += 1;
            } else {
                report.left_alone += 1;
            }
        }
        if (due.len() as i64) < BATCH {
            break;
        }
    }
    if report.reminded + report.cancelled > 0 {
        tracing::info!(reminded = report.reminded, cancelled = report.cancelled, "payment deadlines");
    }
    Ok(report)
}

/// Queues the reminder of one unpaid order, once; a paid one is only marked done.
async fn remind(app: &App, d: &DueInstruction) -> Result<bool> {
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if !orders::claim_reminder(&mut tx, d.order_id, now).await? || d.unpaid == 0 {
        tx.commit().await?;
        return Ok(false);
    }
    if d.kind == ProductKind::Goods {
        let v = crate::goods::view::load_on(&mut tx, app, Some(d.merchant_id), &d.order_number).await?;
        crate::goods::mail::queue(&mut tx, app, crate::notify::goods_templates::GOODS_PAYMENT_REMINDER, &v, &[]).await?;
    } else {
        crate::orders::mail::queue_reminder(&mut tx, app, d.merchant_id, &d.order_number).await?;
    }
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(true)
}

/// Cancels one order past its deadline if it is still unpaid and the merchant wants it; closes
/// its instruction either way. `true` when it was cancelled now.
async fn cancel(app: &App, d: &DueInstruction) -> Result<bool> {
    let mut cancelled = false;
    if d.unpaid == 1 && d.cancel_unpaid == 1 {
        let actor = Actor::unattended(d.merchant_id, Role::MerchantAdmin, CANCELLER);
        let outcome = if d.kind == ProductKind::Goods {
            crate::goods::act(app, &actor, &d.order_number, &Command::CancelUnpaid, true)
                .await
                .map(|_| ())
        } else {
            crate::orders::act(app, &actor, &d.order_number, kippu_domain::web_ticket::Action::Cancel, None)
                .await
                .map(|_| ())
        };
        match outcome {
            Ok(()) => cancelled = true,
            // Paid (the konbini notice, a confirmed transfer) or changed meanwhile: left alone;
            // the next read sees it paid.
            Err(AppError::Order(OrderError::Changed)) => return Ok(false),
            Err(AppError::Order(e)) => {
                tracing::warn!(order = %d.order_number, error = %e, "an unpaid order past its deadline could not be cancelled");
            }
            Err(e) => return Err(e),
        }
    }
    let mut tx = app.store.begin().await?;
    orders::close_instructions(&mut tx, d.order_id, app.now_ms()).await?;
    tx.commit().await?;
    Ok(cancelled)
}
