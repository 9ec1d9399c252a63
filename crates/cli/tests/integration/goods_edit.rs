//! 受注編集 (issue 22): before 入金処理 the merchant changes a goods order's lines, quantities,
//! 送料, 代引手数料, payment method and points — the total is recomputed, stock moved, a 与信
//! card authorization replaced through the gateway or the edit refused with the card company's
//! reason, points spent from the customer's one ledger and given back — and after payment only a
//! destination's address and time band; another merchant's order does not exist; the order's
//! history and the audit log say before → after in words.

use crate::harness::{Api, Browser, TestApp, html, unique_email};
use serde_json::{Value, json};

/// 今治タオル at 3,000 yen with `stock` left.
async fn towel(api: &Api, stock: i64) {
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": stock}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
}

/// Two towels to the buyer, paid by `method`.
pub(crate) async fn order(api: &Api, method: &str, email: &str) -> (String, Value) {
    let body = json!({"payment_method": method, "card_token": "tok_visa",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email, "phone": "090-1234-5678",
                     "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"},
        "destinations": [{"name": "山田 花子", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "phone": "090-1234-5678",
                          "lines": [{"product_code": "G-TOWEL", "quantity": 2}]}]});
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    (o["order_number"].as_str().unwrap().to_string(), o)
}

async fn remaining(t: &TestApp, product: &str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar(
        "SELECT s.remaining FROM stock s JOIN products p ON p.id = s.product_id JOIN merchants m ON m.id = p.merchant_id \
         WHERE m.code = 'DEMO1' AND p.code = $1 AND s.stock_date = ''",
    )
    .bind(product)
    .fetch_one(&mut *c)
    .await
    .unwrap()
}

fn towels(quantity: i64) -> Value {
    json!({"destinations": [{"lines": [{"product_code": "G-TOWEL", "quantity": quantity}]}]})
}

pub(crate) async fn patch(api: &Api, number: &str, body: Value) -> (u16, Value) {
    api.patch(&format!("/api/v1/orders/{number}"), body).await
}

pub(crate) struct World {
    pub(crate) t: TestApp,
    pub(crate) api: Api,
}

impl World {
    pub(crate) async fn new(stock: i64) -> World {
        let t = TestApp::spawn().await;
        let api = t.api(&t.token(Some("DEMO1")).await);
        towel(&api, stock).await;
        World { t, api }
    }
}

#[tokio::test]
async fn a_quantity_change_before_payment_moves_stock_and_the_total() {
    let w = World::new(10).await;
    let (n, o) = order(&w.api, "konbini", &unique_email("edit")).await;
    assert_eq!((o["total"].as_i64(), remaining(&w.t, "G-TOWEL").await), (Some(6000), 8));

    let (s, e) = patch(&w.api, &n, towels(3)).await;
    assert_eq!(s, 200, "{e}");
    assert_eq!((e["total"].as_i64(), e["amount"].as_i64()), (Some(9000), Some(9000)));
    assert_eq!(e["destinations"][0]["lines"][0]["quantity"], 3);
    assert_eq!(remaining(&w.t, "G-TOWEL").await, 7, "one more towel taken");

    // A product new to the order at its catalogue price (緑茶ティーバッグ, 864 yen, 8 %), one
    // towel given back.
    let body =
        json!({"destinations": [{"lines": [{"product_code": "G-TOWEL", "quantity": 2}, {"product_code": "GOODS-TEA", "quantity": 1}]}]});
    let (s, e) = patch(&w.api, &n, body).await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(e["total"], 6864);
    assert_eq!(remaining(&w.t, "G-TOWEL").await, 8);
    // A コンビニ number is for one amount: the new total has a new one.
    assert_ne!(e["payment_instructions"]["number"], o["payment_instructions"]["number"]);
    let (_, read) = w.api.get(&format!("/api/v1/orders/{n}")).await;
    assert_eq!(read["total"], 6864, "read back as written");
}

