//! The merchant admin's fraud rules: an order over the amount limit, from a phone over its
//! hourly count, or to a blocked phone or address is refused (422 `fraud_rule`) before the card
//! company is asked, and kept as a rejected order with the rule as its reason; staff may not
//! change the rules.

use crate::harness::{Browser, TestApp, unique_email};
use serde_json::{Value, json};

async fn admin(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b
}

async fn set_rules(b: &Browser, fields: &[(&str, &str)]) {
    let r = b.submit("/callcenter/settings/fraud", "/callcenter/settings/fraud", fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

fn order(phone: &str) -> Value {
    json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "bank_store",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("fraud"), "phone": phone}})
}

async fn refused_with(t: &TestApp, body: Value, reason: &str) {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, e) = api.post("/api/v1/orders", body).await;
    assert_eq!((s, e["error"]["code"].as_str()), (422, Some("fraud_rule")), "{e}");
    let (_, l) = api.get("/api/v1/rejected-orders").await;
    assert_eq!(l["items"][0]["reason"], reason, "{l}");
}

#[tokio::test]
async fn an_order_above_the_amount_limit_is_refused_and_kept() {
    let t = TestApp::spawn().await;
    set_rules(&admin(&t).await, &[("max_amount", "100")]).await;
    refused_with(&t, order("090-1111-2222"), "fraud_amount").await;
}

#[tokio::test]
async fn a_blocked_phone_is_refused_and_kept() {
    let t = TestApp::spawn().await;
    set_rules(&admin(&t).await, &[("blocked_phones", "09011112222")]).await;
    refused_with(&t, order("090-1111-2222"), "fraud_blocked").await;
}

#[tokio::test]
async fn a_blocked_address_is_refused_and_kept() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-FRAUD", "name": "タオル", "kind": "goods", "price": 1000, "stock": 5}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    set_rules(&admin(&t).await, &[("blocked_addresses", "浅草1-2-3")]).await;
    let body = json!({"product_code": "G-FRAUD", "quantity": 1, "payment_method": "bank_store",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("fraud"), "phone": "090-1234-5678",
                     "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}});
    refused_with(&t, body, "fraud_blocked").await;
}

#[tokio::test]
async fn more_orders_from_one_phone_in_an_hour_are_refused() {
    let t = TestApp::spawn().await;
    set_rules(&admin(&t).await, &[("max_orders_per_phone_hour", "1")]).await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api.post("/api/v1/orders", order("090-3333-4444")).await;
    assert_eq!(s, 201, "the first is taken: {o}");
    refused_with(&t, order("090-3333-4444"), "fraud_phone_rate").await;
}

#[tokio::test]
async fn staff_may_not_change_the_fraud_rules() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-staff", "Demo1Staff").await;
    assert_eq!(b.get("/callcenter/settings/fraud").await.status, 403);
    let csrf = b.get("/callcenter").await.csrf();
    let r = b.post("/callcenter/settings/fraud", &[("_csrf", &csrf), ("max_amount", "1")]).await;
    assert_eq!(r.status, 403, "{}", r.body);
}
