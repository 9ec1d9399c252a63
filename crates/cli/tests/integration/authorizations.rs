//! 与信モード after the order: the daily job warns every merchant user 5 days and 1 day before a
//! card authorization's 25-day expiry (once each), records the expiry, and a grace period later
//! cancels the order (the authorization voided, the stock back) unless the merchant acted.

use crate::harness::{TestApp, unique_email};
use serde_json::json;
use time::Duration;
use time::macros::datetime;

/// Emails queued for this app's merchant users whose subject starts with 【kippu】与信期限.
async fn warnings(t: &TestApp) -> Vec<(String, String)> {
    let mut c = t.conn().await;
    sqlx::query_as("SELECT to_addr, body FROM outbox WHERE subject LIKE '【kippu】与信期限%' ORDER BY id")
        .fetch_all(&mut *c)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_authorization_is_warned_twice_then_expires_then_is_released_with_its_stock() {
    let t = TestApp::spawn().await;
    // 与信モード: every channel's card orders are in the merchant's mode.
    t.card_mode("DEMO1", "card_auth").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let authorized = datetime!(2026-11-24 10:00 +09:00);
    t.clock.set(authorized);
    let stock_before = |p: &serde_json::Value| {
        p.as_array().unwrap().iter().find(|p| p["code"] == "WT-BASIC").unwrap()["stock"]
            .as_i64()
            .unwrap()
    };
    let before = stock_before(&api.get("/api/v1/products").await.1);
    let body = json!({"product_code": "WT-BASIC", "quantity": 2, "payment_method": "card_auth", "card_token": "tok_visa",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("auth"), "phone": "090-1234-5678"}});
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap().to_string();
    assert_eq!(stock_before(&api.get("/api/v1/products").await.1), before - 2);

    // Day 19: nothing yet. Day 20: five days left, every merchant user told once.
    t.clock.set(authorized + Duration::days(19));
    kippu_app::jobs::run_due(&t.app).await.unwrap();
    assert!(warnings(&t).await.iter().all(|(_, b)| !b.contains(&number)));
    t.clock.set(authorized + Duration::days(20) + Duration::minutes(1));
    let r = kippu_app::jobs::run_due(&t.app).await.unwrap();
    assert!(r.authorizations.warned >= 1, "{r:?}");
    let five: Vec<_> = warnings(&t).await.into_iter().filter(|(_, b)| b.contains(&number)).collect();
    assert!(!five.is_empty());
    assert!(five.iter().any(|(to, _)| to == "demo1-admin@kippu.test"), "{five:?}");
    assert!(five[0].1.contains("与信期限 2026/12/19(土) 10:00（残り5日以内）"), "{}", five[0].1);
    kippu_app::jobs::run_due(&t.app).await.unwrap();
    assert_eq!(
        warnings(&t).await.into_iter().filter(|(_, b)| b.contains(&number)).count(),
        five.len(),
        "a second run warns no one again"
    );
    // Day 24: one day left.
    t.clock.set(authorized + Duration::days(24) + Duration::minutes(1));
    kippu_app::jobs::run_due(&t.app).await.unwrap();
    let all = warnings(&t).await;
    assert!(all.iter().any(|(_, b)| b.contains(&number) && b.contains("残り1日以内")));

    // Day 25: expired — capture is refused, the history says so.
    t.clock.set(authorized + Duration::days(25) + Duration::minutes(1));
    let r = kippu_app::jobs::run_due(&t.app).await.unwrap();
    assert!(r.authorizations.expired >= 1);
    let (s, e) = api.post_empty(&format!("/api/v1/orders/{number}/capture")).await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("authorization_expired")));
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    assert!(admin.get(&format!("/orders/{number}")).await.body.contains("与信期限切れ"));

    // Seven days later nobody acted: the job cancels it, voids the authorization, frees the stock.
    t.clock.set(authorized + Duration::days(32) + Duration::minutes(1));
    let r = kippu_app::jobs::run_due(&t.app).await.unwrap();
    assert!(r.authorizations.released >= 1, "{r:?}");
    let (_, after) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(after["status"], "cancelled", "{after}");
    assert_eq!(stock_before(&api.get("/api/v1/products").await.1), before, "the stock is back");
    assert_eq!(kippu_app::jobs::run_due(&t.app).await.unwrap().authorizations.released, 0, "once");
}

#[tokio::test]
async fn a_captured_authorization_is_never_warned_nor_released() {
    let t = TestApp::spawn().await;
    // 与信モード: every channel's card orders are in the merchant's mode.
    t.card_mode("DEMO1", "card_auth").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let authorized = datetime!(2026-11-24 10:00 +09:00);
    t.clock.set(authorized);
    let body = json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "card_auth", "card_token": "tok_visa",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("cap"), "phone": "090-1234-5678"}});
    let (_, o) = api.post("/api/v1/orders", body).await;
    let number = o["order_number"].as_str().unwrap().to_string();
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{number}/capture")).await.0, 200);
    for day in [20, 24, 26, 40] {
        t.clock.set(authorized + Duration::days(day) + Duration::minutes(1));
        kippu_app::jobs::run_due(&t.app).await.unwrap();
    }
    assert!(warnings(&t).await.iter().all(|(_, b)| !b.contains(&number)));
    assert_eq!(api.get(&format!("/api/v1/orders/{number}")).await.1["status"], "awaiting_send");
}
