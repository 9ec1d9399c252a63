//! `GET/POST /api/v1/notes` (issue 23 自由メモ): a merchant token writes shared notes, signed with
//! the token, that the operators see in the console; it reads the shared notes only (an
//! operator's private note is not found); another merchant's note is not found; a bad body or
//! another merchant's customer is refused naming the field.

use crate::harness::{Api, Browser, TestApp, html, unique_email};
use serde_json::json;

async fn demo1(t: &TestApp) -> Api {
    t.api(&t.token(Some("DEMO1")).await)
}

async fn signed_in(t: &TestApp, login: &str, password: &str) -> Browser {
    let b = t.browser();
    b.login(login, password).await;
    b
}

/// Writes a note over the API: its answer.
async fn post_note(api: &Api, body: serde_json::Value) -> serde_json::Value {
    let (s, n) = api.post("/api/v1/notes", body).await;
    assert_eq!(s, 201, "{n}");
    n
}

async fn customer(api: &Api) -> i64 {
    let (s, c) = api
        .post(
            "/api/v1/customers",
            json!({"name": "鈴木 花子", "kana": "スズキ ハナコ", "email": unique_email("notes-api"), "phone": "03-7777-0201",
                   "postal_code": "100-0001", "address": "東京都千代田区千代田1-1"}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    c["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_note_written_over_the_api_is_shared_and_the_operators_see_it() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let who = customer(&api).await;
    let n = post_note(&api, json!({"body": "折り返し電話の希望あり", "customer_id": who})).await;
    assert_eq!(
        (n["shared"].as_bool(), n["author"].as_str(), n["customer_id"].as_i64()),
        (Some(true), Some("api:test"), Some(who)),
        "{n}"
    );
    let (s, read) = api.get(&format!("/api/v1/notes/{}", n["id"])).await;
    assert_eq!((s, &read), (200, &n));
    let cc = signed_in(&t, "demo1-cc", "Demo1Call").await;
    let page = cc.get("/callcenter/notes").await;
    assert_eq!(html::texts(&page.body, "[data-testid=note-text]"), ["折り返し電話の希望あり"]);
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'free_memo' AND action = 'create'")
            .await,
        1
    );
}

#[tokio::test]
async fn the_list_has_the_shared_notes_and_not_an_operators_private_one() {
    let t = TestApp::spawn().await;
    let cc = signed_in(&t, "demo1-cc", "Demo1Call").await;
    for (body, shared) in [("自分だけのメモ", false), ("みんなへのメモ", true)] {
        let mut fields = vec![("body", body)];
        if shared {
            fields.push(("shared", "1"));
        }
        assert_eq!(cc.submit("/callcenter/notes", "/callcenter/notes", &fields).await.status, 303);
    }
    let api = demo1(&t).await;
    let (s, l) = api.get("/api/v1/notes").await;
    assert_eq!(s, 200, "{l}");
    let bodies: Vec<&str> = l["items"].as_array().unwrap().iter().map(|n| n["body"].as_str().unwrap()).collect();
    assert_eq!((bodies, l["total"].as_i64()), (vec!["みんなへのメモ"], Some(1)));
    let private = t.scalar("SELECT MIN(id) FROM free_memos WHERE shared = 0").await;
    assert_eq!(api.get(&format!("/api/v1/notes/{private}")).await.0, 404);
}

#[tokio::test]
async fn another_merchants_note_is_not_found_and_not_listed() {
    let t = TestApp::spawn().await;
    let n = post_note(&demo1(&t).await, json!({"body": "DEMO1のメモ"})).await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (s, e) = other.get(&format!("/api/v1/notes/{}", n["id"])).await;
    assert_eq!(s, 404, "{e}");
    let (_, l) = other.get("/api/v1/notes").await;
    assert_eq!(l["total"], 0, "{l}");
}

#[tokio::test]
async fn an_empty_body_or_another_merchants_customer_is_refused_naming_the_field() {
    let t = TestApp::spawn().await;
    let theirs = customer(&t.api(&t.token(Some("DEMO2")).await)).await;
    let api = demo1(&t).await;
    let (s, e) = api.post("/api/v1/notes", json!({"body": "  "})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("body")), "{e}");
    let (s, e) = api.post("/api/v1/notes", json!({"body": "メモ", "customer_id": theirs})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("customer")), "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM free_memos").await, 0);
}

#[tokio::test]
async fn the_notes_answer_as_a_snapshot() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    post_note(&api, json!({"body": "定期の解約相談。\n来月また連絡"})).await;
    let (s, mut l) = api.get("/api/v1/notes?per_page=10").await;
    assert_eq!(s, 200);
    l["items"][0]["id"] = json!("[id]");
    insta::assert_json_snapshot!("notes_api_page", l);
}
