//! Email-template overrides. The built-in defaults live in code (app layer); a row here
//! replaces one for a merchant (or, with merchant_id NULL, for the whole platform).

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct TemplateRow {
    pub template_key: String,
    pub subject: String,
    pub body: String,
    pub updated_at: i64,
}

/// The override that applies: the merchant's own first, then the platform-wide one.
pub async fn find(conn: &mut AnyConnection, m: Option<MerchantId>, key: &str) -> Result<Option<TemplateRow>> {
    Ok(sqlx::query_as(
        "SELECT template_key, subject, body, updated_at FROM email_templates \
         WHERE template_key = $1 AND (merchant_id = $2 OR merchant_id IS NULL) \
         ORDER BY CASE WHEN merchant_id IS NULL THEN 1 ELSE 0 END LIMIT 1",
    )
    .bind(key)
    .bind(m.map(|m| m.0).unwrap_or(-1))
    .fetch_optional(conn)
    .await?)
}

/// The override of exactly this owner (merchant, or platform when `None`).
pub async fn find_own(conn: &mut AnyConnection, m: Option<MerchantId>, key: &str) -> Result<Option<TemplateRow>> {
    Ok(sqlx::query_as(
        "SELECT template_key, subject, body, updated_at FROM email_templates \
         WHERE template_key = $1 AND COALESCE(merchant_id, 0) = $2",
    )
    .bind(key)
    .bind(m.map(|m| m.0).unwrap_or(0))
    .fetch_optional(conn)
    .await?)
}

pub async fn upsert(
    conn: &mut AnyConnection,
    m: Option<MerchantId>,
    key: &str,
    subject: &str,
    body: &str,
    user: Option<i64>,
    now: i64,
) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE email_templates SET subject = $1, body = $2, updated_by = $3, updated_at = $4 \
         WHERE template_key = $5 AND COALESCE(merchant_id, 0) = $6",
    )
    .bind(subject)
    .bind(body)
    .bind(user)
    .bind(now)
    .bind(key)
    .bind(m.map(|m| m.0).unwrap_or(0))
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO email_templates (merchant_id, template_key, subject, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(m.map(|m| m.0))
        .bind(key)
        .bind(subject)
        .bind(body)
        .bind(user)
        .bind(now)
        .execute(conn)
        .await?;
    }
    Ok(())
}

pub async fn delete_own(conn: &mut AnyConnection, m: Option<MerchantId>, key: &str) -> Result<bool> {
    let r = sqlx::query("DELETE FROM email_templates WHERE template_key = $1 AND COALESCE(merchant_id, 0) = $2")
        .bind(key)
        .bind(m.map(|m| m.0).unwrap_or(0))
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}
