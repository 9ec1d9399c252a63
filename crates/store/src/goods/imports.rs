//! 出荷データ一括登録's stored runs: one row per upload and one per line of its file, written a
//! batch at a time as the file is read, read back a page at a time.

use crate::Result;
use crate::batch::{Value, insert_rows};
use kippu_domain::MerchantId;
use kippu_domain::goods::carrier::ColumnMap;
use sqlx::{AnyConnection, FromRow};

/// What an upload asked for, when the run starts.
#[derive(Debug, Clone)]
pub struct NewImportRun<'a> {
    pub file_type: &'a str,
    pub encoding: &'a str,
    pub mark_shipped: bool,
    pub apply_mode: &'a str,
    pub created_by: &'a str,
}

/// A run's outcome, once the whole file is read.
#[derive(Debug, Clone, Default)]
pub struct ImportTotals {
    pub applied: bool,
    pub line_count: i64,
    pub ok_count: i64,
    pub ng_count: i64,
    pub unchanged_count: i64,
    pub applied_count: i64,
    pub shipped_orders: i64,
    pub message: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct ImportRunRow {
    pub id: i64,
    pub file_type: String,
    pub encoding: String,
    pub mark_shipped: i64,
    pub apply_mode: String,
    pub applied: i64,
    pub line_count: i64,
    pub ok_count: i64,
    pub ng_count: i64,
    pub unchanged_count: i64,
    pub applied_count: i64,
    pub shipped_orders: i64,
    pub message: String,
    pub created_by: String,
    pub created_at: i64,
}

/// One line of a run's report.
#[derive(Debug, Clone, FromRow)]
pub struct ImportLineRow {
    pub line: i64,
    pub order_number: Option<String>,
    pub destination: Option<i64>,
    pub tracking_number: Option<String>,
    pub delivery_date: Option<String>,
    pub ok: i64,
    pub unchanged: i64,
    pub shipped: i64,
    pub reason: String,
}

pub async fn insert_import_run(conn: &mut AnyConnection, m: MerchantId, r: &NewImportRun<'_>, now: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shipment_imports (merchant_id, file_type, encoding, mark_shipped, apply_mode, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(m.0)
    .bind(r.file_type)
    .bind(r.encoding)
    .bind(i64::from(r.mark_shipped))
    .bind(r.apply_mode)
    .bind(r.created_by)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub async fn finish_import_run(conn: &mut AnyConnection, id: i64, t: &ImportTotals) -> Result<()> {
    sqlx::query(
        "UPDATE shipment_imports SET applied = $1, line_count = $2, ok_count = $3, ng_count = $4, unchanged_count = $5, \
         applied_count = $6, shipped_orders = $7, message = $8 WHERE id = $9",
    )
    .bind(i64::from(t.applied))
    .bind(t.line_count)
    .bind(t.ok_count)
    .bind(t.ng_count)
    .bind(t.unchanged_count)
    .bind(t.applied_count)
    .bind(t.shipped_orders)
    .bind(&t.message)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a run whose file was refused whole (wrong type, no data lines).
pub async fn delete_import_run(conn: &mut AnyConnection, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM shipment_import_lines WHERE import_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM shipment_imports WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes a batch of report lines.
pub async fn insert_import_lines(conn: &mut AnyConnection, id: i64, lines: &[ImportLineRow]) -> Result<()> {
    // Collected first: a closure held across the inserts' awaits makes the future not `Send`
    // for every lifetime, which the handlers need. A batch is a few hundred lines.
    let rows: Vec<Vec<Value>> = lines
        .iter()
        .map(|l| {
            vec![
                Value::I(id),
                Value::I(l.line),
                l.order_number.clone().into(),
                l.destination.into(),
                l.tracking_number.clone().into(),
                l.delivery_date.clone().into(),
                Value::I(l.ok),
                Value::I(l.unchanged),
                Value::I(l.shipped),
                Value::S(l.reason.clone()),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "shipment_import_lines",
        &[
            "import_id",
            "line",
            "order_number",
            "destination",
            "tracking_number",
            "delivery_date",
            "ok",
            "unchanged",
            "shipped",
            "reason",
        ],
        rows,
    )
    .await
}

/// Marks lines whose destination the run marked 発送済み.
pub async fn mark_import_lines_shipped(conn: &mut AnyConnection, id: i64, lines: &[i64]) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let list = crate::batch::id_list(lines.iter().copied());
    let sql = format!("UPDATE shipment_import_lines SET shipped = 1 WHERE import_id = $1 AND line IN ({list})");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).execute(conn).await?;
    Ok(())
}

/// Merchant `m`'s run `id`; another merchant's is `None`.
pub async fn import_run(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Option<ImportRunRow>> {
    Ok(sqlx::query_as(
        "SELECT id, file_type, encoding, mark_shipped, apply_mode, applied, line_count, ok_count, ng_count, unchanged_count, \
         applied_count, shipped_orders, message, created_by, created_at FROM shipment_imports WHERE merchant_id = $1 AND id = $2",
    )
    .bind(m.0)
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

const LINE_COLS: &str = "line, order_number, destination, tracking_number, delivery_date, ok, unchanged, shipped, reason";

/// Which of a run's lines a read takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFilter {
    All,
    Ng,
    /// OK and changing something: what the apply writes.
    ToApply,
}

impl LineFilter {
    fn sql(self) -> &'static str {
        match self {
            LineFilter::All => "",
            LineFilter::Ng => " AND ok = 0",
            LineFilter::ToApply => " AND ok = 1 AND unchanged = 0",
        }
    }
}

/// Up to `limit` lines of run `id` after line `after`, in file order (the run is the caller's,
/// already scoped to its merchant).
pub async fn import_lines(conn: &mut AnyConnection, id: i64, filter: LineFilter, after: i64, limit: i64) -> Result<Vec<ImportLineRow>> {
    let sql = format!(
        "SELECT {LINE_COLS} FROM shipment_import_lines WHERE import_id = $1 AND line > $2{} ORDER BY line LIMIT $3",
        filter.sql()
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(after)
        .bind(limit)
        .fetch_all(conn)
        .await?)
}

/// Page `page` (1-based) of `per_page` lines of run `id`.
pub async fn import_lines_page(conn: &mut AnyConnection, id: i64, page: i64, per_page: i64) -> Result<Vec<ImportLineRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LINE_COLS} FROM shipment_import_lines WHERE import_id = $1 ORDER BY line LIMIT $2 OFFSET $3"
    )))
    .bind(id)
    .bind(per_page)
    .bind((page - 1).max(0) * per_page)
    .fetch_all(conn)
    .await?)
}

