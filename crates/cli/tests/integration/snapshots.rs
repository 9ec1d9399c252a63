//! The manual's order flows as snapshots (insta): the API's answer after every step of each
//! payment method's flow, every email the flow queued, and the CP932 CSV export byte for byte.
//! The clock is fixed, so times are stable; what differs per run (order and ticket numbers,
//! PINs, tokens, the server's port, the buyer's address) goes through one redaction.
//! Review a changed snapshot with `cargo insta review`, never by editing the expected text.

use crate::harness::{Api, TestApp};
use serde_json::{Value, json};

/// A buyer address per flow: fixed, so it survives into the snapshots unredacted where that
/// reads better, and distinct, so flows never share a mailbox.
fn buyer(flow: &str) -> String {
    format!("snap-{flow}@kippu.test")
}

fn order_body(product: &str, method: &str, flow: &str) -> Value {
    json!({"product_code": product, "quantity": 1, "payment_method": method, "card_token": "tok_visa",
           "customer": {"name": "山田 太郎", "kana": "ヤマダ タロウ", "email": buyer(flow), "phone": "090-1234-5678"}})
}

/// Replaces what differs between runs and databases by stable placeholders.
struct Redactor {
    pairs: Vec<(String, String)>,
}

impl Redactor {
    fn new(t: &TestApp, order: &Value) -> Redactor {
        let mut pairs = vec![(t.base.clone(), "[base]".to_string())];
        let mut add = |v: &Value, label: &str| {
            if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
                pairs.push((s.to_string(), label.to_string()));
            }
        };
        add(&order["order_number"], "[order_number]");
        add(&order["pin"], "[pin]");
        add(&order["eticket_id"], "[eticket_id]");
        if let Some(tickets) = order["tickets"].as_array() {
            for (i, k) in tickets.iter().enumerate() {
                add(&k["ticket_number"], &format!("[ticket_{}]", i + 1));
            }
        }
        Redactor { pairs }
    }

    fn text(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (from, to) in &self.pairs {
            out = out.replace(from, to);
        }
        // Random tokens of customer links and ticket codes: long runs of URL-safe characters.
        let mut redacted = String::with_capacity(out.len());
        let mut run = String::new();
        for c in out.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                run.push(c);
                continue;
            }
            redacted.push_str(if run.len() >= 20 { "[token]" } else { &run });
            run.clear();
            redacted.push(c);
        }
        redacted.pop();
        redacted
    }

    fn json(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.json(x)).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), self.json(x))).collect()),
            other => other.clone(),
        }
    }
}

/// Runs a flow: the order, then each action (`(path suffix, body, platform?)`), snapshotting
/// the API's answer after every step, then every email the flow queued.
async fn flow(t: &TestApp, name: &str, order: Value, steps: &[(&str, Value, bool)]) {
    // A mailbox of its own for the merchant, so no other suite's mail looks like this flow's.
    let merchant_mail = t.unique_merchant_email("DEMO1").await;
    let merchant = t.api(&t.token(Some("DEMO1")).await);
    let platform = t.api(&t.token(None).await);
    let (s, created) = merchant.post("/api/v1/orders", order).await;
    assert_eq!(s, 201, "{created}");
    let mut r = Redactor::new(t, &created);
    r.pairs.push((merchant_mail, "[merchant_mail]".into()));
    let mut answers = vec![json!({"step": "create", "order": r.json(&created)})];
    let number = created["order_number"].as_str().unwrap().to_string();
    for (action, body, by_platform) in steps {
        let api: &Api = if *by_platform { &platform } else { &merchant };
        let (s, after) = api.post(&format!("/api/v1/orders/{number}/{action}"), body.clone()).await;
        assert_eq!(s, 200, "{action}: {after}");
        answers.push(json!({"step": action, "order": r.json(&after)}));
    }
    insta::assert_json_snapshot!(format!("{name}_api"), answers);
    let mails: Vec<Value> = kippu_app::notify::outbox(&t.app, &kippu_app::Actor::system(), 500)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .filter(|m| m.subject.contains(&number) || m.body.contains(&number))
        .map(|m| json!({"template": m.template_key, "to": r.text(&m.to_addr), "subject": r.text(&m.subject), "body": r.text(&m.body)}))
        .collect();
    assert!(!mails.is_empty(), "the flow queued emails");
    insta::assert_json_snapshot!(format!("{name}_emails"), mails);
}

