use crate::{Backend, StoreError, migrate};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

/// A write transaction. Dropping it without `commit` rolls back.
///
/// On SQLite it also holds the process's writer permit: writers queue here, in order, instead
/// of spinning in SQLite's busy handler (which sleeps up to 100 ms between retries and made
/// p50 latency grow with the number of clients).
pub struct Tx {
    inner: sqlx::Transaction<'static, Any>,
    _permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.inner.commit().await
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.inner
    }
}

/// The database handle every service gets. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// One writer at a time on SQLite (see [`Tx`]); unused on PostgreSQL.
    writer: std::sync::Arc<tokio::sync::Semaphore>,
}

/// Hides any password in a database URL before it is printed or logged.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages, so
/// whichever request commits then (a redemption at the door, say) waits for it. Instead the
/// connections switch it off and this task checkpoints passively twice a second, beside the
/// requests: PASSIVE never blocks readers or writers. It ends when the pool is closed; a
/// process without it (a short command) checkpoints when its last connection closes.
///
/// PASSIVE alone lets the WAL *file* grow without bound while readers never pause (lists and
/// exports all day): SQLite rewinds the WAL only when a writer finds every frame copied back and
/// no reader inside the log. So once the WAL holds more than [`WAL_TRUNCATE_PAGES`], the task takes the writer's turn (no write is in progress,
/// none starts) and tries a TRUNCATE with no busy wait: it succeeds the moment no reader is
/// inside the log, and otherwise gives way at once, to try again at the next tick. The
/// connections' `journal_size_limit` also cuts a rewound WAL back to [`WAL_LIMIT_BYTES`]. A
/// large WAL is retried every 20 ms until it is rewound.
fn spawn_checkpointer(pool: AnyPool, writer: std::sync::Arc<tokio::sync::Semaphore>) {
    tokio::spawn(async move {
        let mut pause = CHECKPOINT_EVERY;
        loop {
            tokio::time::sleep(pause).await;
            if pool.is_closed() {
                break;
            }
            pause = match checkpoint(&pool, &writer).await {
                Ok(Wal::Small) => CHECKPOINT_EVERY,
                // A reader was inside the log: try again soon, before more is written.
                Ok(Wal::Large) => Duration::from_millis(20),
                Err(e) => {
                    if pool.is_closed() {
                        break;
                    }
                    tracing::warn!(error = %e, "WAL checkpoint failed; will retry");
                    CHECKPOINT_EVERY
                }
            };
        }
    });
}

const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// Above this many WAL pages (4 KiB each: 16 MiB) the checkpointer rewinds the WAL.
pub const WAL_TRUNCATE_PAGES: i64 = 4096;
/// What a rewound WAL file is cut back to.
pub const WAL_LIMIT_BYTES: i64 = 16 * 1024 * 1024;

enum Wal {
    Small,
    /// Still above [`WAL_TRUNCATE_PAGES`] after this turn.
    Large,
}

async fn checkpoint(pool: &AnyPool, writer: &tokio::sync::Semaphore) -> Result<Wal, sqlx::Error> {
    let (_busy, log, _copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(pool).await?;
    if log <= WAL_TRUNCATE_PAGES {
        return Ok(Wal::Small);
    }
    let Ok(_turn) = writer.acquire().await else {
        return Ok(Wal::Small);
    };
    let mut conn = pool.acquire().await?;
    conn.execute("PRAGMA busy_timeout = 0").await?;
    let truncated = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(&mut *conn)
        .await;
    conn.execute("PRAGMA busy_timeout = 10000").await?;
    // (busy, log, copied): busy = 1 when a reader kept the log from being rewound.
    Ok(match truncated? {
        (0, _, _) => Wal::Small,
        _ => Wal::Large,
    })
}

impl Store {
    /// Opens the database (creating an SQLite file on first start) without migrating.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| StoreError::UnsupportedUrl(url.to_string()))?;
        let url_for_driver = match backend {
            Backend::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let connect_err = |e: sqlx::Error| StoreError::Connect {
            url: redact_url(url),
            reason: e.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url_for_driver).map_err(connect_err)?;
        let pool_options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(match backend {
                // One writer at a time anyway; more readers help the list pages under WAL.
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(sqlx::AssertSqlSafe(format!(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
                             PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {WAL_LIMIT_BYTES};"
                        )))
                        .await?;
                    }
                    Ok(())
                })
            });
        let pool = pool_options.connect_with(options).await.map_err(connect_err)?;
        // Prove the database answers now, so a wrong URL fails at start with one clear line.
        pool.execute("SELECT 1").await.map_err(connect_err)?;
        let writer = std::sync::Arc::new(tokio::sync::Semaphore::new(1));
        if backend == Backend::Sqlite {
            spawn_checkpointer(pool.clone(), writer.clone());
        }
        Ok(Store { pool, backend, writer })
    }

    /// Opens and migrates: what `serve` and every command that touches data do.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies every pending migration; returns the versions applied now.
    pub async fn migrate(&self) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        migrate::run(self.backend, &mut conn).await
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A connection for reads (and single-statement writes that need no transaction).
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<Any>, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    /// Starts a write transaction: `BEGIN IMMEDIATE` on SQLite, `BEGIN` on PostgreSQL.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let permit = match self.backend {
            Backend::Sqlite => Some(self.writer.clone().acquire_owned().await.map_err(|e| StoreError::Connect {
                url: "sqlite".into(),
                reason: e.to_string(),
            })?),
            Backend::Postgres => None,
        };
        Ok(Tx {
            inner: self.pool.begin_with(self.backend.begin_write()).await?,
            _permit: permit,
        })
    }

    /// True when the database answers a trivial query: the health check.
    pub async fn ping(&self) -> bool {
        self.pool.execute("SELECT 1").await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            redact_url("postgres://kippu:s3cret@db:5432/kippu"),
            "postgres://kippu:***@db:5432/kippu"
        );
        assert_eq!(redact_url("sqlite://kippu.db"), "sqlite://kippu.db");
    }
}
