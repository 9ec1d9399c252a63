//! Reservation cancellations (by the customer under the policy, by the merchant for force
//! majeure), the emails to every merchant user, the e-ticket resend, and no-show finality.

use crate::harness::{Api, TestApp, unique_email, wait_for_mail};
use kippu_domain::account::Role;
use serde_json::{Value, json};
use time::macros::datetime;

fn booking(date: &str, party: i64, method: &str, email: &str) -> Value {
    json!({"product_code": "RSV-LUNCH", "visit_date": date, "party_size": party, "payment_method": method, "card_token": "tok_visa",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email, "phone": "090-1234-5678"}})
}

async fn book(api: &Api, date: &str, party: i64, method: &str) -> (String, String) {
    let email = unique_email("cx");
    let (s, o) = api.post("/api/v1/orders", booking(date, party, method, &email)).await;
    assert_eq!(s, 201, "{o}");
    (o["order_number"].as_str().unwrap().to_string(), email)
}

async fn outbox_count(t: &TestApp, key: &str, number: &str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM outbox x JOIN orders o ON o.id = x.order_id WHERE x.template_key = $1 AND o.order_number = $2",
    )
    .bind(key)
    .bind(number)
    .fetch_one(&mut *c)
    .await
    .unwrap()
}

async fn remaining(t: &TestApp, date: &str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar::<_, i64>(
        "SELECT remaining FROM stock s JOIN products p ON p.id = s.product_id JOIN merchants m ON m.id = p.merchant_id \
         WHERE m.code = 'DEMO1' AND p.code = 'RSV-LUNCH' AND s.stock_date = $1",
    )
    .bind(date)
    .fetch_one(&mut *c)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_policy_tiers_apply_at_their_boundaries_in_japan_time() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    // Policy of the demo plan: 100 % on the day, 50 % from 3 days before, free before that.
    let (free, _) = book(&api, "2026-12-10", 2, "card_capture").await;
    let (half, _) = book(&api, "2026-12-10", 2, "card_capture").await;
    let (full, _) = book(&api, "2026-12-10", 2, "card_capture").await;
    let (_, o) = api.get(&format!("/api/v1/orders/{free}")).await;
    assert_eq!(o["cancellation_policy"], "当日: 100%、3日前から: 50%、それ以前: 無料");
    assert_eq!(remaining(&t, "2026-12-10").await, 14);

    // 2026-12-06 23:59:59 JST: four days before, free.
    t.clock.set(datetime!(2026-12-06 14:59:59 UTC));
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{free}/cancel")).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["status"], "cancelled");
    assert_eq!(o["cancellation_fee_kept"], 0);
    assert_eq!(o["refunded_amount"], 8800);
    assert_eq!(
        o["cancel_fee"], 220,
        "a card refund after capture costs the merchant the cancel-request fee"
    );
    assert_eq!(o["cancelled_by"], "customer");

    // 00:00 JST on 12-07: three days before, half is kept.
    t.clock.set(datetime!(2026-12-06 15:00:00 UTC));
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{half}/cancel")).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["cancellation_fee_kept"], 4400);
    assert_eq!(o["refunded_amount"], 4400);

    // The visit day itself: 100 %, the customer can no longer cancel, and is told why.
    t.clock.set(datetime!(2026-12-09 15:00:00 UTC));
    let (s, e) = api.post_empty(&format!("/api/v1/orders/{full}/cancel")).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["code"], "outside_cancellation_window");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("来店日当日はキャンセル料が100%"),
        "{e}"
    );
    let (_, o) = api.get(&format!("/api/v1/orders/{full}")).await;
    assert_eq!(o["status"], "awaiting_send", "nothing changed");

    // Seats of the two cancellations are back on sale; a second cancellation is refused.
    assert_eq!(remaining(&t, "2026-12-10").await, 18);
    let (s, e) = api.post_empty(&format!("/api/v1/orders/{half}/cancel")).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"]["code"], "already_cancelled");
    // The history says who cancelled and what was kept.
    let (_, o) = api.get(&format!("/api/v1/orders/{half}")).await;
    let last = o["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["to"], "cancelled");
    assert!(last["note"].as_str().unwrap().contains("取消料50%"), "{last}");
}

