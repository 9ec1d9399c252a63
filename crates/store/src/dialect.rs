//! The one place where SQLite and PostgreSQL SQL differ.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// The backend behind a connection.
    pub fn of(conn: &sqlx::AnyConnection) -> Backend {
        if conn.backend_name() == Backend::Sqlite.name() {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    /// Placeholders for `count` bound values numbered from `first`, for a statement whose every
    /// value is bound through these (integers it needs besides are written into its text).
    /// PostgreSQL numbers them (`$2, $3`). SQLite gets anonymous `?`: sqlx looks up each
    /// parameter's name as it binds, and SQLite finds a named `$n` by scanning a list, so a
    /// statement of 2,000 `$n` values costs millions of steps (a fifth of a 100,000-line
    /// import's time went there).
    pub fn params(self, first: usize, count: usize) -> String {
        match self {
            Backend::Sqlite => vec!["?"; count].join(", "),
            Backend::Postgres => (first..first + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", "),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    /// How a write transaction starts. SQLite must take the write lock up front
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails with
    /// "database is locked" under contention instead of waiting for the busy timeout.
    pub fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// Row lock for read-then-write inside a write transaction. SQLite already holds the
    /// database write lock after `BEGIN IMMEDIATE`, and does not parse `FOR UPDATE`.
    pub fn for_update(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// Row lock on the order (`o`) of a query that joins other tables: PostgreSQL must be told
    /// which table to lock; SQLite's `BEGIN IMMEDIATE` already holds the write lock.
    pub fn for_update_of_orders(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE OF o",
        }
    }

    /// Row locks on the orders (`o`) and their destinations (`s`) a query reads to change: a
    /// PostgreSQL transaction that waited for another's lock then reads both as that one left
    /// them (locking the orders alone would hand it the destinations as they were before).
    pub fn for_update_of_orders_and_shipments(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE OF o, s",
        }
    }

    /// Statements that refresh the planner's statistics of `tables` after a large sweep, if
    /// this database benefits. PostgreSQL's `ANALYZE` samples and blocks no writer; SQLite's
    /// planner keeps no value statistics and its `ANALYZE` reads whole indexes while holding
    /// the single writer, so nothing is run there.
    pub fn refresh_statistics(self, tables: &[&str]) -> Vec<String> {
        match self {
            Backend::Sqlite => Vec::new(),
            Backend::Postgres => tables.iter().map(|t| format!("ANALYZE {t}")).collect(),
        }
    }

    /// What a bench runs after generating rows into `table`, standing in for time passing:
    /// PostgreSQL's autovacuum would have set the visibility map (so a count reads the index
    /// alone) and sampled the table; SQLite's `ANALYZE` gives its planner the index sizes.
    pub fn settle_after_bulk_load(self, table: &str) -> String {
        match self {
            Backend::Sqlite => "ANALYZE".to_string(),
            Backend::Postgres => format!("VACUUM ANALYZE {table}"),
        }
    }

    /// The folder of this database's migrations under `migrations/`.
    pub fn migrations_folder(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// Case-insensitive substring match operator (`LIKE` in SQLite is already case-insensitive
    /// for ASCII).
    pub fn ilike(self) -> &'static str {
        match self {
            Backend::Sqlite => "LIKE",
            Backend::Postgres => "ILIKE",
        }
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern and wraps it in `%…%`.
pub fn contains_pattern(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(Backend::from_url("sqlite://kippu.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("postgres://postgres@127.0.0.1/k"), Some(Backend::Postgres));
        assert_eq!(Backend::from_url("mysql://x"), None);
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(contains_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }

    #[test]
    fn placeholders_number_every_bound_value_once_in_order() {
        use crate::batch::{id_list, row_params};
        assert_eq!(Backend::Postgres.params(2, 3), "$2, $3, $4");
        assert_eq!(Backend::Sqlite.params(2, 3), "?, ?, ?");
        assert_eq!(row_params(Backend::Postgres, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(row_params(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(id_list([3, 1]), "3,1");
    }
}
