//! A merchant's 対応履歴 settings: 対応区分, 対応概要 (one name a line) and the CSV column set.
//! No row means the merchant never saved them: the caller uses the defaults.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow, serde::Serialize, PartialEq)]
pub struct SettingsRow {
    pub categories: String,
    pub summaries: String,
    pub csv_columns: String,
}

pub async fn get(conn: &mut AnyConnection, m: MerchantId) -> Result<Option<SettingsRow>> {
    Ok(
        sqlx::query_as("SELECT categories, summaries, csv_columns FROM interaction_settings WHERE merchant_id = $1")
            .bind(m.0)
            .fetch_optional(conn)
            .await?,
    )
}

/// Saves the settings (inside the caller's write transaction, which serialises writers).
pub async fn put(conn: &mut AnyConnection, m: MerchantId, s: &SettingsRow, now: i64) -> Result<()> {
    let r = sqlx::query(
        "UPDATE interaction_settings SET categories = $1, summaries = $2, csv_columns = $3, updated_at = $4 WHERE merchant_id = $5",
    )
    .bind(&s.categories)
    .bind(&s.summaries)
    .bind(&s.csv_columns)
    .bind(now)
    .bind(m.0)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO interaction_settings (merchant_id, categories, summaries, csv_columns, updated_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(m.0)
        .bind(&s.categories)
        .bind(&s.summaries)
        .bind(&s.csv_columns)
        .bind(now)
        .execute(conn)
        .await?;
    }
    Ok(())
}
