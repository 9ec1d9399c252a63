//! 代理注文's fields on `POST /api/v1/orders` (seed 003 注文入力): an order for a stored customer
//! (`customer_id`), the shipping and handling fee overrides (audited, never below zero),
//! お問い合わせメモ and SHOPメモ, and whether the buyer gets the order-complete email.

use crate::harness::{Api, TestApp, unique_email, wait_for_mail};
use serde_json::{Value, json};

pub(crate) async fn register(api: &Api, email: &str) -> i64 {
    let body = json!({"name": "鈴木 花子", "kana": "スズキ ハナコ", "email": email, "phone": "03-7777-0201",
                      "postal_code": "100-0001", "address": "東京都千代田区千代田1-1"});
    let (s, c) = api.post("/api/v1/customers", body).await;
    assert_eq!(s, 201, "{c}");
    c["id"].as_i64().unwrap()
}

pub(crate) async fn towel(api: &Api) {
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 50}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
}

fn fields(e: &Value) -> Vec<String> {
    e["error"]["fields"]
        .as_array()
        .map(|a| a.iter().map(|f| f["field"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_else(|| vec![e["error"]["field"].as_str().unwrap_or("").to_string()])
}

struct Stored {
    customer_id: Option<i64>,
    name: String,
    entry_channel: String,
    memo_inquiry: String,
    memo_shop: String,
    created_by: Option<i64>,
    shipping_fee: i64,
    handling_fee: i64,
    amount: i64,
}

async fn stored(t: &TestApp, number: &str) -> Stored {
    let mut c = t.conn().await;
    let r: (Option<i64>, String, String, String, String, Option<i64>, i64, i64, i64) = sqlx::query_as(
        "SELECT customer_id, customer_name, entry_channel, memo_inquiry, memo_shop, created_by, shipping_fee, handling_fee, amount \
         FROM orders WHERE order_number = $1",
    )
    .bind(number)
    .fetch_one(&mut *c)
    .await
    .unwrap();
    Stored {
        customer_id: r.0,
        name: r.1,
        entry_channel: r.2,
        memo_inquiry: r.3,
        memo_shop: r.4,
        created_by: r.5,
        shipping_fee: r.6,
        handling_fee: r.7,
        amount: r.8,
    }
}

async fn mails_of(t: &TestApp, number: &str, template: &str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox x JOIN orders o ON o.id = x.order_id WHERE x.template_key = $1 AND o.order_number = $2")
        .bind(template)
        .bind(number)
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

fn number(o: &Value) -> String {
    o["order_number"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_goods_order_for_a_stored_customer_is_theirs_and_ships_to_their_address() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let id = register(&api, &unique_email("entry")).await;
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "G-TOWEL", "quantity": 2, "payment_method": "bank_store", "customer_id": id}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let row = stored(&t, &number(&o)).await;
    assert_eq!((row.customer_id, row.name.as_str()), (Some(id), "鈴木 花子"));
    assert_eq!(o["destinations"][0]["address"].as_str(), Some("東京都千代田区千代田1-1"));
    // Over the API with the merchant's token: not a call-centre order, no operator, no 対応履歴.
    assert_eq!((row.entry_channel.as_str(), row.created_by), ("direct", None));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM interactions WHERE order_id IS NOT NULL").await, 0);
}

#[tokio::test]
async fn a_ticket_order_for_a_stored_customer_is_theirs() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let id = register(&api, &unique_email("entry")).await;
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "bank_store", "customer_id": id}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let row = stored(&t, &number(&o)).await;
    assert_eq!((row.customer_id, row.name.as_str()), (Some(id), "鈴木 花子"));
}

#[tokio::test]
async fn another_merchants_customer_id_is_refused_naming_the_field() {
    let t = TestApp::spawn().await;
    let mine = register(&t.api(&t.token(Some("DEMO1")).await), &unique_email("entry")).await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    for body in [
        json!({"product_code": "WT-BASIC", "payment_method": "bank_store", "customer_id": mine}),
        json!({"product_code": "WT-BASIC", "payment_method": "bank_store", "customer_id": 999_999_999}),
    ] {
        let (s, e) = other.post("/api/v1/orders", body).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(fields(&e), vec!["customer_id"], "{e}");
    }
}

#[tokio::test]
async fn fee_overrides_replace_the_computed_fees_and_are_audited() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let id = register(&api, &unique_email("entry")).await;
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "G-TOWEL", "quantity": 1, "payment_method": "bank_store", "customer_id": id,
                   "shipping_fee": 800, "handling_fee": 250}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let row = stored(&t, &number(&o)).await;
    assert_eq!((row.shipping_fee, row.handling_fee, row.amount), (800, 250, 3000 + 800 + 250));
    let mut c = t.conn().await;
    let audited: Vec<(String, String)> =
        sqlx::query_as("SELECT before_json, after_json FROM audit_log WHERE action = 'override_fee' AND entity_id = $1 ORDER BY id")
            .bind(number(&o))
            .fetch_all(&mut *c)
            .await
            .unwrap();
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert!(audited[0].1.contains("800") && audited[1].1.contains("250"), "{audited:?}");
    assert!(audited[0].0.contains("shipping_fee"), "the computed fee is the before: {audited:?}");
}

