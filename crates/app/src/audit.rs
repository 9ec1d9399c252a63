//! Writing the audit log from use cases.

use crate::{Actor, Result};
use kippu_domain::MerchantId;
use kippu_store::{AnyConnection, audit};
use serde::Serialize;

/// What an audit entry is about: the action, and the entity and id it was done to.
pub struct Subject<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub id: String,
}

impl<'a> Subject<'a> {
    pub fn new(action: &'a str, entity: &'a str, id: impl ToString) -> Subject<'a> {
        Subject {
            action,
            entity,
            id: id.to_string(),
        }
    }
}

/// Records what `actor` did, with JSON snapshots before and after. Call it with the
/// transaction's connection so the entry commits or rolls back with the change.
pub async fn record<B: Serialize, A: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    merchant: Option<MerchantId>,
    what: Subject<'_>,
    before: Option<&B>,
    after: Option<&A>,
    now: i64,
) -> Result<()> {
    let json = |v: &dyn erased::Ser| v.to_json();
    audit::insert(
        conn,
        &audit::AuditEntry {
            merchant_id: merchant,
            actor_user_id: actor.user_id.map(|u| u.0),
            actor_label: &actor.label,
            action: what.action,
            entity: what.entity,
            entity_id: &what.id,
            before_json: before.map(|b| json(b)),
            after_json: after.map(|a| json(a)),
            at: now,
        },
    )
    .await?;
    Ok(())
}

mod erased {
    pub trait Ser {
        fn to_json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|e| format!("\"unserializable: {e}\""))
        }
    }
}

/// For audit entries that have no "before" or no "after".
pub const NONE: Option<&()> = None;

pub use kippu_store::audit::AuditRow;

/// The latest `limit` entries the actor may read: its merchant's, or all for the platform.
pub async fn latest(app: &crate::App, actor: &Actor, limit: i64) -> Result<Vec<AuditRow>> {
    // 管理者専用: what the settings pages show is the administrators' (issue 25 item 8).
    actor.require_settings_rights()?;
    let scope = actor.scope()?;
    let mut conn = app.store.conn().await?;
    Ok(audit::list(&mut conn, scope, limit).await?)
}
