//! Reservations over the API: booking with a party size and a 6-digit e-ticket ID, redemption
//! at the door by ID or QR code, only on the visit day (Japan time), only once.

use crate::harness::{TestApp, unique_email};
use serde_json::{Value, json};
use time::Duration;

fn booking(date: &str, party: Option<i64>, method: &str) -> Value {
    json!({"product_code": "RSV-LUNCH", "visit_date": date, "party_size": party, "payment_method": method, "card_token": "tok_visa",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("rsv"), "phone": "090-1234-5678"}})
}

#[tokio::test]
async fn a_booking_carries_its_visit_party_and_six_digit_id() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api.post("/api/v1/orders", booking("2026-11-25", Some(3), "card_capture")).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["kind"], "reservation");
    assert_eq!(o["visit_date"], "2026-11-25");
    assert_eq!(o["party_size"], 3);
    assert_eq!(o["amount"], 13200, "4,400 yen per person");
    let id = o["eticket_id"].as_str().unwrap();
    assert!(id.len() == 6 && id.chars().all(|c| c.is_ascii_digit()));
    assert_eq!(o["tickets"].as_array().unwrap().len(), 1, "one e-ticket for the party");
    assert_eq!(
        t.scalar("SELECT remaining FROM stock WHERE stock_date = '2026-11-25' AND product_id = (SELECT id FROM products WHERE code = 'RSV-LUNCH' AND merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1'))").await,
        17,
        "the party takes three seats"
    );
    for (body, field) in [
        (booking("2026-11-25", None, "bank_store"), "party_size"),
        (booking("2026-11-25", Some(0), "bank_store"), "party_size"),
        (booking("2026-11-25", Some(51), "bank_store"), "party_size"),
        (booking("2026-11-23", Some(2), "bank_store"), "visit_date"),
        (
            {
                let mut b = booking("2026-11-25", Some(2), "bank_store");
                b["quantity"] = json!(2);
                b
            },
            "quantity",
        ),
        (
            {
                let mut b = booking("2026-11-25", Some(2), "bank_store");
                b.as_object_mut().unwrap().remove("visit_date");
                b
            },
            "visit_date",
        ),
    ] {
        let (s, e) = api.post("/api/v1/orders", body).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["field"], field);
    }
    let (s, e) = api.post("/api/v1/orders", booking("2026-11-25", Some(18), "bank_store")).await;
    assert_eq!(s, 409, "17 seats left: {e}");
}

#[tokio::test]
async fn redemption_only_on_the_visit_day_and_only_once() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, o) = api.post("/api/v1/orders", booking("2026-11-26", Some(2), "card_capture")).await;
    let id = o["eticket_id"].as_str().unwrap().to_string();
    let (s, e) = api.post("/api/v1/redemptions", json!({"code": id})).await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["code"], "wrong_day");
    assert_eq!(e["error"]["visit_date"], "2026-11-26");
    // 2026-11-25 23:59:59 JST is still the day before.
    t.clock.set(time::macros::datetime!(2026-11-25 14:59:59 UTC));
    assert_eq!(api.post("/api/v1/redemptions", json!({"code": id})).await.0, 422);
    t.clock.advance(Duration::seconds(1));
    let (s, r) = api.post("/api/v1/redemptions", json!({"code": id, "party_size": 3})).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["party_size"], 3);
    assert_eq!(r["booked_party_size"], 2);
    assert_eq!(r["redeemed_at"], "2026-11-26T00:00:00+09:00");
    let (s, e) = api.post("/api/v1/redemptions", json!({"code": id})).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"]["code"], "already_redeemed");
    assert_eq!(e["error"]["redeemed_at"], "2026-11-26T00:00:00+09:00");
    let (_, o) = api.get(&format!("/api/v1/orders/{}", o["order_number"].as_str().unwrap())).await;
    assert_eq!(o["status"], "redeemed");
    assert_eq!(o["history"].as_array().unwrap().last().unwrap()["note"], "予約2名 → 来店3名");
}

#[tokio::test]
async fn the_qr_code_redeems_too_and_other_merchants_codes_are_unknown() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (_, o) = api.post("/api/v1/orders", booking("2026-11-24", Some(1), "card_capture")).await;
    let mut c = t.conn().await;
    let code: String = sqlx::query_scalar("SELECT code FROM tickets").fetch_one(&mut *c).await.unwrap();
    drop(c);
    let (s, e) = other.post("/api/v1/redemptions", json!({"code": code})).await;
    assert_eq!(s, 404, "another merchant's QR is unknown: {e}");
    assert_eq!(e["error"]["code"], "unknown");
    let (s, e) = other.post("/api/v1/redemptions", json!({"code": o["eticket_id"]})).await;
    assert_eq!(s, 404, "{e}");
    let (s, r) = api.post("/api/v1/redemptions", json!({"code": code})).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["order_number"], o["order_number"]);
    for bad in ["12345", "abcdef", ""] {
        let (s, e) = api.post("/api/v1/redemptions", json!({"code": bad})).await;
        assert_eq!(s, 422, "{bad}: {e}");
        assert_eq!(e["error"]["field"], "code");
    }
}

