//! Job runs: a key claimed once, so a job (the no-show sweep, a month's payouts) runs exactly
//! once even when two processes start it.

use crate::Result;
use sqlx::AnyConnection;

/// Claims a job run key once (`job_runs`); false when it already ran.
pub async fn claim_job_run(conn: &mut AnyConnection, key: &str, now: i64) -> Result<bool> {
    let r = sqlx::query("INSERT INTO job_runs (run_key, started_at) VALUES ($1, $2) ON CONFLICT (run_key) DO NOTHING")
        .bind(key)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}
