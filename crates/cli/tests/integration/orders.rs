//! Web-ticket orders over the API: intake, stock under contention, idempotency, every payment
//! flow with its emails, tickets, bulk actions.

use crate::harness::{TestApp, unique_email, wait_for_mail};
use serde_json::{Value, json};
use time::Duration;

pub(crate) fn order_body(method: &str, email: &str) -> Value {
    json!({
        "product_code": "WT-BASIC",
        "quantity": 2,
        "payment_method": method,
        "card_token": if method.starts_with("card") { Some("tok_visa") } else { None },
        "customer": { "name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email, "phone": "090-1234-5678" }
    })
}

pub(crate) async fn place(api: &crate::harness::Api, method: &str, email: &str) -> Value {
    let (s, o) = api.post("/api/v1/orders", order_body(method, email)).await;
    assert_eq!(s, 201, "{o}");
    o
}

pub(crate) fn number(o: &Value) -> String {
    o["order_number"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_order_gets_a_t_number_tickets_and_its_first_status() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let o = place(&api, "bank_store", &unique_email("buyer")).await;
    let n = number(&o);
    assert!(
        n.starts_with('T') && n.len() == 15 && n[1..].chars().all(|c| c.is_ascii_digit()),
        "{n}"
    );
    assert_eq!(o["status"], "unpaid");
    assert_eq!(o["status_label"], "未入金");
    assert_eq!(o["amount"], 4000);
    assert!(o["ordered_at"].as_str().unwrap().ends_with("+09:00"));
    let tickets = o["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 2);
    assert!(
        tickets
            .iter()
            .all(|k| k["holder_name"] == "山田 花子" && k["usage"] == "unused" && k["price"] == 2000)
    );
    assert_eq!(o["history"][0]["to"], "unpaid");

    let (s, again) = api.get(&format!("/api/v1/orders/{n}")).await;
    assert_eq!(s, 200);
    assert_eq!(again["order_number"], n.as_str());
    // Another merchant's token cannot see it.
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (s, e) = other.get(&format!("/api/v1/orders/{n}")).await;
    assert_eq!(s, 404);
    assert_eq!(e["error"]["code"], "not_found");
    // Numbers are never reused.
    let o2 = place(&api, "bank_store", &unique_email("buyer")).await;
    assert_ne!(number(&o2), n);
}

#[tokio::test]
async fn two_hundred_buyers_race_for_fifty_tickets() {
    let t = TestApp::spawn().await;
    t.set_stock("DEMO1", "WT-BASIC", 50).await;
    let token = t.token(Some("DEMO1")).await;
    let client = reqwest::Client::new();
    let mut handles = Vec::new();
    for i in 0..200 {
        let client = client.clone();
        let url = t.url("/api/v1/orders");
        let token = token.clone();
        handles.push(tokio::spawn(async move {
            let mut body = order_body("bank_store", &format!("racer{i}@kippu.test"));
            body["quantity"] = json!(1);
            let r = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            let status = r.status().as_u16();
            let v: Value = r.json().await.unwrap();
            (status, v)
        }));
    }
    let mut created = 0;
    let mut sold_out = 0;
    for h in handles {
        let (status, v) = h.await.unwrap();
        match status {
            201 => created += 1,
            409 => {
                assert_eq!(v["error"]["code"], "sold_out", "{v}");
                sold_out += 1;
            }
            other => panic!("unexpected {other}: {v}"),
        }
    }
    assert_eq!(created, 50);
    assert_eq!(sold_out, 150);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, 50);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM tickets").await, 50);
    assert_eq!(
        t.scalar("SELECT remaining FROM stock WHERE product_id = (SELECT id FROM products WHERE code = 'WT-BASIC' AND merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1'))").await,
        0
    );
}

#[tokio::test]
async fn idempotency_key_returns_the_first_order() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let client = reqwest::Client::new();
    let body = order_body("bank_store", &unique_email("idem"));
    let send = |key: &'static str, body: Value| {
        let client = client.clone();
        let url = t.url("/api/v1/orders");
        let token = token.clone();
        async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (s1, first) = send("order-abc", body.clone()).await;
    let (s2, second) = send("order-abc", body.clone()).await;
    assert_eq!(s1, 201);
    assert_eq!(s2, 200, "a replay answers 200 with the first order");
    assert_eq!(first["order_number"], second["order_number"]);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, 1);

    let mut changed = body.clone();
    changed["quantity"] = json!(3);
    let (s, e) = send("order-abc", changed).await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["code"], "idempotency_key_reused");

    // Ten concurrent retries of a new key still make one order.
    let results = futures_join((0..10).map(|_| send("order-concurrent", body.clone())).collect()).await;
    let numbers: std::collections::HashSet<String> = results
        .iter()
        .map(|(s, v)| {
            assert!(*s == 200 || *s == 201, "{s} {v}");
            v["order_number"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(numbers.len(), 1);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, 2);
}

async fn futures_join<F: std::future::Future<Output = T> + Send + 'static, T: Send + 'static>(fs: Vec<F>) -> Vec<T> {
    let handles: Vec<_> = fs.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn bad_orders_name_the_field_and_change_nothing() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let email = unique_email("bad");
    let cases = [
        (json!({"quantity": 0}), "quantity"),
        (json!({"quantity": 10000}), "quantity"),
        (json!({"product_code": "NOPE"}), "product_code"),
        (json!({"payment_method": "bitcoin"}), "payment_method"),
        (json!({"payment_method": "card_auth", "card_token": null}), "card_token"),
        (
            json!({"customer": {"name": "山田😀", "kana": "ヤマダ", "email": email, "phone": "090-1234-5678"}}),
            "customer.name",
        ),
        (
            json!({"customer": {"name": "山田", "kana": "山田", "email": email, "phone": "090-1234-5678"}}),
            "customer.kana",
        ),
        (json!({"product_code": "WT-ROOM"}), "visit_date"),
        (json!({"visit_date": "2026-12-01"}), "visit_date"),
    ];
    for (patch, field) in cases {
        let mut body = order_body("bank_store", &email);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, e) = api.post("/api/v1/orders", body).await;
        assert_eq!(s, 422, "{field}: {e}");
        assert_eq!(e["error"]["field"], field, "{e}");
    }
    let (s, e) = api.post("/api/v1/orders", json!({"product_code": "WT-BASIC", "oops": 1})).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, 0);
    assert_eq!(api.get("/api/v1/orders/T99999999999999").await.0, 404);
    let (s, e) = api.post_empty("/api/v1/orders/T99999999999999/capture").await;
    assert_eq!(s, 404, "{e}");
}

