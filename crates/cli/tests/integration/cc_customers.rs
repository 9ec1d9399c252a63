//! 受付 of 代理注文管理 (seed 003): 総合受付 registers a customer with the next customer number
//! and its furigana in katakana, warns of a likely duplicate before saving, fills the address
//! from the postal code; 顧客検索 finds a customer by name, furigana, phone, email, customer
//! number or order number; その他情報 adds up the customer's orders; another merchant's
//! customer is not found.

use crate::harness::{Browser, TestApp, html, unique_email};
use serde_json::{Value, json};

fn new_customer(email: &str, phone: &str) -> Value {
    json!({"name": "佐藤 一郎", "kana": "さとう いちろう", "email": email, "phone": phone,
           "postal_code": "100-0001", "address": "東京都千代田区千代田1-1"})
}

async fn register(t: &TestApp, body: Value) -> Value {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, c) = api.post("/api/v1/customers", body).await;
    assert_eq!(s, 201, "{c}");
    c
}

async fn admin(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b
}

#[tokio::test]
async fn a_registered_customer_gets_the_next_number_and_katakana() {
    let t = TestApp::spawn().await;
    let first = register(&t, new_customer(&unique_email("cc"), "03-1111-0001")).await;
    let second = register(&t, new_customer(&unique_email("cc"), "03-1111-0002")).await;
    assert_eq!(first["kana"], "サトウ イチロウ", "hiragana stored as katakana");
    let n = first["customer_number"].as_i64().unwrap();
    assert!(n >= 1);
    assert_eq!(second["customer_number"].as_i64(), Some(n + 1));
}

#[tokio::test]
async fn half_width_kana_is_stored_in_full_width() {
    let t = TestApp::spawn().await;
    let mut body = new_customer(&unique_email("cc"), "03-1111-0003");
    body["kana"] = json!("ｻﾄｳ ｲﾁﾛｳ");
    assert_eq!(register(&t, body).await["kana"], "サトウ イチロウ");
}

#[tokio::test]
async fn the_postal_code_fills_an_empty_address() {
    let t = TestApp::spawn().await;
    let mut body = new_customer(&unique_email("cc"), "03-1111-0004");
    body["postal_code"] = json!("１００－０００１");
    body["address"] = json!("");
    let c = register(&t, body).await;
    assert_eq!(
        (c["postal_code"].as_str(), c["address"].as_str()),
        (Some("100-0001"), Some("東京都千代田区千代田"))
    );
}

#[tokio::test]
async fn bad_fields_are_named_at_once() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let mut body = new_customer(&unique_email("cc"), "03-abcd-0005");
    body["kana"] = json!("佐藤イチロウ");
    body["postal_code"] = json!("000-0000");
    body["birthday"] = json!("1990-02-30");
    let (s, e) = api.post("/api/v1/customers", body).await;
    assert_eq!(s, 422, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    for f in ["kana", "phone", "postal_code", "birthday"] {
        assert!(fields.contains(&f), "{f} named: {e}");
    }
}

#[tokio::test]
async fn the_same_phone_is_a_likely_duplicate_until_confirmed() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let first = register(&t, new_customer(&unique_email("cc"), "090-7777-0001")).await;
    let again = new_customer(&unique_email("cc"), "０９０７７７７０００１");
    let (s, e) = api.post("/api/v1/customers", again.clone()).await;
    assert_eq!(s, 409, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&first["customer_number"].to_string()),
        "names the customer it looks like: {e}"
    );
    let mut anyway = again;
    anyway["allow_duplicate"] = json!(true);
    let (s, c) = api.post("/api/v1/customers", anyway).await;
    assert_eq!(s, 201, "{c}");
}

