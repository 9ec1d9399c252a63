//! 宿泊タイプ and 会議室・レンタルコートタイプ: a stay books a check-in date and nights, each night
//! taking its room from that night's stock; a rental books a day and a time slot. Both show
//! their dates on the order page, in the buyer's email and on "my web tickets", and a cancel
//! gives every night (or the slot) back.

use crate::harness::{Api, Browser, TestApp, html, unique_email, wait_for_mail};
use serde_json::{Value, json};

/// An inn of two twin rooms a night from 12/20 to 12/24, 12,000 yen a room a night.
async fn inn(api: &Api) {
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "WT-INN", "name": "ツインルーム", "kind": "web_ticket", "ticket_type": "accommodation", "price": 12000,
                   "stock": 2, "stock_range": {"from": "2026-12-20", "to": "2026-12-24"}}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
}

fn stay(check_in: &str, nights: Value, rooms: i64, email: &str) -> Value {
    json!({"product_code": "WT-INN", "quantity": rooms, "visit_date": check_in, "nights": nights, "payment_method": "bank_store",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email, "phone": "090-1234-5678"}})
}

/// Rooms left per night as the storefront offers them: `2026-12-20（残り2）`….
async fn rooms_left(b: &Browser) -> Vec<String> {
    let page = b.get("/shop/DEMO1/WT-INN").await;
    assert_eq!(page.status, 200, "{}", page.body);
    html::texts(&page.body, "[data-testid=visit] option")
}

#[tokio::test]
async fn a_two_night_stay_takes_a_room_each_night_and_costs_both_nights() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    inn(&api).await;
    let email = unique_email("stay");
    let (s, o) = api.post("/api/v1/orders", stay("2026-12-21", json!(2), 1, &email)).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["amount"], 24000, "12,000 yen × 1 room × 2 nights");
    assert_eq!((o["visit_date"].as_str(), o["nights"].as_i64()), (Some("2026-12-21"), Some(2)));
    assert_eq!(o["check_out"], "2026-12-23");
    assert_eq!(o["tickets"].as_array().unwrap().len(), 1, "one ticket per room");
    assert_eq!(o["tickets"][0]["price"], 24000, "the room's ticket is worth the whole stay");

    let shop = t.browser();
    assert_eq!(
        rooms_left(&shop).await,
        [
            "2026-12-20（残り2）",
            "2026-12-21（残り1）",
            "2026-12-22（残り1）",
            "2026-12-23（残り2）",
            "2026-12-24（残り2）"
        ],
        "the check-out day keeps its rooms"
    );

    let number = o["order_number"].as_str().unwrap();
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let page = admin.get(&format!("/orders/{number}")).await;
    assert_eq!(
        page.text("[data-testid=visit]").as_deref(),
        Some("2026/12/21(月)〜2026/12/23(水) 2泊")
    );

    let mail = wait_for_mail(&email, 0).await;
    assert!(mail.body.contains("ご利用日: 2026/12/21(月)〜2026/12/23(水) 2泊"), "{}", mail.body);
}

#[tokio::test]
async fn a_stay_short_of_rooms_on_any_night_is_refused_whole() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    inn(&api).await;
    let (s, o) = api
        .post("/api/v1/orders", stay("2026-12-22", json!(1), 2, &unique_email("stay")))
        .await;
    assert_eq!(s, 201, "{o}");
    // Two rooms for three nights from 12/21: the 22nd has none left.
    let (s, e) = api
        .post("/api/v1/orders", stay("2026-12-21", json!(3), 2, &unique_email("stay")))
        .await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("sold_out")), "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("2026-12-22"),
        "names the full night: {e}"
    );
    assert_eq!(
        rooms_left(&t.browser()).await[..3],
        ["2026-12-20（残り2）", "2026-12-21（残り2）", "2026-12-22（売り切れ）"],
        "the 21st, taken before the 22nd was found full, is given back"
    );
    // Past the last night with stock is sold out too: there is no room to sell on 12/25.
    let (s, e) = api
        .post("/api/v1/orders", stay("2026-12-24", json!(2), 1, &unique_email("stay")))
        .await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("sold_out")), "{e}");
}

#[tokio::test]
async fn cancelling_a_stay_gives_every_night_back() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    inn(&api).await;
    let (_, o) = api
        .post("/api/v1/orders", stay("2026-12-20", json!(3), 2, &unique_email("stay")))
        .await;
    let number = o["order_number"].as_str().unwrap();
    assert_eq!(o["amount"], 72000, "12,000 yen × 2 rooms × 3 nights");
    let (s, c) = api.post_empty(&format!("/api/v1/orders/{number}/cancel")).await;
    assert_eq!((s, c["status"].as_str()), (200, Some("cancelled")), "{c}");
    assert!(
        rooms_left(&t.browser()).await.iter().all(|d| d.ends_with("（残り2）")),
        "all three nights have both rooms again"
    );
}

