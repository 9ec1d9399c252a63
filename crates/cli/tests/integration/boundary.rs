//! The edge of the application, probed from outside: hostile or malformed input gets a clear
//! 4xx on both databases, never a 500, never database text, and never a spreadsheet formula in
//! a CSV file. Each test is a defect found by probing the running server.

use crate::harness::{TestApp, unique_email};
use serde_json::{Value, json};

fn web_ticket(name: &str) -> Value {
    json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "bank_store",
           "customer": {"name": name, "kana": "ヤマダ", "email": unique_email("edge"), "phone": "090-1234-5678"}})
}

fn booking(name: &str) -> Value {
    json!({"product_code": "RSV-LUNCH", "visit_date": "2026-12-05", "party_size": 2, "payment_method": "card_capture", "card_token": "tok_visa",
           "customer": {"name": name, "kana": "ヤマダ", "email": unique_email("edge"), "phone": "090-1234-5678"}})
}

/// The cells of a UTF-8 CSV download (BOM stripped).
fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap().trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"x\")";

#[tokio::test]
async fn a_formula_in_a_name_is_exported_as_text_in_every_csv() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    assert_eq!(api.post("/api/v1/orders", web_ticket(FORMULA)).await.0, 201);
    assert_eq!(api.post("/api/v1/orders", booking(FORMULA)).await.0, 201);
    let neutral = format!("'{FORMULA}");

    let from_api = api.get_raw("/api/v1/orders/export.csv?encoding=utf-8").await.bytes().await.unwrap();
    let rows = cells(&from_api);
    assert!(rows.iter().flatten().any(|c| *c == neutral), "API order CSV");
    assert!(!rows.iter().flatten().any(|c| c.starts_with('=')), "no cell starts a formula");

    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    for path in [
        "/orders/export.csv?encoding=utf-8",
        "/reservations/bookings/export.csv?visit_from=2026-12-01&encoding=utf-8",
    ] {
        let bytes = b.client.get(t.url(path)).send().await.unwrap().bytes().await.unwrap();
        let rows = cells(&bytes);
        assert!(rows.iter().flatten().any(|c| *c == neutral), "{path}");
        assert!(!rows.iter().flatten().any(|c| c.starts_with('=')), "{path}");
    }
}

#[tokio::test]
async fn a_nul_byte_anywhere_is_refused_before_the_database() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    assert_eq!(b.get("/shop/DEMO%00").await.status, 404);
    let login = b.login("op\0", "x").await;
    assert_eq!(login.status, 422, "{}", login.body);
    assert!(login.body.contains("login_id"), "the page names the field");

    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, e) = api.get("/api/v1/orders?q=a%00b").await;
    assert_eq!(
        (s, e["error"]["code"].as_str(), e["error"]["field"].as_str()),
        (422, Some("invalid"), Some("q"))
    );
    let (s, e) = api.post("/api/v1/orders", web_ticket("山田\0花子")).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("customer.name")));
    let (s, _) = api.get("/api/v1/orders/T%00").await;
    assert_eq!(s, 404);
    let (s, e) = api
        .post("/api/v1/bulk/mark-paid", json!({"order_numbers": ["T\u{0}1"], "dry_run": true}))
        .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("order_numbers[0]")));
}

#[tokio::test]
async fn a_page_number_beyond_the_bounds_is_refused() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    for (path, field) in [
        ("/api/v1/orders?page=9223372036854775807", "page"),
        ("/api/v1/orders?page=0", "page"),
        ("/api/v1/orders?per_page=201", "per_page"),
        ("/api/v1/customers?page=9223372036854775807", "page"),
        ("/api/v1/reservations?per_page=0", "per_page"),
        ("/api/v1/orders?per_page=abc", "per_page"),
    ] {
        let (s, e) = api.get(path).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some(field)), "{path}: {e}");
    }
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(b.get("/orders?page=9223372036854775807").await.status, 422);
    assert_eq!(b.get("/orders?page=2").await.status, 200, "an ordinary page still works");
}

