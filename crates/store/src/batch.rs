//! Multi-row statements for bulk work: one INSERT for many rows instead of one per row. On
//! SQLite every statement is a round trip to the connection's thread, so this is what makes a
//! 10,000-order bulk action fast.

use crate::Result;
use crate::dialect::Backend;
use sqlx::AnyConnection;

/// A bound value with its type, so a NULL is typed for PostgreSQL.
#[derive(Debug, Clone)]
pub enum Value {
    I(i64),
    S(String),
    NullI,
    NullS,
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::I(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::S(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::S(v.to_string())
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        v.map(Value::I).unwrap_or(Value::NullI)
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        v.map(Value::S).unwrap_or(Value::NullS)
    }
}

/// Rows per statement: far under SQLite's and PostgreSQL's parameter limits for our widths.
pub const ROWS_PER_STATEMENT: usize = 200;

/// `INSERT INTO table (cols) VALUES (...), (...)` for all rows, a few hundred per statement.
/// The rows are taken as they come: only one statement's worth is held at a time.
pub async fn insert_rows(
    conn: &mut AnyConnection,
    table: &'static str,
    cols: &[&'static str],
    rows: impl IntoIterator<Item = Vec<Value>>,
) -> Result<()> {
    let backend = Backend::of(conn);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        debug_assert!(chunk.iter().all(|row| row.len() == cols.len()));
        let values = row_params(backend, chunk.len(), cols.len());
        let sql = format!("INSERT INTO {table} ({}) VALUES {values}", cols.join(", "));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            for v in row {
                q = match v {
                    Value::I(i) => q.bind(i),
                    Value::S(s) => q.bind(s),
                    Value::NullI => q.bind(None::<i64>),
                    Value::NullS => q.bind(None::<String>),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// `a,b,c` for an `IN (...)` list of ids (integers only, so no injection is possible).
pub fn id_list(ids: impl IntoIterator<Item = i64>) -> String {
    ids.into_iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// `(…), (…)` for `rows` rows of `width` bound values each (see [`Backend::params`]).
pub fn row_params(backend: Backend, rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", backend.params(1 + r * width, width)))
        .collect::<Vec<_>>()
        .join(", ")
}
