//! `GET/PUT /api/v1/fraud-rules` (issue 23): the merchant admin's fraud rules over the API — read,
//! replaced whole (audited), every bad field named with nothing saved, refused to anyone without
//! 「管理者専用設定」 (staff 403, like the console's page) and to a platform token; each merchant
//! has its own.

use crate::harness::{Api, TestApp, unique_email};
use serde_json::json;

async fn demo1(t: &TestApp) -> Api {
    t.api(&t.token(Some("DEMO1")).await)
}

#[tokio::test]
async fn the_rules_are_replaced_whole_and_read_back() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (s, put) = api
        .put(
            "/api/v1/fraud-rules",
            json!({"max_amount": 50000, "max_orders_per_phone_hour": 3,
                   "blocked_phones": ["090-1111-2222", " "], "blocked_addresses": ["浅草1-2-3"]}),
        )
        .await;
    assert_eq!(s, 200, "{put}");
    let (s, read) = api.get("/api/v1/fraud-rules").await;
    assert_eq!((s, &read), (200, &put));
    insta::assert_json_snapshot!("fraud_rules_api", read);
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'fraud_rules' AND action = 'update'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_rule_set_over_the_api_refuses_the_next_order() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (s, r) = api.put("/api/v1/fraud-rules", json!({"blocked_phones": ["09011112222"]})).await;
    assert_eq!(s, 200, "{r}");
    let (s, e) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "bank_store",
                   "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("fraud-api"), "phone": "090-1111-2222"}}),
        )
        .await;
    assert_eq!((s, e["error"]["code"].as_str()), (422, Some("fraud_rule")), "{e}");
}

#[tokio::test]
async fn bad_fields_are_each_named_and_nothing_is_saved() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let long = "あ".repeat(201);
    let (s, e) = api
        .put(
            "/api/v1/fraud-rules",
            json!({"max_amount": -1, "max_orders_per_phone_hour": 1001, "blocked_addresses": [long]}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["max_amount", "max_orders_per_phone_hour", "blocked_addresses"], "{e}");
    let (_, read) = api.get("/api/v1/fraud-rules").await;
    assert_eq!(
        (read["max_amount"].as_i64(), read["max_orders_per_phone_hour"].as_i64()),
        (Some(0), Some(0))
    );
}

#[tokio::test]
async fn each_merchant_has_its_own_rules() {
    let t = TestApp::spawn().await;
    let (s, _) = demo1(&t).await.put("/api/v1/fraud-rules", json!({"max_amount": 100})).await;
    assert_eq!(s, 200);
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (s, theirs) = other.get("/api/v1/fraud-rules").await;
    assert_eq!((s, theirs["max_amount"].as_i64()), (200, Some(0)), "{theirs}");
}

#[tokio::test]
async fn a_platform_token_is_refused() {
    let t = TestApp::spawn().await;
    let platform = t.api(&t.token(None).await);
    assert_eq!(platform.get("/api/v1/fraud-rules").await.0, 403);
    assert_eq!(platform.put("/api/v1/fraud-rules", json!({"max_amount": 1})).await.0, 403);
}

/// API tokens act as the merchant's admin; a staff member is who the rules are closed to, and the
/// one function the API and the console both call refuses them.
#[tokio::test]
async fn a_staff_member_may_neither_read_nor_change_the_rules() {
    let t = TestApp::spawn().await;
    let mut c = t.conn().await;
    let (user, merchant): (i64, i64) = sqlx::query_as("SELECT id, merchant_id FROM users WHERE login_id = 'demo1-staff'")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    let staff = kippu_app::Actor {
        user_id: Some(kippu_domain::UserId(user)),
        merchant_id: Some(kippu_domain::MerchantId(merchant)),
        role: kippu_domain::account::Role::MerchantStaff,
        admin_settings: false,
        label: "demo1-staff".to_string(),
        channel: None,
    };
    let read = kippu_app::callcenter::fraud::rules(&t.app, &staff).await;
    assert!(matches!(read, Err(kippu_app::AppError::Forbidden(_))), "{read:?}");
    let input = kippu_app::callcenter::fraud::FraudRulesInput {
        max_amount: 1,
        ..Default::default()
    };
    let saved = kippu_app::callcenter::fraud::save(&t.app, &staff, &input).await;
    assert!(matches!(saved, Err(kippu_app::AppError::Forbidden(_))), "{saved:?}");
}
