//! The platform's fee rates of a merchant, per kind of sale, set by the operator.

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::settlement::FeeRates;
use kippu_domain::validate::{Collect, FieldError};
use kippu_store::settlements as repo;

/// The fee rates as the operator typed them (percent); a rate not sent stays as it is.
pub struct FeeRateInput<'a> {
    pub reservation: &'a str,
    pub ticket: Option<&'a str>,
    pub goods: Option<&'a str>,
}

/// The platform sets a merchant's fee rate (basis points: 500 = 5 %). It applies to payouts
/// made from now on.
pub async fn set_fee_rates(app: &App, actor: &Actor, merchant_code: &str, input: &FeeRateInput<'_>) -> Result<()> {
    actor.require_platform("fee rates are the platform's")?;
    let mut c = Collect::default();
    let reservation_bp = c.take(parse_percent("fee_percent", input.reservation));
    let mut optional = |field: &'static str, typed: Option<&str>| match typed {
        Some(t) => c.take(parse_percent(field, t)).map(Some),
        None => Some(None),
    };
    let ticket_bp = optional("ticket_fee_percent", input.ticket);
    let goods_bp = optional("goods_fee_percent", input.goods);
    c.finish()?;
    let (Some(reservation_bp), Some(ticket_bp), Some(goods_bp)) = (reservation_bp, ticket_bp, goods_bp) else {
        unreachable!("Collect::finish fails when a field failed");
    };
    let mut tx = app.store.begin().await?;
    let m = kippu_store::merchants::find_by_code(&mut tx, merchant_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let rates = FeeRates {
        reservation_bp,
        ticket_bp: ticket_bp.unwrap_or(m.ticket_fee_bp),
        goods_bp: goods_bp.unwrap_or(m.goods_fee_bp),
    };
    repo::set_fee_rates(&mut tx, m.id, rates).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m.id),
        audit::Subject::new("set_fee_rate", "merchant", merchant_code),
        Some(&serde_json::json!({"platform_fee_bp": m.platform_fee_bp, "ticket_fee_bp": m.ticket_fee_bp, "goods_fee_bp": m.goods_fee_bp})),
        Some(
            &serde_json::json!({"platform_fee_bp": rates.reservation_bp, "ticket_fee_bp": rates.ticket_bp, "goods_fee_bp": rates.goods_bp}),
        ),
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "5", "5.5", "12.25" (percent, at most two decimals, 0–100) → basis points.
pub fn parse_percent(field: &'static str, s: &str) -> std::result::Result<i64, FieldError> {
    let bad = || FieldError::new(field, "手数料率は0〜100の数（小数点以下2桁まで、例 5.5）で入力してください");
    // A rate typed with the IME (６．５％) is the same rate.
    let typed = kippu_domain::normalize::text(s);
    let s = typed.trim().trim_end_matches('%');
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || int.len() > 3 || frac.len() > 2 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let bp = int.parse::<i64>().map_err(|_| bad())? * 100 + format!("{frac:0<2}").parse::<i64>().map_err(|_| bad())?;
    if bp > 10_000 {
        return Err(bad());
    }
    Ok(bp)
}