#[tokio::test]
async fn more_than_the_stock_holds_is_refused_with_the_product_and_nothing_changes() {
    let w = World::new(3).await;
    let (n, _) = order(&w.api, "konbini", &unique_email("edit")).await;
    let (s, e) = patch(
        &w.api,
        &n,
        json!({"destinations": [{"lines": [{"product_code": "G-TOWEL", "quantity": 4}]}], "shipping_fee": 500}),
    )
    .await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("sold_out")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("今治タオル"), "{e}");
    let (_, read) = w.api.get(&format!("/api/v1/orders/{n}")).await;
    assert_eq!((read["total"].as_i64(), read["shipping_fee"].as_i64()), (Some(6000), Some(0)));
    assert_eq!(remaining(&w.t, "G-TOWEL").await, 1);
}

#[tokio::test]
async fn fees_change_the_total_and_bad_values_are_named_by_their_field() {
    let w = World::new(10).await;
    let (n, _) = order(&w.api, "konbini", &unique_email("edit")).await;
    let (s, e) = patch(&w.api, &n, json!({"shipping_fee": 800})).await;
    assert_eq!(s, 200, "{e}");
    assert_eq!((e["shipping_fee"].as_i64(), e["total"].as_i64()), (Some(800), Some(6800)));
    assert_eq!(e["destinations"][0]["shipping_fee"], 800);

    // To cash on delivery with its 代引手数料; the コンビニ number no longer applies.
    let (s, e) = patch(&w.api, &n, json!({"payment_method": "cod", "cod_fee": 330})).await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(
        (e["payment_method"].as_str(), e["cod_fee"].as_i64(), e["total"].as_i64()),
        (Some("cod"), Some(330), Some(7130))
    );
    assert!(e.get("payment_instructions").is_none(), "{e}");

    let (s, e) = patch(
        &w.api,
        &n,
        json!({"shipping_fee": -1, "cod_fee": 100_001, "destinations": [{"lines": [{"product_code": "G-TOWEL", "quantity": 0}]}]}),
    )
    .await;
    assert_eq!((s, e["error"]["code"].as_str()), (422, Some("invalid")), "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"shipping_fee") && fields.contains(&"destinations[0].lines.quantity"),
        "{fields:?}"
    );
    let (s, e) = patch(&w.api, &n, json!({"shipping_fees": 1})).await;
    assert_eq!(s, 422, "an unknown field is named: {e}");
    let (_, read) = w.api.get(&format!("/api/v1/orders/{n}")).await;
    assert_eq!(read["total"], 7130, "nothing of a refused edit applies");
}

#[tokio::test]
async fn after_payment_an_amount_change_is_refused_while_the_address_still_changes() {
    let w = World::new(10).await;
    let (n, _) = order(&w.api, "bank_store", &unique_email("edit")).await;
    let (s, _) = w.api.post_empty(&format!("/api/v1/orders/{n}/mark-paid")).await;
    assert_eq!(s, 200);
    let (s, e) = patch(&w.api, &n, json!({"shipping_fee": 500})).await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("order_paid")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().starts_with("入金処理後のため"), "{e}");
    let (s, e) = patch(&w.api, &n, towels(3)).await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("order_paid")));

    let moved = json!({"destinations": [{"postal_code": "060-0001", "address": "北海道札幌市中央区北1条西2-1", "time_band": "18-20"}]});
    let (s, e) = patch(&w.api, &n, moved).await;
    assert_eq!(s, 200, "{e}");
    let d = &e["destinations"][0];
    assert_eq!(
        (d["address"].as_str(), d["postal_code"].as_str(), d["time_band"].as_str()),
        (Some("北海道札幌市中央区北1条西2-1"), Some("060-0001"), Some("18-20"))
    );
    assert_eq!(e["total"], 6000, "the amounts stay");
    assert_eq!(remaining(&w.t, "G-TOWEL").await, 8);
}

