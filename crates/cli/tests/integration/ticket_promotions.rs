//! Coupons and AD codes on web-ticket and reservation orders (issue 23's `POST /api/v1/orders`
//! "for tickets and goods alike"): the coupon comes off the tickets' amount and the card is
//! authorized for what is left; uses are counted with the goods orders' in one count; a bad
//! code is refused naming its field; both show on the order, in its CSV and in the report; a
//! cancelled ticket order gives its use back.

use crate::harness::{Api, TestApp, html, unique_email};
use serde_json::{Value, json};

/// A web-ticket order of DEMO1's WT-BASIC (2,000 yen a ticket) with `extra` fields.
async fn tickets(api: &Api, qty: i64, email: &str, extra: Value) -> (u16, Value) {
    let mut body = json!({"product_code": "WT-BASIC", "quantity": qty, "payment_method": "card_capture", "card_token": "tok_visa",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email, "phone": "090-1234-5678"}});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    api.post("/api/v1/orders", body).await
}

async fn coupon(api: &Api, body: Value) {
    let (s, c) = api.post("/api/v1/coupons", body).await;
    assert_eq!(s, 201, "{c}");
}

fn yen_off(code: &str, yen: i64) -> Value {
    json!({"code": code, "name": "割引", "discount_kind": "yen", "discount_value": yen})
}

async fn used_count(t: &TestApp, code: &str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar("SELECT used_count FROM coupons WHERE code = $1")
        .bind(code)
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

/// The amount the card payment of order `number` was authorized (and captured) for.
async fn authorized(t: &TestApp, number: &str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar("SELECT p.amount FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.order_number = $1")
        .bind(number)
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

fn refused_on(s: u16, e: &Value) -> (u16, Option<&str>) {
    (s, e["error"]["field"].as_str())
}

async fn demo1(t: &TestApp) -> Api {
    t.api(&t.token(Some("DEMO1")).await)
}

#[tokio::test]
async fn a_coupon_comes_off_the_tickets_and_the_card_is_authorized_for_the_rest() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    coupon(&api, yen_off("OFF500", 500)).await;
    let (s, o) = tickets(&api, 2, &unique_email("tp"), json!({"coupon_code": "off500"})).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(
        (o["amount"].as_i64(), o["discount"].as_i64(), o["coupon_code"].as_str()),
        (Some(3500), Some(500), Some("OFF500"))
    );
    let number = o["order_number"].as_str().unwrap();
    assert_eq!(authorized(&t, number).await, 3500);
    assert_eq!(used_count(&t, "OFF500").await, 1);
    let (s, again) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!((s, again["discount"].as_i64()), (200, Some(500)), "{again}");
}

#[tokio::test]
async fn an_order_without_a_coupon_has_no_discount_fields() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (s, o) = tickets(&api, 2, &unique_email("tp"), json!({})).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["amount"], 4000);
    for field in ["discount", "coupon_code", "ad_code", "subscription_id"] {
        assert!(o.get(field).is_none(), "{field} in {o}");
    }
}

#[tokio::test]
async fn a_reservation_takes_a_percent_coupon_and_an_ad_code() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    coupon(
        &api,
        json!({"code": "TEN", "name": "1割引き", "discount_kind": "percent", "discount_value": 10}),
    )
    .await;
    let (s, a) = api.post("/api/v1/ad-codes", json!({"code": "TV1", "name": "テレビCM"})).await;
    assert_eq!(s, 201, "{a}");
    let body = json!({"product_code": "RSV-LUNCH", "visit_date": "2026-11-25", "party_size": 3, "payment_method": "card_capture",
        "card_token": "tok_visa", "coupon_code": "TEN", "ad_code": "tv1",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("tp"), "phone": "090-1234-5678"}});
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    // 4,400 yen a person, three people, 10 % off.
    assert_eq!(
        (o["amount"].as_i64(), o["discount"].as_i64(), o["ad_code"].as_str()),
        (Some(11880), Some(1320), Some("TV1"))
    );
    assert_eq!(authorized(&t, o["order_number"].as_str().unwrap()).await, 11880);
}

#[tokio::test]
async fn an_unknown_coupon_is_refused_on_the_coupon_field_and_nothing_is_written() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let before = t.scalar("SELECT COUNT(*) FROM orders").await;
    let (s, e) = tickets(&api, 1, &unique_email("tp"), json!({"coupon_code": "NOPE"})).await;
    assert_eq!(refused_on(s, &e), (422, Some("coupon_code")), "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, before);
}

