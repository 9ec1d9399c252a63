//! Cancelling a goods order and refunding part of one (一部返金): the goods rule decides, the
//! card is voided or refunded at the gateway, the goods go back to stock, the points are
//! cancelled, every refund is a row of its own, and each refund of what the platform collected
//! reaches the settlement of its month once.

use crate::harness::{Api, Browser, GoodsSettings, TestApp, html, unique_email};
use serde_json::{Value, json};
use time::macros::datetime;

async fn towels(api: &Api, stock: i64) {
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": stock}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
}

/// An order of `qty` towels (3,000 yen each, shipping free unless the merchant charges) to
/// one address, paid by `method`; the whole answer.
async fn order(api: &Api, method: &str, qty: i64, email: &str) -> Value {
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": method, "card_token": "tok_visa",
                   "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email, "phone": "090-1234-5678",
                                "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"},
                   "destinations": [{"name": "山田 花子", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3",
                                     "phone": "090-1234-5678", "lines": [{"product_code": "G-TOWEL", "quantity": qty}]}]}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    o
}

async fn act(api: &Api, number: &str, action: &str, body: Value) -> (u16, Value) {
    api.post(&format!("/api/v1/orders/{number}/{action}"), body).await
}

async fn stock_left(t: &TestApp) -> i64 {
    t.scalar("SELECT s.remaining FROM stock s JOIN products p ON p.id = s.product_id WHERE p.code = 'G-TOWEL'")
        .await
}

#[tokio::test]
async fn cancelling_an_authorized_card_order_voids_it_returns_the_stock_and_tells_the_buyer() {
    let t = TestApp::spawn().await;
    // 与信モード: every channel's card orders are in the merchant's mode.
    t.card_mode("DEMO1", "card_auth").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towels(&api, 10).await;
    let email = unique_email("cancel");
    let o = order(&api, "card_auth", 3, &email).await;
    let number = o["order_number"].as_str().unwrap();
    assert_eq!(stock_left(&t).await, 7);

    let (s, c) = act(&api, number, "cancel", json!({"reason": "お客様のご都合", "notify": true})).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(
        (
            c["order_status"].as_str(),
            c["order_status_label"].as_str(),
            c["card_state"].as_str()
        ),
        (Some("cancelled"), Some("キャンセル"), Some("voided"))
    );
    assert_eq!(c["refunded_amount"], 0, "nothing was captured, nothing to give back");
    assert_eq!(stock_left(&t).await, 10, "the towels are back on sale");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM goods_refunds").await, 0);
    let mail = crate::harness::wait_for_mail(&email, 1).await;
    assert!(mail.subject.contains("ご注文をキャンセルいたしました"), "{}", mail.subject);
    assert!(mail.body.contains(number), "{}", mail.body);

    let (s, again) = act(&api, number, "cancel", json!({"reason": "二度目"})).await;
    assert_eq!((s, again["error"]["message"].as_str()), (409, Some("キャンセルされた注文です")));
    let (s, e) = act(&api, number, "ship", json!({})).await;
    assert_eq!(s, 409, "a cancelled order never ships: {e}");
}

#[tokio::test]
async fn a_cancellation_or_a_refund_needs_a_reason_and_changes_nothing_without_one() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towels(&api, 10).await;
    let o = order(&api, "card_capture", 1, &unique_email("reason")).await;
    let number = o["order_number"].as_str().unwrap();
    for (action, body) in [("cancel", json!({})), ("refund", json!({"amount": 500, "reason": "  "}))] {
        let (s, e) = act(&api, number, action, body).await;
        assert_eq!(s, 422, "{action}: {e}");
        assert_eq!(e["error"]["fields"][0]["field"], "reason", "{e}");
    }
    let (_, read) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(
        (read["order_status"].as_str(), read["refunded_amount"].as_i64()),
        (Some("normal"), Some(0))
    );
    assert_eq!(stock_left(&t).await, 9);
}

#[tokio::test]
async fn a_shipped_order_is_not_cancelled_but_refunded_in_parts_never_past_what_was_paid() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towels(&api, 10).await;
    let o = order(&api, "card_capture", 2, &unique_email("partial")).await;
    let number = o["order_number"].as_str().unwrap();
    let paid = o["amount"].as_i64().unwrap();
    let (s, _) = act(&api, number, "ship", json!({})).await;
    assert_eq!(s, 200);
    let (s, e) = act(&api, number, "cancel", json!({"reason": "返品"})).await;
    assert_eq!(s, 409);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("発送済みのお届け先があるためキャンセルできません"),
        "{e}"
    );

    let (s, r) = act(&api, number, "refund", json!({"amount": 3000, "reason": "1枚返品"})).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["refunded_amount"].as_i64(), r["card_state"].as_str()),
        (Some(3000), Some("captured"))
    );
    let left = paid - 3000;
    let (s, e) = act(&api, number, "refund", json!({"amount": left + 1, "reason": "多すぎる"})).await;
    assert_eq!(s, 409);
    assert_eq!(
        e["error"]["message"].as_str(),
        Some(
            format!(
                "返金できるのは残り{}円までです",
                kippu_domain::Yen(left).display_ja().trim_end_matches('円')
            )
            .as_str()
        )
    );
    let (s, e) = act(&api, number, "refund", json!({"reason": "金額なし"})).await;
    assert_eq!(
        (s, e["error"]["message"].as_str()),
        (409, Some("返金額は1円以上で入力してください"))
    );
    let (s, r) = act(&api, number, "refund", json!({"amount": left, "reason": "残りも返品"})).await;
    assert_eq!((s, r["refunded_amount"].as_i64()), (200, Some(paid)));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM goods_refunds WHERE kind = 'partial'").await, 2);
    assert_eq!(
        t.scalar("SELECT p.refunded_amount FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.kind = 'goods'")
            .await,
        paid,
        "the gateway's record follows"
    );
    assert_eq!(
        stock_left(&t).await,
        8,
        "a refund is money only: returned goods are counted by hand"
    );
}

