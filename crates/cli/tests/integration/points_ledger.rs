//! A customer's points as a ledger: activated points come in with their order, 有効取消 takes
//! them back out, the admin adjusts by hand with a reason, and no change takes the balance
//! below zero — a refused change leaves everything as it was.

use crate::harness::{Browser, GoodsSettings, TestApp, html, unique_email};
use serde_json::json;

/// 10 % points, activated by an admin; a 1,650-yen towel paid by card earns 165.
async fn order_earning_points(t: &TestApp, b: &Browser) -> (String, i64) {
    assert_eq!(b.save_goods_settings(GoodsSettings::POINTS_BY_ADMIN).await.status, 303);
    t.card_mode("DEMO1", "card_capture").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "GOODS-TOWEL", "payment_method": "card_capture", "card_token": "tok_visa",
                   "customer": {"name": "髙橋 美咲", "kana": "タカハシ ミサキ", "email": unique_email("ledger"), "phone": "090-1234-5678",
                                "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap().to_string();
    let mut conn = t.conn().await;
    let customer: i64 = sqlx::query_scalar("SELECT customer_id FROM orders WHERE order_number = $1")
        .bind(&number)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    (number, customer)
}

async fn points_of_order(b: &Browser, number: &str, active: bool) -> String {
    let page = b
        .get(if active {
            "/shipping/points?status=active"
        } else {
            "/shipping/points"
        })
        .await;
    page.attr(&format!("[data-testid=pick-point-{number}]"), "value")
        .unwrap_or_default()
}

async fn balance(b: &Browser, customer: i64) -> (String, Vec<String>) {
    let page = b.get(&format!("/proxy/customers/{customer}/points")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    (
        page.text("[data-testid=balance]").unwrap(),
        html::texts(&page.body, "[data-testid=balance-after]"),
    )
}

#[tokio::test]
async fn activated_points_come_in_and_an_undo_that_would_overdraw_is_refused() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (number, customer) = order_earning_points(&t, &b).await;
    assert_eq!(balance(&b, customer).await.0, "0", "pending points are not usable yet");

    let id = points_of_order(&b, &number, false).await;
    let done = b
        .submit("/shipping/points", "/shipping/points", &[("do", "activate"), ("id", &id)])
        .await;
    assert_eq!(done.status, 303);
    let page = b.get(&format!("/proxy/customers/{customer}/points")).await;
    assert_eq!(page.text("[data-testid=balance]").as_deref(), Some("165"));
    assert_eq!(page.text("[data-testid=delta]").as_deref(), Some("+165"));
    assert!(
        page.text("[data-testid=ledger]").unwrap().contains(&number),
        "the entry names its order"
    );

    let path = format!("/proxy/customers/{customer}/points");
    let taken = b.submit(&path, &path, &[("points", "－６５"), ("note", "返品のため")]).await;
    assert_eq!(taken.status, 303, "{}", taken.body);
    assert_eq!(
        balance(&b, customer).await,
        ("100".to_string(), vec!["100".to_string(), "165".to_string()])
    );

    // Undoing the activation would take 165 from 100: refused, nothing moves.
    b.submit(
        "/shipping/points?status=active",
        "/shipping/points",
        &[("do", "cancel"), ("id", &id)],
    )
    .await;
    let after = b.get("/shipping/points?status=active").await;
    assert!(after.text("[data-testid=flash-message]").unwrap().contains("マイナスになりません"));
    assert_eq!(points_of_order(&b, &number, true).await, id, "the points stay active");
    assert_eq!(balance(&b, customer).await.0, "100");
}

#[tokio::test]
async fn a_hand_adjustment_is_checked_and_never_overdraws() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (_, customer) = order_earning_points(&t, &b).await;
    let path = format!("/proxy/customers/{customer}/points");
    let bad = b.submit(&path, &path, &[("points", "abc"), ("note", "")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text("[data-testid=err-points]").is_some() && bad.text("[data-testid=err-note]").is_some());
    let overdraw = b.submit(&path, &path, &[("points", "-1"), ("note", "テスト")]).await;
    assert_eq!(overdraw.status, 422);
    assert!(overdraw.text("[data-testid=err-points]").unwrap().contains("マイナスになりません"));
    let given = b.submit(&path, &path, &[("points", "500"), ("note", "お詫び")]).await;
    assert_eq!(given.status, 303);
    let (now, entries) = balance(&b, customer).await;
    assert_eq!((now.as_str(), entries.len()), ("500", 1), "the refused adjustments left no entry");

    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(
        other.get(&path).await.status,
        404,
        "another merchant's customer does not exist there"
    );
}
