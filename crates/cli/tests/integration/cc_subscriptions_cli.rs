//! The 定期 job in the binary: `kippu jobs run` at KIPPU_FAKE_NOW a cycle after the first order
//! makes the child; two processes run at the same moment against the same database make it
//! once, and a rerun makes nothing.

use crate::cli::kippu;
use kippu_app::goods::GoodsOrderRequest;
use kippu_domain::account::Role;
use kippu_domain::clock::ManualClock;
use std::sync::Arc;
use time::macros::datetime;

fn subscription_order() -> GoodsOrderRequest {
    let body = serde_json::json!({"payment_method": "bank_store", "subscription": {"every_days": 30},
        "customer": {"name": "定期 花子", "kana": "テイキ ハナコ", "email": "teiki-cli@example.jp", "phone": "090-1234-5678",
                     "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"},
        "destinations": [{"name": "定期 花子", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "phone": "090-1234-5678",
                          "lines": [{"product_code": "GOODS-TEA", "quantity": 1}]}]});
    serde_json::from_value(body).unwrap()
}

/// A demo database on 2030-04-01 with one 定期 master (every 30 days) of DEMO1: the temp dir,
/// its URL, the store and the master's id.
async fn demo_with_a_master() -> (tempfile::TempDir, String, kippu_store::Store, i64) {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::harness::fresh_database_url(dir.path()).await;
    let (code, _, err) = kippu(
        &["demo"],
        &[
            ("KIPPU_DATABASE_URL", url.as_str()),
            ("KIPPU_FAKE_NOW", "2030-04-01T09:00:00+09:00"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let store = kippu_store::Store::open(&url).await.unwrap();
    let clock = Arc::new(ManualClock::new(datetime!(2030-04-01 09:00 +09:00)));
    let app = kippu_app::App::new(store.clone(), clock, kippu_app::AppConfig::default());
    let merchant = {
        let mut c = store.conn().await.unwrap();
        kippu_store::merchants::find_by_code(&mut c, "DEMO1").await.unwrap().unwrap().id
    };
    let actor = kippu_app::Actor::unattended(merchant, Role::MerchantAdmin, "cli test");
    let first = kippu_app::goods::create(&app, &actor, &subscription_order(), None).await.unwrap();
    let id = first.view.order.subscription_id.unwrap();
    (dir, url, store, id)
}

#[tokio::test]
async fn only_subscriptions_makes_the_child_and_settles_nothing() {
    let (dir, url, store, _) = demo_with_a_master().await;
    let outbox = dir.path().join("outbox");
    // Two months on: every job would settle April; `--only subscriptions` leaves it alone.
    let env = [
        ("KIPPU_DATABASE_URL", url.as_str()),
        ("KIPPU_FAKE_NOW", "2030-05-01T09:00:00+09:00"),
        ("KIPPU_OUTBOX_DIR", outbox.to_str().unwrap()),
    ];
    let (code, out, err) = kippu(&["jobs", "run", "--only", "subscriptions"], &env);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("subscriptions: 1 child orders made"), "{out}");
    assert!(!out.contains("settlements:"), "{out}");
    let mut c = store.conn().await.unwrap();
    let settlements: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM settlements")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(settlements, 0, "no period was settled");
    let (code, out, _) = kippu(&["jobs", "run"], &env);
    assert_eq!(code, 0);
    assert!(out.contains("subscriptions: 0 child orders made"), "{out}");
    let settlements: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM settlements")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert!(settlements > 0, "every job settles April: {out}");
}

#[tokio::test]
async fn two_job_processes_at_kippu_fake_now_make_the_child_once() {
    let (dir, url, store, id) = demo_with_a_master().await;
    let outbox = dir.path().join("outbox");
    let env = [
        ("KIPPU_DATABASE_URL", url.as_str()),
        ("KIPPU_FAKE_NOW", "2030-05-01T09:00:00+09:00"),
        ("KIPPU_OUTBOX_DIR", outbox.to_str().unwrap()),
    ];
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| kippu(&["jobs", "run"], &env));
        let b = s.spawn(|| kippu(&["jobs", "run"], &env));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!((a.0, b.0), (0, 0), "{} {}", a.2, b.2);
    let made = [&a.1, &b.1]
        .iter()
        .filter(|out| out.contains("subscriptions: 1 child orders made"))
        .count();
    assert_eq!(made, 1, "one process made it: {} / {}", a.1, b.1);
    let (_, again, _) = kippu(&["jobs", "run"], &env);
    assert!(again.contains("subscriptions: 0 child orders made"), "{again}");
    let mut c = store.conn().await.unwrap();
    let children: Vec<(String, String)> = sqlx::query_as(
        "SELECT subscription_cycle_date, order_type FROM orders WHERE subscription_id = $1 AND subscription_cycle_date IS NOT NULL",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await
    .unwrap();
    assert_eq!(children, vec![("2030-05-01".to_string(), "subscription_child".to_string())]);
    let next: String = sqlx::query_scalar("SELECT next_date FROM subscriptions WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(next, "2030-05-31");
}