#[tokio::test]
async fn an_unpaid_order_has_nothing_to_refund_and_another_merchant_cannot_touch_it() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towels(&api, 10).await;
    let o = order(&api, "bank_store", 1, &unique_email("unpaid")).await;
    let number = o["order_number"].as_str().unwrap();
    let (s, e) = act(&api, number, "refund", json!({"amount": 100, "reason": "誤入金"})).await;
    assert_eq!(s, 409);
    assert!(
        e["error"]["message"].as_str().unwrap().contains("返金できる入金がありません"),
        "{e}"
    );
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (s, _) = act(&other, number, "cancel", json!({})).await;
    assert_eq!(s, 404);
    let (s, _) = other.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(s, 404);
    let (s, c) = act(&api, number, "cancel", json!({"reason": "入金なし"})).await;
    assert_eq!(
        (s, c["order_status"].as_str(), c["refunded_amount"].as_i64()),
        (200, Some("cancelled"), Some(0))
    );
}

#[tokio::test]
async fn cancelling_takes_usable_points_off_the_balance_and_cancels_pending_ones() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(b.save_goods_settings(GoodsSettings::POINTS_BY_ADMIN).await.status, 303);
    let api = t.api(&t.token(Some("DEMO1")).await);
    towels(&api, 10).await;
    let email = unique_email("points");
    let first = order(&api, "bank_store", 1, &email).await;
    let second = order(&api, "bank_store", 1, &email).await;
    let (n1, n2) = (first["order_number"].as_str().unwrap(), second["order_number"].as_str().unwrap());
    // Points become usable only once the money is in.
    assert_eq!(act(&api, n1, "mark-paid", json!({})).await.0, 200);
    let page = b.get("/shipping/points").await;
    let id = page.attr(&format!("[data-testid=pick-point-{n1}]"), "value").unwrap();
    let done = b
        .submit("/shipping/points", "/shipping/points", &[("do", "activate"), ("id", &id)])
        .await;
    assert_eq!(done.status, 303);
    let customer = t.scalar("SELECT MAX(customer_id) FROM orders WHERE kind = 'goods'").await;
    assert_eq!(
        t.scalar("SELECT points_balance FROM customers WHERE id = (SELECT MAX(customer_id) FROM orders WHERE kind = 'goods')")
            .await,
        300
    );

    for n in [n1, n2] {
        let (s, c) = act(&api, n, "cancel", json!({"reason": "まとめてキャンセル"})).await;
        assert_eq!(s, 200, "{c}");
    }
    let ledger = b.get(&format!("/proxy/customers/{customer}/points")).await;
    assert_eq!(ledger.text("[data-testid=balance]").as_deref(), Some("0"));
    assert!(
        html::texts(&ledger.body, "[data-testid=ledger] tr")
            .iter()
            .any(|r| r.contains("注文キャンセル") && r.contains(n1)),
        "the ledger says why: {:?}",
        html::texts(&ledger.body, "[data-testid=ledger] tr")
    );
    assert_eq!(t.scalar("SELECT COUNT(*) FROM points WHERE status = 'cancelled'").await, 2);
}

#[tokio::test]
async fn a_cancelled_order_leaves_the_label_files_and_the_carrier_import_refuses_it() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towels(&api, 10).await;
    let o = order(&api, "cod", 1, &unique_email("labels")).await;
    let number = o["order_number"].as_str().unwrap();
    let (s, _) = act(&api, number, "cancel", json!({"reason": "受取拒否の連絡"})).await;
    assert_eq!(s, 200);
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (_, bytes) = b.get_bytes("/shipping/labels/b2.csv?tab=all").await;
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!text.contains(number), "no label for a cancelled order");
    let l = kippu_domain::goods::carrier::FileType::B2.layout();
    let mut cells = vec![String::new(); l.columns];
    cells[l.management - 1] = number.to_string();
    cells[l.tracking - 1] = "123456789013".into();
    let file = cells.join(",") + "\r\n";
    let (s, r) = api
        .upload(
            "/api/v1/shipments/import",
            &[("format", "b2"), ("apply", "none")],
            file.into_bytes(),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["ng_lines"][0]["ok"], false, "{r}");
    assert!(r["ng_lines"][0]["reason"].as_str().unwrap().contains("キャンセル"), "{r}");
}

