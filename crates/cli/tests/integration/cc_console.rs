//! The call centre's console (seed 003's top bar): 受付 searches customers in one box, picking one
//! puts them on the bar (every panel's tab carries them) with その他情報, and another merchant's
//! customer cannot be picked.

use crate::harness::{Browser, TestApp, html, unique_email};
use serde_json::{Value, json};

async fn register(t: &TestApp, email: &str, phone: &str) -> Value {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let body = json!({"name": "鈴木 花子", "kana": "すずき はなこ", "email": email, "phone": phone,
                      "postal_code": "100-0001", "address": "東京都千代田区千代田1-1"});
    let (s, c) = api.post("/api/v1/customers", body).await;
    assert_eq!(s, 201, "{c}");
    c
}

async fn signed_in(t: &TestApp, login: &str, password: &str) -> Browser {
    let b = t.browser();
    b.login(login, password).await;
    b
}

#[tokio::test]
async fn a_phone_typed_with_full_width_digits_finds_the_customer_to_pick() {
    let t = TestApp::spawn().await;
    let c = register(&t, &unique_email("console"), "03-7777-0101").await;
    let b = signed_in(&t, "demo1-admin", "Demo1Admin").await;
    let page = b
        .get("/callcenter?q=%EF%BC%90%EF%BC%93%EF%BC%97%EF%BC%97%EF%BC%97%EF%BC%97%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%91")
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        html::attrs(&page.body, "[data-testid=pick-customer]", "href"),
        vec![format!("/callcenter?customer={}", c["id"])]
    );
}

#[tokio::test]
async fn a_picked_customer_is_on_the_bar_with_their_figures() {
    let t = TestApp::spawn().await;
    let c = register(&t, &unique_email("console"), "03-7777-0102").await;
    let b = signed_in(&t, "demo1-admin", "Demo1Admin").await;
    let page = b.get(&format!("/callcenter?customer={}", c["id"])).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.text("[data-testid=console-customer-number]"),
        Some(c["customer_number"].to_string())
    );
    assert_eq!(page.text("[data-testid=console-customer-name]").as_deref(), Some("鈴木 花子"));
    assert_eq!(page.text("[data-testid=profile-order-count]").as_deref(), Some("0"));
    for href in html::attrs(&page.body, "[data-testid=console-tab]", "href") {
        assert!(href.ends_with(&format!("?customer={}", c["id"])), "{href} keeps the customer");
    }
    assert_eq!(page.attr("[data-testid=all-clear]", "href").as_deref(), Some("/callcenter"));
}

#[tokio::test]
async fn a_search_with_nothing_found_says_so() {
    let t = TestApp::spawn().await;
    let b = signed_in(&t, "demo1-admin", "Demo1Admin").await;
    let page = b.get("/callcenter?q=nobody-at-all%40example.invalid").await;
    assert_eq!(page.status, 200);
    assert!(page.text("[data-testid=console-none]").is_some(), "{}", page.body);
}

#[tokio::test]
async fn another_merchants_customer_cannot_be_picked() {
    let t = TestApp::spawn().await;
    let c = register(&t, &unique_email("console"), "03-7777-0103").await;
    let b = signed_in(&t, "demo2-admin", "Demo2Admin").await;
    assert_eq!(b.get(&format!("/callcenter?customer={}", c["id"])).await.status, 404);
}

#[tokio::test]
async fn the_console_belongs_to_the_proxy_area_in_the_menu() {
    let t = TestApp::spawn().await;
    let b = signed_in(&t, "demo1-cc", "Demo1Call").await;
    let page = b.get("/callcenter").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        html::attrs(&page.body, "nav a.active[aria-current=page]:not([data-testid=console-tab])", "href"),
        vec!["/proxy".to_string()]
    );
}