#[tokio::test]
async fn bank_transfer_to_the_store_confirm_revert_reconfirm_send_use() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let buyer = unique_email("store-bank");
    let n = number(&place(&api, "bank_store", &buyer).await);
    let confirmation = wait_for_mail(&buyer, 0).await;
    assert!(confirmation.subject.contains(&n), "{}", confirmation.subject);

    let (s, o) = api.post_empty(&format!("/api/v1/orders/{n}/confirm-payment")).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["status"], "awaiting_send");
    assert!(o["paid_at"].is_string());
    let mail = wait_for_mail(&buyer, 1).await;
    assert_eq!(mail.subject, "【さくら劇場】ご入金を確認いたしました");

    let (_, o) = api.post_empty(&format!("/api/v1/orders/{n}/revert-payment")).await;
    assert_eq!(o["status"], "unpaid");
    assert!(o["paid_at"].is_null());
    api.post_empty(&format!("/api/v1/orders/{n}/confirm-payment")).await;
    let again = wait_for_mail(&buyer, 2).await;
    assert_eq!(again.subject, "【さくら劇場】ご入金を確認いたしました", "re-confirming mails again");

    let (s, o) = api.post(&format!("/api/v1/orders/{n}/send"), json!({"mode": "email"})).await;
    assert_eq!(s, 200);
    assert_eq!(o["status"], "sent");
    assert_eq!(o["send_mode"], "email");
    let tickets_mail = wait_for_mail(&buyer, 3).await;
    assert!(tickets_mail.subject.contains("ウェブチケットのお届け"));
    let first_ticket = o["tickets"][0]["ticket_number"].as_str().unwrap().to_string();
    assert!(tickets_mail.body.contains(&first_ticket));
    assert!(tickets_mail.body.contains("/my/tickets/"));
    assert!(
        tickets_mail.body.contains(&format!("/qr/{first_ticket}.png")),
        "each ticket's QR code is linked: {}",
        tickets_mail.body
    );

    // Reverting after sending is refused and changes nothing.
    let (s, e) = api.post_empty(&format!("/api/v1/orders/{n}/revert-payment")).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"]["code"], "illegal_transition");
    assert!(e["error"]["message"].as_str().unwrap().contains("送信済み"));

    let (s, o) = api.post_empty(&format!("/api/v1/tickets/{first_ticket}/use")).await;
    assert_eq!(s, 200);
    assert_eq!(o["tickets"][0]["usage"], "used");
    assert!(o["tickets"][0]["used_at"].is_string());
    let (s, _) = api.post_empty(&format!("/api/v1/tickets/{first_ticket}/use")).await;
    assert_eq!(s, 409, "already used");
    let (_, o) = api.post_empty(&format!("/api/v1/tickets/{first_ticket}/unuse")).await;
    assert_eq!(o["tickets"][0]["usage"], "unused");

    // Transfer: the list shows the new holder.
    let (s, o) = api
        .post(
            &format!("/api/v1/tickets/{first_ticket}/transfer"),
            json!({"holder_name": "佐藤 次郎"}),
        )
        .await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["tickets"][0]["holder_name"], "佐藤 次郎");
    assert_eq!(o["customer"]["name"], "山田 花子");
    // Every step is in the history.
    let steps: Vec<&str> = o["history"].as_array().unwrap().iter().map(|h| h["to"].as_str().unwrap()).collect();
    assert!(
        steps.starts_with(&["unpaid", "awaiting_send", "unpaid", "awaiting_send", "sent"]),
        "{steps:?}"
    );
}

