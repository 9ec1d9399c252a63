//! The goods list's search as the manual sets it (ステータス, 入金状況, 発送状況 besides 決済種別
//! and the days): the orders that can be shipped now are 通常処理, 入金済 and 未発送.

use crate::harness::{Api, TestApp, html, unique_email};
use serde_json::json;

async fn order(api: &Api, method: &str) -> String {
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "G-TOWEL", "quantity": 1, "payment_method": method, "card_token": "tok_visa",
                   "customer": {"name": "小林 直子", "kana": "コバヤシ ナオコ", "email": unique_email("search"), "phone": "090-1234-5678",
                                "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

async fn act(api: &Api, number: &str, action: &str) {
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{number}/{action}")).await;
    assert_eq!(s, 200, "{action}: {o}");
}

#[tokio::test]
async fn paid_and_unshipped_orders_in_progress_are_what_can_be_shipped_now() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 50}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let unpaid = order(&api, "bank_store").await;
    let paid = order(&api, "bank_store").await;
    act(&api, &paid, "mark-paid").await;
    let shipped = order(&api, "card_capture").await;
    act(&api, &shipped, "ship").await;
    let cod = order(&api, "cod").await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let found = |path: String| {
        let b = &b;
        async move {
            let page = b.get(&path).await;
            assert_eq!(page.status, 200, "{path}: {}", page.body);
            let mut numbers = html::attrs(&page.body, "tr[data-order]", "data-order");
            numbers.sort();
            numbers
        }
    };
    let q = "q=%E3%82%B3%E3%83%90%E3%83%A4%E3%82%B7"; // コバヤシ
    let mut expected = vec![paid.clone(), shipped.clone()];
    expected.sort();
    assert_eq!(
        found(format!("/shipping/orders?{q}&status=normal&payment=paid")).await,
        expected,
        "入金済 in progress (cash on delivery has no payment status)"
    );
    assert_eq!(
        found(format!("/shipping/orders?{q}&status=normal&payment=paid&shipping=unshipped")).await,
        vec![paid.clone()],
        "what can be shipped now"
    );
    assert_eq!(found(format!("/shipping/orders?{q}&shipping=shipped")).await, vec![shipped.clone()]);
    assert_eq!(found(format!("/shipping/orders?{q}&payment=unpaid")).await, vec![unpaid.clone()]);
    let mut unshipped = vec![unpaid.clone(), paid.clone(), cod.clone()];
    unshipped.sort();
    assert_eq!(found(format!("/shipping/orders?{q}&shipping=unshipped")).await, unshipped);
    let page = b.get("/shipping/orders?status=half_done").await;
    assert_eq!(page.status, 422, "an unknown status is refused, never ignored");
    assert!(page.body.contains("「half_done」は選択肢にありません"), "{}", page.body);

    // The download and the labels take the same search.
    let (s, bytes) = b
        .get_bytes(&format!(
            "/shipping/orders.csv?{q}&status=normal&payment=paid&shipping=unshipped&encoding=utf-8"
        ))
        .await;
    assert_eq!(s, 200);
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains(&paid) && !text.contains(&unpaid) && !text.contains(&shipped),
        "{text}"
    );
}