#[tokio::test]
async fn an_expired_coupon_is_refused_with_the_reason() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    coupon(
        &api,
        json!({"code": "OLD", "name": "古い", "discount_kind": "yen", "discount_value": 500, "valid_to": "2026-11-23"}),
    )
    .await;
    let (s, e) = tickets(&api, 1, &unique_email("tp"), json!({"coupon_code": "OLD"})).await;
    assert_eq!(refused_on(s, &e), (422, Some("coupon_code")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("有効期限"), "{e}");
}

#[tokio::test]
async fn a_used_up_coupon_is_refused_and_a_goods_order_counts_toward_the_same_limit() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    coupon(
        &api,
        json!({"code": "ONE", "name": "1回限り", "discount_kind": "yen", "discount_value": 300, "total_limit": 2}),
    )
    .await;
    crate::cc_subscriptions::product(&api, "G-TEA", 1500).await;
    let mut goods = crate::cc_subscriptions::order_body("G-TEA", json!(null));
    goods.as_object_mut().unwrap().remove("subscription");
    goods["coupon_code"] = json!("ONE");
    let (s, g) = api.post("/api/v1/orders", goods).await;
    assert_eq!((s, g["discount"].as_i64()), (201, Some(300)), "{g}");
    let (s, o) = tickets(&api, 1, &unique_email("tp"), json!({"coupon_code": "ONE"})).await;
    assert_eq!((s, o["discount"].as_i64()), (201, Some(300)), "{o}");
    let (s, e) = tickets(&api, 1, &unique_email("tp"), json!({"coupon_code": "ONE"})).await;
    assert_eq!(refused_on(s, &e), (422, Some("coupon_code")), "{e}");
    assert_eq!(used_count(&t, "ONE").await, 2);
}

#[tokio::test]
async fn a_coupon_once_per_customer_is_refused_to_the_same_buyer_again() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    coupon(
        &api,
        json!({"code": "HELLO", "name": "初回", "discount_kind": "yen", "discount_value": 500, "per_customer": 1}),
    )
    .await;
    let email = unique_email("tp");
    let (s, o) = tickets(&api, 1, &email, json!({"coupon_code": "HELLO"})).await;
    assert_eq!(s, 201, "{o}");
    let (s, e) = tickets(&api, 1, &email, json!({"coupon_code": "HELLO"})).await;
    assert_eq!(refused_on(s, &e), (422, Some("coupon_code")), "{e}");
    let (s, other) = tickets(&api, 1, &unique_email("tp"), json!({"coupon_code": "HELLO"})).await;
    assert_eq!(s, 201, "another buyer may: {other}");
}

#[tokio::test]
async fn another_merchants_coupon_is_refused_as_unknown() {
    let t = TestApp::spawn().await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    coupon(&other, yen_off("THEIRS", 500)).await;
    let api = demo1(&t).await;
    let (s, e) = tickets(&api, 1, &unique_email("tp"), json!({"coupon_code": "THEIRS"})).await;
    assert_eq!(refused_on(s, &e), (422, Some("coupon_code")), "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM coupon_uses").await, 0);
}

#[tokio::test]
async fn an_unknown_ad_code_is_refused_on_the_ad_code_field() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (s, e) = tickets(&api, 1, &unique_email("tp"), json!({"ad_code": "NOPE"})).await;
    assert_eq!(refused_on(s, &e), (422, Some("ad_code")), "{e}");
}

#[tokio::test]
async fn a_retried_order_with_a_coupon_uses_it_once() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    coupon(&api, yen_off("OFF500", 500)).await;
    let body = json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "bank_store", "coupon_code": "OFF500",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("tp"), "phone": "090-1234-5678"}});
    let (s1, first) = api.post_with_key("/api/v1/orders", "coupon-retry-1", body.clone()).await;
    let (s2, again) = api.post_with_key("/api/v1/orders", "coupon-retry-1", body).await;
    assert_eq!((s1, s2), (201, 200), "{first} {again}");
    assert_eq!(first["order_number"], again["order_number"]);
    assert_eq!(used_count(&t, "OFF500").await, 1);
}

#[tokio::test]
async fn cancelling_a_ticket_order_gives_its_coupon_use_back() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    coupon(
        &api,
        json!({"code": "ONLY1", "name": "1回限り", "discount_kind": "yen", "discount_value": 1000, "total_limit": 1}),
    )
    .await;
    let unpaid = json!({"coupon_code": "ONLY1", "payment_method": "bank_store", "card_token": null});
    let (s, o) = tickets(&api, 1, &unique_email("tp"), unpaid).await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap();
    let (s, c) = api.post_empty(&format!("/api/v1/orders/{number}/cancel")).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(used_count(&t, "ONLY1").await, 0);
    let (s, again) = tickets(&api, 1, &unique_email("tp"), json!({"coupon_code": "ONLY1"})).await;
    assert_eq!((s, again["discount"].as_i64()), (201, Some(1000)), "{again}");
}