#[tokio::test]
async fn cancelled_and_unpaid_bookings_are_refused_at_the_door() {
    let t = TestApp::spawn().await;
    // 与信モード: every channel's card orders are in the merchant's mode.
    t.card_mode("DEMO1", "card_auth").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, cancelled) = api.post("/api/v1/orders", booking("2026-11-24", Some(2), "card_auth")).await;
    // On the visit day only the merchant can cancel (force majeure).
    let (s, e) = api
        .post(
            &format!("/api/v1/orders/{}/cancel", cancelled["order_number"].as_str().unwrap()),
            json!({"reason": "equipment"}),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let (s, e) = api.post("/api/v1/redemptions", json!({"code": cancelled["eticket_id"]})).await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["code"], "cancelled");
    let (_, unpaid) = api.post("/api/v1/orders", booking("2026-11-24", Some(2), "bank_store")).await;
    let (s, e) = api.post("/api/v1/redemptions", json!({"code": unpaid["eticket_id"]})).await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["code"], "unpaid");
    let (_, venue) = api.post("/api/v1/orders", booking("2026-11-24", Some(2), "pay_at_venue")).await;
    let (s, r) = api.post("/api/v1/redemptions", json!({"code": venue["eticket_id"]})).await;
    assert_eq!(s, 200, "paying at the venue on the day is fine");
    assert_eq!(r["collect_at_venue"], venue["amount"], "the door collects the booking's amount");
}

/// Five codes that match no booking of the merchant (none of `taken`).
fn wrong_codes(taken: &[&Value], from: u32) -> Vec<String> {
    let taken: Vec<&str> = taken.iter().map(|o| o["eticket_id"].as_str().unwrap()).collect();
    (0..10)
        .map(|i| format!("{:06}", from + i))
        .filter(|g| !taken.contains(&g.as_str()))
        .take(5)
        .collect()
}

#[tokio::test]
async fn five_wrong_codes_lock_the_device_for_unknown_codes_only_and_say_until_when() {
    let t = TestApp::spawn().await;
    let door = t.api(&t.token(Some("DEMO1")).await);
    let (_, paid) = door.post("/api/v1/orders", booking("2026-11-24", Some(2), "card_capture")).await;
    for g in wrong_codes(&[&paid], 900_000) {
        assert_eq!(door.post("/api/v1/redemptions", json!({"code": g})).await.0, 404);
    }
    let (s, e) = door.post("/api/v1/redemptions", json!({"code": "899999"})).await;
    assert_eq!(s, 429, "{e}");
    assert_eq!(e["error"]["code"], "throttled");
    // Locked at 2026-11-24 10:00 JST (the test clock) for 15 minutes.
    assert_eq!(e["error"]["locked_until"], "2026-11-24T10:15:00+09:00");
    assert!(e["error"]["message"].as_str().unwrap().contains("10:15まで"), "{e}");
    let (s, r) = door.post("/api/v1/redemptions", json!({"code": paid["eticket_id"]})).await;
    assert_eq!(s, 200, "a valid ID is never refused because of earlier typos: {r}");
    t.clock.advance(Duration::minutes(15));
    assert_eq!(door.post("/api/v1/redemptions", json!({"code": "899999"})).await.0, 404);
}

#[tokio::test]
async fn another_door_device_is_not_locked_by_this_ones_typos() {
    let t = TestApp::spawn().await;
    let first = t.api(&t.token(Some("DEMO1")).await);
    let second = t.api(&t.token(Some("DEMO1")).await);
    for g in wrong_codes(&[], 900_000) {
        first.post("/api/v1/redemptions", json!({"code": g})).await;
    }
    assert_eq!(first.post("/api/v1/redemptions", json!({"code": "899999"})).await.0, 429);
    assert_eq!(second.post("/api/v1/redemptions", json!({"code": "899999"})).await.0, 404);
}

#[tokio::test]
async fn one_wrong_code_tried_from_five_devices_is_locked_on_every_device() {
    let t = TestApp::spawn().await;
    for _ in 0..5 {
        let device = t.api(&t.token(Some("DEMO1")).await);
        assert_eq!(device.post("/api/v1/redemptions", json!({"code": "899999"})).await.0, 404);
    }
    let sixth = t.api(&t.token(Some("DEMO1")).await);
    assert_eq!(sixth.post("/api/v1/redemptions", json!({"code": "899999"})).await.0, 429);
    assert_eq!(sixth.post("/api/v1/redemptions", json!({"code": "899998"})).await.0, 404);
}