#[tokio::test]
async fn a_redirect_target_with_a_control_character_goes_home_instead() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let lang = b.submit("/login", "/lang", &[("lang", "en"), ("back", "/x\n")]).await;
    assert_eq!((lang.status, lang.location.as_deref()), (303, Some("/")), "{}", lang.body);
    let login = b
        .submit(
            "/login",
            "/login",
            &[
                ("login_id", "demo1-admin"),
                ("password", "Demo1Admin"),
                ("next", "/x\r\nSet-Cookie: a=b"),
            ],
        )
        .await;
    assert_eq!((login.status, login.location.as_deref()), (303, Some("/")), "{}", login.body);
    let b = t.browser();
    let login = b
        .submit(
            "/login",
            "/login",
            &[("login_id", "demo1-admin"), ("password", "Demo1Admin"), ("next", "/注文")],
        )
        .await;
    assert_eq!(
        (login.status, login.location.as_deref()),
        (303, Some("/")),
        "only visible ASCII goes into Location"
    );
    let b = t.browser();
    let login = b
        .submit(
            "/login",
            "/login",
            &[("login_id", "demo1-admin"), ("password", "Demo1Admin"), ("next", "/orders?q=a")],
        )
        .await;
    assert_eq!(login.location.as_deref(), Some("/orders?q=a"), "an ordinary target is kept");
}

#[tokio::test]
async fn api_validation_names_the_field_and_uses_the_json_envelope() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let mut body = web_ticket("山田 花子");
    body["quantity"] = json!(1.5);
    let (s, e) = api.post("/api/v1/orders", body).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("quantity")), "{e}");

    let mut room = web_ticket("山田 花子");
    room["product_code"] = json!("WT-ROOM");
    room["visit_date"] = json!("2027-01-05");
    room["time_slot"] = json!("25:99");
    let (s, e) = api.post("/api/v1/orders", room).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("time_slot")), "{e}");

    let r = api.get_raw("/api/v1/customers/abc").await;
    assert_eq!(r.status(), 404);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "not_found");
}

#[tokio::test]
async fn ticket_actions_without_options_accept_an_empty_object_or_no_body() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, o) = api.post("/api/v1/orders", web_ticket("山田 花子")).await;
    let number = o["order_number"].as_str().unwrap();
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{number}/confirm-payment")).await.0, 200);
    let ticket = o["tickets"][0]["ticket_number"].as_str().unwrap();
    let (s, e) = api.post(&format!("/api/v1/tickets/{ticket}/use"), json!({})).await;
    assert_eq!(s, 200, "{e}");
    let (s, e) = api.post_empty(&format!("/api/v1/tickets/{ticket}/unuse")).await;
    assert_eq!(s, 200, "{e}");
    let (s, e) = api
        .post(&format!("/api/v1/tickets/{ticket}/use"), json!({"holder_name": "x"}))
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (422, Some("holder_name")),
        "an option the action does not take"
    );
    let (s, e) = api.post_empty(&format!("/api/v1/tickets/{ticket}/transfer")).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("holder_name")));
    assert_eq!(api.post_empty(&format!("/api/v1/tickets/{ticket}/fly")).await.0, 404);
}

#[tokio::test]
async fn the_usage_confirmation_shows_only_a_ticket_of_the_merchants_order() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, o) = api.post("/api/v1/orders", web_ticket("山田 花子")).await;
    let number = o["order_number"].as_str().unwrap();
    let ticket = o["tickets"][0]["ticket_number"].as_str().unwrap();
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(b.get(&format!("/orders/{number}/tickets/{ticket}/usage")).await.status, 200);
    assert_eq!(b.get(&format!("/orders/{number}/tickets/NOPE/usage")).await.status, 404);
    assert_eq!(b.get(&format!("/orders/T999999/tickets/{ticket}/usage")).await.status, 404);
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(other.get(&format!("/orders/{number}/tickets/{ticket}/usage")).await.status, 404);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused_with_415_even_where_a_body_is_optional() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let (_, o) = t.api(&token).post("/api/v1/orders", web_ticket("山田 花子")).await;
    let number = o["order_number"].as_str().unwrap();
    let send = |ct: &'static str, body: &'static str| {
        reqwest::Client::new()
            .post(format!("{}/api/v1/orders/{number}/cancel", t.base))
            .bearer_auth(&token)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    // A memo with a NUL, as text/plain: the edge does not read it, so the endpoint refuses it.
    let r = send("text/plain", "{\"reason\": \"x\u{0}y\"}").await.unwrap();
    assert_eq!(r.status().as_u16(), 415);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "unsupported_media_type");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM orders WHERE status = 'cancelled' AND order_number IN (SELECT order_number FROM orders ORDER BY id DESC LIMIT 1)")
            .await,
        0,
        "nothing happened"
    );
    // An empty body still means "no options", whatever its type.
    let r = send("text/plain", "").await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{:?}", r.text().await);
}
