//! Only the methods the shop has (issue 22): the platform allows every method family kippu
//! knows, the merchant switches them on and off in 決済設定, and the storefront, the API and
//! bulk forms offer only what is on; the merchant's card mode governs every channel.

use crate::harness::{Api, TestApp, html, unique_email};
use serde_json::{Value, json};

fn goods(method: &str) -> Value {
    json!({"payment_method": method, "product_code": "GOODS-TOWEL", "quantity": 1, "card_token": "tok_visa",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("methods"), "phone": "090-1234-5678",
                        "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}})
}

fn ticket(method: &str) -> Value {
    json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": method, "card_token": "tok_visa",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("methods"), "phone": "090-1234-5678"}})
}

async fn refusal(api: &Api, body: Value) -> (u16, Option<String>) {
    let (s, e) = api.post("/api/v1/orders", body).await;
    (s, e["error"]["field"].as_str().map(str::to_string))
}

/// The payment choices the storefront's cart offers a buyer with a towel in it.
async fn goods_choices(t: &TestApp) -> Vec<String> {
    let b = t.browser();
    let added = b
        .submit("/shop/DEMO1/GOODS-TOWEL", "/shop/DEMO1/GOODS-TOWEL/cart", &[("quantity", "1")])
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let page = b.get("/shop/DEMO1/cart").await;
    html::attrs(&page.body, "input[name=payment_method]", "value")
}

#[tokio::test]
async fn the_platform_allows_every_family_and_an_order_of_one_not_allowed_is_refused() {
    let t = TestApp::spawn().await;
    let platform = t.api(&t.token(None).await);
    assert_eq!(goods_choices(&t).await, ["card", "bank", "cod", "konbini", "store"]);
    let (s, out) = platform
        .put(
            "/api/v1/merchants/DEMO1/payment-methods",
            json!({"allowed": ["store_pay", "card", "konbini", "bank", "venue"]}),
        )
        .await;
    assert_eq!(s, 200, "{out}");
    assert_eq!(out["allowed"], json!(["card", "bank", "venue", "konbini", "store_pay"]));
    assert_eq!(goods_choices(&t).await, ["card", "bank", "konbini", "store"], "no 代金引換");
    let api = t.api(&t.token(Some("DEMO1")).await);
    assert_eq!(refusal(&api, goods("cod")).await, (422, Some("payment_method".into())));
    assert_eq!(refusal(&api, goods("konbini")).await.0, 201);
    let (s, e) = platform
        .put("/api/v1/merchants/DEMO1/payment-methods", json!({"allowed": vec!["card"; 13]}))
        .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("allowed")), "a capped list");

    // The operator's list shows every family.
    let operator = t.browser();
    operator.login("operator", "Operator2026").await;
    let list = operator.get("/platform/merchants").await;
    assert!(list.attr("[data-testid=allow-konbini-DEMO1]", "checked").is_some());
    assert!(list.attr("[data-testid=allow-cod-DEMO1]", "checked").is_none());
    assert!(list.attr("[data-testid=allow-cod-DEMO2]", "checked").is_some());
}

