//! Paying at the counter from the holder's phone (`POST /api/v1/voucher-payments`): by QR or
//! passcode, never below zero, never twice for one key; the merchant sees it at once and
//! cancels within 24 hours.

use crate::harness::TestApp;
use crate::voucher_world::{VoucherWorld, grant};
use serde_json::json;

const PAY: &str = "/api/v1/voucher-payments";

#[tokio::test]
async fn a_holder_pays_by_qr_and_gets_a_receipt_with_a_sixteen_character_number() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let (status, r) = w.pay_qr(&t, "k1", json!(1200)).await;
    assert_eq!(status, 201, "{r}");
    let number = r["payment_number"].as_str().unwrap();
    assert_eq!(number.len(), 16);
    assert!(number.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(r["store_code"], "AKT10001_00001");
    assert_eq!(r["store_name"], "あおば書店 駅前店");
    assert_eq!(r["terminal_name"], "レジ1");
    assert_eq!(r["amount"], 1200);
    assert_eq!(r["balance_after"], 8800);
    assert!(r["paid_at"].as_str().unwrap().ends_with("+09:00"));
}

#[tokio::test]
async fn a_holder_pays_by_passcode_typed_in_full_width() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let wide: String = w
        .terminal
        .passcode
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
        .collect();
    let (status, r) = w
        .phone(&t)
        .post_with_key(PAY, "k1", json!({"passcode": wide, "amount": "1,000"}))
        .await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(r["balance_after"], 9000);
}

#[tokio::test]
async fn a_retry_with_the_same_key_answers_the_first_payment_and_pays_nothing_more() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let phone = w.phone(&t);
    let body = json!({"terminal": w.terminal.qr_payload, "amount": 500});
    let (first, a) = phone.post_with_key(PAY, "tap-1", body.clone()).await;
    let (again, b) = phone.post_with_key(PAY, "tap-1", body).await;
    assert_eq!((first, again), (201, 200));
    assert_eq!(a, b, "the first answer again");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM voucher_payments").await, 1);
    let (_, me) = phone.get("/api/v1/voucher-holder").await;
    assert_eq!(me["balances"][0]["balance"], 9500);
}

#[tokio::test]
async fn the_same_key_for_another_amount_is_refused() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    w.pay_qr(&t, "k", json!(500)).await;
    let (status, r) = w.pay_qr(&t, "k", json!(600)).await;
    assert_eq!((status, r["error"]["code"].as_str()), (422, Some("idempotency_key_reused")));
}

#[tokio::test]
async fn more_than_the_balance_is_refused_with_the_balance() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let (status, r) = w.pay_qr(&t, "k", json!(10_001)).await;
    assert_eq!(status, 409);
    assert_eq!(r["error"]["code"], "insufficient_balance");
    assert_eq!(r["error"]["balance"], 10_000);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM voucher_payments").await, 0);
}

#[tokio::test]
async fn the_whole_balance_can_be_spent_to_exactly_zero() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let (status, r) = w.pay_qr(&t, "k", json!(10_000)).await;
    assert_eq!((status, r["balance_after"].as_i64()), (201, Some(0)));
}

#[tokio::test]
async fn bad_amounts_are_refused_naming_the_amount() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    for (i, amount) in [json!(0), json!(-5), json!(1.5), json!("abc")].into_iter().enumerate() {
        let (status, r) = w.pay_qr(&t, &format!("k{i}"), amount.clone()).await;
        assert_eq!((status, r["error"]["field"].as_str()), (422, Some("amount")), "{amount}: {r}");
    }
    assert_eq!(t.scalar("SELECT COUNT(*) FROM voucher_payments").await, 0);
}

#[tokio::test]
async fn a_passcode_of_five_digits_or_with_letters_is_not_a_passcode() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    for bad in ["12345", "12a456"] {
        let (status, r) = w.phone(&t).post_with_key(PAY, bad, json!({"passcode": bad, "amount": 100})).await;
        assert_eq!((status, r["error"]["field"].as_str()), (422, Some("passcode")), "{bad}: {r}");
    }
}

