//! 対応履歴 (seed 003) over the API: an entry is added under the merchant's 対応区分 and 対応概要
//! (電話, メール, 手紙, その他 / 問い合わせ, 注文, 変更, 解約, クレーム until changed), found by
//! the search, edited with an audit entry before → after, and another merchant's entry is a 404.

use crate::harness::{Api, TestApp, unique_email};
use serde_json::{Value, json};

/// A customer of the token's merchant.
pub async fn customer(api: &Api, name: &str) -> Value {
    let body = json!({"name": name, "kana": "テスト", "email": unique_email("ia"), "phone": "03-1111-2222",
                      "postal_code": "100-0001", "address": "東京都千代田区千代田1-1", "allow_duplicate": true});
    let (s, c) = api.post("/api/v1/customers", body).await;
    assert_eq!(s, 201, "{c}");
    c
}

pub async fn add(api: &Api, body: Value) -> Value {
    let (s, e) = api.post("/api/v1/interactions", body).await;
    assert_eq!(s, 201, "{e}");
    e
}

#[tokio::test]
async fn an_entry_is_added_under_a_default_category_and_found_by_category_text_and_customer() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "対応 一郎").await;
    let other = customer(&api, "対応 二郎").await;
    let e = add(
        &api,
        json!({"customer_id": c["id"], "at": "2026-12-01 10:30", "category": "手紙", "summary": "解約", "content": "解約の手紙が届いた"}),
    )
    .await;
    assert_eq!((e["category"].as_str(), e["summary"].as_str()), (Some("手紙"), Some("解約")));
    assert_eq!(e["at"], "2026-12-01T10:30:00+09:00");
    add(
        &api,
        json!({"customer_id": other["id"], "category": "電話", "summary": "問い合わせ", "content": "送料の質問"}),
    )
    .await;

    let found = |q: String| {
        let api = &api;
        async move {
            let (s, p) = api.get(&format!("/api/v1/interactions?{q}")).await;
            assert_eq!(s, 200, "{p}");
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    let id = e["id"].as_i64().unwrap();
    assert_eq!(found("category=%E6%89%8B%E7%B4%99".into()).await, vec![id]);
    assert_eq!(found("q=%E6%89%8B%E7%B4%99".into()).await, vec![id]);
    assert_eq!(found(format!("customer={}", c["id"])).await, vec![id]);
    assert_eq!(found("from=2026-12-01&to=2026-12-01".into()).await, vec![id]);
    assert!(!found("to=2026-11-30".into()).await.contains(&id), "the day before is before it");
    assert_eq!(found("from=2026-12-02".into()).await, Vec::<i64>::new());
}

#[tokio::test]
async fn a_category_the_merchant_does_not_have_is_refused_naming_the_field() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "対応 一郎").await;
    let (s, e) = api
        .post(
            "/api/v1/interactions",
            json!({"customer_id": c["id"], "category": "FAX", "summary": "注文", "content": ""}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["category", "content"], "{e}");
    assert!(e["error"]["fields"][0]["message"].as_str().unwrap().contains("FAX"), "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM interactions").await, 0);
}

#[tokio::test]
async fn an_edit_changes_the_entry_and_is_audited_before_and_after() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "対応 一郎").await;
    let e = add(
        &api,
        json!({"customer_id": c["id"], "category": "電話", "summary": "問い合わせ", "content": "最初"}),
    )
    .await;
    let (s, edited) = api
        .patch(
            &format!("/api/v1/interactions/{}", e["id"]),
            json!({"summary": "クレーム", "content": "直した"}),
        )
        .await;
    assert_eq!(s, 200, "{edited}");
    assert_eq!(
        (edited["summary"].as_str(), edited["content"].as_str()),
        (Some("クレーム"), Some("直した"))
    );
    assert_eq!(edited["at"], e["at"], "the time stays");
    let mut conn = t.conn().await;
    let (before, after): (String, String) =
        sqlx::query_as("SELECT before_json, after_json FROM audit_log WHERE entity = 'interaction' AND action = 'update'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert!(before.contains("最初") && after.contains("直した"), "{before} → {after}");
}

#[tokio::test]
async fn another_merchants_entry_is_not_found() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "対応 一郎").await;
    let e = add(
        &api,
        json!({"customer_id": c["id"], "category": "電話", "summary": "注文", "content": "一郎さん"}),
    )
    .await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (s, err) = other
        .patch(&format!("/api/v1/interactions/{}", e["id"]), json!({"content": "書き換え"}))
        .await;
    assert_eq!(s, 404, "{err}");
    let (s, p) = other.get("/api/v1/interactions").await;
    assert_eq!((s, p["total"].as_i64()), (200, Some(0)), "{p}");
    let (s, err) = other
        .post(
            "/api/v1/interactions",
            json!({"customer_id": c["id"], "category": "電話", "summary": "注文", "content": "x"}),
        )
        .await;
    assert_eq!((s, err["error"]["field"].as_str()), (422, Some("customer")), "{err}");
}

#[tokio::test]
async fn an_ota_channel_token_is_refused() {
    let t = TestApp::spawn().await;
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    let (s, e) = ota.get("/api/v1/interactions").await;
    assert_eq!(s, 403, "{e}");
}

#[tokio::test]
async fn an_entry_recorded_in_another_use_cases_transaction_commits_or_rolls_back_with_it() {
    use kippu_app::callcenter::interactions::{NewInteraction, record_in_tx};
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "注文 一郎").await;
    let merchant = {
        let mut conn = t.conn().await;
        kippu_store::merchants::find_by_code(&mut conn, "DEMO1").await.unwrap().unwrap().id
    };
    let entry = |content: &'static str| NewInteraction {
        merchant,
        customer_id: c["id"].as_i64().unwrap(),
        order_id: None,
        user_id: None,
        category: None,
        summary: None,
        content,
        at: t.app.now_ms(),
    };
    let mut tx = t.app.store.begin().await.unwrap();
    record_in_tx(&mut tx, &entry("ロールバックされる"), t.app.now_ms()).await.unwrap();
    drop(tx);
    let mut tx = t.app.store.begin().await.unwrap();
    record_in_tx(&mut tx, &entry("注文を受けました"), t.app.now_ms()).await.unwrap();
    tx.commit().await.unwrap();
    let (_, p) = api.get("/api/v1/interactions").await;
    assert_eq!(p["total"], 1, "{p}");
    let e = &p["items"][0];
    assert_eq!(
        (e["category"].as_str(), e["summary"].as_str(), e["content"].as_str()),
        (Some("電話"), Some("注文"), Some("注文を受けました"))
    );
}
