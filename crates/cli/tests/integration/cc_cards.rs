//! 登録クレジットカード of 代理注文管理 (seed 003): a customer's cards registered at the payment
//! company (the sandbox), kippu's copy of what 「情報取得」 fetched (brand, last 4, expiry — never
//! a number), deletion at both, and orders of goods and tickets paid with a stored card.

use crate::harness::{Api, TestApp, unique_email};
use serde_json::{Value, json};

/// A customer of DEMO1 (総合受付) with this email; returns its id.
async fn customer(api: &Api, email: &str) -> i64 {
    let (s, c) = api
        .post(
            "/api/v1/customers",
            json!({"name": "佐藤 一郎", "kana": "サトウ イチロウ", "email": email, "phone": "03-1111-0001", "allow_duplicate": true}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    c["id"].as_i64().unwrap()
}

async fn register(api: &Api, customer: i64, token: &str) -> Value {
    let (s, c) = api
        .post(&format!("/api/v1/customers/{customer}/cards"), json!({"token": token}))
        .await;
    assert_eq!(s, 201, "{c}");
    c
}

async fn cards(api: &Api, customer: i64) -> Vec<Value> {
    let (s, l) = api.get(&format!("/api/v1/customers/{customer}/cards")).await;
    assert_eq!(s, 200, "{l}");
    l["items"].as_array().unwrap().clone()
}

fn summary(cards: &[Value]) -> Vec<(String, String, i64, i64)> {
    cards
        .iter()
        .map(|c| {
            (
                c["brand"].as_str().unwrap().to_string(),
                c["last4"].as_str().unwrap().to_string(),
                c["exp_month"].as_i64().unwrap(),
                c["exp_year"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn demo1(t: &TestApp) -> Api {
    t.api(&t.token(Some("DEMO1")).await)
}

#[tokio::test]
async fn a_registered_card_is_listed_with_brand_last_four_and_expiry() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let c = customer(&api, &unique_email("card")).await;
    let visa = register(&api, c, "tok_visa").await;
    assert!(visa["card_id"].as_str().unwrap().starts_with("card_"), "{visa}");
    register(&api, c, "tok_jcb").await;
    assert_eq!(
        summary(&cards(&api, c).await),
        vec![("VISA".into(), "4242".into(), 12, 2030), ("JCB".into(), "0000".into(), 3, 2031)]
    );
}

#[tokio::test]
async fn information_is_fetched_again_from_the_payment_company() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let c = customer(&api, &unique_email("card")).await;
    let kept = register(&api, c, "tok_master").await;
    let gone = register(&api, c, "tok_visa").await;
    // kippu forgets its copy; the payment company deletes one card on its own tablet.
    let mut conn = t.conn().await;
    sqlx::query("DELETE FROM stored_cards WHERE customer_id = $1")
        .bind(c)
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("UPDATE sandbox_gateway_cards SET deleted_at = 1 WHERE card_id = $1")
        .bind(gone["card_id"].as_str().unwrap())
        .execute(&mut *conn)
        .await
        .unwrap();
    assert!(cards(&api, c).await.is_empty());
    let (s, l) = api.post_empty(&format!("/api/v1/customers/{c}/cards/refresh")).await;
    assert_eq!(s, 200, "{l}");
    let items = l["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{l}");
    assert_eq!(items[0]["card_id"], kept["card_id"]);
    assert_eq!(summary(items), vec![("Mastercard".into(), "4444".into(), 6, 2029)]);
}

#[tokio::test]
async fn a_deleted_card_is_gone_at_the_payment_company_and_in_kippu_and_audited() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let c = customer(&api, &unique_email("card")).await;
    let card = register(&api, c, "tok_visa").await;
    let id = card["card_id"].as_str().unwrap();
    let (s, e) = api.delete(&format!("/api/v1/customers/{c}/cards/{id}")).await;
    assert_eq!(s, 204, "{e}");
    assert!(cards(&api, c).await.is_empty());
    let (s, l) = api.post_empty(&format!("/api/v1/customers/{c}/cards/refresh")).await;
    assert_eq!(
        (s, l["items"].as_array().map(Vec::len)),
        (200, Some(0)),
        "the company no longer has it"
    );
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'delete' AND entity = 'stored_card'")
            .await,
        1
    );
    let (s, _) = api.delete(&format!("/api/v1/customers/{c}/cards/{id}")).await;
    assert_eq!(s, 404, "deleting twice");
}

#[tokio::test]
async fn another_customers_card_is_not_found() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let owner = customer(&api, &unique_email("card")).await;
    let other = customer(&api, &unique_email("card")).await;
    let card = register(&api, owner, "tok_visa").await;
    let id = card["card_id"].as_str().unwrap();
    let (s, e) = api.delete(&format!("/api/v1/customers/{other}/cards/{id}")).await;
    assert_eq!(s, 404, "{e}");
    assert_eq!(cards(&api, owner).await.len(), 1, "the owner's card is untouched");
}

#[tokio::test]
async fn another_merchants_customer_and_cards_are_not_found() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let c = customer(&api, &unique_email("card")).await;
    let card = register(&api, c, "tok_visa").await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    assert_eq!(other.get(&format!("/api/v1/customers/{c}/cards")).await.0, 404);
    assert_eq!(
        other
            .post(&format!("/api/v1/customers/{c}/cards"), json!({"token": "tok_jcb"}))
            .await
            .0,
        404
    );
    let id = card["card_id"].as_str().unwrap();
    assert_eq!(other.delete(&format!("/api/v1/customers/{c}/cards/{id}")).await.0, 404);
    assert_eq!(cards(&api, c).await.len(), 1);
}

#[tokio::test]
async fn a_token_the_payment_company_refuses_is_named_on_the_field_token() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let c = customer(&api, &unique_email("card")).await;
    let (s, e) = api
        .post(&format!("/api/v1/customers/{c}/cards"), json!({"token": "4242424242424242"}))
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "token", "{e}");
    assert!(cards(&api, c).await.is_empty());
}

