//! マスタ編集's card and fees reach the children (issue 23): the master's 送料 and 手数料
//! overrides are each child's, and the card changed among the customer's stored cards (offered
//! only when there are two or more) is the one the next child charges. A card that is not the
//! customer's, or a master not paid by card, is refused naming `card_id`.

use crate::cc_subscriptions::{demo1, order_body, subscribe};
use crate::harness::{Api, Browser, GoodsSettings, TestApp, html};
use kippu_app::callcenter::subscriptions::job::{self, SubsReport};
use serde_json::{Value, json};
use time::Duration;

async fn run_a_cycle_later(t: &TestApp) -> SubsReport {
    t.clock.advance(Duration::days(30));
    job::run(&t.app).await.unwrap()
}

async fn admin(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b
}

/// The master's newest child order as the API answers it.
async fn newest_child(api: &Api, id: i64) -> Value {
    let (s, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(s, 200, "{m}");
    let number = m["child_orders"][0]["order_number"]
        .as_str()
        .unwrap_or_else(|| panic!("no child: {m}"));
    let (s, o) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(s, 200, "{o}");
    o
}

/// A customer of DEMO1 registered over the API: their id.
async fn customer(api: &Api, email: &str) -> i64 {
    let (s, c) = api
        .post(
            "/api/v1/customers",
            json!({"name": "定期 花子", "kana": "テイキ ハナコ", "email": email, "phone": "090-1234-5678",
                   "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "allow_duplicate": true}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    c["id"].as_i64().unwrap()
}

/// Registers the sandbox card behind `token` for `customer`: its card id.
async fn card(api: &Api, customer: i64, token: &str) -> String {
    let (s, c) = api
        .post(&format!("/api/v1/customers/{customer}/cards"), json!({"token": token}))
        .await;
    assert_eq!(s, 201, "{c}");
    c["card_id"].as_str().unwrap().to_string()
}

/// A 30-day master paid by the customer's stored VISA: (customer id, master id, the VISA's card id).
async fn card_master(api: &Api) -> (i64, i64, String) {
    let mut body = order_body("SUB-TEA", json!({"every_days": 30}));
    let who = customer(api, body["customer"]["email"].as_str().unwrap()).await;
    let visa = card(api, who, "tok_visa").await;
    body["payment_method"] = json!("card_capture");
    body["card_id"] = json!(visa);
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    (who, o["subscription_id"].as_i64().unwrap(), visa)
}

#[tokio::test]
async fn a_master_with_shipping_fee_0_makes_a_child_whose_shipping_fee_is_0() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let b = admin(&t).await;
    let rule = GoodsSettings {
        base_fee: "800",
        free_from: "",
        points_percent: "0",
        points_activation: "by_admin",
    };
    assert_eq!(b.save_goods_settings(rule).await.status, 303);
    let (first, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    assert_eq!(first["shipping_fee"], 800, "the merchant's rule charges 送料: {first}");
    let path = format!("/callcenter/subscriptions/{id}");
    let saved = b
        .submit(
            &path,
            &format!("{path}/edit"),
            &[("section", "fees"), ("shipping_fee", "0"), ("handling_fee", "")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);

    assert_eq!(run_a_cycle_later(&t).await.children, 1);
    let child = newest_child(&api, id).await;
    assert_eq!(
        (child["shipping_fee"].as_i64(), child["amount"].as_i64()),
        (Some(0), Some(3000)),
        "{child}"
    );
}

#[tokio::test]
async fn a_masters_handling_fee_is_each_childs() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    let (s, m) = api
        .patch(
            &format!("/api/v1/subscriptions/{id}"),
            json!({"shipping_fee": 500, "handling_fee": 220}),
        )
        .await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(run_a_cycle_later(&t).await.children, 1);
    let child = newest_child(&api, id).await;
    assert_eq!(
        (child["shipping_fee"].as_i64(), child["cod_fee"].as_i64(), child["amount"].as_i64()),
        (Some(500), Some(220), Some(3000 + 500 + 220)),
        "{child}"
    );
}

#[tokio::test]
async fn the_card_form_is_offered_only_when_the_customer_has_two_or_more_cards() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (who, id, visa) = card_master(&api).await;
    let b = admin(&t).await;
    let path = format!("/callcenter/subscriptions/{id}");
    let one = b.get(&path).await;
    assert_eq!(one.status, 200);
    assert!(
        html::texts(&one.body, "[data-testid=edit-card]").is_empty(),
        "one card: nothing to choose"
    );

    let master = card(&api, who, "tok_master").await;
    let two = b.get(&path).await;
    let radios = html::attrs(&two.body, "[data-testid=edit-card] input[type=radio]", "value");
    assert_eq!(radios, vec![visa.clone(), master]);
    assert_eq!(
        html::attrs(&two.body, "[data-testid=edit-card] input[checked]", "value"),
        vec![visa],
        "the master's card is the one checked"
    );
}

#[tokio::test]
async fn changing_the_card_in_the_console_makes_the_next_child_charge_the_new_card() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (who, id, visa) = card_master(&api).await;
    let master = card(&api, who, "tok_master").await;
    let b = admin(&t).await;
    let path = format!("/callcenter/subscriptions/{id}");
    let saved = b
        .submit(&path, &format!("{path}/edit"), &[("section", "card"), ("card_id", &master)])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = b.get(&path).await;
    assert!(
        html::texts(&page.body, "[data-testid=subscription-history] td")
            .contains(&"カード変更（VISA ****4242 → Mastercard ****4444）".to_string()),
        "{}",
        page.body
    );
    // The old card is gone at the payment company: only the new one can pay the child.
    let (s, e) = api.delete(&format!("/api/v1/customers/{who}/cards/{visa}")).await;
    assert_eq!(s, 204, "{e}");

    let report = run_a_cycle_later(&t).await;
    assert_eq!((report.children, report.refused), (1, 0), "{report:?}");
    let child = newest_child(&api, id).await;
    assert_eq!(child["payment_method"], "card_capture", "{child}");
}

#[tokio::test]
async fn a_new_card_that_declines_when_charged_refuses_the_next_child() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (who, id, _) = card_master(&api).await;
    let declining = card(&api, who, "tok_declined_on_charge").await;
    let (s, m) = api
        .patch(&format!("/api/v1/subscriptions/{id}"), json!({"card_id": declining}))
        .await;
    assert_eq!(s, 200, "{m}");
    let report = run_a_cycle_later(&t).await;
    assert_eq!((report.children, report.refused), (0, 1), "{report:?}");
}

#[tokio::test]
async fn another_customers_card_is_refused_naming_card_id() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id, _) = card_master(&api).await;
    let someone = customer(&api, &crate::harness::unique_email("other")).await;
    let theirs = card(&api, someone, "tok_master").await;
    let (s, e) = api.patch(&format!("/api/v1/subscriptions/{id}"), json!({"card_id": theirs})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("card_id")), "{e}");
}