#[tokio::test]
async fn an_unknown_qr_is_an_unknown_terminal() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let (status, r) = w
        .phone(&t)
        .post_with_key(PAY, "k", json!({"terminal": "KIPPU-T:nothing-here", "amount": 100}))
        .await;
    assert_eq!((status, r["error"]["code"].as_str()), (404, Some("unknown_terminal")));
}

#[tokio::test]
async fn a_store_outside_the_programme_does_not_take_the_vouchers() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let (status, r) = w
        .phone(&t)
        .post_with_key(PAY, "k", json!({"terminal": w.outsider.qr_payload, "amount": 100}))
        .await;
    assert_eq!((status, r["error"]["code"].as_str()), (422, Some("store_not_in_program")));
}

#[tokio::test]
async fn five_wrong_passcodes_lock_the_holder_out_of_passcodes_for_a_while() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let phone = w.phone(&t);
    let wrong = if w.terminal.passcode == "000000" { "000001" } else { "000000" };
    let wrong = if w.outsider.passcode == wrong { "999999" } else { wrong };
    for i in 0..4 {
        let (status, _) = phone
            .post_with_key(PAY, &format!("g{i}"), json!({"passcode": wrong, "amount": 100}))
            .await;
        assert_eq!(status, 404);
    }
    let (status, r) = phone.post_with_key(PAY, "g5", json!({"passcode": wrong, "amount": 100})).await;
    assert_eq!((status, r["error"]["code"].as_str()), (429, Some("passcode_locked")));
    let (status, _) = phone
        .post_with_key(PAY, "right", json!({"passcode": w.terminal.passcode, "amount": 100}))
        .await;
    assert_eq!(status, 429, "even the right passcode waits out the lock");
    t.clock.advance(time::Duration::minutes(15));
    let (status, _) = phone
        .post_with_key(PAY, "right", json!({"passcode": w.terminal.passcode, "amount": 100}))
        .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn a_payment_needs_the_holders_token_and_a_key() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let (status, _) = t
        .api("not-a-holder")
        .post_with_key(PAY, "k", json!({"terminal": w.terminal.qr_payload, "amount": 100}))
        .await;
    assert_eq!(status, 401);
    let (status, r) = w
        .phone(&t)
        .post(PAY, json!({"terminal": w.terminal.qr_payload, "amount": 100}))
        .await;
    assert_eq!((status, r["error"]["field"].as_str()), (422, Some("idempotency_key")));
}

#[tokio::test]
async fn the_merchant_sees_the_payment_at_once_and_another_merchant_does_not() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let (_, paid) = w.pay_qr(&t, "k", json!(700)).await;
    let (status, list) = t.api(&t.token(Some("DEMO2")).await).get(PAY).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["payment_number"], paid["payment_number"]);
    let (_, other) = t.api(&t.token(Some("DEMO1")).await).get(PAY).await;
    assert_eq!(other["total"], 0);
    let number = paid["payment_number"].as_str().unwrap();
    let (status, _) = t
        .api(&t.token(Some("DEMO1")).await)
        .post(&format!("{PAY}/{number}/cancel"), json!({}))
        .await;
    assert_eq!(status, 404, "another merchant's payment number does not exist for it");
}

#[tokio::test]
async fn a_range_of_three_months_and_a_day_is_refused() {
    let t = TestApp::spawn().await;
    let _w = VoucherWorld::new(&t).await;
    let api = t.api(&t.token(Some("DEMO2")).await);
    let (status, _) = api.get(&format!("{PAY}?from=2026-08-25T00:00&to=2026-11-24T23:59")).await;
    assert_eq!(status, 200);
    let (status, r) = api.get(&format!("{PAY}?from=2026-08-24T00:00&to=2026-11-24T23:59")).await;
    assert_eq!((status, r["error"]["code"].as_str()), (422, Some("range_too_long")));
}

