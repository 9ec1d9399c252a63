//! Imported bank statements and their lines, kept for the record.

use crate::Result;
use sqlx::AnyConnection;

pub async fn insert_import(
    conn: &mut AnyConnection,
    file_name: &str,
    user: Option<i64>,
    lines: i64,
    matched: i64,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO bank_statement_imports (file_name, imported_by, line_count, matched_count, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(file_name)
    .bind(user)
    .bind(lines)
    .bind(matched)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn insert_line(
    conn: &mut AnyConnection,
    import_id: i64,
    line_no: i64,
    raw: &str,
    amount: i64,
    order_number: Option<&str>,
    outcome: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO bank_statement_lines (import_id, line_no, raw, amount, order_id, outcome) \
         VALUES ($1, $2, $3, $4, (SELECT id FROM orders WHERE order_number = $5), $6)",
    )
    .bind(import_id)
    .bind(line_no)
    .bind(raw)
    .bind(amount)
    .bind(order_number)
    .bind(outcome)
    .execute(conn)
    .await?;
    Ok(())
}