#[tokio::test]
async fn cancellation_notices_go_to_the_customer_and_every_merchant_user() {
    let t = TestApp::spawn().await;
    let staff_email = unique_email("staff");
    t.create_user(
        Role::MerchantStaff,
        Some("DEMO1"),
        &format!("staff-{}", std::process::id()),
        &staff_email,
    )
    .await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (number, customer) = book(&api, "2026-12-10", 2, "card_capture").await;

    // New booking: every merchant user is told (the test SMTP server receives it).
    let users: i64 = t
        .scalar("SELECT COUNT(*) FROM users WHERE merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1') AND email <> ''")
        .await;
    assert!(users >= 3);
    assert_eq!(outbox_count(&t, "new_booking", &number).await, users);
    let mail = wait_for_mail(&staff_email, 0).await;
    assert!(mail.subject.contains("新着予約"), "{}", mail.subject);
    assert!(mail.body.contains("2026-12-10") && mail.body.contains("2名"), "{}", mail.body);

    // Force majeure: その他 needs the free text; the reason reaches the customer; all back.
    let (s, e) = api
        .post(&format!("/api/v1/orders/{number}/cancel"), json!({"reason": "other"}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["field"], "reason_text");
    let (s, e) = api
        .post(&format!("/api/v1/orders/{number}/cancel"), json!({"reason": "snow"}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["field"], "reason");
    let (s, o) = api
        .post(&format!("/api/v1/orders/{number}/cancel"), json!({"reason": "weather"}))
        .await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["cancelled_by"], "merchant");
    assert_eq!(o["cancel_reason"], "天候");
    assert_eq!(o["refunded_amount"], 8800);
    assert_eq!(o["cancellation_fee_kept"], 0);
    let to_customer = wait_for_mail(&customer, 1).await;
    assert!(to_customer.subject.contains("キャンセル"), "{}", to_customer.subject);
    assert!(to_customer.body.contains("キャンセル理由: 天候"), "{}", to_customer.body);
    assert!(to_customer.body.contains("ご返金額: 8,800円"), "{}", to_customer.body);
    let notice = wait_for_mail(&staff_email, 1).await;
    assert!(notice.subject.contains("キャンセル通知"), "{}", notice.subject);
    assert!(notice.body.contains("加盟店"), "{}", notice.body);
    assert_eq!(outbox_count(&t, "booking_cancelled_notice", &number).await, users);
}

#[tokio::test]
async fn redeemed_and_no_show_bookings_cannot_be_cancelled_or_changed() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (came, _) = book(&api, "2026-11-24", 2, "card_capture").await;
    let (missed, _) = book(&api, "2026-11-24", 2, "card_capture").await;
    let (_, o) = api.get(&format!("/api/v1/orders/{came}")).await;
    assert_eq!(api.post("/api/v1/redemptions", json!({"code": o["eticket_id"]})).await.0, 200);
    let (s, e) = api
        .post(&format!("/api/v1/orders/{came}/cancel"), json!({"reason": "weather"}))
        .await;
    assert_eq!(s, 409, "{e}");
    assert_eq!(e["error"]["code"], "already_redeemed");

    t.clock.set(datetime!(2026-11-24 15:00 UTC));
    kippu_app::jobs::no_show_sweep(&t.app).await.unwrap();
    let (_, o) = api.get(&format!("/api/v1/orders/{missed}")).await;
    assert_eq!(o["status"], "no_show");
    let ticket = o["tickets"][0]["ticket_number"].as_str().unwrap().to_string();
    let (s, e) = api.post_empty(&format!("/api/v1/orders/{missed}/cancel")).await;
    assert_eq!((s, e["error"]["code"].as_str()), (422, Some("no_show")), "{e}");
    for action in ["use", "unuse"] {
        let (s, e) = api.post_empty(&format!("/api/v1/tickets/{ticket}/{action}")).await;
        assert_eq!((s, e["error"]["code"].as_str()), (422, Some("no_show")), "{action}: {e}");
    }
    let (s, e) = api.post_empty(&format!("/api/v1/orders/{missed}/cancel-request")).await;
    assert_eq!((s, e["error"]["code"].as_str()), (422, Some("no_show")), "{e}");
    let (_, o) = api.get(&format!("/api/v1/orders/{missed}")).await;
    assert_eq!(o["status"], "no_show", "still a no-show");
    // The order page offers nothing that would change it, and the flow's screens refuse.
    let b = t.browser();
    assert_eq!(b.login("demo1-admin", "Demo1Admin").await.status, 303);
    let page = b.get(&format!("/orders/{missed}")).await;
    assert!(page.body.contains("ノーショー"), "{}", page.body);
    for link in [
        "/do/cancel-request",
        "/do/cancel\"",
        "data-testid=\"cancel-reservation\"",
        "data-testid=\"next-step\"",
    ] {
        assert!(!page.body.contains(link), "{link} offered on a no-show");
    }
    let refused = b
        .submit(
            &format!("/orders/{missed}"),
            &format!("/orders/{missed}/do/cancel-request"),
            &[("approve", "1")],
        )
        .await;
    assert!(refused.status >= 400, "{}", refused.status);
    let page = b.get(&format!("/orders/{came}")).await;
    assert!(page.body.contains("来店済み"), "{}", page.body);
    // A reservation is never cancelled through the web-ticket cancellation (it skips the policy).
    let (_, fresh) = api
        .post("/api/v1/orders", booking("2026-11-30", 2, "bank_store", &unique_email("wt")))
        .await;
    let fresh = fresh["order_number"].as_str().unwrap();
    let refused = b
        .submit(&format!("/orders/{fresh}"), &format!("/orders/{fresh}/do/cancel"), &[])
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("キャンセルポリシーに従って"), "{}", refused.body);
}

#[tokio::test]
async fn the_eticket_is_resent_for_own_site_bookings_only() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    let (own, email) = book(&api, "2026-12-01", 2, "card_capture").await;
    let (via_ota, _) = book(&ota, "2026-12-01", 2, "card_capture").await;
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{own}/resend")).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(outbox_count(&t, "order_confirmation", &own).await, 2);
    let again = wait_for_mail(&email, 1).await;
    assert!(again.body.contains("eチケットID"), "{}", again.body);
    assert!(again.body.contains(o["eticket_id"].as_str().unwrap()), "{}", again.body);
    let (s, e) = api.post_empty(&format!("/api/v1/orders/{via_ota}/resend")).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["code"], "own_site_only");
    assert_eq!(outbox_count(&t, "order_confirmation", &via_ota).await, 1);
    // Another merchant cannot resend (or learn of) DEMO1's booking.
    let other = t.api(&t.token(Some("DEMO2")).await);
    assert_eq!(other.post_empty(&format!("/api/v1/orders/{own}/resend")).await.0, 404);
    assert_eq!(other.post_empty(&format!("/api/v1/orders/{own}/cancel")).await.0, 404);
}
