//! Stock per product, date and time slot (undated products have one row with date ''): set,
//! imported, shown in the calendar with what was sold.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

pub async fn set_stock(
    conn: &mut AnyConnection,
    m: MerchantId,
    product_id: i64,
    date: &str,
    slot: &str,
    capacity: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO stock (merchant_id, product_id, stock_date, time_slot, capacity, remaining, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $6) \
         ON CONFLICT (product_id, stock_date, time_slot) DO NOTHING",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(date)
    .bind(slot)
    .bind(capacity)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A new product's first stock, (date, slot, capacity) per row, written a few hundred rows per
/// statement: the product is new, so no row exists yet, and a year of slots holds the database's
/// writer for milliseconds, not seconds.
pub async fn insert_first_stock(
    conn: &mut AnyConnection,
    m: MerchantId,
    product_id: i64,
    rows: &[(String, String, i64)],
    now: i64,
) -> Result<()> {
    use crate::batch::{Value, insert_rows};
    // Collected first (at most a year of slots): a closure borrowing `rows` across the await
    // would not be `Send` for every lifetime the handlers need.
    let values: Vec<Vec<Value>> = rows
        .iter()
        .map(|(d, s, c)| {
            vec![
                Value::I(m.0),
                Value::I(product_id),
                Value::S(d.clone()),
                Value::S(s.clone()),
                Value::I(*c),
                Value::I(*c),
                Value::I(now),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "stock",
        &[
            "merchant_id",
            "product_id",
            "stock_date",
            "time_slot",
            "capacity",
            "remaining",
            "updated_at",
        ],
        values,
    )
    .await
}

/// Total remaining stock per product, for the product list.
pub async fn remaining_stock(conn: &mut AnyConnection, m: MerchantId, product_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM stock WHERE merchant_id = $1 AND product_id = $2")
            .bind(m.0)
            .bind(product_id)
            .fetch_one(conn)
            .await?,
    )
}

/// Sets the remaining stock of a product's undated row (created if missing).
pub async fn put_undated_stock(conn: &mut AnyConnection, m: MerchantId, product_id: i64, remaining: i64, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO stock (merchant_id, product_id, stock_date, time_slot, capacity, remaining, updated_at) VALUES ($1, $2, '', '', $3, $3, $4) \
         ON CONFLICT (product_id, stock_date, time_slot) DO UPDATE SET remaining = excluded.remaining, capacity = excluded.capacity, updated_at = excluded.updated_at",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(remaining)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct StockCell {
    pub stock_date: String,
    pub time_slot: String,
    pub capacity: i64,
    pub remaining: i64,
    pub day_kind: String,
}

/// Stock rows of a product between two dates (inclusive), by date and slot.
pub async fn stock_between(conn: &mut AnyConnection, m: MerchantId, product_id: i64, from: &str, to: &str) -> Result<Vec<StockCell>> {
    Ok(sqlx::query_as(
        "SELECT stock_date, time_slot, capacity, remaining, day_kind FROM stock \
         WHERE merchant_id = $1 AND product_id = $2 AND stock_date >= $3 AND stock_date <= $4 ORDER BY stock_date, time_slot",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}

/// What was sold of a product on one date: orders, units (tickets or people) and yen, of the
/// orders that are not cancelled.
#[derive(Debug, Clone, FromRow)]
pub struct SalesCell {
    pub visit_date: String,
    pub orders: i64,
    pub units: i64,
    pub amount: i64,
}

/// Sales of a product per visit date between two dates (inclusive).
pub async fn sales_between(conn: &mut AnyConnection, m: MerchantId, product_id: i64, from: &str, to: &str) -> Result<Vec<SalesCell>> {
    Ok(sqlx::query_as(
        "SELECT l.visit_date, COUNT(DISTINCT o.id) AS orders, CAST(SUM(l.quantity) AS BIGINT) AS units, CAST(SUM(l.amount) AS BIGINT) AS amount \
         FROM order_lines l JOIN orders o ON o.id = l.order_id \
         WHERE l.merchant_id = $1 AND l.product_id = $2 AND l.visit_date >= $3 AND l.visit_date <= $4 AND o.status <> 'cancelled' \
         GROUP BY l.visit_date ORDER BY l.visit_date",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}

/// The stock row of one date and slot, locked for the write transaction on PostgreSQL.
pub async fn stock_cell(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    product_id: i64,
    date: &str,
    slot: &str,
) -> Result<Option<StockCell>> {
    let sql = format!(
        "SELECT stock_date, time_slot, capacity, remaining, day_kind FROM stock WHERE product_id = $1 AND stock_date = $2 AND time_slot = $3{}",
        backend.for_update()
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(product_id)
        .bind(date)
        .bind(slot)
        .fetch_optional(conn)
        .await?)
}

/// One stock cell (product, date, slot) as the availability import writes it.
#[derive(Debug, Clone, Copy)]
pub struct StockWrite<'a> {
    pub m: MerchantId,
    pub product_id: i64,
    pub date: &'a str,
    pub slot: &'a str,
    pub capacity: i64,
    pub remaining: i64,
    pub day_kind: &'a str,
}

/// Sets many dates/slots of one product to one capacity, a few hundred cells per statement;
/// what was already sold stays sold (remaining = capacity − sold, computed from the row itself,
/// so a sale in between is never lost; the `remaining >= 0` check refuses a capacity under it).
pub async fn put_stock_cells(
    conn: &mut AnyConnection,
    m: MerchantId,
    product_id: i64,
    cells: &[(String, String)],
    capacity: i64,
    day_kind: &str,
    now: i64,
) -> Result<()> {
    let backend = crate::Backend::of(conn);
    for chunk in cells.chunks(crate::batch::ROWS_PER_STATEMENT) {
        let values = crate::batch::row_params(backend, chunk.len(), 8);
        let sql = format!(
            "INSERT INTO stock (merchant_id, product_id, stock_date, time_slot, capacity, remaining, day_kind, updated_at) VALUES {values} \
             ON CONFLICT (product_id, stock_date, time_slot) DO UPDATE SET capacity = excluded.capacity, \
             remaining = excluded.capacity - (stock.capacity - stock.remaining), day_kind = excluded.day_kind, updated_at = excluded.updated_at"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (date, slot) in chunk {
            q = q
                .bind(m.0)
                .bind(product_id)
                .bind(date.as_str())
                .bind(slot.as_str())
                .bind(capacity)
                .bind(capacity)
                .bind(day_kind.to_string())
                .bind(now);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Writes a date/slot's capacity; what was already sold stays sold (remaining = capacity − sold).
pub async fn put_stock_cell(conn: &mut AnyConnection, new: &StockWrite<'_>, now: i64) -> Result<()> {
    let StockWrite {
        m,
        product_id,
        date,
        slot,
        capacity,
        remaining,
        day_kind,
    } = *new;
    sqlx::query(
        "INSERT INTO stock (merchant_id, product_id, stock_date, time_slot, capacity, remaining, day_kind, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (product_id, stock_date, time_slot) DO UPDATE SET capacity = excluded.capacity, remaining = excluded.remaining, day_kind = excluded.day_kind, updated_at = excluded.updated_at",
    )
    .bind(m.0)
    .bind(product_id)
    .bind(date)
    .bind(slot)
    .bind(capacity)
    .bind(remaining)
    .bind(day_kind)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
