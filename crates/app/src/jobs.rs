//! Background jobs, run by `serve` periodically and once by `kippu jobs run`: restart-safe and
//! idempotent, each guarded by the state it changes.

use crate::{App, Result};
use kippu_store::orders;

#[derive(Debug, Default)]
pub struct JobReport {
    pub no_shows: u64,
    /// Monthly settlements (every kind of sale) made for last month.
    pub payouts: u64,
    /// Voucher settlements made (one per programme, merchant and due period).
    pub voucher_settlements: u64,
    /// Card authorizations warned about, marked expired, released.
    pub authorizations: crate::authorizations::AuthReport,
    /// Transfer reminders queued; unpaid orders cancelled past their payment deadline.
    pub payment_deadlines: crate::payment_due::DueReport,
    /// 定期: child orders made, cycles the intake refused.
    pub subscriptions: crate::callcenter::subscriptions::job::SubsReport,
}

/// Reservations turned no-show per transaction: small enough that door redemptions never
/// wait long behind the sweep (SQLite has one writer), large enough to sweep a million quickly.
const SWEEP_BATCH: i64 = 5_000;

/// A sweep that changed at least this many tickets refreshes the planner's statistics.
const STATISTICS_AFTER: u64 = 10_000;

/// The no-show sweep: every reservation whose visit date has passed (in Japan) without a
/// redemption becomes ノーショー, exactly once, in batches that each commit on their own (a
/// restart carries on where it stopped). After a complete sweep, later ones look back only a
/// week before it (bookings for past dates are refused, so nothing older can become due).
pub async fn no_show_sweep(app: &App) -> Result<u64> {
    let today = app.clock.today();
    let now = app.now_ms();
    let from = {
        let mut conn = app.store.conn().await?;
        orders::last_no_show_sweep(&mut conn)
            .await?
            .and_then(|d| kippu_domain::clock::parse_date(&d))
            .map(|d| (d - time::Duration::days(7)).to_string())
            .unwrap_or_default()
    };
    let today_s = today.to_string();
    let (mut total, mut after) = (0, (from, 0));
    loop {
        let mut tx = app.store.begin().await?;
        let due = orders::no_show_candidates(&mut tx, &today_s, (&after.0, after.1), SWEEP_BATCH).await?;
        let Some(last) = due.last().cloned() else {
            tx.commit().await?;
            break;
        };
        let ids: Vec<i64> = due.iter().map(|(_, id)| *id).collect();
        total += orders::mark_no_shows(&mut tx, &ids, now).await?;
        tx.commit().await?;
        after = last;
    }
    // The record of a complete sweep: the next one starts from here.
    let mut tx = app.store.begin().await?;
    kippu_store::jobs::claim_job_run(&mut tx, &format!("no_show:{today_s}"), now).await?;
    tx.commit().await?;
    if total > 0 {
        tracing::info!(total, "reservations turned no-show");
    }
    if total >= STATISTICS_AFTER {
        let mut conn = app.store.conn().await?;
        orders::refresh_door_statistics(&mut conn, app.store.backend()).await?;
    }
    Ok(total)
}

/// Every due job, once.
pub async fn run_due(app: &App) -> Result<JobReport> {
    // The sweep first: last month's final day becomes no-show before its payout is made.
    let no_shows = no_show_sweep(app).await?;
    // Released authorizations are cancelled before the settlement reads the month.
    let authorizations = crate::authorizations::watch(app).await?;
    // Unpaid orders past their deadline are cancelled before a settlement reads the month.
    let payment_deadlines = crate::payment_due::run(app).await?;
    let subscriptions = crate::callcenter::subscriptions::job::run(app).await?;
    Ok(JobReport {
        subscriptions,
        payment_deadlines,
        no_shows,
        payouts: crate::settlements::settle_due(app).await?,
        voucher_settlements: crate::vouchers::settlement::settle_due(app).await?,
        authorizations,
    })
}

/// The loop of `serve`: every due job now, then every 10 minutes.
pub async fn run_forever(app: App) {
    loop {
        if let Err(e) = run_due(&app).await {
            tracing::error!(error = %e, "jobs failed; will retry");
        }
        tokio::time::sleep(std::time::Duration::from_secs(600)).await;
    }
}
