//! Payment a buyer can complete (issue 22): the simulated payment company's コンビニ受付番号 and a
//! bank transfer's 振込先口座, each with its deadline, in the API answer, the サンクスメール and
//! the buyer's pages; one reminder before a transfer's deadline; the daily job cancels what is
//! still unpaid past it (stock back, history, the buyer told) and leaves paid orders alone.

use crate::harness::{Api, TestApp, html, unique_email};
use serde_json::{Value, json};
use time::Duration;

fn goods_order(method: &str, email: &str) -> Value {
    json!({"payment_method": method, "product_code": "GOODS-TOWEL", "quantity": 1, "card_token": "tok_visa",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email, "phone": "090-1234-5678",
                        "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}})
}

fn ticket_order(method: &str, email: &str) -> Value {
    json!({"product_code": "WT-BASIC", "quantity": 2, "payment_method": method,
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": email, "phone": "090-1234-5678"}})
}

async fn place(api: &Api, body: Value) -> Value {
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    o
}

/// The store's own account, which 銀行振込・店舗口座 is paid into.
async fn give_bank_account(t: &TestApp, merchant: &str) {
    let mut c = t.conn().await;
    let m = kippu_store::merchants::find_by_code(&mut c, merchant).await.unwrap().unwrap();
    let account = kippu_domain::merchant::BankAccount {
        bank_name: "さくら銀行".into(),
        branch_name: "浅草支店".into(),
        kind: kippu_domain::merchant::AccountKind::Ordinary,
        number: "7654321".into(),
        holder: "デモイチ（カ".into(),
    };
    kippu_store::merchants::update_bank(&mut c, m.id, &account).await.unwrap();
}

/// The emails queued about an order: (template, to, body), oldest first.
async fn mails(t: &TestApp, number: &str) -> Vec<(String, String, String)> {
    let mut c = t.conn().await;
    sqlx::query_as(
        "SELECT x.template_key, x.to_addr, x.body FROM outbox x JOIN orders o ON o.id = x.order_id WHERE o.order_number = $1 ORDER BY x.id",
    )
    .bind(number)
    .fetch_all(&mut *c)
    .await
    .unwrap()
}

async fn body_of(t: &TestApp, number: &str, template: &str) -> String {
    let found: Vec<String> = mails(t, number)
        .await
        .into_iter()
        .filter(|(k, _, _)| k == template)
        .map(|(_, _, b)| b)
        .collect();
    assert_eq!(found.len(), 1, "one {template} for {number}");
    found[0].clone()
}

async fn remaining(t: &TestApp, product: &str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar(
        "SELECT s.remaining FROM stock s JOIN products p ON p.id = s.product_id JOIN merchants m ON m.id = p.merchant_id \
         WHERE m.code = 'DEMO1' AND p.code = $1 AND s.stock_date = ''",
    )
    .bind(product)
    .fetch_one(&mut *c)
    .await
    .unwrap()
}

async fn access_token(t: &TestApp, number: &str) -> String {
    let mut c = t.conn().await;
    sqlx::query_scalar("SELECT access_token FROM orders WHERE order_number = $1")
        .bind(number)
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

async fn run_job(t: &TestApp) -> kippu_app::payment_due::DueReport {
    kippu_app::payment_due::run(&t.app).await.unwrap()
}

#[tokio::test]
async fn a_konbini_order_answers_its_number_chains_and_deadline_in_the_api_and_the_thanks_mail() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let o = place(&api, goods_order("konbini", &unique_email("konbini"))).await;
    let number = o["order_number"].as_str().unwrap();
    let i = &o["payment_instructions"];
    assert_eq!(i["method"], "konbini");
    // Ordered 2026-11-24 10:00 in Japan; the payment company gives three days by default.
    assert_eq!(i["due_at"], "2026-11-27T23:59:59+09:00");
    let slip = i["number"].as_str().unwrap();
    assert!(
        kippu_domain::payment_due::KonbiniNumber::parse(slip).is_some(),
        "12 digits with a check digit: {slip}"
    );
    assert_eq!(i["chains"][0], "セブン-イレブン");
    assert!(i.get("account").is_none(), "{i}");
    let (_, read) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(read["payment_instructions"], o["payment_instructions"], "the same on every read");

    let body = body_of(&t, number, "goods_thanks").await;
    let grouped = kippu_domain::payment_due::KonbiniNumber::parse(slip).unwrap().grouped();
    assert!(body.contains(&format!("受付番号: {grouped}")), "{body}");
    insta::assert_snapshot!(
        "konbini_thanks_mail",
        body.replace(&grouped, "XXXX-XXXX-XXXX")
            .replace(number, "T…")
            .replace(&access_token(&t, number).await, "TOKEN")
            .replace(&t.base, "BASE")
    );

    // A card order has none.
    let card = place(&api, goods_order("card_capture", &unique_email("card"))).await;
    assert!(card.get("payment_instructions").is_none(), "{card}");
}

#[tokio::test]
async fn a_bank_transfer_shows_the_store_or_platform_account_and_its_deadline() {
    let t = TestApp::spawn().await;
    give_bank_account(&t, "DEMO1").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let goods = place(&api, goods_order("bank_store", &unique_email("goods-bank"))).await;
    let i = &goods["payment_instructions"];
    assert_eq!(
        (i["method"].as_str(), i["due_at"].as_str()),
        (Some("bank_store"), Some("2026-12-01T23:59:59+09:00"))
    );
    assert_eq!(
        i["account"],
        json!({"bank": "さくら銀行", "branch": "浅草支店", "type": "ordinary", "number": "7654321", "holder": "デモイチ（カ"})
    );

    let to_platform = place(&api, ticket_order("bank_platform", &unique_email("wt-bank"))).await;
    let i = &to_platform["payment_instructions"];
    assert_eq!(
        (i["method"].as_str(), i["account"]["bank"].as_str()),
        (Some("bank_platform"), Some("きっぷ銀行"))
    );
    let number = to_platform["order_number"].as_str().unwrap();
    let body = body_of(&t, number, "order_confirmation").await;
    insta::assert_snapshot!(
        "bank_transfer_order_confirmation",
        body.replace(number, "T…")
            .replace(&access_token(&t, number).await, "TOKEN")
            .replace(&t.base, "BASE")
    );
    let to_store = place(&api, ticket_order("bank_store", &unique_email("wt-store"))).await;
    assert_eq!(to_store["payment_instructions"]["account"]["bank"], "さくら銀行");
}

#[tokio::test]
async fn the_thanks_page_and_the_buyers_pages_show_how_to_pay() {
    let t = TestApp::spawn().await;
    give_bank_account(&t, "DEMO1").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let konbini = place(&api, goods_order("konbini", &unique_email("page-konbini"))).await;
    let number = konbini["order_number"].as_str().unwrap();
    let slip = kippu_domain::payment_due::KonbiniNumber::parse(konbini["payment_instructions"]["number"].as_str().unwrap()).unwrap();
    let buyer = t.browser();
    let page = buyer.get(&format!("/my/orders/{}?placed=1", access_token(&t, number).await)).await;
    assert_eq!(page.status, 200);
    let shown = html::texts(&page.body, "[data-testid=payment-instructions] dd");
    assert_eq!(
        shown,
        [
            "セブン-イレブン、ローソン、ファミリーマート、ミニストップ".to_string(),
            slip.grouped(),
            "2026/11/27(金) 23:59".to_string()
        ]
    );
    let dts = html::texts(&page.body, "[data-testid=payment-instructions] dt");
    assert_eq!(dts, ["お支払い先", "受付番号", "支払期限"]);

    let bank = place(&api, ticket_order("bank_store", &unique_email("page-bank"))).await;
    let number = bank["order_number"].as_str().unwrap();
    let page = buyer.get(&format!("/my/tickets/{}?placed=1", access_token(&t, number).await)).await;
    let dts = html::texts(&page.body, "[data-testid=payment-instructions] dt");
    assert_eq!(dts, ["振込先口座", "振込期限"]);
    let shown = html::texts(&page.body, "[data-testid=payment-instructions] dd");
    assert_eq!(shown[0], "さくら銀行 浅草支店 普通 7654321 デモイチ（カ");

    // Once paid, the instructions are gone from the buyer's page.
    let (s, _) = api.post_empty(&format!("/api/v1/orders/{number}/confirm-payment")).await;
    assert_eq!(s, 200);
    let page = buyer.get(&format!("/my/tickets/{}", access_token(&t, number).await)).await;
    assert!(html::texts(&page.body, "[data-testid=payment-instructions]").is_empty());
}

#[tokio::test]
async fn the_daily_job_cancels_an_unpaid_konbini_order_past_its_deadline_and_leaves_a_paid_one() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let before = remaining(&t, "GOODS-TOWEL").await;
    let buyer = unique_email("late");
    let unpaid = place(&api, goods_order("konbini", &buyer)).await;
    let paid = place(&api, goods_order("konbini", &unique_email("on-time"))).await;
    let (unpaid, paid) = (unpaid["order_number"].as_str().unwrap(), paid["order_number"].as_str().unwrap());
    assert_eq!(remaining(&t, "GOODS-TOWEL").await, before - 2);
    let platform = t.api(&t.token(None).await);
    let (s, out) = platform
        .post("/api/v1/payment-notices/konbini", json!({"order_number": paid}))
        .await;
    assert_eq!((s, out["payment_status"].as_str()), (200, Some("paid")), "{out}");

    // On the last day nothing happens; the day after, the unpaid order is cancelled.
    t.clock.advance(Duration::days(3));
    assert_eq!(run_job(&t).await.cancelled, 0);
    t.clock.advance(Duration::days(1));
    let report = run_job(&t).await;
    assert_eq!((report.cancelled, report.left_alone), (1, 1));
    let (_, o) = api.get(&format!("/api/v1/orders/{unpaid}")).await;
    assert_eq!(o["order_status"], "cancelled");
    let (_, p) = api.get(&format!("/api/v1/orders/{paid}")).await;
    assert_eq!(
        (p["order_status"].as_str(), p["payment_status"].as_str()),
        (Some("normal"), Some("paid"))
    );
    assert_eq!(remaining(&t, "GOODS-TOWEL").await, before - 1, "the unpaid order's towel is back");
    let told: Vec<(String, String, String)> = mails(&t, unpaid).await;
    let cancelled: Vec<&(String, String, String)> = told.iter().filter(|(k, _, _)| k == "goods_unpaid_cancelled").collect();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].1, buyer);
    assert!(
        cancelled[0].2.contains("お支払い期限までにご入金が確認できなかったため"),
        "{}",
        cancelled[0].2
    );
    let mut c = t.conn().await;
    let notes: Vec<String> = sqlx::query_scalar(
        "SELECT h.note FROM status_history h JOIN orders o ON o.id = h.order_id WHERE o.order_number = $1 ORDER BY h.id",
    )
    .bind(unpaid)
    .fetch_all(&mut *c)
    .await
    .unwrap();
    drop(c);
    assert_eq!(notes.last().map(String::as_str), Some("支払期限切れによるキャンセル"), "{notes:?}");

    // Again: nothing more.
    assert_eq!(run_job(&t).await, kippu_app::payment_due::DueReport::default());
    assert_eq!(mails(&t, unpaid).await.len(), told.len());
}

#[tokio::test]
async fn a_bank_transfer_is_reminded_once_then_cancelled_with_its_tickets_stock() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let before = remaining(&t, "WT-BASIC").await;
    let o = place(&api, ticket_order("bank_store", &unique_email("remind"))).await;
    let number = o["order_number"].as_str().unwrap();
    let reminders = |m: Vec<(String, String, String)>| m.into_iter().filter(|(k, _, _)| k == "payment_reminder").count();

    // 振込期限 2026-12-01; the reminder goes from 2026-11-29 00:00 (two days before).
    t.clock.advance(Duration::days(4));
    assert_eq!(run_job(&t).await.reminded, 0);
    t.clock.advance(Duration::days(1));
    assert_eq!(run_job(&t).await.reminded, 1);
    assert_eq!(run_job(&t).await.reminded, 0, "once");
    assert_eq!(reminders(mails(&t, number).await), 1);
    let body = body_of(&t, number, "payment_reminder").await;
    assert!(body.contains("振込期限: 2026/12/01(火) 23:59"), "{body}");

    t.clock.advance(Duration::days(3));
    assert_eq!(run_job(&t).await.cancelled, 1);
    let (_, after) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(after["status"], "cancelled");
    assert_eq!(remaining(&t, "WT-BASIC").await, before);
    assert_eq!(
        mails(&t, number).await.iter().filter(|(k, _, _)| k == "order_cancelled").count(),
        1,
        "the buyer is told"
    );
}