/// The order's card authorization: reference, amount, state.
async fn authorization(t: &TestApp, n: &str) -> (String, i64, String) {
    let mut c = t.conn().await;
    sqlx::query_as("SELECT p.gateway_ref, p.amount, p.state FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.order_number = $1")
        .bind(n)
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_card_authorization_follows_the_new_total_or_the_refusal_leaves_the_order_unchanged() {
    let w = World::new(1000).await;
    w.t.card_mode("DEMO1", "card_auth").await;
    let (n, _) = order(&w.api, "card_auth", &unique_email("edit")).await;
    let (first_ref, amount, _) = authorization(&w.t, &n).await;
    assert_eq!(amount, 6000);

    let (s, e) = patch(&w.api, &n, towels(3)).await;
    assert_eq!(s, 200, "{e}");
    assert_eq!((e["total"].as_i64(), e["card_state"].as_str()), (Some(9000), Some("authorized")));
    let (new_ref, amount, state) = authorization(&w.t, &n).await;
    assert_eq!((amount, state.as_str()), (9000, "authorized"));
    assert_ne!(new_ref, first_ref, "a new authorization of the new amount");

    // 200 towels: 600,000 yen, over the sandbox card's credit line.
    let (s, e) = patch(&w.api, &n, towels(200)).await;
    assert_eq!((s, e["error"]["code"].as_str()), (402, Some("card_declined")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("insufficient_funds"), "{e}");
    let (_, read) = w.api.get(&format!("/api/v1/orders/{n}")).await;
    assert_eq!(
        (read["total"].as_i64(), read["destinations"][0]["lines"][0]["quantity"].as_i64()),
        (Some(9000), Some(3))
    );
    assert_eq!(authorization(&w.t, &n).await, (new_ref, 9000, "authorized".to_string()));
    assert_eq!(remaining(&w.t, "G-TOWEL").await, 997);

    // Captured, the card order is paid: its amounts stay.
    assert_eq!(w.api.post_empty(&format!("/api/v1/orders/{n}/capture")).await.0, 200);
    let (s, e) = patch(&w.api, &n, towels(1)).await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("order_paid")));
}

/// Gives the order's customer `points` on the ledger (手動調整 by the admin).
pub(crate) async fn give_points(t: &TestApp, b: &Browser, number: &str, points: i64) -> i64 {
    let mut c = t.conn().await;
    let customer: i64 = sqlx::query_scalar("SELECT customer_id FROM orders WHERE order_number = $1")
        .bind(number)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    let path = format!("/proxy/customers/{customer}/points");
    let done = b.submit(&path, &path, &[("points", &points.to_string()), ("note", "お詫び")]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    customer
}

async fn balance(t: &TestApp, customer: i64) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar("SELECT points_balance FROM customers WHERE id = $1")
        .bind(customer)
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

#[tokio::test]
async fn points_are_spent_from_the_ledger_given_back_and_never_below_zero() {
    let w = World::new(10).await;
    let b = w.t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (n, _) = order(&w.api, "konbini", &unique_email("edit")).await;
    let customer = give_points(&w.t, &b, &n, 500).await;

    let (s, e) = patch(&w.api, &n, json!({"points_used": 300})).await;
    assert_eq!(s, 200, "{e}");
    assert_eq!((e["points_used"].as_i64(), e["total"].as_i64()), (Some(300), Some(5700)));
    assert_eq!(balance(&w.t, customer).await, 200);

    // 500 is what the customer has with the 300 this order already spends: 501 is refused.
    let (s, e) = patch(&w.api, &n, json!({"points_used": 501})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("points_used")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("500ポイントまで"), "{e}");
    assert_eq!(balance(&w.t, customer).await, 200, "nothing moved");

    let (s, _) = patch(&w.api, &n, json!({"points_used": 100})).await;
    assert_eq!(s, 200);
    assert_eq!(balance(&w.t, customer).await, 400, "200 given back");
    let page = b.get(&format!("/proxy/customers/{customer}/points")).await;
    let ledger = page.text("[data-testid=ledger]").unwrap();
    assert!(ledger.contains("ポイント利用") && ledger.contains(&n), "{ledger}");

    let (s, c) = w
        .api
        .post(&format!("/api/v1/orders/{n}/cancel"), json!({"reason": "お客様のご都合"}))
        .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(balance(&w.t, customer).await, 500, "the cancelled order's points come back");
    let (s, e) = patch(&w.api, &n, json!({"points_used": 0})).await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("order_cancelled")));
}

