//! 定期 web tickets: a web-ticket order with `subscription` makes a master of its ticket product;
//! the job makes each child through the ticket intake a cycle later, exactly once, with the
//! stored card authorized; a dated ticket type's child is for the cycle's due date; a declined
//! card makes a rejected order, keeps the master and tells the merchant; a reservation cannot
//! be a subscription.

use crate::harness::{Api, TestApp, html, unique_email, wait_for_mail};
use kippu_app::callcenter::subscriptions::job;
use serde_json::{Value, json};
use time::Duration;

async fn demo1(t: &TestApp) -> Api {
    t.api(&t.token(Some("DEMO1")).await)
}

/// A customer of DEMO1 with a stored card registered by `token`: (email, card id).
async fn customer_with_card(api: &Api, token: &str) -> (String, String) {
    let email = unique_email("tsub");
    let (s, c) = api
        .post(
            "/api/v1/customers",
            json!({"name": "定期 太郎", "kana": "テイキ タロウ", "email": email, "phone": "090-1234-5678",
                   "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let (s, card) = api
        .post(&format!("/api/v1/customers/{}/cards", c["id"]), json!({"token": token}))
        .await;
    assert_eq!(s, 201, "{card}");
    (email, card["card_id"].as_str().unwrap().to_string())
}

fn ticket_body(product: &str, email: &str, card_id: &str, subscription: Value) -> Value {
    json!({"product_code": product, "quantity": 2, "payment_method": "card_capture", "card_id": card_id,
           "subscription": subscription,
           "customer": {"name": "定期 太郎", "kana": "テイキ タロウ", "email": email, "phone": "090-1234-5678"}})
}

/// A web-ticket master of DEMO1 paid by a stored card: (the first order, the master's id).
async fn subscribe(api: &Api, body: Value) -> (Value, i64) {
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    let id = o["subscription_id"].as_i64().unwrap_or_else(|| panic!("no subscription_id: {o}"));
    (o, id)
}

async fn master(api: &Api, id: i64) -> Value {
    let (s, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(s, 200, "{m}");
    m
}

async fn order(api: &Api, number: &str) -> Value {
    let (s, o) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(s, 200, "{o}");
    o
}

#[tokio::test]
async fn a_web_ticket_order_with_a_subscription_starts_a_master_of_its_ticket() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (email, card) = customer_with_card(&api, "tok_visa").await;
    let (o, id) = subscribe(&api, ticket_body("WT-BASIC", &email, &card, json!({"every_days": 30}))).await;
    let m = master(&api, id).await;
    assert_eq!(
        (m["status"].as_str(), m["next_date"].as_str(), m["origin_order_number"].as_str()),
        (Some("active"), Some("2026-12-24"), o["order_number"].as_str())
    );
    assert_eq!(
        (m["items"][0]["product_code"].as_str(), m["items"][0]["quantity"].as_i64()),
        (Some("WT-BASIC"), Some(2))
    );
}

#[tokio::test]
async fn the_job_makes_a_ticket_child_a_cycle_later_once_with_the_stored_card_charged() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (email, card) = customer_with_card(&api, "tok_visa").await;
    let (_, id) = subscribe(&api, ticket_body("WT-BASIC", &email, &card, json!({"every_days": 30}))).await;
    t.clock.advance(Duration::days(30));
    assert_eq!(job::run(&t.app).await.unwrap().children, 1);
    assert_eq!(job::run(&t.app).await.unwrap().children, 0, "the second run finds it done");
    let m = master(&api, id).await;
    let children = m["child_orders"].as_array().unwrap();
    assert_eq!(children.len(), 1, "{m}");
    assert_eq!(
        (children[0]["cycle_date"].as_str(), m["next_date"].as_str()),
        (Some("2026-12-24"), Some("2027-01-23"))
    );
    let child = order(&api, children[0]["order_number"].as_str().unwrap()).await;
    assert_eq!(
        (
            child["kind"].as_str(),
            child["order_type"].as_str(),
            child["subscription_id"].as_i64()
        ),
        (Some("web_ticket"), Some("subscription_child"), Some(id))
    );
    assert_eq!(
        (child["amount"].as_i64(), child["tickets"].as_array().map(Vec::len)),
        (Some(4000), Some(2))
    );
    assert_eq!(child["customer"]["email"].as_str(), Some(email.as_str()));
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = b.get(&format!("/orders/{}", child["order_number"].as_str().unwrap())).await;
    assert_eq!(
        html::attrs(&page.body, "[data-testid=subscription]", "href"),
        vec![format!("/callcenter/subscriptions/{id}")]
    );
    let charged = t
        .scalar("SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.order_type = 'subscription_child' AND p.state = 'captured' AND p.amount = 4000")
        .await;
    assert_eq!(charged, 1, "the stored card paid the child");
}

#[tokio::test]
async fn a_dated_ticket_child_is_a_cycle_after_the_first_visit_in_its_slot() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "WT-COURT", "name": "テニスコート（1時間）", "kind": "web_ticket", "ticket_type": "rental", "price": 2200,
                   "stock": 2, "stock_range": {"from": "2026-11-25", "to": "2027-01-31", "slots": ["09:00", "10:00"]}}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let (email, card) = customer_with_card(&api, "tok_visa").await;
    let mut body = ticket_body("WT-COURT", &email, &card, json!({"every_weeks": 1, "weekday": "sat"}));
    body["quantity"] = json!(1);
    body["visit_date"] = json!("2026-11-28");
    body["time_slot"] = json!("10:00");
    let (_, id) = subscribe(&api, body).await;
    assert_eq!(master(&api, id).await["next_date"], "2026-12-05", "a week after the first visit");
    t.clock.advance(Duration::days(11));
    assert_eq!(job::run(&t.app).await.unwrap().children, 1);
    let m = master(&api, id).await;
    let child = order(&api, m["child_orders"][0]["order_number"].as_str().unwrap()).await;
    assert_eq!(
        (child["visit_date"].as_str(), child["time_slot"].as_str()),
        (Some("2026-12-05"), Some("10:00")),
        "{child}"
    );
    assert_eq!(m["next_date"], "2026-12-12");
}

