//! The promotions report: per AD code (媒体) and per coupon, the orders placed in a date range
//! that carried it and their sales after the discount (cancelled orders left out). The range's
//! rule is `kippu_domain::coupon::report_period`'s.

use crate::{Actor, App, Result};
use kippu_domain::clock::day_start_ms;
use kippu_domain::coupon::{REPORT_MAX_ROWS, report_period};
use kippu_store::coupons as store;
pub use kippu_store::coupons::PromotionRow;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub from: time::Date,
    pub to: time::Date,
    pub ad_codes: Vec<PromotionRow>,
    pub coupons: Vec<PromotionRow>,
}

/// The report of the actor's merchant over `from`..=`to` (Japanese days).
pub async fn report(app: &App, actor: &Actor, from: &str, to: &str) -> Result<Report> {
    let m = actor.merchant()?;
    let (f, t) = report_period(from, to)?;
    let (from_ms, to_ms) = (day_start_ms(f), day_start_ms(t) + 86_400_000);
    let mut conn = app.store.conn().await?;
    Ok(Report {
        from: f,
        to: t,
        ad_codes: store::promotions_report(&mut conn, m, true, from_ms, to_ms, REPORT_MAX_ROWS).await?,
        coupons: store::promotions_report(&mut conn, m, false, from_ms, to_ms, REPORT_MAX_ROWS).await?,
    })
}
