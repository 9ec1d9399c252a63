//! The door page (予約・引き換え) as staff use it on a phone, one behaviour per test: look a
//! booking up by its 6-digit ID, redeem it for the party that came, and the refusals (too many
//! people for the day's seats, a second scan, the wrong day, a typo, another merchant's code).

use crate::harness::{Api, Browser, Page, TestApp, unique_email};
use crate::reservations_ui::staff;
use serde_json::{Value, json};

/// A paid booking of three people for `date`, as the API answers it.
async fn book(api: &Api, date: &str) -> Value {
    let body = json!({"product_code": "RSV-LUNCH", "visit_date": date, "party_size": 3, "payment_method": "card_capture", "card_token": "tok_visa",
                      "customer": {"name": "鈴木 一郎", "kana": "スズキ イチロウ", "email": unique_email("door"), "phone": "090-1234-5678"}});
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    o
}

fn eticket(o: &Value) -> &str {
    o["eticket_id"].as_str().unwrap()
}

/// A merchant's staff at the door with today's (2026-11-24) booking of three.
async fn door_with_todays_booking() -> (TestApp, Browser, Value) {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let today = book(&api, "2026-11-24").await;
    let s = staff(&t).await;
    (t, s, today)
}

async fn look_up(s: &Browser, code: &str) -> Page {
    s.submit("/reservations/door", "/reservations/door", &[("code", code)]).await
}

async fn redeem(s: &Browser, code: &str, party: &str) -> Page {
    s.submit(
        "/reservations/door",
        "/reservations/door/redeem",
        &[("code", code), ("party_size", party)],
    )
    .await
}

/// What is left of the day's stock the booking took its seats from.
async fn seats_left(t: &TestApp, o: &Value) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar("SELECT s.remaining FROM stock s JOIN order_lines l ON l.stock_id = s.id JOIN orders o ON o.id = l.order_id WHERE o.order_number = $1")
        .bind(o["order_number"].as_str().unwrap())
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_door_serves_its_own_qr_decoder() {
    let (_t, s, _) = door_with_todays_booking().await;
    let door = s.get("/reservations/door").await;
    assert_eq!(door.status, 200);
    assert!(door.attr("[data-testid=door-camera]", "data-testid").is_some());
    assert!(door.body.contains("/static/jsQR.js"));
    assert_eq!(s.get("/static/jsQR.js").await.status, 200, "the decoder is served by kippu itself");
}

#[tokio::test]
async fn a_looked_up_booking_shows_plan_party_holder_and_the_days_free_seats() {
    let (t, s, today) = door_with_todays_booking().await;
    let found = look_up(&s, eticket(&today)).await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(found.body.contains("ランチコース") && found.body.contains("3名") && found.body.contains("鈴木 一郎"));
    let left = seats_left(&t, &today).await;
    assert_eq!(found.text("[data-testid=door-day-left]"), Some(format!("{left}名")));
}

#[tokio::test]
async fn more_people_than_the_day_has_seats_are_refused_and_the_booking_stays_on_screen() {
    let (t, s, today) = door_with_todays_booking().await;
    let too_many = (3 + seats_left(&t, &today).await + 1).to_string();
    let refused = redeem(&s, eticket(&today), &too_many).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("当日の在庫が足りません"), "{}", refused.body);
    assert!(
        refused.attr("[data-testid=door-redeem]", "data-testid").is_some(),
        "still there to redeem"
    );
}

#[tokio::test]
async fn fewer_people_redeem_with_the_cash_refund_guidance() {
    let (_t, s, today) = door_with_todays_booking().await;
    let done = redeem(&s, eticket(&today), "2").await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains("引き換えました") && done.body.contains("2名（予約3名）"),
        "{}",
        done.body
    );
    assert!(
        done.body.contains("来店されなかった人数分は現地で現金にて返金いただけます"),
        "{}",
        done.body
    );
}

#[tokio::test]
async fn a_second_scan_says_when_and_by_whom_the_first_was() {
    let (_t, s, today) = door_with_todays_booking().await;
    assert_eq!(redeem(&s, eticket(&today), "3").await.status, 200);
    let again = look_up(&s, eticket(&today)).await;
    assert_eq!(again.status, 409);
    assert!(
        again.body.contains("すでに引き換え済みです") && again.body.contains("demo1-admin"),
        "{}",
        again.body
    );
}