#[tokio::test]
async fn the_promotions_report_counts_ticket_orders_with_goods_orders() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (s, a) = api.post("/api/v1/ad-codes", json!({"code": "NEWS", "name": "新聞広告"})).await;
    assert_eq!(s, 201, "{a}");
    coupon(&api, yen_off("OFF500", 500)).await;
    crate::cc_subscriptions::product(&api, "G-TEA", 1500).await;
    let mut goods = crate::cc_subscriptions::order_body("G-TEA", json!(null));
    goods.as_object_mut().unwrap().remove("subscription");
    goods["ad_code"] = json!("NEWS");
    let (s, g) = api.post("/api/v1/orders", goods).await;
    assert_eq!(s, 201, "{g}");
    let (s, o) = tickets(&api, 2, &unique_email("tp"), json!({"ad_code": "NEWS", "coupon_code": "OFF500"})).await;
    assert_eq!(s, 201, "{o}");
    let (s, r) = api.get("/api/v1/reports/promotions?from=2026-11-01&to=2026-11-30").await;
    assert_eq!(s, 200, "{r}");
    let sales = g["amount"].as_i64().unwrap() + 3500;
    assert_eq!(
        (
            r["ad_codes"][0]["code"].as_str(),
            r["ad_codes"][0]["orders"].as_i64(),
            r["ad_codes"][0]["sales"].as_i64()
        ),
        (Some("NEWS"), Some(2), Some(sales)),
        "{r}"
    );
    assert_eq!(
        (
            r["coupons"][0]["code"].as_str(),
            r["coupons"][0]["orders"].as_i64(),
            r["coupons"][0]["sales"].as_i64()
        ),
        (Some("OFF500"), Some(1), Some(3500))
    );
}

#[tokio::test]
async fn the_order_csv_carries_the_discount_the_coupon_and_the_ad_code() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    coupon(&api, yen_off("OFF500", 500)).await;
    let (s, a) = api.post("/api/v1/ad-codes", json!({"code": "TV1", "name": "テレビCM"})).await;
    assert_eq!(s, 201, "{a}");
    let (s, o) = tickets(&api, 2, &unique_email("tp"), json!({"ad_code": "TV1", "coupon_code": "OFF500"})).await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap();
    let text = api
        .get_raw(&format!("/api/v1/orders/export.csv?q={number}&encoding=utf-8"))
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let at = |name: &str| {
        rows[0]
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", rows[0]))
    };
    assert_eq!(rows.len(), 3, "a line per ticket: {rows:?}");
    for row in &rows[1..] {
        assert_eq!(
            (
                row[at("受注金額")].as_str(),
                row[at("割引額")].as_str(),
                row[at("クーポンコード")].as_str(),
                row[at("広告コード")].as_str()
            ),
            ("3500", "500", "OFF500", "TV1")
        );
    }
}

#[tokio::test]
async fn the_order_page_shows_the_discount_the_coupon_and_the_ad_code() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    coupon(&api, yen_off("OFF500", 500)).await;
    let (s, a) = api.post("/api/v1/ad-codes", json!({"code": "TV1", "name": "テレビCM"})).await;
    assert_eq!(s, 201, "{a}");
    let (s, o) = tickets(&api, 2, &unique_email("tp"), json!({"ad_code": "TV1", "coupon_code": "OFF500"})).await;
    assert_eq!(s, 201, "{o}");
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = b.get(&format!("/orders/{}", o["order_number"].as_str().unwrap())).await;
    assert_eq!(page.status, 200);
    assert_eq!(html::texts(&page.body, "[data-testid=discount]"), vec!["−500円"]);
    assert_eq!(html::texts(&page.body, "[data-testid=coupon-code]"), vec!["OFF500"]);
    assert_eq!(html::texts(&page.body, "[data-testid=ad-code]"), vec!["TV1"]);
}

#[tokio::test]
async fn the_openapi_document_lists_the_ticket_orders_promotion_and_subscription_fields() {
    let t = TestApp::spawn().await;
    let doc: Value = reqwest::get(t.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    for field in ["coupon_code", "ad_code", "subscription", "card_id"] {
        assert!(
            schemas["OrderRequestDoc"]["properties"][field].is_object(),
            "{field} in the order body"
        );
    }
    assert!(schemas["SubscriptionDoc"]["properties"]["every_days"].is_object());
    for field in ["discount", "coupon_code", "ad_code", "subscription_id", "order_type"] {
        assert!(schemas["OrderOut"]["properties"][field].is_object(), "{field} in the order");
    }
}
