//! The goods list's saved CSV column layouts, one merchant's each.

use crate::{Result, StoreError};
use kippu_domain::MerchantId;
use kippu_domain::goods::csv_layout::{CsvLayout, GoodsColumn};
use sqlx::AnyConnection;

#[derive(Debug, Clone)]
pub struct LayoutRow {
    pub id: i64,
    pub name: String,
    pub columns: Vec<GoodsColumn>,
}

impl LayoutRow {
    pub fn layout(&self) -> CsvLayout {
        CsvLayout {
            name: self.name.clone(),
            columns: self.columns.clone(),
        }
    }
}

fn row((id, name, columns): (i64, String, String)) -> Result<LayoutRow> {
    let columns = CsvLayout::columns_from_stored(&columns).map_err(|e| StoreError::Invariant(format!("goods CSV layout {id}: {e}")))?;
    Ok(LayoutRow { id, name, columns })
}

/// Merchant `m`'s layouts by name.
pub async fn layouts(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<LayoutRow>> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, columns FROM goods_csv_layouts WHERE merchant_id = $1 ORDER BY name, id")
            .bind(m.0)
            .fetch_all(conn)
            .await?;
    rows.into_iter().map(row).collect()
}

/// One of merchant `m`'s layouts; another merchant's is `None`.
pub async fn layout(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Option<LayoutRow>> {
    let r: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, columns FROM goods_csv_layouts WHERE merchant_id = $1 AND id = $2")
            .bind(m.0)
            .bind(id)
            .fetch_optional(conn)
            .await?;
    r.map(row).transpose()
}

fn taken(e: sqlx::Error, name: &str) -> StoreError {
    StoreError::conflict_on_unique(e, "CSV layout", name.to_string())
}

/// Saves a new layout; a name the merchant already uses is a [`StoreError::Conflict`].
pub async fn insert_layout(conn: &mut AnyConnection, m: MerchantId, l: &CsvLayout, now: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO goods_csv_layouts (merchant_id, name, columns, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(m.0)
    .bind(&l.name)
    .bind(l.stored_columns())
    .bind(now)
    .fetch_one(conn)
    .await
    .map_err(|e| taken(e, &l.name))?;
    Ok(id)
}

/// Replaces a layout's name and columns; `false` when merchant `m` has no such layout.
pub async fn update_layout(conn: &mut AnyConnection, m: MerchantId, id: i64, l: &CsvLayout, now: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE goods_csv_layouts SET name = $1, columns = $2, updated_at = $3 WHERE merchant_id = $4 AND id = $5")
        .bind(&l.name)
        .bind(l.stored_columns())
        .bind(now)
        .bind(m.0)
        .bind(id)
        .execute(conn)
        .await
        .map_err(|e| taken(e, &l.name))?;
    Ok(done.rows_affected() == 1)
}

/// `false` when merchant `m` has no such layout.
pub async fn delete_layout(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM goods_csv_layouts WHERE merchant_id = $1 AND id = $2")
        .bind(m.0)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