#[tokio::test]
async fn a_fee_below_zero_is_refused_naming_the_field() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let id = register(&api, &unique_email("entry")).await;
    let (s, e) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "G-TOWEL", "payment_method": "bank_store", "customer_id": id,
                   "shipping_fee": -1, "handling_fee": -300}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(fields(&e), vec!["shipping_fee", "handling_fee"], "{e}");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM orders WHERE shipping_fee < 0 OR handling_fee < 0")
            .await,
        0
    );
}

#[tokio::test]
async fn memos_are_kept_with_the_order() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "WT-BASIC", "payment_method": "bank_store", "customer_id": register(&api, &unique_email("entry")).await,
                   "memo_inquiry": "配送日の問い合わせあり\n折り返し希望", "memo_shop": "ギフト包装"}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let row = stored(&t, &number(&o)).await;
    assert_eq!(
        (row.memo_inquiry.as_str(), row.memo_shop.as_str()),
        ("配送日の問い合わせあり\n折り返し希望", "ギフト包装")
    );
}

#[tokio::test]
async fn a_memo_over_its_bound_is_refused_naming_the_field() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let id = register(&api, &unique_email("entry")).await;
    let (s, e) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "WT-BASIC", "payment_method": "bank_store", "customer_id": id, "memo_shop": "あ".repeat(2001)}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(fields(&e), vec!["memo_shop"], "{e}");
}

#[tokio::test]
async fn send_mail_false_sends_the_buyer_no_order_complete_mail() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let id = register(&api, &unique_email("entry")).await;
    let (s, goods) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "G-TOWEL", "payment_method": "bank_store", "customer_id": id, "send_mail": false}),
        )
        .await;
    assert_eq!(s, 201, "{goods}");
    let (s, ticket) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "WT-BASIC", "payment_method": "bank_store", "customer_id": id, "send_mail": false}),
        )
        .await;
    assert_eq!(s, 201, "{ticket}");
    assert_eq!(mails_of(&t, &number(&goods), "goods_thanks").await, 0);
    assert_eq!(mails_of(&t, &number(&ticket), "order_confirmation").await, 0);
    // The merchant is still told of each order.
    assert_eq!(mails_of(&t, &number(&ticket), "order_notification").await, 1);
}

#[tokio::test]
async fn send_mail_true_sends_the_buyer_the_order_complete_mail() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let email = unique_email("entry");
    let id = register(&api, &email).await;
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "G-TOWEL", "payment_method": "bank_store", "customer_id": id, "send_mail": true}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let mail = wait_for_mail(&email, 0).await;
    assert!(mail.body.contains(&number(&o)), "{}", mail.body);
}

/// A merchant admin's signed-in actor (what the console's pages act as).
async fn operator(t: &TestApp, login: &str) -> kippu_app::Actor {
    let mut c = t.conn().await;
    let (user, merchant): (i64, i64) = sqlx::query_as("SELECT id, merchant_id FROM users WHERE login_id = $1")
        .bind(login)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    kippu_app::Actor {
        user_id: Some(kippu_domain::UserId(user)),
        merchant_id: Some(kippu_domain::MerchantId(merchant)),
        role: kippu_domain::account::Role::MerchantAdmin,
        admin_settings: true,
        label: login.to_string(),
        channel: None,
    }
}

#[tokio::test]
async fn a_ticket_order_an_operator_enters_is_a_call_centre_order_on_its_page_and_in_the_csv() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let id = register(&api, &unique_email("entry")).await;
    let a = operator(&t, "demo1-admin").await;
    let r: kippu_app::orders::OrderRequest = serde_json::from_value(json!({
        "product_code": "WT-BASIC", "payment_method": "bank_store", "customer_id": id, "memo_inquiry": "電話受付"
    }))
    .unwrap();
    let out = kippu_app::orders::create(&t.app, &a, &r, None).await.unwrap();
    let n = out.order.order.order_number.clone();
    let row = stored(&t, &n).await;
    assert_eq!(row.entry_channel, "proxy");
    assert!(row.created_by.is_some());

    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = b.get(&format!("/orders/{n}")).await;
    assert_eq!(page.text("[data-testid=entry-channel]").as_deref(), Some("代理注文（demo1-admin）"));
    assert_eq!(page.text("[data-testid=memo-inquiry]").as_deref(), Some("電話受付"));

    let csv = api
        .get_raw(&format!("/api/v1/orders/export.csv?q={n}&encoding=utf-8"))
        .await
        .text()
        .await
        .unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert!(lines.next().unwrap().ends_with(",受注経路"));
    assert!(lines.all(|l| l.ends_with(",代理注文")), "{csv}");
}