#[tokio::test]
async fn another_merchants_order_is_not_found_and_only_a_merchant_edits() {
    let w = World::new(10).await;
    let (n, _) = order(&w.api, "konbini", &unique_email("edit")).await;
    let other = w.t.api(&w.t.token(Some("DEMO2")).await);
    let (s, e) = patch(&other, &n, json!({"shipping_fee": 0})).await;
    assert_eq!((s, e["error"]["code"].as_str()), (404, Some("not_found")));
    let platform = w.t.api(&w.t.token(None).await);
    assert_eq!(patch(&platform, &n, json!({"shipping_fee": 0})).await.0, 403);
    let (_, read) = w.api.get(&format!("/api/v1/orders/{n}")).await;
    assert_eq!(read["shipping_fee"], 0);
}

#[tokio::test]
async fn the_history_and_the_audit_log_say_before_and_after_in_words() {
    let w = World::new(10).await;
    let b = w.t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (n, _) = order(&w.api, "konbini", &unique_email("edit")).await;
    let (s, _) = patch(
        &w.api,
        &n,
        json!({"shipping_fee": 800, "destinations": [{"lines": [{"product_code": "G-TOWEL", "quantity": 3}]}]}),
    )
    .await;
    assert_eq!(s, 200);
    let page = b.get(&format!("/shipping/orders/{n}")).await;
    let what = html::texts(&page.body, "[data-testid=history-what]");
    let change = html::texts(&page.body, "[data-testid=history-change]");
    assert_eq!(what.last().map(String::as_str), Some("受注編集"));
    assert_eq!(
        change.last().map(String::as_str),
        Some("商品: お届け先1: 今治タオル × 2 → お届け先1: 今治タオル × 3、送料: 0円 → 800円、合計: 6,000円 → 9,800円")
    );
    let by = html::texts(&page.body, "[data-testid=history-by]");
    assert_eq!(by.last().map(String::as_str), Some("API（test）"), "an API token by its name");
    let log = b.get("/settings/audit").await;
    let sentences = html::texts(&log.body, "[data-testid=audit-sentence]");
    assert!(
        sentences.contains(&format!("api:test が 受注 {n} に「受注編集」を行いました")),
        "{sentences:?}"
    );
    assert!(log.body.contains("送料: 0円 → 800円"), "in words");
    assert!(log.body.contains("金額: 6,000円 → 9,800円"), "in words");
}

#[tokio::test]
async fn the_patch_answer_as_a_snapshot() {
    let w = World::new(10).await;
    let b = w.t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (n, _) = order(&w.api, "bank_store", "edit-snapshot@example.jp").await;
    give_points(&w.t, &b, &n, 1000).await;
    let body = json!({"shipping_fee": 800, "points_used": 700,
        "destinations": [{"time_band": "morning", "lines": [{"product_code": "G-TOWEL", "quantity": 1}, {"product_code": "GOODS-TEA", "quantity": 2}]}]});
    let (s, e) = patch(&w.api, &n, body).await;
    assert_eq!(s, 200, "{e}");
    let text = e.to_string().replace(&n, "[order_number]");
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["ordered_at"] = json!("[ordered_at]");
    if let Some(p) = v.get_mut("payment_instructions") {
        p["due_at"] = json!("[due_at]");
    }
    insta::assert_json_snapshot!("goods_edit_patch", v);
}

/// The edit form's fields as the page sends them, with `changes` over the order's own values.
fn form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f: Vec<(&str, &str)> = vec![
        ("d1_name", "山田 花子"),
        ("d1_kana", ""),
        ("d1_postal_code", "111-0032"),
        ("d1_address", "東京都台東区浅草1-2-3"),
        ("d1_phone", "090-1234-5678"),
        ("d1_requested_date", ""),
        ("d1_time_band", ""),
        ("d1_code", "G-TOWEL"),
        ("d1_qty", "2"),
        ("d1_add_code", ""),
        ("d1_add_qty", ""),
        ("shipping_fee", "0"),
        ("cod_fee", "0"),
        ("payment_method", "konbini"),
        ("points_used", "0"),
    ];
    for (k, v) in changes {
        match f.iter_mut().find(|(name, _)| name == k) {
            Some(x) => x.1 = v,
            None => f.push((k, v)),
        }
    }
    f
}

