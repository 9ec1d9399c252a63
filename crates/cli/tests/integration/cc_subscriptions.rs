//! 定期マスタ (seed 003): a goods order with `subscription` makes a master (every N days, every
//! N months on a day, every N weeks on a weekday, or a 頒布会 course); the master is paused,
//! resumed, cancelled, revived and edited (マスタ編集) over the API; a cancelled master is not
//! edited; a coupon only after クーポン解除; another merchant's master is not found. The job's
//! child orders are in `cc_subscriptions_job.rs`.

use crate::harness::{Api, TestApp, unique_email};
use serde_json::{Value, json};

pub(crate) async fn product(api: &Api, code: &str, price: i64) {
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": code, "name": format!("定期商品 {code}"), "kind": "goods", "price": price, "stock": 100}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
}

pub(crate) fn order_body(product: &str, subscription: Value) -> Value {
    json!({"payment_method": "bank_store", "subscription": subscription,
        "customer": {"name": "定期 花子", "kana": "テイキ ハナコ", "email": unique_email("subs"), "phone": "090-1234-5678",
                     "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"},
        "destinations": [{"name": "定期 花子", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "phone": "090-1234-5678",
                          "lines": [{"product_code": product, "quantity": 2}]}]})
}

/// A master of DEMO1 from a new order: (the order's answer, the master's id).
pub(crate) async fn subscribe(api: &Api, product: &str, subscription: Value) -> (Value, i64) {
    let (s, o) = api.post("/api/v1/orders", order_body(product, subscription)).await;
    assert_eq!(s, 201, "{o}");
    let id = o["subscription_id"].as_i64().unwrap_or_else(|| panic!("no subscription_id: {o}"));
    (o, id)
}

pub(crate) async fn demo1(t: &TestApp) -> Api {
    let api = t.api(&t.token(Some("DEMO1")).await);
    product(&api, "SUB-TEA", 1500).await;
    api
}

#[tokio::test]
async fn every_30_days_starts_a_master_whose_next_date_is_30_days_on() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (o, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    let (s, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(s, 200, "{m}");
    // Ordered on 2026-11-24 (JST).
    assert_eq!(
        (m["status"].as_str(), m["next_date"].as_str()),
        (Some("active"), Some("2026-12-24"))
    );
    assert_eq!(
        (m["cycle"]["kind"].as_str(), m["cycle"]["every"].as_i64()),
        (Some("days"), Some(30))
    );
    assert_eq!(m["origin_order_number"], o["order_number"]);
    assert_eq!(
        (m["items"][0]["product_code"].as_str(), m["items"][0]["quantity"].as_i64()),
        (Some("SUB-TEA"), Some(2))
    );
    assert_eq!(m["address"]["address"], "東京都台東区浅草1-2-3");
    assert_eq!(m["child_orders"], json!([]));
}

#[tokio::test]
async fn every_month_on_the_10th_is_next_due_on_december_10th() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_months": 1, "day": 10})).await;
    let (_, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(m["next_date"], "2026-12-10");
    assert_eq!(m["cycle"]["words"], "1ヶ月ごと 10日");
}

#[tokio::test]
async fn every_two_weeks_on_monday_lands_on_a_monday() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_weeks": 2, "weekday": "mon"})).await;
    let (_, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    // 2026-11-24 is a Tuesday: the Monday in the second week after.
    assert_eq!(m["next_date"], "2026-12-07");
    assert_eq!(m["cycle"]["weekday"], "mon");
}

async fn refused_field(api: &Api, sub: Value) -> (u16, Value) {
    let (s, e) = api.post("/api/v1/orders", order_body("SUB-TEA", sub)).await;
    (s, e)
}

fn fields(e: &Value) -> Vec<String> {
    e["error"]["fields"].as_array().map_or_else(Vec::new, |f| {
        f.iter().map(|x| x["field"].as_str().unwrap_or("").to_string()).collect()
    })
}

#[tokio::test]
async fn bad_cycles_are_refused_naming_the_field_and_make_no_order() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let before = t.scalar("SELECT COUNT(*) FROM orders").await;
    let (s, e) = refused_field(&api, json!({"every_days": 0})).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(fields(&e), vec!["subscription.every_days"], "{e}");
    let (s, e) = refused_field(&api, json!({"every_months": 1, "day": 32})).await;
    assert_eq!((s, fields(&e)), (422, vec!["subscription.day".to_string()]), "{e}");
    let (s, e) = refused_field(&api, json!({"every_weeks": 1, "weekday": "someday"})).await;
    assert_eq!((s, fields(&e)), (422, vec!["subscription.weekday".to_string()]), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("someday"), "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, before, "nothing half-written");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM subscriptions").await, 0);
}