#[tokio::test]
async fn the_no_show_sweep_runs_exactly_once_after_the_visit_day() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, missed) = api.post("/api/v1/orders", booking("2026-11-25", Some(2), "card_capture")).await;
    let (_, came) = api.post("/api/v1/orders", booking("2026-11-25", Some(2), "card_capture")).await;
    t.card_mode("DEMO1", "card_auth").await;
    let (_, cancelled) = api.post("/api/v1/orders", booking("2026-11-25", Some(2), "card_auth")).await;
    api.post_empty(&format!("/api/v1/orders/{}/cancel", cancelled["order_number"].as_str().unwrap()))
        .await;
    // The visit day, 23:59:59 JST: nobody is a no-show yet; one party comes.
    t.clock.set(time::macros::datetime!(2026-11-25 14:59:59 UTC));
    assert_eq!(api.post("/api/v1/redemptions", json!({"code": came["eticket_id"]})).await.0, 200);
    assert_eq!(kippu_app::jobs::run_due(&t.app).await.unwrap().no_shows, 0);
    // 00:00 the next day: the unredeemed, uncancelled booking becomes a no-show, once.
    t.clock.advance(Duration::seconds(1));
    assert_eq!(kippu_app::jobs::run_due(&t.app).await.unwrap().no_shows, 1);
    assert_eq!(
        kippu_app::jobs::run_due(&t.app).await.unwrap().no_shows,
        0,
        "restart-safe: a second run changes nothing"
    );
    let status = |o: &Value| o["order_number"].as_str().unwrap().to_string();
    assert_eq!(api.get(&format!("/api/v1/orders/{}", status(&missed))).await.1["status"], "no_show");
    assert_eq!(api.get(&format!("/api/v1/orders/{}", status(&came))).await.1["status"], "redeemed");
    assert_eq!(
        api.get(&format!("/api/v1/orders/{}", status(&cancelled))).await.1["status"],
        "cancelled"
    );
    // Nothing turns a no-show back.
    let (s, e) = api.post("/api/v1/redemptions", json!({"code": missed["eticket_id"]})).await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["code"], "no_show");
}

#[tokio::test]
async fn racing_scanners_redeem_a_ticket_exactly_once() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, o) = api.post("/api/v1/orders", booking("2026-11-24", Some(2), "card_capture")).await;
    let id = o["eticket_id"].as_str().unwrap().to_string();
    let scanners: Vec<_> = (0..8)
        .map(|_| {
            let api = t.api(&api.token);
            let id = id.clone();
            tokio::spawn(async move { api.post("/api/v1/redemptions", json!({"code": id})).await })
        })
        .collect();
    let mut codes = Vec::new();
    for s in scanners {
        let (status, body) = s.await.unwrap();
        if status != 200 {
            assert_eq!(body["error"]["code"], "already_redeemed", "{body}");
            assert!(body["error"]["redeemed_at"].is_string(), "{body}");
        }
        codes.push(status);
    }
    assert_eq!(codes.iter().filter(|c| **c == 200).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 409).count(), 7, "{codes:?}");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM status_history WHERE to_status = 'redeemed'").await,
        1,
        "one history row"
    );
}

async fn lunch_left(t: &TestApp, date: &str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar(
        "SELECT remaining FROM stock WHERE stock_date = $1 AND product_id = (SELECT id FROM products WHERE code = 'RSV-LUNCH' AND merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1'))",
    )
    .bind(date)
    .fetch_one(&mut *c)
    .await
    .unwrap()
}

#[tokio::test]
async fn extra_people_at_the_door_take_the_days_seats_or_are_refused_and_fewer_give_none_back() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    t.clock.set(time::macros::datetime!(2026-11-27 03:00 UTC));
    let (_, big) = api.post("/api/v1/orders", booking("2026-11-27", Some(2), "card_capture")).await;
    let (_, small) = api.post("/api/v1/orders", booking("2026-11-27", Some(3), "card_capture")).await;
    let left = lunch_left(&t, "2026-11-27").await;
    assert!(left >= 3, "the demo leaves room on the 27th: {left}");

    // More extra people than the day's stock can seat: refused, nothing changes.
    let (s, e) = api
        .post(
            "/api/v1/redemptions",
            json!({"code": big["eticket_id"], "party_size": 2 + left + 1}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["code"], "no_room");
    assert_eq!(e["error"]["field"], "party_size");
    assert!(e["error"]["message"].as_str().unwrap().contains(&format!("残り{left}名")), "{e}");
    assert_eq!(lunch_left(&t, "2026-11-27").await, left);
    let (_, o) = api.get(&format!("/api/v1/orders/{}", big["order_number"].as_str().unwrap())).await;
    assert_ne!(o["status"], "redeemed", "the refused redemption left the booking open");

    // Two extra people take two seats, so nobody can book them again.
    let (s, r) = api
        .post("/api/v1/redemptions", json!({"code": big["eticket_id"], "party_size": 4}))
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(lunch_left(&t, "2026-11-27").await, left - 2);

    // One person fewer: the seat is not given back (the booking is paid out whole).
    let (s, r) = api
        .post("/api/v1/redemptions", json!({"code": small["eticket_id"], "party_size": 2}))
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["party_size"], 2);
    assert_eq!(lunch_left(&t, "2026-11-27").await, left - 2);
}
