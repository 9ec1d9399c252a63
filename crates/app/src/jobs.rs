//! Background jobs, run by `serve` periodically and once by `kippu jobs run`: restart-safe and
//! idempotent, each guarded by the state it changes.

use crate::{App, Result};
use kippu_store::orders;

#[derive(Debug, Default)]
pub struct JobReport {
    pub no_shows: u64,
    /// Reservation payouts made for last month.
    pub payouts: u64,
}

/// Reservations turned no-show per transaction: small enough that door redemptions never
/// wait long behind the sweep (SQLite has one writer), large enough to sweep a million quickly.
const SWEEP_BATCH: i64 = 5_000;

/// The no-show sweep: every reservation whose visit date has passed (in Japan) without a
/// redemption becomes ノーショー, exactly once, in batches that each commit on their own (a
/// restart carries on where it stopped).
pub async fn no_show_sweep(app: &App) -> Result<u64> {
    let today = app.clock.today().to_string();
    let now = app.now_ms();
    let mut total = 0;
    loop {
        let mut tx = app.store.begin().await?;
        let n = orders::sweep_no_shows(&mut tx, &today, now, SWEEP_BATCH).await?;
        tx.commit().await?;
        total += n;
        if n < SWEEP_BATCH as u64 {
            break;
        }
    }
    // A record of the day's sweep; re-running the same day is harmless.
    let mut tx = app.store.begin().await?;
    orders::claim_job_run(&mut tx, &format!("no_show:{today}"), now).await?;
    tx.commit().await?;
    if total > 0 {
        tracing::info!(total, "reservations turned no-show");
    }
    Ok(total)
}

/// Every due job, once.
pub async fn run_due(app: &App) -> Result<JobReport> {
    // The sweep first: last month's final day becomes no-show before its payout is made.
    let no_shows = no_show_sweep(app).await?;
    Ok(JobReport {
        no_shows,
        payouts: crate::reservations::payouts::settle_due(app).await?,
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
