//! pause, resume, cancel, revive: one transition through the master's rule, written with its
//! history line and audit entry in one transaction (a refusal is 409 with the reason in words).

use super::{MasterView, facts, get, merchant_of};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::subscription::{MasterAction, MasterStatus, transition};
use kippu_store::subscriptions::{self as repo, write};

/// Moves master `id` by `action`; the master as it is afterwards.
pub async fn act(app: &App, actor: &Actor, id: i64, action: MasterAction) -> Result<MasterView> {
    let m = merchant_of(actor)?;
    let now = app.now_ms();
    let today = app.clock.today();
    let mut tx = app.store.begin().await?;
    let master = repo::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    let items = repo::items(&mut tx, m, id).await?;
    let to = transition(facts(&master, &items), action).map_err(|r| AppError::Conflict(r.said()))?;
    // Back to active: a next date already past moves to the first cycle date after today, so
    // resuming never makes a child for the days it rested.
    let next = if to == MasterStatus::Active && master.next_date.as_str() <= today.to_string().as_str() {
        let from = kippu_domain::clock::parse_date(&master.next_date).unwrap_or(today);
        Some(master.cycle()?.next_after(from, today).to_string())
    } else {
        None
    };
    if !write::set_status(&mut tx, m, id, master.status, to, next.as_deref(), now).await? {
        return Err(AppError::Conflict(kippu_domain::label::Said::new(
            "他の操作で定期マスタが変更されました。もう一度お試しください",
            "The subscription was changed meanwhile; try again",
        )));
    }
    let note = format!("{} → {}", master.status.label_ja(), to.label_ja());
    write::add_history(&mut tx, m, id, actor.user_id.map(|u| u.0), action.as_str(), &note, now).await?;
    let before = serde_json::json!({"status": master.status.as_str(), "next_date": master.next_date});
    let after = serde_json::json!({"status": to.as_str(), "next_date": next.as_deref().unwrap_or(&master.next_date)});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(action.as_str(), "subscription", id),
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    get(app, actor, id).await
}