#[tokio::test]
async fn a_declined_card_makes_a_rejected_order_keeps_the_master_and_tells_the_merchant() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (email, card) = customer_with_card(&api, "tok_visa").await;
    let (_, id) = subscribe(&api, ticket_body("WT-BASIC", &email, &card, json!({"every_days": 30}))).await;
    let merchant_mail = t.unique_merchant_email("DEMO1").await;
    // The payment company starts declining the stored card.
    let mut c = t.conn().await;
    sqlx::query("UPDATE sandbox_gateway_cards SET decline_on_charge = 1 WHERE card_id = $1")
        .bind(&card)
        .execute(&mut *c)
        .await
        .unwrap();
    drop(c);
    let rejected_before = t.scalar("SELECT COUNT(*) FROM rejected_orders").await;
    t.clock.advance(Duration::days(30));
    let r = job::run(&t.app).await.unwrap();
    assert_eq!((r.children, r.refused), (0, 1));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM rejected_orders").await, rejected_before + 1);
    let m = master(&api, id).await;
    assert_eq!(
        (m["status"].as_str(), m["next_date"].as_str()),
        (Some("active"), Some("2027-01-23"))
    );
    assert_eq!(m["child_orders"], json!([]));
    let mail = wait_for_mail(&merchant_mail, 0).await;
    assert!(mail.subject.contains("定期受注を作成できませんでした"), "{}", mail.subject);
}

#[tokio::test]
async fn a_reservation_with_a_subscription_is_refused_on_the_subscription_field() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let before = t.scalar("SELECT COUNT(*) FROM orders").await;
    let body = json!({"product_code": "RSV-LUNCH", "visit_date": "2026-11-25", "party_size": 2, "payment_method": "card_capture",
        "card_token": "tok_visa", "subscription": {"every_days": 7},
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("tsub"), "phone": "090-1234-5678"}});
    let (s, e) = api.post("/api/v1/orders", body).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("subscription")), "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, before);
}

#[tokio::test]
async fn a_ticket_subscription_with_a_cycle_of_zero_days_is_refused() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (email, card) = customer_with_card(&api, "tok_visa").await;
    let (s, e) = api
        .post("/api/v1/orders", ticket_body("WT-BASIC", &email, &card, json!({"every_days": 0})))
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["field"].as_str().unwrap().starts_with("subscription"), "{e}");
}
