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
}
