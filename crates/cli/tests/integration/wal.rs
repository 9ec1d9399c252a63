//! SQLite's WAL file stays bounded while kippu serves: steady writes beside steady short reads
//! (lists and pages all day) never let it grow past a few times its limit, and it is cut back
//! once the writes stop. An SQLite behaviour: the test opens its own SQLite file whichever
//! database the suite runs on.

use kippu_store::{Store, WAL_LIMIT_BYTES};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn wal_size(db: &std::path::Path) -> u64 {
    std::fs::metadata(db.with_extension("db-wal")).map(|m| m.len()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_stays_bounded_under_steady_writes_and_reads() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wal.db");
    let store = Store::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    {
        let mut c = store.conn().await.unwrap();
        sqlx::query("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            .execute(&mut *c)
            .await
            .unwrap();
    }
    // A reader that is inside a read transaction half of the time, as list pages are.
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (store, stop) = (store.clone(), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let mut c = store.conn().await.unwrap();
                sqlx::query("BEGIN").execute(&mut *c).await.unwrap();
                let _: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM filler")
                    .fetch_one(&mut *c)
                    .await
                    .unwrap();
                tokio::time::sleep(Duration::from_millis(5)).await;
                sqlx::query("COMMIT").execute(&mut *c).await.unwrap();
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    // 96 MiB written, 384 KiB a transaction: six times the WAL's limit.
    let body = "x".repeat(4000);
    let mut largest = 0;
    for _ in 0..256 {
        let mut tx = store.begin().await.unwrap();
        for _ in 0..96 {
            sqlx::query("INSERT INTO filler (body) VALUES ($1)")
                .bind(&body)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        largest = largest.max(wal_size(&db));
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    stop.store(true, Ordering::Relaxed);
    reader.await.unwrap();
    let limit = WAL_LIMIT_BYTES as u64;
    assert!(largest < 3 * limit, "the WAL reached {largest} bytes while serving (limit {limit})");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        wal_size(&db) <= limit,
        "the WAL is {} bytes after the writes stopped",
        wal_size(&db)
    );
}
