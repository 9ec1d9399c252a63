//! Storage behaviour shared by both databases: migrations, demo data, transactions.

use crate::harness::{TestApp, fresh_database_url};
use kippu_store::Store;

#[tokio::test]
async fn migrations_apply_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let store = Store::connect(&url).await.unwrap();
    let applied = store.migrate().await.unwrap();
    // Every migration, in order (numbers are handed out per piece of work, so a branch may skip
    // one another branch holds).
    assert_eq!(applied.first(), Some(&1));
    assert!(applied.windows(2).all(|w| w[0] < w[1]), "every migration, in order: {applied:?}");
    assert!(applied.len() >= 2);
    assert_eq!(store.migrate().await.unwrap(), Vec::<i64>::new());
    assert!(store.ping().await);
}

#[tokio::test]
async fn demo_data_loads_idempotently() {
    let t = TestApp::spawn().await;
    let count = |sql: &'static str| {
        let store = t.app.store.clone();
        async move {
            let mut c = store.conn().await.unwrap();
            sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *c).await.unwrap()
        }
    };
    let before = (
        count("SELECT COUNT(*) FROM merchants").await,
        count("SELECT COUNT(*) FROM users").await,
        count("SELECT COUNT(*) FROM products").await,
        count("SELECT COUNT(*) FROM stock").await,
    );
    kippu_app::demo::load(&t.app).await.unwrap();
    let after = (
        count("SELECT COUNT(*) FROM merchants").await,
        count("SELECT COUNT(*) FROM users").await,
        count("SELECT COUNT(*) FROM products").await,
        count("SELECT COUNT(*) FROM stock").await,
    );
    assert_eq!(before, after);
    assert_eq!(before.0, 2);
    assert_eq!(count("SELECT COUNT(*) FROM stores").await, 4);
    assert_eq!(count("SELECT COUNT(*) FROM terminals").await, 8);
    // Every product kind of the spec is in the demo, for both merchants.
    assert_eq!(count("SELECT COUNT(DISTINCT kind) FROM products").await, 4);
    assert_eq!(
        count("SELECT COUNT(DISTINCT ticket_type) FROM products WHERE kind = 'web_ticket'").await,
        4
    );
}

#[tokio::test]
async fn a_rolled_back_transaction_leaves_nothing() {
    let t = TestApp::spawn().await;
    let mut tx = t.app.store.begin().await.unwrap();
    kippu_store::outbox::enqueue(
        &mut tx,
        &kippu_store::outbox::NewMessage {
            merchant_id: None,
            template_key: "password_reset",
            to_addr: "x@kippu.test",
            subject: "s",
            body: "b",
            order_id: None,
        },
        0,
    )
    .await
    .unwrap();
    drop(tx);
    let mut c = t.conn().await;
    assert!(kippu_store::outbox::list(&mut c, None, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn stock_can_never_go_negative() {
    let t = TestApp::spawn().await;
    let mut c = t.conn().await;
    let r = sqlx::query("UPDATE stock SET remaining = -1 WHERE id = (SELECT MIN(id) FROM stock)")
        .execute(&mut *c)
        .await;
    assert!(r.is_err(), "the CHECK constraint refuses negative stock");
}