#[tokio::test]
async fn a_master_not_paid_by_card_refuses_a_card_naming_card_id() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    let (_, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    let visa = card(&api, m["customer_id"].as_i64().unwrap(), "tok_visa").await;
    let (s, e) = api.patch(&format!("/api/v1/subscriptions/{id}"), json!({"card_id": visa})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("card_id")), "{e}");
}

#[tokio::test]
async fn a_card_master_names_its_card_by_brand_and_last_4_on_its_page_and_in_the_api() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (who, id, visa) = card_master(&api).await;
    let (s, cards) = api.get(&format!("/api/v1/customers/{who}/cards")).await;
    assert_eq!(s, 200, "{cards}");
    let (brand, last4) = (
        cards["items"][0]["brand"].as_str().unwrap(),
        cards["items"][0]["last4"].as_str().unwrap(),
    );

    let (s, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(m["card"], json!({"brand": brand, "last4": last4, "card_id": visa}));
    // The row id stays where it was, for clients that read it.
    assert!(m["card_id"].is_i64(), "{m}");

    let page = admin(&t).await.get(&format!("/callcenter/subscriptions/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.text("[data-testid=subscription-card-words]"),
        Some(format!("{brand} ****{last4}"))
    );
    assert!(!page.text("[data-testid=subscription-payment]").unwrap().contains("カードID"));
}