#[tokio::test]
async fn pause_resume_cancel_and_revive_move_the_master_with_history() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    let path = |a: &str| format!("/api/v1/subscriptions/{id}/{a}");
    let (s, m) = api.post_empty(&path("pause")).await;
    assert_eq!((s, m["status"].as_str()), (200, Some("paused")), "{m}");
    assert_eq!(m["actions"], json!(["resume", "cancel"]));
    let (s, e) = api.post_empty(&path("pause")).await;
    assert_eq!(s, 409, "{e}");
    let (s, m) = api.post_empty(&path("resume")).await;
    assert_eq!((s, m["status"].as_str()), (200, Some("active")));
    let (s, m) = api.post_empty(&path("cancel")).await;
    assert_eq!((s, m["status"].as_str()), (200, Some("cancelled")));
    let (s, m) = api.post_empty(&path("revive")).await;
    assert_eq!((s, m["status"].as_str()), (200, Some("active")));
    let actions: Vec<&str> = m["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["create", "pause", "resume", "cancel", "revive"]);
    let audited = t.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'subscription'").await;
    assert_eq!(audited, 5, "create + four actions");
    let (s, e) = api.post_empty(&path("explode")).await;
    assert_eq!((s, fields(&e)), (422, vec!["action".to_string()]), "{e}");
}

#[tokio::test]
async fn a_master_whose_product_was_deleted_is_not_revived() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    api.post_empty(&format!("/api/v1/subscriptions/{id}/cancel")).await;
    let mut c = t.conn().await;
    sqlx::query("UPDATE products SET archived = 1 WHERE code = 'SUB-TEA'")
        .execute(&mut *c)
        .await
        .unwrap();
    let (s, e) = api.post_empty(&format!("/api/v1/subscriptions/{id}/revive")).await;
    assert_eq!(s, 409, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("購入商品が削除されている"), "{e}");
}

#[tokio::test]
async fn editing_a_cancelled_master_is_refused_in_words() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    api.post_empty(&format!("/api/v1/subscriptions/{id}/cancel")).await;
    let (s, e) = api
        .patch(&format!("/api/v1/subscriptions/{id}"), json!({"shipping_fee": 500}))
        .await;
    assert_eq!(s, 409, "{e}");
    assert_eq!(e["error"]["message"], "解約の定期マスタは編集できません");
}

