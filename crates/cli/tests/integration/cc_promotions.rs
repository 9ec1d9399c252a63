//! Coupons and AD codes on goods orders (issue 23): an order carries one coupon, discounted
//! and counted in its own transaction, and one AD code (媒体); a bad one is refused naming its
//! field; a cancelled order gives its coupon use back; both show on the order and in its CSV.

use crate::harness::{Api, TestApp, html, unique_email};
use serde_json::{Value, json};

async fn towel(api: &Api) {
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 50}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
}

/// A goods order of `qty` towels with `extra` fields (coupon_code, ad_code): the status and answer.
async fn order(api: &Api, qty: i64, email: &str, extra: Value) -> (u16, Value) {
    let mut body = json!({"payment_method": "bank_store",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email, "phone": "090-1234-5678",
                        "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"},
           "destinations": [{"name": "山田 花子", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3",
                             "phone": "090-1234-5678", "lines": [{"product_code": "G-TOWEL", "quantity": qty}]}]});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    api.post("/api/v1/orders", body).await
}

async fn coupon(api: &Api, body: Value) {
    let (s, c) = api.post("/api/v1/coupons", body).await;
    assert_eq!(s, 201, "{c}");
}

async fn used_count(t: &TestApp, code: &str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar("SELECT used_count FROM coupons WHERE code = $1")
        .bind(code)
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_order_with_a_coupon_is_discounted_and_the_use_counted() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    coupon(
        &api,
        json!({"code": "OFF500", "name": "500円引き", "discount_kind": "yen", "discount_value": 500}),
    )
    .await;
    let (s, plain) = order(&api, 2, &unique_email("promo"), json!({})).await;
    assert_eq!(s, 201, "{plain}");
    let (s, o) = order(&api, 2, &unique_email("promo"), json!({"coupon_code": "off500"})).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!((o["discount"].as_i64(), o["coupon_code"].as_str()), (Some(500), Some("OFF500")));
    assert_eq!(o["amount"].as_i64().unwrap(), plain["amount"].as_i64().unwrap() - 500);
    assert_eq!(plain["discount"], 0);
    assert_eq!(used_count(&t, "OFF500").await, 1);
    let number = o["order_number"].as_str().unwrap();
    let (s, again) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!((s, again["discount"].as_i64()), (200, Some(500)), "{again}");
}

#[tokio::test]
async fn an_expired_or_used_up_coupon_is_refused_naming_the_field_and_nothing_is_written() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    coupon(
        &api,
        json!({"code": "OLD", "name": "古い", "discount_kind": "yen", "discount_value": 500, "valid_to": "2026-11-23"}),
    )
    .await;
    let (s, e) = order(&api, 1, &unique_email("promo"), json!({"coupon_code": "OLD"})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("coupon_code")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("有効期限"), "{e}");

    coupon(
        &api,
        json!({"code": "ONE", "name": "1回限り", "discount_kind": "percent", "discount_value": 10, "total_limit": 1}),
    )
    .await;
    let (s, o) = order(&api, 1, &unique_email("promo"), json!({"coupon_code": "ONE"})).await;
    assert_eq!((s, o["discount"].as_i64()), (201, Some(300)), "{o}");
    let before = t.scalar("SELECT COUNT(*) FROM orders").await;
    let (s, e) = order(&api, 1, &unique_email("promo"), json!({"coupon_code": "ONE"})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("coupon_code")), "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, before);
    assert_eq!(used_count(&t, "ONE").await, 1);
}

#[tokio::test]
async fn another_merchants_coupon_or_an_unknown_ad_code_is_refused() {
    let t = TestApp::spawn().await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    coupon(
        &other,
        json!({"code": "THEIRS", "name": "よそ", "discount_kind": "yen", "discount_value": 500}),
    )
    .await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let (s, e) = order(&api, 1, &unique_email("promo"), json!({"coupon_code": "THEIRS"})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("coupon_code")), "{e}");
    let (s, e) = order(&api, 1, &unique_email("promo"), json!({"ad_code": "NOPE"})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("ad_code")), "{e}");
    let (s, a) = api
        .post(
            "/api/v1/ad-codes",
            json!({"code": "PAST", "name": "過去の広告", "valid_to": "2026-01-31"}),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    let (s, e) = order(&api, 1, &unique_email("promo"), json!({"ad_code": "past"})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("ad_code")), "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM coupon_uses").await, 0);
}

