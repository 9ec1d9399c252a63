//! Every action ends with a message on the next page saying what changed, with the undo where
//! the flow allows one; a refusal says why and changes nothing; a message shows once.

use crate::harness::{Browser, TestApp, unique_email};
use serde_json::json;

async fn bank_order(t: &TestApp) -> String {
    let body = json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "bank_store",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("flash"), "phone": "090-1234-5678"}});
    let (s, o) = t.api(&t.token(Some("DEMO1")).await).post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

async fn merchant(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b
}

#[tokio::test]
async fn marking_paid_says_what_changed_and_offers_the_revert() {
    let t = TestApp::spawn().await;
    let n = bank_order(&t).await;
    let b = merchant(&t).await;
    let done = b
        .submit(&format!("/orders/{n}/do/mark-paid"), &format!("/orders/{n}/do/mark-paid"), &[])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = b.get(&format!("/orders/{n}")).await;
    assert_eq!(
        page.text("[data-testid=flash-message]"),
        Some(format!("{n}: 未入金 → 送信待ち（入金済みに変更）"))
    );
    assert_eq!(
        page.attr("[data-testid=flash-undo]", "href"),
        Some(format!("/orders/{n}/do/revert-payment"))
    );
    let again = b.get(&format!("/orders/{n}")).await;
    assert_eq!(again.text("[data-testid=flash-message]"), None, "a message shows once");
}

#[tokio::test]
async fn a_bulk_button_with_nothing_selected_says_so() {
    let t = TestApp::spawn().await;
    bank_order(&t).await;
    let b = merchant(&t).await;
    let r = b
        .submit("/orders", "/orders/bulk", &[("bulk", "mark-paid"), ("back", "/orders")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/orders"));
    let list = b.get("/orders").await;
    assert!(list.attr("[data-testid=flash]", "class").unwrap().contains("error"));
    assert!(!list.text("[data-testid=flash-message]").unwrap().is_empty(), "{}", list.body);
}

#[tokio::test]
async fn a_refused_message_stays_on_the_order_page_with_the_menu_the_draft_and_the_reason() {
    let t = TestApp::spawn().await;
    let n = bank_order(&t).await;
    let b = merchant(&t).await;
    let long = "あ".repeat(2001);
    let r = b
        .submit(&format!("/orders/{n}"), &format!("/orders/{n}/messages"), &[("body", &long)])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text("[data-testid=err-body]").is_some(), "{}", r.body);
    assert!(r.attr("nav.main-nav", "aria-label").is_some(), "the menu is kept");
    assert!(r.text("[data-testid=page-title]").unwrap().starts_with("受注詳細"));
    assert_eq!(r.text("[data-testid=message-body]"), Some(long), "the draft is kept");
}

#[tokio::test]
async fn an_unknown_address_gets_a_404_inside_the_shell_that_names_it_and_links_back() {
    let t = TestApp::spawn().await;
    let b = merchant(&t).await;
    let r = b.get("/orders/T99999999999999").await;
    assert_eq!(r.status, 404);
    assert!(r.text("[data-testid=not-found-what]").unwrap().contains("/orders/T99999999999999"));
    assert_eq!(r.attr("[data-testid=error-back]", "href").as_deref(), Some("/orders"));
    assert!(r.attr("nav.main-nav", "aria-label").is_some(), "the menu is kept");
    let nowhere = b.get("/no/such/page").await;
    assert_eq!(nowhere.status, 404);
    assert!(nowhere.text("[data-testid=not-found-what]").unwrap().contains("/no/such/page"));
}

#[tokio::test]
async fn the_audit_log_tells_each_action_as_a_sentence_with_before_and_after_in_words() {
    let t = TestApp::spawn().await;
    let n = bank_order(&t).await;
    let b = merchant(&t).await;
    b.submit(&format!("/orders/{n}/do/mark-paid"), &format!("/orders/{n}/do/mark-paid"), &[])
        .await;
    let log = b.get("/settings/audit").await;
    let sentences = crate::harness::html::texts(&log.body, "[data-testid=audit-sentence]");
    let expected = format!("demo1-admin が 受注 {n} に「入金済みに変更」を行いました");
    assert!(sentences.contains(&expected), "{sentences:?}");
    assert!(log.body.contains("ステータス: 未入金 → 送信待ち"), "{}", log.body);
    assert!(
        !log.body.contains("mark_paid") && !log.body.contains("{\"status"),
        "no raw codes or JSON"
    );
}

/// The flash the next page of `b` shows.
async fn flash_on(b: &Browser, path: &str) -> String {
    b.get(path).await.text("[data-testid=flash-message]").unwrap_or_default()
}

#[tokio::test]
async fn product_channel_stock_and_mail_actions_each_say_what_they_did() {
    let t = TestApp::spawn().await;
    let b = merchant(&t).await;
    b.submit(
        "/reservations/products",
        "/reservations/products/WT-BASIC/archive",
        &[("archived", "1")],
    )
    .await;
    assert_eq!(
        flash_on(&b, "/reservations/products").await,
        "WT-BASIC: アーカイブしました（販売を止めました）。"
    );
    b.submit(
        "/reservations/products",
        "/reservations/products/WT-BASIC/archive",
        &[("archived", "0")],
    )
    .await;
    assert_eq!(flash_on(&b, "/reservations/products").await, "WT-BASIC: アーカイブから戻しました。");
    b.submit(
        "/reservations/products",
        "/reservations/products/WT-BASIC/listing",
        &[("channel", "OTA1"), ("listed", "0")],
    )
    .await;
    assert_eq!(
        flash_on(&b, "/reservations/products").await,
        "WT-BASIC / OTA1: 掲載を停止しました。"
    );
    b.submit(
        "/reservations/products/WT-BASIC",
        "/reservations/products/WT-BASIC/stock",
        &[("remaining", "12")],
    )
    .await;
    assert_eq!(
        flash_on(&b, "/reservations/products/WT-BASIC").await,
        "WT-BASIC: 在庫数を変更しました: 12"
    );
    b.submit(
        "/reservations/channels",
        "/reservations/channels",
        &[("code", "jln"), ("name", "じゃらん")],
    )
    .await;
    assert_eq!(flash_on(&b, "/reservations/channels").await, "JLN: 販売チャネルを追加しました。");
}
