//! The platform operator decides which payment methods a merchant may take (its payment
//! contracts): the merchant's storefront offers only those, its 決済設定 cannot add others, and
//! an order of another method is refused on every channel. Another merchant is untouched.

use crate::harness::{Api, TestApp, html, unique_email};
use serde_json::json;

fn order(method: &str) -> serde_json::Value {
    json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": method, "card_token": "tok_visa",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("allowed"), "phone": "090-1234-5678"}})
}

/// The choices the storefront's product page offers a buyer.
async fn storefront_choices(t: &TestApp, merchant: &str) -> Vec<String> {
    let page = t.browser().get(&format!("/shop/{merchant}/WT-BASIC")).await;
    html::attrs(&page.body, "input[name=payment_method]", "value")
}

async fn order_status(api: &Api, method: &str) -> (u16, Option<String>) {
    let (s, e) = api.post("/api/v1/orders", order(method)).await;
    (s, e["error"]["field"].as_str().map(str::to_string))
}

#[tokio::test]
async fn the_operator_turns_off_pay_at_venue_for_one_merchant() {
    let t = TestApp::spawn().await;
    let operator = t.browser();
    operator.login("operator", "Operator2026").await;
    let done = operator
        .submit(
            "/platform/merchants",
            "/platform/merchants/DEMO1/payments",
            &[("allow_card", "on"), ("allow_bank", "on")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let list = operator.get("/platform/merchants").await;
    assert!(
        list.body
            .contains("DEMO1: 利用できる決済方法を変更しました: クレジットカード・銀行振込"),
        "{}",
        list.body
    );
    assert_eq!(list.attr("[data-testid=allow-venue-DEMO1]", "checked"), None);
    assert!(
        list.attr("[data-testid=allow-venue-DEMO2]", "checked").is_some(),
        "DEMO2 keeps its methods"
    );

    assert_eq!(storefront_choices(&t, "DEMO1").await, ["card", "bank"]);
    assert_eq!(storefront_choices(&t, "DEMO2").await, ["card", "bank", "venue"]);
    let demo1 = t.api(&t.token(Some("DEMO1")).await);
    assert_eq!(order_status(&demo1, "pay_at_venue").await, (422, Some("payment_method".into())));
    assert_eq!(order_status(&demo1, "card_capture").await.0, 201);
    let demo2 = t.api(&t.token(Some("DEMO2")).await);
    assert_eq!(order_status(&demo2, "pay_at_venue").await.0, 201);

    // The merchant's 決済設定 shows 現地払い as not enabled and cannot switch it on.
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let settings = admin.get("/settings/payment").await;
    assert!(settings.attr("[data-testid=offer-venue]", "disabled").is_some());
    assert_eq!(
        settings.text("[data-testid=not-allowed-venue]").as_deref(),
        Some("（プラットフォームで有効になっていません）")
    );
    let refused = admin
        .submit(
            "/settings/payment",
            "/settings/payment",
            &[
                ("offers", "1"),
                ("offer_card", "on"),
                ("offer_venue", "on"),
                ("card_mode", "card_capture"),
                ("bank_account", "bank_store"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("「現地払い」はプラットフォームで有効になっていないため利用できません"),
        "{}",
        refused.body
    );
    assert_eq!(storefront_choices(&t, "DEMO1").await, ["card", "bank"], "nothing changed");
}

#[tokio::test]
async fn the_platform_api_sets_payment_methods_and_only_the_platform_may() {
    let t = TestApp::spawn().await;
    let platform = t.api(&t.token(None).await);
    let (s, e) = platform
        .put("/api/v1/merchants/DEMO1/payment-methods", json!({"allowed": []}))
        .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("allowed")), "{e}");
    let (s, e) = platform
        .put("/api/v1/merchants/DEMO1/payment-methods", json!({"allowed": ["cash"]}))
        .await;
    assert_eq!(s, 422, "{e}");
    let (s, _) = platform
        .put("/api/v1/merchants/NOPE/payment-methods", json!({"allowed": ["card"]}))
        .await;
    assert_eq!(s, 404);
    let merchant = t.api(&t.token(Some("DEMO1")).await);
    let (s, _) = merchant
        .put(
            "/api/v1/merchants/DEMO1/payment-methods",
            json!({"allowed": ["card", "bank", "venue"]}),
        )
        .await;
    assert_eq!(s, 403, "a merchant cannot widen its own contracts");

    let (s, out) = platform
        .put("/api/v1/merchants/DEMO1/payment-methods", json!({"allowed": ["venue", "bank"]}))
        .await;
    assert_eq!(s, 200, "{out}");
    assert_eq!(out["allowed"], json!(["bank", "venue"]), "in the storefront's order");
    assert_eq!(storefront_choices(&t, "DEMO1").await, ["bank", "venue"]);
    assert_eq!(order_status(&merchant, "card_auth").await, (422, Some("payment_method".into())));
    // Card comes back: the merchant decides whether to switch it on again; until then the API
    // refuses it too.
    platform
        .put(
            "/api/v1/merchants/DEMO1/payment-methods",
            json!({"allowed": ["card", "bank", "venue"]}),
        )
        .await;
    assert_eq!(storefront_choices(&t, "DEMO1").await, ["bank", "venue"]);
    assert_eq!(order_status(&merchant, "card_capture").await, (422, Some("payment_method".into())));
}