#[tokio::test]
async fn the_reception_form_warns_of_the_same_email_and_registers_on_confirm() {
    let t = TestApp::spawn().await;
    let email = unique_email("cc");
    register(&t, new_customer(&email, "03-2222-0001")).await;
    let b = admin(&t).await;
    let fields = [
        ("name", "佐藤 二郎"),
        ("kana", "さとう じろう"),
        ("email", email.as_str()),
        ("phone", "03-2222-0002"),
        ("postal_code", "100-0001"),
        ("address", ""),
        ("birthday", "1980-04-01"),
        ("notes", "午前中に電話可"),
    ];
    let warned = b.submit("/proxy/customers/new", "/proxy/customers/new", &fields).await;
    assert_eq!(warned.status, 409, "{}", warned.body);
    assert_eq!(html::texts(&warned.body, "[data-testid=duplicate]").len(), 1);
    assert!(warned.text("[data-testid=register-anyway]").is_some(), "offers このまま登録");
    let mut confirmed = fields.to_vec();
    confirmed.push(("confirm", "1"));
    let done = b.submit("/proxy/customers/new", "/proxy/customers/new", &confirmed).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = b.get(done.location.as_deref().unwrap()).await;
    assert_eq!(page.attr("[data-testid=birthday]", "value").as_deref(), Some("1980-04-01"));
    assert_eq!(page.text("[data-testid=notes]").as_deref(), Some("午前中に電話可"));
    assert_eq!(page.attr("[data-testid=address]", "value").as_deref(), Some("東京都千代田区千代田"));
}

async fn search(t: &TestApp, q: &str) -> Vec<i64> {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, r) = api.get(&format!("/api/v1/customers?q={}", urlencode(q))).await;
    assert_eq!(s, 200, "{q}: {r}");
    r["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn search_finds_a_phone_with_or_without_hyphens_in_any_width() {
    let t = TestApp::spawn().await;
    let c = register(&t, new_customer(&unique_email("cc"), "090-4321-9876")).await;
    let id = c["id"].as_i64().unwrap();
    for q in ["090-4321-9876", "09043219876", "０９０ー４３２１ー９８７６", "0904321"] {
        assert_eq!(search(&t, q).await, vec![id], "{q}");
    }
}

#[tokio::test]
async fn search_finds_furigana_typed_in_hiragana_from_its_start() {
    let t = TestApp::spawn().await;
    let mut body = new_customer(&unique_email("cc"), "03-3333-0001");
    body["kana"] = json!("ミナミカゼ ソヨコ");
    let id = register(&t, body).await["id"].as_i64().unwrap();
    assert_eq!(search(&t, "みなみかぜ").await, vec![id]);
    assert_eq!(search(&t, "ﾐﾅﾐｶｾﾞ ｿ").await, vec![id]);
    assert!(search(&t, "かぜ").await.is_empty(), "from its start only");
}

#[tokio::test]
async fn search_finds_a_name_an_email_and_a_customer_number() {
    let t = TestApp::spawn().await;
    let email = unique_email("cc");
    let mut body = new_customer(&email, "03-3333-0002");
    body["name"] = json!("東雲 早苗");
    let c = register(&t, body).await;
    let id = c["id"].as_i64().unwrap();
    assert_eq!(search(&t, "東雲").await, vec![id]);
    assert_eq!(search(&t, &email).await, vec![id]);
    assert!(search(&t, &c["customer_number"].to_string()).await.contains(&id));
}

#[tokio::test]
async fn search_finds_the_customer_of_an_order_number() {
    let t = TestApp::spawn().await;
    let email = unique_email("cc");
    let id = register(&t, new_customer(&email, "03-3333-0003")).await["id"].as_i64().unwrap();
    let api = t.api(&t.token(Some("DEMO1")).await);
    let o = crate::orders::place(&api, "bank_store", &email).await;
    let number = crate::orders::number(&o);
    assert_eq!(search(&t, &number).await, vec![id]);
    assert_eq!(search(&t, &number.to_lowercase()).await, vec![id]);
}

#[tokio::test]
async fn an_overlong_search_is_refused_naming_the_box() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, e) = api.get(&format!("/api/v1/customers?q={}", urlencode(&"あ".repeat(101)))).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("q")), "{e}");
}

