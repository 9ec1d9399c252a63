//! The JSON API's contract: authentication, error shape, validation, audit, OpenAPI.

use crate::harness::TestApp;
use serde_json::json;

#[tokio::test]
async fn requests_without_a_valid_token_get_401_json() {
    let t = TestApp::spawn().await;
    let r = reqwest::get(t.url("/api/v1/customers")).await.unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let bad = t.api("kpt_not-a-real-token");
    assert_eq!(bad.get("/api/v1/me").await.0, 401);
}

#[tokio::test]
async fn me_names_the_tokens_merchant() {
    let t = TestApp::spawn().await;
    let (s, me) = t.api(&t.token(Some("DEMO2")).await).get("/api/v1/me").await;
    assert_eq!(s, 200);
    assert_eq!(me["merchant_code"], "DEMO2");
    assert_eq!(me["merchant_name"], "みなと食堂");
    assert_eq!(me["scope"], "merchant");
}

#[tokio::test]
async fn bad_input_names_the_field_and_changes_nothing() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let id = t.first_customer("DEMO1").await;
    let path = format!("/api/v1/customers/{id}");
    let (_, before) = api.get(&path).await;

    let (s, e) = api.patch(&path, json!({"email": "not-an-email"})).await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["code"], "invalid");
    assert_eq!(e["error"]["field"], "email");

    let (s, e) = api.patch(&path, json!({"kana": "山田"})).await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["field"], "kana");

    let (s, e) = api.patch(&path, json!({"nickname": "x"})).await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["field"], "nickname");

    let r = api
        .client
        .patch(t.url(&path))
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "malformed_json");

    let big = "x".repeat(2 * 1024 * 1024);
    let r = api
        .client
        .patch(t.url(&path))
        .bearer_auth(&api.token)
        .json(&json!({"address": big}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "payload_too_large");

    let (_, after) = api.get(&path).await;
    assert_eq!(before, after, "nothing changed");

    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(t.url("/api/v1/no-such-thing"))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    let (s, e) = (r.status().as_u16(), r.json::<serde_json::Value>().await.unwrap());
    assert_eq!(s, 404);
    assert_eq!(e["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_change_is_audited_with_before_and_after_in_the_same_transaction() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let id = t.first_customer("DEMO1").await;
    let (_, old) = api.get(&format!("/api/v1/customers/{id}")).await;
    let old_phone = old["phone"].as_str().unwrap().to_string();
    let (s, c) = api
        .patch(&format!("/api/v1/customers/{id}"), json!({"phone": "03-9999-0000"}))
        .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["phone"], "03-9999-0000");
    assert!(c["updated_at"].as_str().unwrap().ends_with("+09:00"));

    let mut conn = t.conn().await;
    let m = kippu_store::merchants::find_by_code(&mut conn, "DEMO1").await.unwrap().unwrap();
    let log = kippu_store::audit::list(&mut conn, Some(m.id), 10).await.unwrap();
    let entry = log
        .iter()
        .find(|e| e.entity == "customer" && e.action == "update")
        .expect("audit entry");
    assert_eq!(entry.actor_label, "api:test");
    assert!(entry.before_json.as_ref().unwrap().contains(&old_phone));
    assert!(entry.after_json.as_ref().unwrap().contains("03-9999-0000"));
}

#[tokio::test]
async fn openapi_document_describes_the_api() {
    let t = TestApp::spawn().await;
    let r = reqwest::get(t.url("/api/v1/openapi.json")).await.unwrap();
    assert_eq!(r.status(), 200);
    let doc: serde_json::Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/api/v1/me",
        "/api/v1/customers",
        "/api/v1/customers/{id}",
        "/api/v1/stores",
        "/api/v1/products",
        "/api/v1/outbox",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} documented");
    }
    assert!(doc["paths"]["/api/v1/customers/{id}"]["patch"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["paths"]["/api/v1/orders"]["post"].is_object());
    assert!(doc["components"]["schemas"]["OrderOut"]["properties"]["tickets"].is_object());
}

#[tokio::test]
async fn health_answers_ok() {
    let t = TestApp::spawn().await;
    let r = reqwest::get(t.url("/healthz")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "ok");
}