#[tokio::test]
async fn bank_transfer_to_the_platform_is_confirmed_by_the_operator() {
    let t = TestApp::spawn().await;
    let merchant_mail = t.unique_merchant_email("DEMO1").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let platform = t.api(&t.token(None).await);
    let n = number(&place(&api, "bank_platform", &unique_email("plat")).await);
    let notification = wait_for_mail(&merchant_mail, 0).await;
    assert!(
        notification
            .subject
            .starts_with(&format!("受注通知【注文番号{n}】山田 花子様より注文がありました")),
        "{}",
        notification.subject
    );

    let (s, e) = api.post_empty(&format!("/api/v1/orders/{n}/confirm-payment")).await;
    assert_eq!(s, 409, "the merchant cannot confirm a deposit into the platform's account: {e}");
    let (s, o) = platform.post_empty(&format!("/api/v1/orders/{n}/confirm-payment")).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["status"], "awaiting_send");
    let deposit = wait_for_mail(&merchant_mail, 1).await;
    assert_eq!(deposit.subject, format!("入金通知 【注文番号{n}】"));
    // Cancelling is no longer possible once the deposit is matched.
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{n}/cancel")).await.0, 409);
}

#[tokio::test]
async fn pay_at_venue_pin_receipt_with_throttling() {
    let t = TestApp::spawn().await;
    let merchant_mail = t.unique_merchant_email("DEMO1").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let buyer = unique_email("venue");
    let o = place(&api, "pay_at_venue", &buyer).await;
    let n = number(&o);
    assert_eq!(o["status"], "unreceived");
    let pin = o["pin"].as_str().unwrap().to_string();
    assert_eq!(pin.len(), 4);
    let notification = wait_for_mail(&merchant_mail, 0).await;
    assert!(
        notification.body.contains(&format!("/orders/{n}/receive")),
        "matching URL in the notification: {}",
        notification.body
    );
    let confirmation = wait_for_mail(&buyer, 0).await;
    assert!(confirmation.body.contains("/slip/"), "online slip URL: {}", confirmation.body);

    let wrong = if pin == "0000" { "1111" } else { "0000" };
    for i in 1..=4 {
        let (s, e) = api.post(&format!("/api/v1/orders/{n}/receive"), json!({"pin": wrong})).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["code"], "wrong_pin");
        assert_eq!(e["error"]["field"], "pin");
        assert!(e["error"]["message"].as_str().unwrap().contains(&format!("あと{}回", 5 - i)));
    }
    let (s, e) = api.post(&format!("/api/v1/orders/{n}/receive"), json!({"pin": wrong})).await;
    assert_eq!(s, 429);
    assert_eq!(e["error"]["code"], "pin_locked");
    let (s, _) = api.post(&format!("/api/v1/orders/{n}/receive"), json!({"pin": pin})).await;
    assert_eq!(s, 429, "even the right PIN waits out the lock");
    t.clock.advance(Duration::minutes(15));
    let (s, o) = api.post(&format!("/api/v1/orders/{n}/receive"), json!({"pin": pin})).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["status"], "sent", "receipt pays and sends in one step");
    let thanks = wait_for_mail(&buyer, 1).await;
    assert_eq!(thanks.subject, "【さくら劇場】この度はお買い上げ誠にありがとうございます");
}