#[tokio::test]
async fn the_ad_code_shows_on_the_order() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let (s, a) = api.post("/api/v1/ad-codes", json!({"code": "TV1", "name": "テレビCM"})).await;
    assert_eq!(s, 201, "{a}");
    coupon(
        &api,
        json!({"code": "TEN", "name": "1割引き", "discount_kind": "percent", "discount_value": 10}),
    )
    .await;
    let (s, o) = order(&api, 1, &unique_email("promo"), json!({"ad_code": "tv1", "coupon_code": "ten"})).await;
    assert_eq!(
        (s, o["ad_code"].as_str(), o["discount"].as_i64()),
        (201, Some("TV1"), Some(300)),
        "{o}"
    );
    let number = o["order_number"].as_str().unwrap();

    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = b.get(&format!("/shipping/orders/{number}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(html::texts(&page.body, "[data-testid=ad-code]"), vec!["TV1（テレビCM）"]);
    assert_eq!(html::texts(&page.body, "[data-testid=coupon-code]"), vec!["TEN"]);
    assert_eq!(html::texts(&page.body, "[data-testid=discount]"), vec!["−300円"]);

    let (s, bytes) = b.get_bytes(&format!("/shipping/orders.csv?q={number}&encoding=utf-8")).await;
    assert_eq!(s, 200);
    let text = String::from_utf8(bytes).unwrap();
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
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (
            rows[1][at("広告コード")].as_str(),
            rows[1][at("クーポンコード")].as_str(),
            rows[1][at("割引額")].as_str()
        ),
        ("TV1", "TEN", "300")
    );
}

#[tokio::test]
async fn cancelling_an_order_gives_its_coupon_use_back() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    coupon(
        &api,
        json!({"code": "ONLY1", "name": "1回限り", "discount_kind": "yen", "discount_value": 1000, "total_limit": 1}),
    )
    .await;
    let (s, o) = order(&api, 1, &unique_email("promo"), json!({"coupon_code": "ONLY1"})).await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap();
    assert_eq!(used_count(&t, "ONLY1").await, 1);
    let (s, c) = api
        .post(&format!("/api/v1/orders/{number}/cancel"), json!({"reason": "お客様のご都合"}))
        .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(used_count(&t, "ONLY1").await, 0);
    let (s, again) = order(&api, 1, &unique_email("promo"), json!({"coupon_code": "ONLY1"})).await;
    assert_eq!((s, again["discount"].as_i64()), (201, Some(1000)), "{again}");
}

#[tokio::test]
async fn the_report_counts_orders_and_sales_per_code_in_the_range() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let (s, a) = api.post("/api/v1/ad-codes", json!({"code": "NEWS", "name": "新聞広告"})).await;
    assert_eq!(s, 201, "{a}");
    coupon(
        &api,
        json!({"code": "OFF500", "name": "500円引き", "discount_kind": "yen", "discount_value": 500}),
    )
    .await;
    let mut sales = 0;
    for extra in [
        json!({"ad_code": "NEWS", "coupon_code": "OFF500"}),
        json!({"ad_code": "NEWS"}),
        json!({"coupon_code": "OFF500"}),
    ] {
        let (s, o) = order(&api, 1, &unique_email("promo"), extra.clone()).await;
        assert_eq!(s, 201, "{o}");
        if extra.get("ad_code").is_some() {
            sales += o["amount"].as_i64().unwrap();
        }
    }
    // A cancelled order is not counted.
    let (_, gone) = order(&api, 1, &unique_email("promo"), json!({"ad_code": "NEWS"})).await;
    let number = gone["order_number"].as_str().unwrap();
    let (s, c) = api
        .post(&format!("/api/v1/orders/{number}/cancel"), json!({"reason": "お客様のご都合"}))
        .await;
    assert_eq!(s, 200, "{c}");

    let (s, r) = api.get("/api/v1/reports/promotions?from=2026-11-01&to=2026-11-30").await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["ad_codes"][0]["code"], "NEWS");
    assert_eq!(
        (r["ad_codes"][0]["orders"].as_i64(), r["ad_codes"][0]["sales"].as_i64()),
        (Some(2), Some(sales))
    );
    assert_eq!(
        (r["coupons"][0]["code"].as_str(), r["coupons"][0]["orders"].as_i64()),
        (Some("OFF500"), Some(2))
    );
    let (s, r) = api.get("/api/v1/reports/promotions?from=2026-11-25&to=2026-11-30").await;
    assert_eq!((s, r["ad_codes"].as_array().map(Vec::len)), (200, Some(0)), "{r}");
    let (s, e) = api.get("/api/v1/reports/promotions?from=2025-01-01&to=2026-11-30").await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("to")), "{e}");

    // Another merchant's report does not see these.
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (s, r) = other.get("/api/v1/reports/promotions?from=2026-11-01&to=2026-11-30").await;
    assert_eq!((s, r["ad_codes"].as_array().map(Vec::len)), (200, Some(0)), "{r}");

    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = b.get("/proxy/report?from=2026-11-01&to=2026-11-30").await;
    assert_eq!(page.status, 200);
    assert_eq!(html::texts(&page.body, "[data-testid=ad-NEWS] [data-testid=orders]"), vec!["2"]);
    assert_eq!(
        html::texts(&page.body, "[data-testid=coupon-OFF500] [data-testid=orders]"),
        vec!["2"]
    );
    let proxy = b.get("/proxy").await;
    assert!(proxy.body.contains("/proxy/report"), "the /proxy area links the report");
}
