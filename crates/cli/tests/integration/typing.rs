//! Input that forgives what people type: full-width digits and letters, hiragana in kana,
//! half-width kana, phone numbers with or without hyphens — through the one normaliser, in the
//! order intake, the order list's search, the API's `q` and the door.

use crate::harness::{TestApp, unique_email};
use serde_json::{Value, json};

fn typed_order(name: &str, kana: &str, phone: &str) -> Value {
    json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "bank_store",
           "customer": {"name": name, "kana": kana, "email": unique_email("typing"), "phone": phone}})
}

#[tokio::test]
async fn an_order_typed_with_the_ime_is_stored_as_meant() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api
        .post(
            "/api/v1/orders",
            typed_order("山田 太郎", "やまだ たろう", "０７０ー５５５５ー６６６６"),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["customer"]["kana"], "ヤマダ タロウ");
    assert_eq!(o["customer"]["phone"], "070-5555-6666");
    let (s, o) = api.post("/api/v1/orders", typed_order("ﾔﾏﾀﾞ ﾊﾅｺ", "ﾔﾏﾀﾞ ﾊﾅｺ", "070-5555-6666")).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["customer"]["kana"], "ヤマダ ハナコ", "half-width kana in full width");
}

async fn three_orders_of_one_phone(t: &TestApp) -> Vec<String> {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let mut numbers = Vec::new();
    for name in ["山田 一郎", "山田 次郎", "山田 三郎"] {
        let (s, o) = api.post("/api/v1/orders", typed_order(name, "ヤマダ", "070-5555-6666")).await;
        assert_eq!(s, 201, "{o}");
        numbers.push(o["order_number"].as_str().unwrap().to_string());
    }
    numbers.sort();
    numbers
}

fn numbers_in(list: &Value) -> Vec<String> {
    let mut n: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_number"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n
}

#[tokio::test]
async fn the_api_q_finds_a_phone_without_hyphens_and_furigana_typed_in_hiragana() {
    let t = TestApp::spawn().await;
    let ours = three_orders_of_one_phone(&t).await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    for q in [
        "07055556666",
        "070-5555-6666",
        "０７０５５５５６６６６",
        "%E3%82%84%E3%81%BE%E3%81%A0",
    ] {
        let (s, list) = api.get(&format!("/api/v1/orders?q={q}")).await;
        assert_eq!(s, 200, "{list}");
        assert_eq!(numbers_in(&list), ours, "q={q}");
    }
}

#[tokio::test]
async fn the_api_q_finds_an_email_address() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, o) = api
        .post("/api/v1/orders", typed_order("山田 一郎", "ヤマダ", "070-5555-6666"))
        .await;
    let email = o["customer"]["email"].as_str().unwrap();
    let (s, list) = api.get(&format!("/api/v1/orders?q={email}")).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(numbers_in(&list), vec![o["order_number"].as_str().unwrap().to_string()]);
}

#[tokio::test]
async fn the_order_lists_phone_and_name_search_forgive_the_same() {
    let t = TestApp::spawn().await;
    let ours = three_orders_of_one_phone(&t).await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    for query in ["phone=07055556666", "name=%E3%82%84%E3%81%BE%E3%81%A0&phone=0705555"] {
        let page = b.get(&format!("/orders?{query}")).await;
        assert_eq!(page.status, 200);
        for n in &ours {
            assert!(page.body.contains(n.as_str()), "{query} finds {n}");
        }
    }
}

#[tokio::test]
async fn the_door_takes_an_id_typed_in_full_width() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "RSV-LUNCH", "visit_date": "2026-11-24", "party_size": 2, "payment_method": "card_capture", "card_token": "tok_visa",
                   "customer": {"name": "鈴木 一郎", "kana": "スズキ イチロウ", "email": unique_email("door-fw"), "phone": "090-1234-5678"}}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let id = o["eticket_id"].as_str().unwrap();
    let full: String = id.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
    let (s, r) = api.post("/api/v1/redemptions", json!({"code": full})).await;
    assert_eq!(s, 200, "{r}");
}

#[tokio::test]
async fn the_reservation_list_finds_a_phone_without_hyphens_and_furigana_in_hiragana() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "RSV-LUNCH", "visit_date": "2026-12-05", "party_size": 2, "payment_method": "card_capture", "card_token": "tok_visa",
                   "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("rsv-typing"), "phone": "070-5555-7777"}}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap();
    for query in [
        "phone=07055557777",
        "name=%E3%82%84%E3%81%BE%E3%81%A0%20%E3%81%AF%E3%81%AA%E3%81%93",
    ] {
        let (s, list) = api
            .get(&format!("/api/v1/reservations?visit_from=2026-12-05&visit_to=2026-12-05&{query}"))
            .await;
        assert_eq!(s, 200, "{list}");
        let found: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|b| b["order_number"].as_str())
            .collect();
        assert_eq!(found, vec![number], "{query}");
    }
}

#[tokio::test]
async fn a_postal_code_fills_the_address_from_the_shipped_table() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (status, body) = {
        let r = b.get("/postal/１００－０００１").await;
        (r.status, r.body)
    };
    assert_eq!(status, 200);
    let a: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(a["address"], "東京都千代田区千代田");
    assert_eq!(a["postal_code"], "100-0001");
    assert_eq!(b.get("/postal/0000000").await.status, 404);
    // Saved with the address left empty: the table fills it.
    let id = t.first_customer("DEMO1").await;
    let page = format!("/proxy/customers/{id}");
    let saved = b
        .submit(
            &page,
            &page,
            &[
                ("name", "山田 花子"),
                ("kana", "やまだ はなこ"),
                ("email", "hanako.yamada@example.jp"),
                ("phone", "090-1111-2222"),
                ("postal_code", "５３００００１"),
                ("address", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.attr("input[name=postal_code]", "value").as_deref(), Some("530-0001"));
    assert_eq!(saved.attr("input[name=address]", "value").as_deref(), Some("大阪府大阪市北区梅田"));
}
