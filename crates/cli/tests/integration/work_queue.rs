//! Home is the work queue: each count is the number of rows the list it links to shows, for the
//! merchant's own orders and bookings only; the platform operator sees its own queue.

use crate::harness::{Browser, TestApp, unique_email};
use kippu_app::Actor;
use kippu_domain::account::Role;
use serde_json::{Value, json};
use time::Duration;

async fn order(t: &TestApp, token: &str, method: &str) -> Value {
    if method.starts_with("card") {
        t.card_mode("DEMO1", method).await;
        t.card_mode("DEMO2", method).await;
    }
    let body = json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": method,
        "card_token": if method.starts_with("card") { Some("tok_visa") } else { None },
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("queue"), "phone": "090-1234-5678"}});
    let (s, o) = t.api(token).post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    o
}

async fn booking(t: &TestApp, token: &str, date: &str, party: i64) -> Value {
    t.card_mode("DEMO1", "card_capture").await;
    t.card_mode("DEMO2", "card_capture").await;
    let body = json!({"product_code": "RSV-LUNCH", "visit_date": date, "party_size": party, "payment_method": "card_capture", "card_token": "tok_visa",
        "customer": {"name": "鈴木 一郎", "kana": "スズキ イチロウ", "email": unique_email("queue"), "phone": "090-1234-5678"}});
    let (s, o) = t.api(token).post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    o
}

/// The buyer writes in the order's thread (through their own link).
async fn buyer_writes(t: &TestApp, number: &str) {
    let v = kippu_app::orders::get(&t.app, &Actor::system(), number).await.unwrap();
    let buyer = Actor::unattended(v.order.merchant_id, Role::Customer, "customer:test");
    let token = v.order.access_token.clone().unwrap();
    kippu_app::orders::post_message(&t.app, &buyer, number, "当日は何時から入れますか", Some(&token))
        .await
        .unwrap();
}

/// The home page's cards: (code, count, link).
async fn queue(b: &Browser) -> Vec<(String, String, String)> {
    let home = b.get("/").await;
    assert_eq!(home.status, 200);
    let codes = crate::harness::html::attrs(&home.body, "[data-testid=work-queue] a", "data-testid");
    let hrefs = crate::harness::html::attrs(&home.body, "[data-testid=work-queue] a", "href");
    let counts = crate::harness::html::texts(&home.body, "[data-testid=work-queue] .queue-count");
    assert!(!codes.is_empty(), "{}", home.body);
    codes
        .into_iter()
        .zip(counts)
        .zip(hrefs)
        .map(|((c, n), h)| (c.trim_start_matches("queue-").to_string(), n, h))
        .collect()
}

/// What the list behind a link says it holds.
async fn list_total(b: &Browser, href: &str) -> String {
    let list = b.get(href).await;
    assert_eq!(list.status, 200, "{href}: {}", list.body);
    list.text("[data-testid=list-total], [data-testid=bookings-total]")
        .unwrap_or_else(|| panic!("{href} shows no total"))
}

async fn merchant_with_work() -> (TestApp, Browser) {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    order(&t, &token, "bank_store").await;
    order(&t, &token, "bank_store").await;
    order(&t, &token, "pay_at_venue").await;
    order(&t, &token, "card_capture").await;
    let old_auth = order(&t, &token, "card_auth").await;
    buyer_writes(&t, old_auth["order_number"].as_str().unwrap()).await;
    // 21 days later the first authorization has four days left; a new one has 25.
    t.clock.advance(Duration::days(21));
    order(&t, &token, "card_auth").await;
    let today = t.app.clock.today();
    booking(&t, &token, &today.to_string(), 3).await;
    booking(&t, &token, &today.to_string(), 2).await;
    booking(&t, &token, &(today + Duration::days(1)).to_string(), 4).await;
    // Another merchant's work is not this one's.
    let other = t.token(Some("DEMO2")).await;
    order(&t, &other, "bank_store").await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    (t, b)
}

#[tokio::test]
async fn every_count_is_what_its_list_shows() {
    let (_t, b) = merchant_with_work().await;
    for (code, count, href) in queue(&b).await {
        assert_eq!(count, list_total(&b, &href).await, "{code} → {href}");
    }
}

#[tokio::test]
async fn the_counts_are_the_merchants_own_work() {
    let (_t, b) = merchant_with_work().await;
    let q = queue(&b).await;
    let count = |code: &str| q.iter().find(|(c, _, _)| c == code).map(|(_, n, _)| n.clone()).unwrap();
    assert_eq!(count("unpaid"), "2");
    assert_eq!(count("unreceived"), "1");
    assert_eq!(count("authorized"), "2");
    assert_eq!(count("auth_expiring"), "1", "only the authorization with four days left");
    assert_eq!(count("unanswered"), "1");
    assert_eq!(count("bookings_today"), "2");
    assert_eq!(count("bookings_tomorrow"), "1");
}

#[tokio::test]
async fn the_days_bookings_show_their_people() {
    let (_t, b) = merchant_with_work().await;
    let home = b.get("/").await;
    assert_eq!(home.text("[data-testid=queue-people-bookings_today]"), Some("5名".into()));
    assert_eq!(home.text("[data-testid=queue-people-bookings_tomorrow]"), Some("4名".into()));
}

#[tokio::test]
async fn an_answer_takes_the_message_off_the_queue() {
    let (_t, b) = merchant_with_work().await;
    let waiting = list_total(&b, "/orders?unanswered=1").await;
    assert_eq!(waiting, "1");
    let number = crate::harness::html::attrs(&b.get("/orders?unanswered=1").await.body, "[data-order]", "data-order")
        .into_iter()
        .next()
        .unwrap();
    let answered = b
        .submit(
            &format!("/orders/{number}"),
            &format!("/orders/{number}/messages"),
            &[("body", "10時から入れます")],
        )
        .await;
    assert_eq!(answered.status, 303);
    assert_eq!(list_total(&b, "/orders?unanswered=1").await, "0");
}

#[tokio::test]
async fn the_operator_sees_deposits_cancel_requests_and_payouts_to_pay() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    order(&t, &token, "bank_platform").await;
    let op = t.browser();
    op.login("operator", "Operator2026").await;
    let q = queue(&op).await;
    let codes: Vec<&str> = q.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(codes, ["deposits", "platform_cancel_requests", "payouts_scheduled"]);
    assert_eq!(q[0].1, "1");
}

#[tokio::test]
async fn the_api_gives_the_same_counts_as_the_home_page() {
    let (t, b) = merchant_with_work().await;
    let (s, api) = t.api(&t.token(Some("DEMO1")).await).get("/api/v1/work-queue").await;
    assert_eq!(s, 200, "{api}");
    let page = queue(&b).await;
    let from_api: Vec<(String, String, String)> = api
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["work"].as_str().unwrap().to_string(),
                w["count"].to_string(),
                w["href"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(from_api, page);
}