#[tokio::test]
async fn card_authorization_capture_expiry_and_void() {
    let t = TestApp::spawn().await;
    // 与信モード: every channel's card orders are in the merchant's mode.
    t.card_mode("DEMO1", "card_auth").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let o = place(&api, "card_auth", &unique_email("card")).await;
    let n = number(&o);
    assert_eq!(o["status"], "authorized");
    assert_eq!(o["authorization"]["days_left"], 25);
    t.clock.advance(Duration::days(20));
    let (_, o) = api.get(&format!("/api/v1/orders/{n}")).await;
    assert_eq!(o["authorization"]["days_left"], 5);
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{n}/capture")).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["status"], "awaiting_send");

    let late = number(&place(&api, "card_auth", &unique_email("late")).await);
    t.clock.advance(Duration::days(25));
    let (s, e) = api.post_empty(&format!("/api/v1/orders/{late}/capture")).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"]["code"], "authorization_expired");
    let (_, o) = api.get(&format!("/api/v1/orders/{late}")).await;
    assert!(o["authorization"]["days_left"].is_null());
    let before = t.scalar("SELECT remaining FROM stock WHERE stock_date = '' AND product_id = (SELECT id FROM products WHERE code = 'WT-BASIC' AND merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1'))").await;
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{late}/cancel")).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["status"], "cancelled");
    let after = t.scalar("SELECT remaining FROM stock WHERE stock_date = '' AND product_id = (SELECT id FROM products WHERE code = 'WT-BASIC' AND merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1'))").await;
    assert_eq!(after, before + 2, "cancelling gives the stock back");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM payments WHERE state = 'voided'").await, 1);
}

#[tokio::test]
async fn declined_cards_make_no_order() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let mut body = order_body("card_capture", &unique_email("declined"));
    body["card_token"] = json!("tok_declined");
    let (s, e) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 402);
    assert_eq!(e["error"]["code"], "card_declined");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, 0);
    assert_eq!(
        t.scalar("SELECT remaining FROM stock WHERE stock_date = '' AND product_id = (SELECT id FROM products WHERE code = 'WT-BASIC' AND merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1'))").await,
        500
    );
}

#[tokio::test]
async fn cancel_request_after_capture_costs_a_fee_and_the_platform_refunds() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let platform = t.api(&t.token(None).await);
    let buyer = unique_email("refund");
    let o = place(&api, "card_capture", &buyer).await;
    let n = number(&o);
    assert_eq!(o["status"], "awaiting_send");
    let (s, e) = api.post_empty(&format!("/api/v1/orders/{n}/cancel")).await;
    assert_eq!(s, 409, "no plain cancel after capture: {e}");
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{n}/cancel-request")).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["status"], "cancel_requested");
    assert_eq!(o["cancel_fee"], 220, "200 yen + 10 % tax");
    let (s, e) = api.post_empty(&format!("/api/v1/orders/{n}/complete-cancel-request")).await;
    assert_eq!(s, 403);
    assert_eq!(e["error"]["code"], "platform_only");
    let (s, o) = platform.post_empty(&format!("/api/v1/orders/{n}/complete-cancel-request")).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["status"], "cancelled");
    assert_eq!(o["refunded_amount"], 4000);
    let mail = wait_for_mail(&buyer, 1).await;
    assert!(mail.subject.contains("ご注文キャンセルのお知らせ"));
    assert!(mail.body.contains("4,000円"));
    // Nothing more can happen to a cancelled order.
    assert_eq!(
        platform.post_empty(&format!("/api/v1/orders/{n}/complete-cancel-request")).await.0,
        409
    );
}

#[tokio::test]
async fn send_silently_and_test_send() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let n = number(&place(&api, "card_capture", &unique_email("silent")).await);
    let (s, e) = api.post(&format!("/api/v1/orders/{n}/send"), json!({"mode": "test"})).await;
    assert_eq!(s, 403, "a token has no mailbox of its own: {e}");
    let (s, o) = api.post(&format!("/api/v1/orders/{n}/send"), json!({"mode": "silent"})).await;
    assert_eq!(s, 200);
    assert_eq!(o["status"], "sent");
    assert_eq!(o["send_mode"], "silent");
    assert!(o["sent_at"].is_null(), "sent without a time");
    let (s, e) = api.post(&format!("/api/v1/orders/{n}/send"), json!({"mode": "shout"})).await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["field"], "mode");
}