#[tokio::test]
async fn the_merchant_cancels_within_24_hours_and_the_balance_comes_back() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let (_, paid) = w.pay_qr(&t, "k", json!(700)).await;
    let number = paid["payment_number"].as_str().unwrap();
    t.clock.advance(time::Duration::hours(24));
    let merchant = t.api(&t.token(Some("DEMO2")).await);
    let (status, r) = merchant.post(&format!("{PAY}/{number}/cancel"), json!({"memo": "金額誤り"})).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["cancel_memo"], "金額誤り");
    assert!(r["cancelled_at"].is_string());
    let (_, me) = w.phone(&t).get("/api/v1/voucher-holder").await;
    assert_eq!(me["balances"][0]["balance"], 10_000);
    assert_eq!(me["history"][0]["kind"], "cancel");
    let (status, r) = merchant.post(&format!("{PAY}/{number}/cancel"), json!({})).await;
    assert_eq!((status, r["error"]["code"].as_str()), (409, Some("already_cancelled")));
    let (_, list) = merchant
        .get(&format!("{PAY}?from=2026-11-24&to=2026-11-25&exclude_cancelled=1"))
        .await;
    assert_eq!(list["total"], 0, "取消実績を含めない");
}

#[tokio::test]
async fn after_24_hours_and_a_second_only_the_platform_cancels() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let (_, paid) = w.pay_qr(&t, "k", json!(700)).await;
    let number = paid["payment_number"].as_str().unwrap();
    t.clock.advance(time::Duration::hours(24) + time::Duration::seconds(1));
    let (status, r) = t
        .api(&t.token(Some("DEMO2")).await)
        .post(&format!("{PAY}/{number}/cancel"), json!({}))
        .await;
    assert_eq!((status, r["error"]["code"].as_str()), (409, Some("cancel_window_passed")));
    let (status, r) = t
        .api(&t.token(None).await)
        .post(&format!("{PAY}/{number}/cancel"), json!({"memo": "事務局対応"}))
        .await;
    assert_eq!(status, 200, "{r}");
    let audited = t
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'cancel' AND entity = 'voucher_payment'")
        .await;
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn sixty_four_phones_paying_from_one_balance_never_take_it_below_zero() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let shared = grant(&t.app, "共有 家族", 1_000).await;
    let token = shared.token.clone().unwrap();
    let mut phones = Vec::new();
    for i in 0..64 {
        let api = t.api(&token);
        let qr = w.terminal.qr_payload.clone();
        phones.push(tokio::spawn(async move {
            api.post_with_key(PAY, &format!("p{i}"), json!({"terminal": qr, "amount": 100}))
                .await
        }));
    }
    let mut ok = 0;
    for p in phones {
        let (status, r) = p.await.unwrap();
        match status {
            201 => ok += 1,
            409 => assert_eq!(r["error"]["code"], "insufficient_balance"),
            other => panic!("unexpected {other}: {r}"),
        }
    }
    assert_eq!(ok, 10, "exactly the balance's worth of payments");
    let (_, me) = t.api(&token).get("/api/v1/voucher-holder").await;
    assert_eq!(me["balances"][0]["balance"], 0);
}

#[tokio::test]
async fn a_suspended_merchant_takes_no_voucher_payment_and_the_balance_stays() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let platform = t.api(&t.token(None).await);
    assert_eq!(platform.post_empty("/api/v1/merchants/DEMO2/suspend").await.0, 200);
    let (s, e) = w.pay_qr(&t, "k1", json!(1200)).await;
    assert_eq!((s, e["error"]["code"].as_str()), (403, Some("merchant_suspended")), "{e}");
    let (_, h) = w.phone(&t).get("/api/v1/voucher-holder").await;
    assert_eq!(h["balances"][0]["balance"], 10_000, "{h}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM voucher_payments").await, 0);

    // Resumed, the same counter takes the payment.
    assert_eq!(platform.post_empty("/api/v1/merchants/DEMO2/resume").await.0, 200);
    assert_eq!(w.pay_qr(&t, "k1", json!(1200)).await.0, 201);
}
