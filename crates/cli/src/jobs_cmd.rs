//! `kippu jobs run [--only subscriptions]`: every due job once (as `serve` runs them every ten
//! minutes), or only 定期's, then the email delivery.

use crate::{app_error, mailer};
use anyhow::{Result, anyhow};
use clap::Subcommand;
use kippu_app::App;

#[derive(Subcommand)]
pub enum JobsCommand {
    /// Run every due job once and exit (use KIPPU_FAKE_NOW to run them "tomorrow")
    Run {
        /// Only this job. A run on a fake future clock settles every period it passes; a test
        /// that only wants 定期's children made then leaves the rest of the data as it was.
        #[arg(long, value_enum)]
        only: Option<OnlyJob>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum OnlyJob {
    /// 定期 and 頒布会: each due child order, once.
    Subscriptions,
}

pub async fn run(app: &App, command: JobsCommand) -> Result<()> {
    let JobsCommand::Run { only } = command;
    let transport = mailer::Transport::from_config(app).map_err(|e| anyhow!(e))?;
    match only {
        Some(OnlyJob::Subscriptions) => {
            let s = kippu_app::callcenter::subscriptions::job::run(app).await.map_err(app_error)?;
            println!("subscriptions: {} child orders made, {} refused", s.children, s.refused);
        }
        None => {
            let report = kippu_app::jobs::run_due(app).await.map_err(app_error)?;
            println!("no-show sweep: {} reservations turned no-show", report.no_shows);
            println!("settlements: {} made for last month", report.payouts);
            println!("voucher settlements: {} made", report.voucher_settlements);
            let s = &report.subscriptions;
            println!("subscriptions: {} child orders made, {} refused", s.children, s.refused);
            let a = &report.authorizations;
            println!(
                "card authorizations: {} warned, {} expired, {} released",
                a.warned, a.expired, a.released
            );
        }
    }
    let (sent, failed) = mailer::deliver_due(app, &transport).await?;
    println!("email delivery: {sent} sent, {failed} failed attempts");
    Ok(())
}
