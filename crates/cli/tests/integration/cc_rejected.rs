//! リジェクト注文情報 (seed 003): an order the card company declines answers 402 and is kept with
//! its lines (内訳), orderer (注文者情報) and reason; the list and the page show it; another
//! merchant's rejected order is not found.

use crate::harness::{TestApp, html, unique_email};
use serde_json::{Value, json};

fn declined_order(email: &str) -> Value {
    json!({"product_code": "WT-BASIC", "quantity": 2, "payment_method": "card_capture", "card_token": "tok_declined",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email, "phone": "090-1234-5678"}})
}

#[tokio::test]
async fn a_declined_card_answers_402_and_is_kept_with_lines_and_reason() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let email = unique_email("rej");
    let (s, e) = api.post("/api/v1/orders", declined_order(&email)).await;
    assert_eq!((s, e["error"]["code"].as_str()), (402, Some("card_declined")), "{e}");
    let (s, l) = api.get("/api/v1/rejected-orders").await;
    assert_eq!(s, 200, "{l}");
    let r = &l["items"][0];
    assert_eq!(r["reason"], "card_declined", "{l}");
    assert_eq!(r["reason_detail"], "card_declined");
    assert_eq!(r["customer_email"], email.as_str());
    assert_eq!(r["channel"], "api");
    assert_eq!(r["payment_method"], "card_capture");
    assert_eq!(r["lines"][0]["product_code"], "WT-BASIC");
    assert_eq!(r["lines"][0]["quantity"], 2);
    assert_eq!(r["amount"].as_i64(), Some(r["lines"][0]["unit_price"].as_i64().unwrap() * 2));
    let (s, one) = api.get(&format!("/api/v1/rejected-orders/{}", r["id"])).await;
    assert_eq!((s, &one["id"]), (200, &r["id"]));
}

#[tokio::test]
async fn another_merchants_rejected_order_is_not_found() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    api.post("/api/v1/orders", declined_order(&unique_email("rej"))).await;
    let (_, l) = api.get("/api/v1/rejected-orders").await;
    let id = l["items"][0]["id"].as_i64().unwrap();
    let other = t.api(&t.token(Some("DEMO2")).await);
    assert_eq!(other.get(&format!("/api/v1/rejected-orders/{id}")).await.0, 404);
    let (_, theirs) = other.get("/api/v1/rejected-orders").await;
    assert_eq!(theirs["total"], 0, "{theirs}");
}

#[tokio::test]
async fn the_list_is_searched_by_reason_and_a_bad_date_is_named() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    api.post("/api/v1/orders", declined_order(&unique_email("rej"))).await;
    let (_, l) = api.get("/api/v1/rejected-orders?reason=fraud_amount").await;
    assert_eq!(l["total"], 0, "{l}");
    let (_, l) = api.get("/api/v1/rejected-orders?reason=card_declined").await;
    assert_eq!(l["total"], 1, "{l}");
    let (s, e) = api.get("/api/v1/rejected-orders?from=2026-13-01").await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("from")), "{e}");
}

#[tokio::test]
async fn the_rejected_page_lists_and_opens_one_with_its_lines_and_reentry() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    api.post("/api/v1/orders", declined_order(&unique_email("rej"))).await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let list = b.get("/callcenter/rejected").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(html::texts(&list.body, "[data-testid=rejected-reason]"), vec!["カード決済不可"]);
    let href = list.attr("[data-testid=rejected-open]", "href").unwrap();
    let one = b.get(&href).await;
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(html::texts(&one.body, "[data-testid=rejected-line]").len(), 1);
    let reenter = one.attr("[data-testid=rejected-reenter]", "href").unwrap();
    assert!(reenter.contains("from_rejected="), "{reenter}");
}
