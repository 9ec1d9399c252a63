//! 定期マスタ情報's pages: the list (search, `?customer=`, 「全て開く」), a master's page with its
//! buttons and マスタ編集 forms (a field error beside its field, a refusal as the flash), the
//! admin's 頒布会マスタ, and another merchant's master not found.

use crate::cc_subscriptions::{demo1, subscribe};
use crate::harness::{Browser, TestApp, html};
use serde_json::json;

async fn admin(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b
}

#[tokio::test]
async fn the_panel_lists_a_customers_masters_and_opens_them_all() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_months": 1, "day": 10})).await;
    let (_, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    let customer = m["customer_id"].as_i64().unwrap();
    let b = admin(&t).await;
    let page = b.get(&format!("/callcenter/subscriptions?customer={customer}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        html::attrs(&page.body, "[data-testid=subscription-link]", "href"),
        vec![format!("/callcenter/subscriptions/{id}")]
    );
    assert!(html::texts(&page.body, "[data-testid=console-tab]").contains(&"定期マスタ情報".to_string()));
    let all = b.get(&format!("/callcenter/subscriptions?customer={customer}&all=1")).await;
    assert_eq!(
        all.text("[data-testid=opened] [data-testid=subscription-cycle]").as_deref(),
        Some("1ヶ月ごと 10日")
    );
    assert_eq!(
        all.text("[data-testid=opened] [data-testid=subscription-next]").as_deref(),
        Some("2026-12-10")
    );
    let bad = b.get("/callcenter/subscriptions?status=sleeping").await;
    assert_eq!(bad.status, 422);
    assert!(bad.text("[data-testid=err-status]").is_some(), "{}", bad.body);
}

#[tokio::test]
async fn the_masters_page_pauses_and_edits_with_errors_beside_their_fields() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    let b = admin(&t).await;
    let path = format!("/callcenter/subscriptions/{id}");
    let page = b.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.text("[data-testid=subscription-status]").as_deref(), Some("有効"));
    let done = b.submit(&path, &format!("{path}/act"), &[("action", "pause")]).await;
    assert_eq!((done.status, done.location.as_deref()), (303, Some(path.as_str())));
    assert_eq!(
        b.get(&path).await.text("[data-testid=subscription-status]").as_deref(),
        Some("一時停止中")
    );
    let bad = b
        .submit(&path, &format!("{path}/edit"), &[("section", "fees"), ("shipping_fee", "-5")])
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.text("[data-testid=err-shipping_fee]").unwrap().contains("0〜"), "{}", bad.body);
    let ok = b
        .submit(&path, &format!("{path}/edit"), &[("section", "items"), ("items", "SUB-TEA,5")])
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let (_, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(m["items"][0]["quantity"], 5);
}

#[tokio::test]
async fn a_cancelled_master_shows_no_edit_forms_and_another_merchant_sees_nothing() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    api.post_empty(&format!("/api/v1/subscriptions/{id}/cancel")).await;
    let b = admin(&t).await;
    let path = format!("/callcenter/subscriptions/{id}");
    let page = b.get(&path).await;
    assert!(page.text("[data-testid=edit-fees]").is_none());
    assert_eq!(
        html::attrs(&page.body, "[data-testid=subscription-actions] button", "value"),
        vec!["revive"]
    );
    let refused = b
        .submit(&path, &format!("{path}/edit"), &[("section", "fees"), ("shipping_fee", "5")])
        .await;
    assert_eq!(refused.status, 303, "a refusal comes back as the flash");
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(other.get(&path).await.status, 404);
}

#[tokio::test]
async fn the_admin_defines_a_course_on_its_page() {
    let t = TestApp::spawn().await;
    let _api = demo1(&t).await;
    let b = admin(&t).await;
    let page = b.get("/proxy/courses").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let bad = b
        .submit(
            "/proxy/courses",
            "/proxy/courses",
            &[("code", "TEA"), ("name", "お茶"), ("products", "SUB-TEA\nNOPE")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text("[data-testid=err-products]").unwrap().contains("NOPE"), "{}", bad.body);
    let ok = b
        .submit(
            "/proxy/courses",
            "/proxy/courses",
            &[("code", "TEA"), ("name", "お茶"), ("products", "SUB-TEA")],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let list = b.get("/proxy/courses").await;
    assert!(list.text("[data-testid=course-TEA]").unwrap().contains("SUB-TEA"));
}