/// The distinct orders of run `id` whose destinations it marked 発送済み, in file order, at
/// most `limit`.
pub async fn import_shipped_orders(conn: &mut AnyConnection, id: i64, limit: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT order_number FROM shipment_import_lines WHERE import_id = $1 AND shipped = 1 \
         GROUP BY order_number ORDER BY MIN(line) LIMIT $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// How many distinct orders run `id` marked 発送済み.
pub async fn count_import_shipped_orders(conn: &mut AnyConnection, id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(DISTINCT order_number) FROM shipment_import_lines WHERE import_id = $1 AND shipped = 1")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// The columns merchant `m` chose for file type `file_type`, if any.
pub async fn column_map(conn: &mut AnyConnection, m: MerchantId, file_type: &str) -> Result<Option<ColumnMap>> {
    let r: Option<(String, String, String)> =
        sqlx::query_as("SELECT management, tracking, delivery_date FROM carrier_column_maps WHERE merchant_id = $1 AND file_type = $2")
            .bind(m.0)
            .bind(file_type)
            .fetch_optional(conn)
            .await?;
    Ok(r.map(|(management, tracking, delivery_date)| ColumnMap {
        management,
        tracking,
        delivery_date,
    }))
}

/// Saves (or replaces) the columns merchant `m` chose for file type `file_type`.
pub async fn save_column_map(conn: &mut AnyConnection, m: MerchantId, file_type: &str, map: &ColumnMap, now: i64) -> Result<()> {
    sqlx::query("DELETE FROM carrier_column_maps WHERE merchant_id = $1 AND file_type = $2")
        .bind(m.0)
        .bind(file_type)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO carrier_column_maps (merchant_id, file_type, management, tracking, delivery_date, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(m.0)
    .bind(file_type)
    .bind(&map.management)
    .bind(&map.tracking)
    .bind(&map.delivery_date)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
