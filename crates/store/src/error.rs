use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open database {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("unsupported database URL {0:?}: use sqlite://FILE or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    #[error("migration {version} ({name}) failed: {reason}")]
    Migration { version: i64, name: &'static str, reason: String },
    #[error("{entity} already exists: {detail}")]
    Conflict { entity: &'static str, detail: String },
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    /// What the stored data must always hold does not: a bug, never a user's mistake.
    #[error("broken invariant: {0}")]
    Invariant(String),
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Conflict`], so callers can answer
    /// 409/422 with a reason instead of a 500.
    pub fn conflict_on_unique(e: sqlx::Error, entity: &'static str, detail: impl Into<String>) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
                entity,
                detail: detail.into(),
            },
            _ => StoreError::Sql(e),
        }
    }
}