#[tokio::test]
async fn a_merchant_may_keep_unpaid_orders_and_set_the_days_in_its_payment_settings() {
    let t = TestApp::spawn().await;
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let settings = admin.get("/settings/payment").await;
    assert_eq!(settings.attr("[data-testid=bank-due-days]", "value").as_deref(), Some("7"));
    let fields = |due: &'static str, remind: &'static str, cancel: bool| {
        let mut f = vec![
            ("offers", "1"),
            ("due", "1"),
            ("offer_card", "on"),
            ("offer_bank", "on"),
            ("offer_venue", "on"),
            ("offer_cod", "on"),
            ("offer_konbini", "on"),
            ("offer_store_pay", "on"),
            ("card_mode", "card_capture"),
            ("bank_account", "bank_store"),
            ("bank_due_days", due),
            ("bank_reminder_days", remind),
            ("konbini_due_days", "5"),
        ];
        if cancel {
            f.push(("cancel_unpaid", "on"));
        }
        f
    };
    let refused = admin
        .submit("/settings/payment", "/settings/payment", &fields("3", "3", true))
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("リマインドは振込期限の日数より前の日にしてください"),
        "{}",
        refused.body
    );
    let saved = admin
        .submit("/settings/payment", "/settings/payment", &fields("10", "0", false))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);

    let api = t.api(&t.token(Some("DEMO1")).await);
    let o = place(&api, ticket_order("bank_store", &unique_email("kept"))).await;
    assert_eq!(o["payment_instructions"]["due_at"], "2026-12-04T23:59:59+09:00");
    let k = place(&api, goods_order("konbini", &unique_email("kept-konbini"))).await;
    assert_eq!(k["payment_instructions"]["due_at"], "2026-11-29T23:59:59+09:00");
    t.clock.advance(Duration::days(20));
    let report = run_job(&t).await;
    assert_eq!((report.reminded, report.cancelled, report.left_alone), (0, 0, 2));
    let (_, after) = api.get(&format!("/api/v1/orders/{}", o["order_number"].as_str().unwrap())).await;
    assert_eq!(after["status"], "unpaid", "kept: the merchant follows it up by hand");
}
