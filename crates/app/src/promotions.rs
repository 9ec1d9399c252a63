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

/// What an order asks for: a coupon code and an AD code, as typed (blank is none).
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked<'a> {
    pub coupon_code: Option<&'a str>,
    pub ad_code: Option<&'a str>,
}

/// The coupon that applies and the AD code, as an order of any kind checked them before any
/// money moved.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// The coupon that applies (its discount on the priced total) and the code as typed.
    pub coupon: Option<(crate::coupons::Applied, String)>,
    pub ad_code: Option<i64>,
}

impl Checked {
    /// Yen off `total`, never more than it.
    pub fn discount(&self, total: i64) -> i64 {
        self.coupon.as_ref().map_or(0, |(c, _)| c.discount.clamp(0, total))
    }

    pub fn coupon_id(&self) -> Option<i64> {
        self.coupon.as_ref().map(|(c, _)| c.coupon_id)
    }
}

/// The order's coupon (with its discount on `total`, the goods or the tickets before fees) and
/// AD code, each checked for merchant `m` and the buyer with `email`: a refusal names its field
/// (`coupon_code`, `ad_code`) with the reason in words. Goods and ticket orders alike.
pub async fn check_order(app: &App, m: kippu_domain::MerchantId, asked: Asked<'_>, email: &str, total: i64) -> Result<Checked> {
    use kippu_domain::validate::{Collect, FieldError};
    let typed = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let mut errs = Collect::default();
    let coupon = match typed(asked.coupon_code) {
        None => None,
        Some(code) => {
            let customer = {
                let mut conn = app.store.conn().await?;
                kippu_store::people::find_customer_by_email(&mut conn, m, email)
                    .await?
                    .map(|c| kippu_domain::CustomerId(c.id))
            };
            let o = crate::coupons::ForOrder {
                code: &code,
                customer,
                goods_total: total,
            };
            errs.take(
                crate::coupons::check_for(app, m, &o)
                    .await?
                    .map(|applied| (applied, code.clone()))
                    .map_err(|refusal| FieldError::new("coupon_code", refusal.to_string())),
            )
        }
    };
    let ad_code = match typed(asked.ad_code) {
        None => None,
        Some(code) => errs.take(
            crate::ad_codes::check_for(app, m, &code)
                .await?
                .map(|row| row.id)
                .map_err(|refusal| FieldError::new("ad_code", refusal.to_string())),
        ),
    };
    errs.finish()?;
    Ok(Checked { coupon, ad_code })
}

/// Inside the order's own transaction: the coupon's use recorded (counted as every order counts
/// it) and the coupon, its discount and the AD code put on order `order_id`. Answers the
/// discount; a coupon that changed since it was checked refuses the order (the buyer was shown
/// another total).
pub async fn record_on_order(
    tx: &mut kippu_store::AnyConnection,
    app: &App,
    m: kippu_domain::MerchantId,
    (order_id, customer_id): (i64, i64),
    checked: &Checked,
    total: i64,
) -> Result<i64> {
    let mut discount = 0;
    if let Some((priced, typed)) = &checked.coupon {
        let o = crate::coupons::ForOrder {
            code: typed,
            customer: Some(kippu_domain::CustomerId(customer_id)),
            goods_total: total,
        };
        let used = crate::coupons::record_use(tx, app, m, order_id, &o).await?;
        if used.discount != priced.discount {
            return Err(crate::orders::OrderError::Changed.into());
        }
        discount = used.discount.clamp(0, total);
    }
    if checked.coupon.is_some() || checked.ad_code.is_some() {
        store::set_order_promotions(tx, order_id, checked.coupon_id(), discount, checked.ad_code).await?;
    }
    Ok(discount)
}