/// The order page offers 一部返金 with what is left and キャンセル only while nothing shipped;
/// the refunds are listed with who made them and why.
#[tokio::test]
async fn the_order_page_refunds_and_lists_every_refund() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towels(&api, 10).await;
    let o = order(&api, "card_capture", 2, &unique_email("page")).await;
    let number = o["order_number"].as_str().unwrap();
    let b: Browser = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let path = format!("/shipping/orders/{number}");
    let page = b.get(&path).await;
    assert!(
        page.attr("[data-testid=do-cancel]", "type").is_some(),
        "キャンセル while nothing shipped"
    );
    let bad = b
        .submit(&path, &format!("{path}/do/refund"), &[("amount", "千円"), ("reason", "一部返品")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text("[data-testid=error]").unwrap().contains("金額は数字で入力してください"));
    let done = b
        .submit(
            &path,
            &format!("{path}/do/refund"),
            &[("amount", "１，５００"), ("reason", "一部返品")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = b.get(&path).await;
    let rows = html::texts(&page.body, "[data-testid=refunds] tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("一部返金") && rows[0].contains("1,500円") && rows[0].contains("一部返品"),
        "{rows:?}"
    );
    assert_eq!(page.text("[data-testid=refunded]").as_deref(), Some("1,500円"));
}

/// The settlement lines of order `number`: (kind, amount), by kind then amount.
async fn settlement_lines(t: &TestApp, number: &str) -> Vec<(String, i64)> {
    let mut c = t.conn().await;
    sqlx::query_as(
        "SELECT sl.line_kind, sl.amount FROM settlement_lines sl JOIN orders o ON o.id = sl.order_id \
         WHERE o.order_number = $1 ORDER BY sl.line_kind, sl.amount",
    )
    .bind(number)
    .fetch_all(&mut *c)
    .await
    .unwrap()
}

/// Each refund of what the platform collected (card, konbini) comes off the settlement of the
/// month it was made in, once; a merchant that collected the money itself refunds it itself.
#[tokio::test]
async fn each_refund_of_a_platform_collected_sale_reaches_its_months_settlement_once() {
    let t = TestApp::spawn().await;
    t.clock.set(datetime!(2026-12-01 10:00 +09:00));
    let api = t.api(&t.token(Some("DEMO1")).await);
    towels(&api, 20).await;
    let card = order(&api, "card_capture", 2, &unique_email("settle")).await;
    let bank = order(&api, "bank_store", 1, &unique_email("settle")).await;
    let (card_no, bank_no) = (card["order_number"].as_str().unwrap(), bank["order_number"].as_str().unwrap());
    let (s, _) = act(&api, bank_no, "mark-paid", json!({})).await;
    assert_eq!(s, 200);
    for amount in [1000, 500] {
        let (s, r) = act(&api, card_no, "refund", json!({"amount": amount, "reason": "一部返品"})).await;
        assert_eq!(s, 200, "{r}");
    }
    let (s, _) = act(&api, bank_no, "refund", json!({"amount": 300, "reason": "値引き"})).await;
    assert_eq!(s, 200);

    t.clock.set(datetime!(2027-01-01 00:00:01 +09:00));
    kippu_app::jobs::run_due(&t.app).await.unwrap();
    let paid = card["amount"].as_i64().unwrap();
    assert_eq!(
        settlement_lines(&t, card_no).await,
        vec![("goods_sale".into(), paid), ("refund".into(), 500), ("refund".into(), 1000)]
    );
    let bank_paid = bank["amount"].as_i64().unwrap();
    assert_eq!(
        settlement_lines(&t, bank_no).await,
        vec![("collected_by_merchant".into(), bank_paid), ("goods_sale".into(), bank_paid)],
        "no refund line: the merchant gave it back itself"
    );
    // A refund in January reaches January's settlement, not December's again.
    let (s, _) = act(&api, card_no, "refund", json!({"amount": 200, "reason": "送料の一部"})).await;
    assert_eq!(s, 200);
    t.clock.set(datetime!(2027-02-01 00:00:01 +09:00));
    kippu_app::jobs::run_due(&t.app).await.unwrap();
    assert_eq!(
        settlement_lines(&t, card_no).await,
        vec![
            ("goods_sale".into(), paid),
            ("refund".into(), 200),
            ("refund".into(), 500),
            ("refund".into(), 1000)
        ]
    );
    assert_eq!(
        t.scalar("SELECT COUNT(DISTINCT settlement_id) FROM settlement_lines WHERE goods_refund_id IS NOT NULL")
            .await,
        2,
        "December's two refunds and January's one, each in its month"
    );
}
