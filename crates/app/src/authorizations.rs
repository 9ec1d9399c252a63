//! The daily authorization job (与信モード): warns every user of the merchant 5 days and 1 day
//! before a card authorization's 25-day expiry (one email per merchant per run, listing the
//! orders), records the expiry in the order's history, and a grace period later cancels the
//! order through the one transition function (the authorization voided, the stock back on sale).
//! Each step is done once per order, however often the job runs (a job-run key per order and
//! step, claimed in the transaction that does it).

use crate::notify::{self, templates};
use crate::{Actor, App, Result};
use kippu_domain::account::Role;
use kippu_domain::clock::{datetime_with_weekday, from_millis, to_millis};
use kippu_domain::web_ticket::authorization::{AUTH_WARNINGS, AuthStep, due_steps};
use kippu_domain::web_ticket::{AUTHORIZATION_DAYS, Action};
use kippu_domain::{MerchantId, Yen};
use kippu_store::orders::{self, PendingAuthorization};
use time::Duration;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct AuthReport {
    /// Orders listed in a warning email.
    pub warned: u64,
    pub expired: u64,
    /// Orders cancelled a grace period after their expiry.
    pub released: u64,
}

/// The history's word for an expired authorization.
pub const EXPIRED: &str = "authorization_expired";

fn key(a: &PendingAuthorization, step: AuthStep) -> String {
    format!("auth:{}:{}", a.order_id.0, step.key())
}

/// One run of the job at the app's clock.
pub async fn watch(app: &App) -> Result<AuthReport> {
    let now = app.clock.now();
    let grace = app.config.auth_release_days;
    let earliest_warning = AUTH_WARNINGS.iter().max().copied().unwrap_or(0);
    let before = to_millis(now - Duration::days(AUTHORIZATION_DAYS - earliest_warning));
    let pending = {
        let mut conn = app.store.conn().await?;
        orders::pending_authorizations(&mut conn, before).await?
    };
    let mut report = AuthReport::default();
    let mut warnings: Vec<(MerchantId, Vec<(PendingAuthorization, i64)>)> = Vec::new();
    for a in pending {
        for step in due_steps(from_millis(a.authorized_at), now, grace) {
            match step {
                AuthStep::Warn { days } => match warnings.iter_mut().find(|(m, _)| *m == a.merchant_id) {
                    Some((_, list)) => list.push((a.clone(), days)),
                    None => warnings.push((a.merchant_id, vec![(a.clone(), days)])),
                },
                AuthStep::Expire => report.expired += u64::from(expire(app, &a).await?),
                AuthStep::Release => report.released += u64::from(release(app, &a).await?),
            }
        }
    }
    for (m, list) in warnings {
        report.warned += warn(app, m, &list).await?;
    }
    Ok(report)
}

/// One email to every user of the merchant listing the orders not warned yet at this step.
async fn warn(app: &App, m: MerchantId, list: &[(PendingAuthorization, i64)]) -> Result<u64> {
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let mut lines = Vec::new();
    for (a, days) in list {
        if kippu_store::jobs::claim_job_run(&mut tx, &key(a, AuthStep::Warn { days: *days }), now).await? {
            let expires = from_millis(a.authorized_at) + Duration::days(AUTHORIZATION_DAYS);
            lines.push(format!(
                "{} {}様 {} 与信期限 {}（残り{}日以内）",
                a.order_number,
                a.customer_name,
                Yen(a.amount).display_ja(),
                datetime_with_weekday(expires, false),
                days
            ));
        }
    }
    if lines.is_empty() {
        tx.commit().await?;
        return Ok(0);
    }
    let merchant = kippu_store::merchants::get(&mut tx, m).await?.map(|m| m.name).unwrap_or_default();
    let vars = serde_json::json!({
        "merchant_name": merchant,
        "count": lines.len().to_string(),
        "orders": lines.join("\n"),
        "release_days": app.config.auth_release_days.to_string(),
    });
    for to in kippu_store::reservations::merchant_user_emails(&mut tx, m).await? {
        notify::queue_email(&mut tx, app, Some(m), templates::AUTH_EXPIRY_WARNING, &to, &vars, None).await?;
    }
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(lines.len() as u64)
}

/// Records the expiry in the order's history (the list already shows 期限切れ from the dates).
async fn expire(app: &App, a: &PendingAuthorization) -> Result<bool> {
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if !kippu_store::jobs::claim_job_run(&mut tx, &key(a, AuthStep::Expire), now).await? {
        return Ok(false);
    }
    orders::update_payment(&mut tx, a.order_id, "expired", None, None, now).await?;
    orders::insert_history(
        &mut tx,
        &orders::HistoryEntry {
            merchant_id: a.merchant_id,
            order_id: a.order_id,
            ticket_id: None,
            flow: "authorization",
            from_status: None,
            to_status: EXPIRED,
            actor_user_id: None,
            actor_label: "system",
            note: "与信期限切れ（与信日から25日）",
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Cancels the order a grace period after its authorization expired, as the merchant would.
async fn release(app: &App, a: &PendingAuthorization) -> Result<bool> {
    let actor = Actor::unattended(a.merchant_id, Role::MerchantAdmin, "system:与信期限切れの自動キャンセル");
    match crate::orders::act(app, &actor, &a.order_number, Action::Cancel, None).await {
        Ok(_) => {
            let mut tx = app.store.begin().await?;
            kippu_store::jobs::claim_job_run(&mut tx, &key(a, AuthStep::Release), app.now_ms()).await?;
            tx.commit().await?;
            Ok(true)
        }
        // Captured or cancelled by the merchant meanwhile: nothing left to release.
        Err(crate::AppError::Order(crate::orders::OrderError::Changed | crate::orders::OrderError::Refused(_))) => Ok(false),
        Err(e) => Err(e),
    }
}
