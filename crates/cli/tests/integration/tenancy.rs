//! Merchant A can neither read nor change anything of merchant B, through the UI or the API,
//! and gets a 404 (never a 403 that would confirm the row exists).

use crate::harness::TestApp;
use serde_json::json;

#[tokio::test]
async fn ui_hides_and_protects_another_merchants_customers() {
    let t = TestApp::spawn().await;
    let b_customer = t.first_customer("DEMO2").await;
    let a_customer = t.first_customer("DEMO1").await;
    let a = t.browser();
    a.login("demo1-admin", "Demo1Admin").await;

    let list = a.get("/proxy/customers").await;
    assert!(list.body.contains("ヤマダ ハナコ"), "own customer listed");
    assert!(!list.body.contains("スズキ イチロウ"), "other merchant's customer not listed");

    let own = a.get(&format!("/proxy/customers/{a_customer}")).await;
    assert_eq!(own.status, 200);
    let theirs = a.get(&format!("/proxy/customers/{b_customer}")).await;
    assert_eq!(theirs.status, 404);
    let missing = a.get("/proxy/customers/999999").await;
    assert_eq!(missing.status, 404);
    // The 404 names the address asked for; apart from that the two pages are the same.
    assert_eq!(
        theirs.body.replace(&format!("/proxy/customers/{b_customer}"), "/proxy/customers/N"),
        missing.body.replace("/proxy/customers/999999", "/proxy/customers/N"),
        "another merchant's row looks exactly like a missing one"
    );

    let post = a
        .submit(
            "/proxy/customers",
            &format!("/proxy/customers/{b_customer}"),
            &[("name", "乗っ取り"), ("kana", "ノットリ"), ("email", "evil@example.jp")],
        )
        .await;
    assert_eq!(post.status, 404);

    let b = t.browser();
    b.login("demo2-admin", "Demo2Admin").await;
    let unchanged = b.get(&format!("/proxy/customers/{b_customer}")).await;
    assert!(!unchanged.body.contains("乗っ取り"));

    // Audit and outbox pages show only the merchant's own entries.
    let audit_a = a.get("/settings/audit").await;
    assert!(!audit_a.body.contains("DEMO2"));
}

#[tokio::test]
async fn api_tokens_see_only_their_merchant() {
    let t = TestApp::spawn().await;
    let a = t.api(&t.token(Some("DEMO1")).await);
    let b_customer = t.first_customer("DEMO2").await;
    let a_customer = t.first_customer("DEMO1").await;

    let (s, list) = a.get("/api/v1/customers?per_page=200").await;
    assert_eq!(s, 200);
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kana"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"ヤマダ ハナコ"));
    assert!(!names.contains(&"スズキ イチロウ"));
    assert_eq!(list["total"], 5);

    assert_eq!(a.get(&format!("/api/v1/customers/{a_customer}")).await.0, 200);
    let (s, body) = a.get(&format!("/api/v1/customers/{b_customer}")).await;
    assert_eq!(s, 404);
    assert_eq!(body["error"]["code"], "not_found");
    let (s, _) = a
        .patch(&format!("/api/v1/customers/{b_customer}"), json!({"name": "乗っ取り"}))
        .await;
    assert_eq!(s, 404);

    let b = t.api(&t.token(Some("DEMO2")).await);
    let (_, theirs) = b.get(&format!("/api/v1/customers/{b_customer}")).await;
    assert_ne!(theirs["name"], "乗っ取り", "B's customer unchanged");

    let (_, stores) = a.get("/api/v1/stores").await;
    let stores = stores.as_array().unwrap();
    assert_eq!(stores.len(), 2);
    assert!(stores.iter().all(|s| s["name"].as_str().unwrap().starts_with("さくら劇場")));
    assert_eq!(stores[0]["terminals"].as_array().unwrap().len(), 2);

    let (_, products) = a.get("/api/v1/products").await;
    assert_eq!(products.as_array().unwrap().len(), 8);
}

#[tokio::test]
async fn merchant_tokens_cannot_use_platform_endpoints_and_vice_versa() {
    let t = TestApp::spawn().await;
    let merchant = t.api(&t.token(Some("DEMO1")).await);
    let platform = t.api(&t.token(None).await);
    let (s, body) = merchant.get("/api/v1/merchants").await;
    assert_eq!(s, 403);
    assert_eq!(body["error"]["code"], "platform_token_required");
    let (s, body) = platform.get("/api/v1/merchants").await;
    assert_eq!(s, 200);
    assert_eq!(body.as_array().unwrap().len(), 2);
    let (s, body) = platform.get("/api/v1/customers").await;
    assert_eq!(s, 403);
    assert_eq!(body["error"]["code"], "merchant_token_required");
}