#[tokio::test]
async fn the_order_page_leads_to_the_edit_form_which_says_errors_beside_fields_and_the_change_in_words() {
    let w = World::new(10).await;
    let b = w.t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (n, _) = order(&w.api, "konbini", &unique_email("edit")).await;
    let detail = format!("/shipping/orders/{n}");
    let path = format!("{detail}/edit");
    assert_eq!(b.get(&detail).await.attr("[data-testid=edit-order]", "href"), Some(path.clone()));
    let page = b.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.text("[data-testid=edit-warning]").unwrap().contains("入金処理の前に"));
    assert_eq!(page.attr("[data-testid=qty-1-G-TOWEL]", "value").as_deref(), Some("2"));
    let methods = html::attrs(&page.body, "[data-testid=payment_method] option", "value");
    assert_eq!(methods[0], "konbini", "the order's own method first: {methods:?}");
    assert!(!methods.iter().any(|m| m.starts_with("card")), "never to a card: {methods:?}");

    // Bad input: each error beside its field, nothing saved.
    let bad = b
        .submit(&path, &path, &form(&[("shipping_fee", "abc"), ("points_used", "100")]))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.text("[data-testid=err-shipping_fee]").unwrap().contains("半角数字"));
    assert!(
        bad.text("[data-testid=err-points_used]").is_none(),
        "one check at a time: numbers first"
    );
    let bad = b.submit(&path, &path, &form(&[("d1_qty", "1000")])).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text("[data-testid=err-d1_lines]").unwrap().contains("1〜999"), "{}", bad.body);
    let bad = b.submit(&path, &path, &form(&[("points_used", "100")])).await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.text("[data-testid=err-points_used]").unwrap().contains("0ポイントまで"),
        "{}",
        bad.body
    );
    assert_eq!(bad.attr("[data-testid=points_used]", "value").as_deref(), Some("100"), "as typed");

    let done = b.submit(&path, &path, &form(&[("d1_qty", "3"), ("shipping_fee", "800")])).await;
    assert_eq!(
        (done.status, done.location.as_deref()),
        (303, Some(detail.as_str())),
        "{}",
        done.body
    );
    let page = b.get(&detail).await;
    assert_eq!(
        page.text("[data-testid=flash-message]"),
        Some(format!("{n}: 受注を編集しました（受注金額 6,000円 → 9,800円）"))
    );
    assert_eq!(page.text("[data-testid=order-amount]").as_deref(), Some("9,800円"));
    assert_eq!(remaining(&w.t, "G-TOWEL").await, 7);
}

#[tokio::test]
async fn after_payment_the_form_shows_only_what_may_change() {
    let w = World::new(10).await;
    let b = w.t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (n, _) = order(&w.api, "bank_store", &unique_email("edit")).await;
    assert_eq!(w.api.post_empty(&format!("/api/v1/orders/{n}/mark-paid")).await.0, 200);
    let path = format!("/shipping/orders/{n}/edit");
    let page = b.get(&path).await;
    assert!(page.text("[data-testid=edit-paid-note]").unwrap().contains("入金処理後のため"));
    assert!(page.attr("[data-testid=shipping_fee]", "name").is_none(), "no amounts once paid");
    assert!(page.attr("[data-testid=qty-1-G-TOWEL]", "name").is_none());
    let fields = [
        ("d1_name", "山田 花子"),
        ("d1_kana", ""),
        ("d1_postal_code", "060-0001"),
        ("d1_address", "北海道札幌市中央区北1条西2-1"),
        ("d1_phone", "011-123-4567"),
        ("d1_requested_date", ""),
        ("d1_time_band", "19-21"),
    ];
    let done = b.submit(&path, &path, &fields).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let (_, read) = w.api.get(&format!("/api/v1/orders/{n}")).await;
    assert_eq!(
        (
            read["destinations"][0]["address"].as_str(),
            read["destinations"][0]["time_band"].as_str(),
            read["total"].as_i64()
        ),
        (Some("北海道札幌市中央区北1条西2-1"), Some("19-21"), Some(6000))
    );
    // Shipped, the order is not edited: no link, and the form answers why.
    assert_eq!(w.api.post_empty(&format!("/api/v1/orders/{n}/ship")).await.0, 200);
    assert!(
        b.get(&format!("/shipping/orders/{n}"))
            .await
            .attr("[data-testid=edit-order]", "href")
            .is_none()
    );
    assert_eq!(b.get(&path).await.status, 409);
}