fn ticket_order(email: &str, card_id: &str) -> Value {
    json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "card_capture", "card_id": card_id,
           "customer": {"name": "佐藤 一郎", "kana": "サトウ イチロウ", "email": email, "phone": "03-1111-0001"}})
}

async fn goods_product(api: &Api) {
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-CARD", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 5}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
}

fn goods_order(email: &str, card_id: &str) -> Value {
    json!({"product_code": "G-CARD", "quantity": 1, "payment_method": "card_capture", "card_id": card_id,
           "customer": {"name": "佐藤 一郎", "kana": "サトウ イチロウ", "email": email, "phone": "03-1111-0001",
                        "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}})
}

#[tokio::test]
async fn a_ticket_order_is_paid_with_the_customers_stored_card() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let email = unique_email("card");
    let c = customer(&api, &email).await;
    let card = register(&api, c, "tok_visa").await;
    let (s, o) = api
        .post("/api/v1/orders", ticket_order(&email, card["card_id"].as_str().unwrap()))
        .await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["payment_method"], "card_capture", "{o}");
    let mut conn = t.conn().await;
    let reference: String =
        sqlx::query_scalar("SELECT p.gateway_ref FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.order_number = $1")
            .bind(o["order_number"].as_str().unwrap())
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert!(reference.starts_with("sbx_"), "{reference}");
}

#[tokio::test]
async fn a_goods_order_is_paid_with_the_customers_stored_card() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    goods_product(&api).await;
    let email = unique_email("card");
    let c = customer(&api, &email).await;
    let card = register(&api, c, "tok_master").await;
    let (s, o) = api
        .post("/api/v1/orders", goods_order(&email, card["card_id"].as_str().unwrap()))
        .await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["payment_method"], "card_capture", "{o}");
}

#[tokio::test]
async fn an_order_with_another_customers_card_is_refused_on_card_id() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let owner = customer(&api, &unique_email("card")).await;
    let card = register(&api, owner, "tok_visa").await;
    let (s, e) = api
        .post(
            "/api/v1/orders",
            ticket_order(&unique_email("card"), card["card_id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "card_id", "{e}");
}

#[tokio::test]
async fn a_stored_card_declined_when_charged_answers_402() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let email = unique_email("card");
    let c = customer(&api, &email).await;
    let card = register(&api, c, "tok_declined_on_charge").await;
    assert_eq!(card["last4"], "0002");
    let (s, e) = api
        .post("/api/v1/orders", ticket_order(&email, card["card_id"].as_str().unwrap()))
        .await;
    assert_eq!((s, e["error"]["code"].as_str()), (402, Some("card_declined")), "{e}");
}

#[tokio::test]
async fn a_card_token_and_a_card_id_together_are_refused() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let mut body = ticket_order(&unique_email("card"), "card_x");
    body["card_token"] = json!("tok_visa");
    let (s, e) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "card_id", "{e}");
}

#[tokio::test]
async fn the_cards_page_registers_lists_and_deletes_a_card() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let c = customer(&api, &unique_email("card")).await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = format!("/callcenter/cards?customer={c}");
    let r = b
        .submit(&page, &format!("/callcenter/cards/register?customer={c}"), &[("token", "tok_jcb")])
        .await;
    assert_eq!((r.status, r.location.as_deref()), (303, Some(page.as_str())), "{}", r.body);
    let shown = b.get(&page).await;
    assert_eq!(shown.status, 200);
    assert_eq!(crate::harness::html::texts(&shown.body, "[data-testid=card-brand]"), vec!["JCB"]);
    assert_eq!(
        crate::harness::html::texts(&shown.body, "[data-testid=card-expiry]"),
        vec!["03/2031"]
    );
    let card_id = shown.attr("[data-testid=card-row]", "data-card-id").unwrap();
    let r = b
        .submit(&page, &format!("/callcenter/cards/delete?customer={c}"), &[("card_id", &card_id)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(b.get(&page).await.text("[data-testid=cards-none]").is_some());
}

#[tokio::test]
async fn the_cards_page_names_a_refused_token_beside_its_field() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let c = customer(&api, &unique_email("card")).await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = format!("/callcenter/cards?customer={c}");
    let r = b
        .submit(&page, &format!("/callcenter/cards/register?customer={c}"), &[("token", "tok_nope")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("invalid_token"), "the reason is shown");
    assert_eq!(r.attr("[data-testid=card-token]", "value").as_deref(), Some("tok_nope"));
}