#[tokio::test]
async fn other_info_adds_up_the_customers_orders() {
    let t = TestApp::spawn().await;
    let email = unique_email("cc");
    let id = register(&t, new_customer(&email, "03-4444-0001")).await["id"].as_i64().unwrap();
    let api = t.api(&t.token(Some("DEMO1")).await);
    let a = crate::orders::place(&api, "bank_store", &email).await;
    let b = crate::orders::place(&api, "bank_store", &email).await;
    let (s, c) = api.get(&format!("/api/v1/customers/{id}")).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["order_count"], 2);
    assert_eq!(
        c["total_spent"].as_i64(),
        Some(a["amount"].as_i64().unwrap() + b["amount"].as_i64().unwrap())
    );
    assert!(c["last_ordered_at"].is_string(), "{c}");
}

#[tokio::test]
async fn a_cancelled_order_is_no_purchase() {
    let t = TestApp::spawn().await;
    let email = unique_email("cc");
    let id = register(&t, new_customer(&email, "03-4444-0002")).await["id"].as_i64().unwrap();
    let api = t.api(&t.token(Some("DEMO1")).await);
    let o = crate::orders::place(&api, "bank_store", &email).await;
    let (s, e) = api
        .post(&format!("/api/v1/orders/{}/cancel", crate::orders::number(&o)), json!({}))
        .await;
    assert_eq!(s, 200, "{e}");
    let (_, c) = api.get(&format!("/api/v1/customers/{id}")).await;
    assert_eq!((c["order_count"].as_i64(), c["total_spent"].as_i64()), (Some(0), Some(0)), "{c}");
}

#[tokio::test]
async fn the_customer_page_shows_the_number_and_other_info() {
    let t = TestApp::spawn().await;
    let email = unique_email("cc");
    let c = register(&t, new_customer(&email, "03-4444-0003")).await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    crate::orders::place(&api, "bank_store", &email).await;
    let b = admin(&t).await;
    let page = b.get(&format!("/proxy/customers/{}", c["id"])).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.text("[data-testid=customer-number]"), Some(c["customer_number"].to_string()));
    assert_eq!(page.text("[data-testid=order-count]").as_deref(), Some("1"));
    let list = b.get(&format!("/proxy/customers?q={}", urlencode(&email))).await;
    assert_eq!(
        html::texts(&list.body, "[data-testid=customer-number]"),
        vec![c["customer_number"].to_string()]
    );
}

#[tokio::test]
async fn another_merchants_customer_is_not_found() {
    let t = TestApp::spawn().await;
    let email = unique_email("cc");
    let c = register(&t, new_customer(&email, "03-5555-0001")).await;
    let id = c["id"].as_i64().unwrap();
    let other = t.api(&t.token(Some("DEMO2")).await);
    assert_eq!(other.get(&format!("/api/v1/customers/{id}")).await.0, 404);
    assert_eq!(other.patch(&format!("/api/v1/customers/{id}"), json!({"notes": "x"})).await.0, 404);
    let (s, found) = other.get(&format!("/api/v1/customers?q={}", urlencode(&email))).await;
    assert_eq!((s, found["total"].as_i64()), (200, Some(0)), "{found}");
    let b = t.browser();
    b.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(b.get(&format!("/proxy/customers/{id}")).await.status, 404);
}

#[tokio::test]
async fn a_phone_search_lists_its_customers_in_phone_order() {
    let t = TestApp::spawn().await;
    let later = register(&t, new_customer(&unique_email("cc"), "080-9999-0002")).await["id"]
        .as_i64()
        .unwrap();
    let earlier = register(&t, new_customer(&unique_email("cc"), "080-9999-0001")).await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(search(&t, "080-9999").await, vec![earlier, later]);
    assert!(
        search(&t, "0").await.is_empty(),
        "a lone zero is no customer number and too short for a phone"
    );
}

#[tokio::test]
async fn addresses_no_mail_server_takes_are_refused() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    for bad in ["\"<svg/onload=alert(1)>\"@example.jp", "a..b@example.jp"] {
        let (s, e) = api.post("/api/v1/customers", new_customer(bad, "03-1212-0001")).await;
        let fields: Vec<&str> = e["error"]["fields"]
            .as_array()
            .map(|a| a.iter().filter_map(|d| d["field"].as_str()).collect())
            .unwrap_or_else(|| e["error"]["field"].as_str().into_iter().collect());
        assert_eq!((s, fields), (422, vec!["email"]), "{bad}: {e}");
    }
}