#[tokio::test]
async fn nights_are_asked_of_stays_only_and_within_two_weeks() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    inn(&api).await;
    let email = unique_email("stay");
    for (nights, why) in [
        (Value::Null, "宿泊の泊数を指定してください"),
        (json!(0), "泊数は1〜14泊で指定してください"),
        (json!(15), "泊数は1〜14泊で指定してください"),
    ] {
        let (s, e) = api.post("/api/v1/orders", stay("2026-12-20", nights.clone(), 1, &email)).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("nights")), "{nights}: {e}");
        assert!(e.to_string().contains(why), "{nights}: {e}");
    }
    let mut basic = stay("2026-12-20", json!(2), 1, &email);
    basic["product_code"] = json!("WT-BASIC");
    basic.as_object_mut().unwrap().remove("visit_date");
    let (s, e) = api.post("/api/v1/orders", basic).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("nights")), "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, 0, "nothing was written");
}

#[tokio::test]
async fn the_storefront_asks_check_in_and_nights_and_confirms_the_check_out() {
    let t = TestApp::spawn().await;
    inn(&t.api(&t.token(Some("DEMO1")).await)).await;
    let b = t.browser();
    let product = b.get("/shop/DEMO1/WT-INN").await;
    assert!(
        product.attr("input[name=nights]", "max").as_deref() == Some("14"),
        "{}",
        product.body
    );
    let email = unique_email("stay");
    let fields = |nights: &'static str| {
        vec![
            ("visit", "2026-12-23"),
            ("nights", nights),
            ("quantity", "1"),
            ("payment_method", "card"),
            ("card_token", "tok_visa"),
            ("name", "山田 花子"),
            ("kana", "やまだ はなこ"),
            ("email", email.as_str()),
            ("phone", "０９０−１２３４−５６７８"),
        ]
    };
    let wrong = b.submit("/shop/DEMO1/WT-INN", "/shop/DEMO1/WT-INN/confirm", &fields("")).await;
    assert_eq!(wrong.status, 422);
    assert!(
        html::texts(&wrong.body, "label")
            .iter()
            .any(|l| l.contains("泊数") && l.contains("宿泊の泊数を指定してください")),
        "the error stands beside the nights field"
    );
    let confirm = b.submit("/shop/DEMO1/WT-INN", "/shop/DEMO1/WT-INN/confirm", &fields("２")).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert_eq!(
        confirm.text("[data-testid=confirm-visit]").as_deref(),
        Some("2026/12/23(水)〜2026/12/25(金) 2泊")
    );
    assert_eq!(confirm.text("[data-testid=amount]").as_deref(), Some("24,000円"));
    let nonce = confirm.attr("input[name=nonce]", "value").unwrap();
    let mut form = fields("2");
    form.push(("nonce", nonce.as_str()));
    // The 25th has no stock: the stay from the 23rd for two nights only needs the 23rd and 24th.
    let placed = b.submit("/shop/DEMO1/WT-INN", "/shop/DEMO1/WT-INN/order", &form).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let mine = b.get(placed.location.as_deref().unwrap()).await;
    assert!(mine.body.contains("2026/12/23(水)〜2026/12/25(金) 2泊"), "{}", mine.body);
}

#[tokio::test]
async fn a_room_rental_shows_its_day_and_slot_and_a_cancel_gives_the_slot_back() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "WT-COURT", "name": "テニスコート（1時間）", "kind": "web_ticket", "ticket_type": "rental", "price": 2200,
                   "stock": 1, "stock_range": {"from": "2026-12-05", "to": "2026-12-05", "slots": ["09:00", "10:00"]}}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let court = |slot: &str| {
        json!({"product_code": "WT-COURT", "quantity": 1, "visit_date": "2026-12-05", "time_slot": slot, "payment_method": "bank_store",
               "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("court"), "phone": "090-1234-5678"}})
    };
    let (s, o) = api.post("/api/v1/orders", court("10:00")).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!((o["time_slot"].as_str(), o["nights"].as_i64()), (Some("10:00"), None));
    let (s, e) = api.post("/api/v1/orders", court("10:00")).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (409, Some("sold_out")),
        "one court, one booking per hour"
    );
    let number = o["order_number"].as_str().unwrap();

    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let page = admin.get(&format!("/orders/{number}")).await;
    assert_eq!(page.text("[data-testid=visit]").as_deref(), Some("2026/12/05(土) 10:00"));

    api.post_empty(&format!("/api/v1/orders/{number}/cancel")).await;
    assert_eq!(api.post("/api/v1/orders", court("10:00")).await.0, 201, "the hour is free again");
}
