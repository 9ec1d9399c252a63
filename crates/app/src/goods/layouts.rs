//! The goods list's CSV column layouts the merchant saves and names (検索結果をダウンロード's
//! 形式). Any of the merchant's users may save one: staff download the list every day, and a
//! layout changes no order.

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::goods::csv_layout::CsvLayout;
use kippu_domain::validate::FieldError;
use kippu_store::StoreError;
use kippu_store::goods::{self as repo, LayoutRow};

/// Which layout a download uses: the built-in 標準, or a saved one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutChoice {
    Standard,
    Saved(i64),
}

impl LayoutChoice {
    /// `standard` or a saved layout's id, as the download's `layout=` carries it.
    pub fn parse(s: &str) -> std::result::Result<LayoutChoice, FieldError> {
        match s.trim() {
            "" | "standard" => Ok(LayoutChoice::Standard),
            id => id
                .parse()
                .map(LayoutChoice::Saved)
                .map_err(|_| FieldError::new("layout", "レイアウトを選択肢から選んでください")),
        }
    }
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<LayoutRow>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    Ok(repo::layouts(&mut conn, m).await?)
}

/// The layout a download asked for; another merchant's is not found.
pub async fn resolve(app: &App, actor: &Actor, choice: LayoutChoice) -> Result<CsvLayout> {
    let m = actor.merchant()?;
    match choice {
        LayoutChoice::Standard => Ok(CsvLayout::standard()),
        LayoutChoice::Saved(id) => {
            let mut conn = app.store.conn().await?;
            Ok(repo::layout(&mut conn, m, id).await?.ok_or(AppError::NotFound)?.layout())
        }
    }
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<LayoutRow> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    repo::layout(&mut conn, m, id).await?.ok_or(AppError::NotFound)
}

fn name_taken(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict { .. } => FieldError::new("name", "この名前のレイアウトはすでにあります").into(),
        e => e.into(),
    }
}

/// Saves `layout` as a new layout (`id` `None`) or over one of the merchant's; answers its id.
pub async fn save(app: &App, actor: &Actor, id: Option<i64>, layout: &CsvLayout) -> Result<i64> {
    let m = actor.merchant()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let id = match id {
        None => repo::insert_layout(&mut tx, m, layout, now).await.map_err(name_taken)?,
        Some(id) => {
            if !repo::update_layout(&mut tx, m, id, layout, now).await.map_err(name_taken)? {
                return Err(AppError::NotFound);
            }
            id
        }
    };
    let after = serde_json::json!({"name": layout.name, "columns": layout.stored_columns()});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("save", "goods_csv_layout", id),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete(app: &App, actor: &Actor, id: i64) -> Result<()> {
    let m = actor.merchant()?;
    let mut tx = app.store.begin().await?;
    let before = repo::layout(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    repo::delete_layout(&mut tx, m, id).await?;
    let before = serde_json::json!({"name": before.name, "columns": before.layout().stored_columns()});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("delete", "goods_csv_layout", id),
        Some(&before),
        audit::NONE,
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
