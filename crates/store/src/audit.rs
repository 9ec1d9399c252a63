//! The audit log: who, when, what, before → after. Written in the same transaction as the change.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

pub struct AuditEntry<'a> {
    pub merchant_id: Option<MerchantId>,
    pub actor_user_id: Option<i64>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: i64,
}

pub async fn insert(conn: &mut AnyConnection, e: &AuditEntry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (merchant_id, actor_user_id, actor_label, action, entity, entity_id, before_json, after_json, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(e.merchant_id.map(|m| m.0))
    .bind(e.actor_user_id)
    .bind(e.actor_label)
    .bind(e.action)
    .bind(e.entity)
    .bind(e.entity_id)
    .bind(e.before_json.as_deref())
    .bind(e.after_json.as_deref())
    .bind(e.at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub actor_label: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: i64,
}

/// The newest entries of one merchant (or of the platform itself when `m` is `None`).
pub async fn list(conn: &mut AnyConnection, m: Option<MerchantId>, limit: i64) -> Result<Vec<AuditRow>> {
    let cols = "id, actor_label, action, entity, entity_id, before_json, after_json, at";
    Ok(match m {
        Some(m) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {cols} FROM audit_log WHERE merchant_id = $1 ORDER BY id DESC LIMIT $2"
            )))
            .bind(m.0)
            .bind(limit)
            .fetch_all(conn)
            .await?
        }
        None => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {cols} FROM audit_log WHERE merchant_id IS NULL ORDER BY id DESC LIMIT $1"
            )))
            .bind(limit)
            .fetch_all(conn)
            .await?
        }
    })
}