#[tokio::test]
async fn master_edit_swaps_the_main_product_and_changes_quantities_fees_address_and_cycle() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    product(&api, "SUB-COFFEE", 2000).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    let (s, m) = api
        .patch(
            &format!("/api/v1/subscriptions/{id}"),
            json!({"items": [{"product_code": "SUB-COFFEE", "quantity": 3}, {"product_code": "SUB-TEA", "quantity": 1}],
                   "shipping_fee": 0, "handling_fee": 300,
                   "address": {"name": "定期 太郎", "postal_code": "0600001", "address": "北海道札幌市中央区北1条西2-1"},
                   "subscription": {"every_months": 2, "day": 31}}),
        )
        .await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(
        (m["items"][0]["product_code"].as_str(), m["items"][0]["main"].as_bool()),
        (Some("SUB-COFFEE"), Some(true))
    );
    assert_eq!(m["items"][0]["quantity"], 3);
    assert_eq!((m["shipping_fee"].as_i64(), m["handling_fee"].as_i64()), (Some(0), Some(300)));
    assert_eq!(
        (m["address"]["name"].as_str(), m["address"]["postal_code"].as_str()),
        (Some("定期 太郎"), Some("060-0001"))
    );
    assert_eq!(m["cycle"]["words"], "2ヶ月ごと 31日");
    let (s, e) = api
        .patch(
            &format!("/api/v1/subscriptions/{id}"),
            json!({"handling_fee": -1, "items": [{"product_code": "NOPE"}]}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let mut f = fields(&e);
    f.sort();
    assert_eq!(f, vec!["handling_fee", "items"]);
    let (before, after): (String, String) = {
        let mut c = t.conn().await;
        sqlx::query_as("SELECT before_json, after_json FROM audit_log WHERE entity = 'subscription' AND action = 'edit'")
            .fetch_one(&mut *c)
            .await
            .unwrap()
    };
    assert!(before.contains("SUB-TEA") && after.contains("SUB-COFFEE"), "{before} → {after}");
}

#[tokio::test]
async fn a_coupon_is_applied_only_after_the_applied_one_is_removed() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    for code in ["WINTER", "SPRING"] {
        let (s, c) = api
            .post(
                "/api/v1/coupons",
                json!({"code": code, "name": "定期クーポン", "discount_kind": "yen", "discount_value": 300}),
            )
            .await;
        assert_eq!(s, 201, "{c}");
    }
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    let path = format!("/api/v1/subscriptions/{id}");
    let (s, m) = api.patch(&path, json!({"coupon_code": "WINTER"})).await;
    assert_eq!((s, m["coupon_code"].as_str()), (200, Some("WINTER")), "{m}");
    let (s, e) = api.patch(&path, json!({"coupon_code": "SPRING"})).await;
    assert_eq!(s, 409, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("解除"), "{e}");
    let (s, m) = api.patch(&path, json!({"remove_coupon": true})).await;
    assert_eq!((s, m["coupon_code"].as_str()), (200, None), "{m}");
    let (s, m) = api.patch(&path, json!({"coupon_code": "SPRING"})).await;
    assert_eq!((s, m["coupon_code"].as_str()), (200, Some("SPRING")), "{m}");
    let (s, e) = api.patch(&path, json!({"remove_coupon": true, "coupon_code": "NOSUCH"})).await;
    assert_eq!((s, fields(&e)), (422, vec!["coupon_code".to_string()]), "{e}");
}

#[tokio::test]
async fn another_merchants_master_is_not_found() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (s, _) = other.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(s, 404);
    let (s, _) = other.post_empty(&format!("/api/v1/subscriptions/{id}/cancel")).await;
    assert_eq!(s, 404);
    let (s, _) = other
        .patch(&format!("/api/v1/subscriptions/{id}"), json!({"shipping_fee": 1}))
        .await;
    assert_eq!(s, 404);
    let (s, page) = other.get("/api/v1/subscriptions").await;
    assert_eq!((s, page["items"].as_array().map(Vec::len)), (200, Some(0)));
}

#[tokio::test]
async fn the_list_searches_by_customer_and_status() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, a) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    let (_, b) = subscribe(&api, "SUB-TEA", json!({"every_days": 14})).await;
    api.post_empty(&format!("/api/v1/subscriptions/{b}/pause")).await;
    let (_, page) = api.get("/api/v1/subscriptions?status=paused").await;
    let ids: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![b]);
    let (_, m) = api.get(&format!("/api/v1/subscriptions/{a}")).await;
    let (_, page) = api.get(&format!("/api/v1/subscriptions?customer={}", m["customer_id"])).await;
    let ids: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![a]);
    let (s, e) = api.get("/api/v1/subscriptions?status=sleeping").await;
    assert_eq!((s, fields(&e)), (422, vec!["status".to_string()]), "{e}");
}

#[tokio::test]
async fn a_course_master_needs_the_courses_first_product() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    product(&api, "SUB-2", 1000).await;
    let (s, c) = api
        .post(
            "/api/v1/courses",
            json!({"code": "TEA3", "name": "お茶の頒布会", "products": ["SUB-TEA", "SUB-2"]}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let (s, e) = api.post("/api/v1/orders", order_body("SUB-2", json!({"course": "TEA3"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["subscription.course".to_string()]), "{e}");
    let (s, e) = api.post("/api/v1/orders", order_body("SUB-TEA", json!({"course": "NONE"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["subscription.course".to_string()]), "{e}");
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"course": "TEA3"})).await;
    let (_, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(
        (m["course"].as_str(), m["next_date"].as_str()),
        (Some("TEA3"), Some("2026-12-24")),
        "{m}"
    );
    let (s, e) = api
        .post("/api/v1/courses", json!({"code": "BAD", "name": "x", "products": ["NOPE"]}))
        .await;
    assert_eq!((s, fields(&e)), (422, vec!["products".to_string()]), "{e}");
}