#[tokio::test]
async fn bank_transfer_to_the_store_paid_then_sent() {
    let t = TestApp::spawn().await;
    let steps = [("confirm-payment", json!({}), false), ("send", json!({"mode": "email"}), false)];
    flow(&t, "bank_store", order_body("WT-BASIC", "bank_store", "bank-store"), &steps).await;
}

#[tokio::test]
async fn bank_transfer_to_the_platform_confirmed_by_the_operator() {
    let t = TestApp::spawn().await;
    let steps = [("confirm-payment", json!({}), true), ("send", json!({"mode": "silent"}), false)];
    flow(
        &t,
        "bank_platform",
        order_body("WT-BASIC", "bank_platform", "bank-platform"),
        &steps,
    )
    .await;
}

#[tokio::test]
async fn pay_at_the_venue_received_with_payment_and_sending_in_one_step() {
    let t = TestApp::spawn().await;
    flow(
        &t,
        "pay_at_venue",
        order_body("WT-BASIC", "pay_at_venue", "venue"),
        &[("receive", json!({}), false)],
    )
    .await;
}

#[tokio::test]
async fn card_authorized_then_captured_and_sent() {
    let t = TestApp::spawn().await;
    // 与信モード: every channel's card orders are in the merchant's mode.
    t.card_mode("DEMO1", "card_auth").await;
    let steps = [("capture", json!({}), false), ("send", json!({}), false)];
    flow(&t, "card_auth", order_body("WT-BASIC", "card_auth", "card-auth"), &steps).await;
}

#[tokio::test]
async fn card_captured_then_a_cancel_request_refunded_by_the_operator() {
    let t = TestApp::spawn().await;
    let steps = [("cancel-request", json!({}), false), ("complete-cancel-request", json!({}), true)];
    flow(&t, "card_capture", order_body("WT-BASIC", "card_capture", "card-capture"), &steps).await;
}

#[tokio::test]
async fn a_reservation_booked_then_cancelled_under_its_policy() {
    let t = TestApp::spawn().await;
    let mut body = order_body("RSV-LUNCH", "card_capture", "reservation");
    body["visit_date"] = json!("2026-12-10");
    body["party_size"] = json!(2);
    flow(&t, "reservation", body, &[("cancel", json!({}), false)]).await;
}

/// Each line of a CSV file as its text and its bytes in hex, so a snapshot pins the encoding
/// byte for byte and still reads as a table.
fn hex_lines(bytes: &[u8]) -> String {
    let mut out = String::new();
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(line);
        assert!(!bad, "every byte is CP932");
        out.push_str(&format!("{}\n", text.trim_end()));
        out.push_str(&line.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" "));
        out.push_str("\n\n");
    }
    out
}

#[tokio::test]
async fn the_cp932_export_byte_for_byte() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let mut order = order_body("WT-BASIC", "bank_store", "csv");
    order["quantity"] = json!(2);
    order["customer"]["name"] = json!("髙橋 﨑子");
    order["customer"]["kana"] = json!("タカハシ サキコ");
    let (s, created) = api.post("/api/v1/orders", order).await;
    assert_eq!(s, 201, "{created}");
    let number = created["order_number"].as_str().unwrap().to_string();
    let r = api.get_raw(&format!("/api/v1/orders/export.csv?q={number}&encoding=cp932")).await;
    assert_eq!(r.headers()["content-type"], "text/csv; charset=Shift_JIS");
    let bytes = r.bytes().await.unwrap();
    // The order number is the one value that differs between databases' demo data: it is
    // redacted in the text and its bytes (ASCII digits) alike.
    let hex = hex_lines(&bytes);
    let number_hex = number.bytes().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ");
    let ticket_tail = |i: u8| format!("{}-0{i}", &number[1..]);
    let mut redacted = hex.replace(&number_hex, "[order_number]").replace(&number, "[order_number]");
    for i in 1..=2u8 {
        let tail = ticket_tail(i);
        let tail_hex = tail.bytes().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ");
        redacted = redacted
            .replace(&tail_hex, &format!("[ticket_{i}]"))
            .replace(&tail, &format!("[ticket_{i}]"));
    }
    insta::assert_snapshot!("export_cp932", redacted);
}
