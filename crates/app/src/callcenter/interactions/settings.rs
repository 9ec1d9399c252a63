//! The settings gear's 対応履歴 part: 対応区分, 対応概要 and the CSV's columns, which affect every
//! operator 「(全オペレーターに影響します)」: read by every operator (the forms' choices), shown and
//! changed only by users with 管理者専用設定 (`require_settings_rights`). A merchant that never
//! saved them has the defaults of `kippu_domain::interaction`.

use super::console_merchant;
use crate::{Actor, App, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::interaction::columns::{self, Column};
use kippu_domain::interaction::{self, Choices};
use kippu_domain::validate::Collect;
use kippu_store::AnyConnection;
use kippu_store::interactions::settings::{self as store, SettingsRow};

/// The merchant's lists and column set.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Settings {
    pub choices: Choices,
    #[serde(skip)]
    pub columns: Vec<Column>,
}

pub(crate) async fn read(conn: &mut AnyConnection, m: MerchantId) -> Result<Settings> {
    Ok(match store::get(conn, m).await? {
        Some(r) => Settings {
            choices: Choices::from_stored(&r.categories, &r.summaries),
            columns: columns::from_stored(&r.csv_columns).map_err(crate::AppError::Internal)?,
        },
        None => Settings {
            choices: Choices::defaults(),
            columns: columns::DEFAULT.to_vec(),
        },
    })
}

pub(crate) async fn choices_in(conn: &mut AnyConnection, m: MerchantId) -> Result<Choices> {
    Ok(read(conn, m).await?.choices)
}

/// The lists every operator chooses from (the add, edit and search forms).
pub async fn choices(app: &App, actor: &Actor) -> Result<Choices> {
    let m = console_merchant(actor)?;
    let mut conn = app.store.conn().await?;
    choices_in(&mut conn, m).await
}

/// The settings as their page shows them: administrators with 管理者専用設定 only (403 otherwise).
pub async fn get(app: &App, actor: &Actor) -> Result<Settings> {
    let m = console_merchant(actor)?;
    actor.require_settings_rights()?;
    let mut conn = app.store.conn().await?;
    read(&mut conn, m).await
}

/// The settings form as typed: each list one name a line, the columns one title a line.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SettingsInput {
    #[serde(default)]
    pub categories: String,
    #[serde(default)]
    pub summaries: String,
    #[serde(default)]
    pub csv_columns: String,
}

impl SettingsInput {
    pub fn of(s: &Settings) -> SettingsInput {
        SettingsInput {
            categories: s.choices.categories.join("\n"),
            summaries: s.choices.summaries.join("\n"),
            csv_columns: columns::titles(&s.columns),
        }
    }
}

/// Saves the lists and the column set (administrators with 管理者専用設定 only), audited before →
/// after. What was recorded keeps the names it was recorded with.
pub async fn save(app: &App, actor: &Actor, input: &SettingsInput) -> Result<Settings> {
    let m = console_merchant(actor)?;
    actor.require_settings_rights()?;
    let mut errs = Collect::default();
    let choices = errs.take_all(interaction::validate_choices(&input.categories, &input.summaries));
    let cols = errs.take(columns::parse_titles("csv_columns", &input.csv_columns));
    errs.finish()?;
    let (Some(choices), Some(cols)) = (choices, cols) else {
        return Err(crate::AppError::Internal("validation passed without values".into()));
    };
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = read(&mut tx, m).await?;
    let row = SettingsRow {
        categories: choices.categories.join("\n"),
        summaries: choices.summaries.join("\n"),
        csv_columns: columns::to_stored(&cols),
    };
    store::put(&mut tx, m, &row, now).await?;
    let after = read(&mut tx, m).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("update", "interaction_settings", m.0),
        Some(&audited(&before)),
        Some(&audited(&after)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// The settings as the audit log keeps them (the columns by code).
fn audited(s: &Settings) -> serde_json::Value {
    serde_json::json!({
        "categories": s.choices.categories,
        "summaries": s.choices.summaries,
        "csv_columns": columns::to_stored(&s.columns),
    })
}