#[tokio::test]
async fn a_method_the_merchant_switched_off_is_refused_on_the_api_and_not_offered() {
    let t = TestApp::spawn().await;
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let saved = admin
        .submit(
            "/settings/payment",
            "/settings/payment",
            &[
                ("offers", "1"),
                ("due", "1"),
                ("offer_card", "on"),
                ("offer_bank", "on"),
                ("offer_cod", "on"),
                ("card_mode", "card_capture"),
                ("bank_account", "bank_store"),
                ("bank_due_days", "7"),
                ("bank_reminder_days", "2"),
                ("konbini_due_days", "3"),
                ("cancel_unpaid", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(goods_choices(&t).await, ["card", "bank", "cod"]);
    let api = t.api(&t.token(Some("DEMO1")).await);
    assert_eq!(refusal(&api, goods("konbini")).await, (422, Some("payment_method".into())));
    assert_eq!(refusal(&api, ticket("pay_at_venue")).await, (422, Some("payment_method".into())));
    let (s, e) = api.post("/api/v1/orders", goods("store_pay")).await;
    assert_eq!(s, 422);
    assert_eq!(
        e["error"]["message"]
            .as_str()
            .map(|m| m.contains("店頭払いはこの加盟店では利用できません")),
        Some(true),
        "{e}"
    );
    assert_eq!(refusal(&api, goods("cod")).await.0, 201);
    // Another merchant is untouched.
    let demo2 = t.api(&t.token(Some("DEMO2")).await);
    assert_eq!(refusal(&demo2, ticket("pay_at_venue")).await.0, 201);
}

#[tokio::test]
async fn the_card_mode_governs_every_channel() {
    let t = TestApp::spawn().await;
    let own = t.api(&t.token(Some("DEMO1")).await);
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    // DEMO1 works in 仮実同時モード.
    for api in [&own, &ota] {
        let (s, e) = api.post("/api/v1/orders", ticket("card_auth")).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("payment_method")), "{e}");
        assert!(e["error"]["message"].as_str().unwrap_or("").contains("card_capture"), "{e}");
        assert_eq!(refusal(api, ticket("card_capture")).await.0, 201);
    }
    assert_eq!(refusal(&own, goods("card_auth")).await, (422, Some("payment_method".into())));
    t.card_mode("DEMO1", "card_auth").await;
    assert_eq!(refusal(&ota, ticket("card_capture")).await, (422, Some("payment_method".into())));
    assert_eq!(refusal(&own, goods("card_auth")).await.0, 201);
}

#[tokio::test]
async fn konbini_rows_have_no_checkbox_in_the_unpaid_tab() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, konbini) = api.post("/api/v1/orders", goods("konbini")).await;
    let (_, bank) = api.post("/api/v1/orders", goods("bank_store")).await;
    let (konbini, bank) = (konbini["order_number"].as_str().unwrap(), bank["order_number"].as_str().unwrap());
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let unpaid = admin.get("/shipping/orders?tab=unpaid").await;
    assert!(unpaid.attr(&format!("[data-testid=pick-{konbini}]"), "value").is_none());
    assert_eq!(
        unpaid.text(&format!("[data-testid=no-pick-{konbini}]")).as_deref(),
        Some("手動で入金処理できません")
    );
    assert_eq!(unpaid.attr(&format!("[data-testid=pick-{bank}]"), "value").as_deref(), Some(bank));
    let all = admin.get("/shipping/orders?tab=all").await;
    assert!(
        all.attr(&format!("[data-testid=pick-{konbini}]"), "value").is_some(),
        "shipping it stays a bulk action"
    );
}

#[tokio::test]
async fn the_cod_fee_is_shown_wherever_the_total_is() {
    let t = TestApp::spawn().await;
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api.post("/api/v1/orders", goods("cod")).await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap();
    let fee = o["cod_fee"].as_i64().unwrap();
    assert!(fee > 0, "{o}");
    let fee_text = kippu_domain::Yen(fee).display_ja();
    let mut c = t.conn().await;
    let (token, body): (String, String) = sqlx::query_as(
        "SELECT o.access_token, x.body FROM outbox x JOIN orders o ON o.id = x.order_id WHERE o.order_number = $1 AND x.template_key = 'goods_thanks'",
    )
    .bind(number)
    .fetch_one(&mut *c)
    .await
    .unwrap();
    drop(c);
    assert!(body.contains(&format!("代引手数料 {fee_text}")), "{body}");
    let mine = t.browser().get(&format!("/my/orders/{token}")).await;
    assert!(html::texts(&mine.body, "dt").iter().any(|d| d == "代引手数料"));
    let detail = admin.get(&format!("/shipping/orders/{number}")).await;
    assert!(detail.body.contains("代引手数料"), "the merchant's order page too");
}
