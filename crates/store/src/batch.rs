//! Multi-row statements for bulk work: one INSERT for many rows instead of one per row. On
//! SQLite every statement is a round trip to the connection's thread, so this is what makes a
//! 10,000-order bulk action fast.

use crate::Result;
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
const ROWS_PER_STATEMENT: usize = 200;

/// `INSERT INTO table (cols) VALUES (...), (...)` for all rows, a few hundred per statement.
pub async fn insert_rows(conn: &mut AnyConnection, table: &'static str, cols: &[&'static str], rows: Vec<Vec<Value>>) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            cols.join(", "),
            row_params(1, chunk.len(), cols.len())
        );
        debug_assert!(chunk.iter().all(|row| row.len() == cols.len()));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            for v in row {
                q = match v {
                    Value::I(i) => q.bind(*i),
                    Value::S(s) => q.bind(s.clone()),
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

/// `$first, $first+1, …` for `count` bound values (an `IN (...)` list of texts).
pub fn params(first: usize, count: usize) -> String {
    (first..first + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// `($first, …), (…)` for `rows` rows of `width` bound values each, numbered from `first`.
pub fn row_params(first: usize, rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", params(first + r * width, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_bound_value_once_in_order() {
        assert_eq!(params(2, 3), "$2, $3, $4");
        assert_eq!(row_params(2, 2, 3), "($2, $3, $4), ($5, $6, $7)");
        assert_eq!(id_list([3, 1]), "3,1");
    }
}