#[tokio::test]
async fn tomorrows_booking_is_refused_naming_its_day() {
    let (t, s, _) = door_with_todays_booking().await;
    let tomorrow = book(&t.api(&t.token(Some("DEMO1")).await), "2026-11-25").await;
    let early = look_up(&s, eticket(&tomorrow)).await;
    assert_eq!(early.status, 422);
    assert!(early.body.contains("このチケットの来店日は 2026/11/25(水) です"), "{}", early.body);
}

#[tokio::test]
async fn a_typo_asks_for_six_digits() {
    let (_t, s, _) = door_with_todays_booking().await;
    let typo = look_up(&s, "12a45").await;
    assert_eq!(typo.status, 422);
    assert!(typo.body.contains("6桁の数字"), "{}", typo.body);
}

#[tokio::test]
async fn staff_who_read_english_get_the_door_in_english() {
    let (_t, s, _) = door_with_todays_booking().await;
    s.submit("/reservations/door", "/lang", &[("lang", "en"), ("back", "/reservations/door")])
        .await;
    let en = s.get("/reservations/door").await;
    assert!(
        en.body.contains("Scan with the camera") && en.body.contains("6-digit e-ticket ID"),
        "{}",
        en.body
    );
}

#[tokio::test]
async fn another_merchants_staff_do_not_find_the_booking_and_are_told_whom_to_call() {
    let (t, _s, today) = door_with_todays_booking().await;
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    let unknown = look_up(&other, eticket(&today)).await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("該当する予約がありません"));
    assert!(
        unknown.body.contains("事務局へご連絡ください"),
        "whom to call for a guest without a booking"
    );
}

#[tokio::test]
async fn an_id_typed_with_the_japanese_ime_is_found() {
    let (_t, s, today) = door_with_todays_booking().await;
    let full_width: String = eticket(&today)
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
        .collect();
    let found = look_up(&s, &full_width).await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(found.text("[data-testid=door-party]"), Some("3名".to_string()));
}

/// Five IDs that match no booking of the merchant.
async fn five_typos(s: &Browser) {
    for typo in ["900001", "900002", "900003", "900004", "900005"] {
        assert_eq!(look_up(s, typo).await.status, 404);
    }
}

#[tokio::test]
async fn after_five_typos_a_valid_id_is_still_redeemed_and_the_lock_says_when_it_ends() {
    let (_t, s, today) = door_with_todays_booking().await;
    five_typos(&s).await;
    let locked = look_up(&s, "900006").await;
    assert_eq!(locked.status, 429);
    assert!(
        locked.text("[data-testid=door-error]").unwrap().contains("10:15まで"),
        "{}",
        locked.body
    );
    assert_eq!(look_up(&s, eticket(&today)).await.status, 200);
    assert_eq!(redeem(&s, eticket(&today), "3").await.status, 200);
}

#[tokio::test]
async fn the_lock_is_the_devices_not_the_staff_members() {
    let (t, s, _) = door_with_todays_booking().await;
    five_typos(&s).await;
    let same_staff_other_tablet = staff(&t).await;
    assert_eq!(look_up(&same_staff_other_tablet, "900006").await.status, 404);
}

#[tokio::test]
async fn a_booking_paid_at_the_venue_shows_what_to_collect() {
    let (t, s, _) = door_with_todays_booking().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let body = json!({"product_code": "RSV-LUNCH", "visit_date": "2026-11-24", "party_size": 2, "payment_method": "pay_at_venue",
                      "customer": {"name": "佐藤 花子", "kana": "サトウ ハナコ", "email": unique_email("venue"), "phone": "090-1111-2222"}});
    let (st, venue) = api.post("/api/v1/orders", body).await;
    assert_eq!(st, 201, "{venue}");
    let yen = kippu_domain::Yen(venue["amount"].as_i64().unwrap()).display_ja();
    let found = look_up(&s, eticket(&venue)).await;
    assert_eq!(found.text("[data-testid=door-collect-amount]"), Some(yen.clone()));
    let done = redeem(&s, eticket(&venue), "2").await;
    assert_eq!(
        done.text("[data-testid=door-collect]"),
        Some(format!("現地払い {yen}を受け取ってください"))
    );
}
