//! The AD code (媒体) attached after the order (issue 23, 注文入力: 「ADコードを検索して付ける（注文後
//! も）」): the merchant sets, changes or removes a goods order's AD code from the order page or
//! `PUT /api/v1/orders/{n}/ad-code`; the code must be the merchant's and valid, the change is
//! written in the order's history and the audit log, and the promotions report follows it.

use crate::harness::{Api, Browser, TestApp, html, unique_email};
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

async fn ad_code(api: &Api, body: Value) {
    let (s, a) = api.post("/api/v1/ad-codes", body).await;
    assert_eq!(s, 201, "{a}");
}

/// A goods order of one towel carrying `extra` fields: its number.
async fn order(api: &Api, extra: Value) -> String {
    let mut body = json!({"payment_method": "bank_store",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("adafter"), "phone": "090-1234-5678",
                        "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"},
           "destinations": [{"name": "山田 花子", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3",
                             "phone": "090-1234-5678", "lines": [{"product_code": "G-TOWEL", "quantity": 1}]}]});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

async fn put_code(api: &Api, number: &str, code: Value) -> (u16, Value) {
    api.put(&format!("/api/v1/orders/{number}/ad-code"), json!({ "ad_code": code }))
        .await
}

/// The AD code rows of the November report: (code, orders).
async fn report(api: &Api) -> Vec<(String, i64)> {
    let (s, r) = api.get("/api/v1/reports/promotions?from=2026-11-01&to=2026-11-30").await;
    assert_eq!(s, 200, "{r}");
    r["ad_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["code"].as_str().unwrap().to_string(), x["orders"].as_i64().unwrap()))
        .collect()
}

/// DEMO1's API with the towel and the AD codes TV1 (テレビCM) and NEWS (新聞広告).
async fn shop(t: &TestApp) -> Api {
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    ad_code(&api, json!({"code": "TV1", "name": "テレビCM"})).await;
    ad_code(&api, json!({"code": "NEWS", "name": "新聞広告"})).await;
    api
}

async fn admin(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b
}

#[tokio::test]
async fn a_code_changed_after_the_order_moves_the_order_in_the_report() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let number = order(&api, json!({"ad_code": "TV1"})).await;
    assert_eq!(report(&api).await, vec![("TV1".to_string(), 1)]);

    let (s, o) = put_code(&api, &number, json!("news")).await;
    assert_eq!((s, o["ad_code"].as_str()), (200, Some("NEWS")), "{o}");
    assert_eq!(report(&api).await, vec![("NEWS".to_string(), 1)]);
    let (_, read) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(read["ad_code"], "NEWS");
}

#[tokio::test]
async fn a_code_attached_to_an_order_without_one_is_counted() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let number = order(&api, json!({})).await;
    assert_eq!(report(&api).await, vec![]);
    let (s, o) = put_code(&api, &number, json!("TV1")).await;
    assert_eq!((s, o["ad_code"].as_str()), (200, Some("TV1")), "{o}");
    assert_eq!(report(&api).await, vec![("TV1".to_string(), 1)]);
}

#[tokio::test]
async fn an_empty_code_removes_it() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let number = order(&api, json!({"ad_code": "TV1"})).await;
    let (s, o) = put_code(&api, &number, json!("")).await;
    assert_eq!((s, o["ad_code"].clone()), (200, Value::Null), "{o}");
    assert_eq!(report(&api).await, vec![]);
}

#[tokio::test]
async fn the_change_is_in_the_history_and_the_audit_log_before_and_after() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let number = order(&api, json!({"ad_code": "TV1"})).await;
    assert_eq!(put_code(&api, &number, json!("NEWS")).await.0, 200);

    let b = admin(&t).await;
    let page = b.get(&format!("/shipping/orders/{number}")).await;
    let what = html::texts(&page.body, "[data-testid=history-what]");
    let change = html::texts(&page.body, "[data-testid=history-change]");
    assert_eq!(what.last().map(String::as_str), Some("広告コード"));
    assert_eq!(change.last().map(String::as_str), Some("TV1（テレビCM） → NEWS（新聞広告）"));
    let mut c = t.conn().await;
    let (before, after): (String, String) =
        sqlx::query_as("SELECT before_json, after_json FROM audit_log WHERE action = 'set_ad_code' AND entity_id = $1")
            .bind(&number)
            .fetch_one(&mut *c)
            .await
            .unwrap();
    assert_eq!(
        (
            serde_json::from_str::<Value>(&before).unwrap(),
            serde_json::from_str::<Value>(&after).unwrap()
        ),
        (json!({"ad_code": "TV1"}), json!({"ad_code": "NEWS"}))
    );
}

#[tokio::test]
async fn an_unknown_switched_off_or_past_code_is_refused_naming_ad_code_and_nothing_changes() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    ad_code(&api, json!({"code": "PAST", "name": "過去の広告", "valid_to": "2026-01-31"})).await;
    ad_code(&api, json!({"code": "OFF", "name": "停止中", "enabled": false})).await;
    let number = order(&api, json!({"ad_code": "TV1"})).await;
    for bad in ["NOPE", "PAST", "OFF", "ＴＶ１!"] {
        let (s, e) = put_code(&api, &number, json!(bad)).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("ad_code")), "{bad}: {e}");
    }
    assert_eq!(report(&api).await, vec![("TV1".to_string(), 1)]);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'set_ad_code'").await, 0);
}

#[tokio::test]
async fn another_merchants_order_is_not_found_and_its_code_unknown() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let number = order(&api, json!({"ad_code": "TV1"})).await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    ad_code(&other, json!({"code": "THEIRS", "name": "よその広告"})).await;
    let (s, e) = put_code(&other, &number, json!("THEIRS")).await;
    assert_eq!(s, 404, "{e}");
    let (s, e) = put_code(&api, &number, json!("THEIRS")).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("ad_code")), "{e}");
    let (_, read) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(read["ad_code"], "TV1");
}

#[tokio::test]
async fn the_order_page_form_shows_the_code_and_changes_it() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let number = order(&api, json!({"ad_code": "TV1"})).await;
    let b = admin(&t).await;
    let path = format!("/shipping/orders/{number}");
    let page = b.get(&path).await;
    assert_eq!(page.attr("[data-testid=ad-code-input]", "value").as_deref(), Some("TV1"));

    let done = b.submit(&path, &format!("{path}/ad-code"), &[("ad_code", "news")]).await;
    assert_eq!((done.status, done.location.as_deref()), (303, Some(path.as_str())), "{}", done.body);
    let page = b.get(&path).await;
    assert_eq!(html::texts(&page.body, "[data-testid=ad-code]"), vec!["NEWS（新聞広告）"]);
    assert_eq!(page.attr("[data-testid=ad-code-input]", "value").as_deref(), Some("NEWS"));
}

#[tokio::test]
async fn the_order_page_form_shows_a_refusal_beside_the_field_with_what_was_typed() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let number = order(&api, json!({"ad_code": "TV1"})).await;
    let b = admin(&t).await;
    let path = format!("/shipping/orders/{number}");
    let refused = b.submit(&path, &format!("{path}/ad-code"), &[("ad_code", "NOPE")]).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.attr("[data-testid=ad-code-input]", "value").as_deref(), Some("NOPE"));
    assert_eq!(
        html::texts(&refused.body, "[data-testid=err-ad_code]"),
        vec!["そのADコードはありません"]
    );
    assert_eq!(html::texts(&refused.body, "[data-testid=ad-code]"), vec!["TV1（テレビCM）"]);
}
