//! 受注詳細 as the packer and the person on the phone read it (issue 22): both phones, お届け希望日
//! and 配達時間帯, 単価 × 数量, 消費税 by rate, 送料 and 代引手数料, 付与ポイント with its status and
//! 「ポイントステータスの変更」, the history in words, 一部発送, 未発送に戻す; and 受注一覧（物販）
//! searched by phone, email and the last digits of the number.

use crate::harness::{Api, Browser, GoodsSettings, TestApp, html, unique_email};
use serde_json::{Value, json};

async fn products(api: &Api) {
    for (code, name, price, rate) in [("G-TOWEL", "今治タオル", 3000, 10), ("G-TEA", "静岡茶", 1080, 8)] {
        let (s, p) = api
            .post(
                "/api/v1/products",
                json!({"code": code, "name": name, "kind": "goods", "price": price, "stock": 50, "tax_rate": rate}),
            )
            .await;
        assert_eq!(s, 201, "{p}");
    }
}

/// An order of two towels and a tea to the orderer (morning, on a requested day) and a towel to
/// a second destination with no wishes.
fn two_destinations(method: &str, email: &str) -> Value {
    json!({"payment_method": method, "card_token": "tok_visa",
    "customer": {"name": "髙橋 美咲", "kana": "タカハシ ミサキ", "email": email, "phone": "090-1234-5678",
                 "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"},
    "destinations": [
        {"name": "髙橋 美咲", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "phone": "090-1234-5678",
         "lines": [{"product_code": "G-TOWEL", "quantity": 2}, {"product_code": "G-TEA", "quantity": 1}],
         "requested_date": "2026-12-01", "time_band": "morning"},
        {"name": "髙橋 太郎", "postal_code": "060-0001", "address": "北海道札幌市中央区北1条西2-1", "phone": "011-123-4567",
         "lines": [{"product_code": "G-TOWEL", "quantity": 1}]}
    ]})
}

struct World {
    t: TestApp,
    b: Browser,
}

impl World {
    async fn new() -> World {
        let t = TestApp::spawn().await;
        let b = t.browser();
        b.login("demo1-admin", "Demo1Admin").await;
        assert_eq!(b.save_goods_settings(GoodsSettings::POINTS_BY_ADMIN).await.status, 303);
        products(&t.api(&t.token(Some("DEMO1")).await)).await;
        World { t, b }
    }

    async fn order(&self, method: &str, email: &str) -> String {
        let api = self.t.api(&self.t.token(Some("DEMO1")).await);
        let (s, o) = api.post("/api/v1/orders", two_destinations(method, email)).await;
        assert_eq!(s, 201, "{o}");
        o["order_number"].as_str().unwrap().to_string()
    }

    async fn ship(&self, n: &str, destination: &str) {
        let path = format!("/shipping/orders/{n}");
        let r = self
            .b
            .submit(
                &path,
                &format!("{path}/do/ship"),
                &[("destination", destination), ("date", "2026-11-24")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
}

#[tokio::test]
async fn the_order_page_shows_every_phone_and_the_requested_date_and_time_band() {
    let w = World::new().await;
    let n = w.order("bank_store", &unique_email("op")).await;
    let page = w.b.get(&format!("/shipping/orders/{n}")).await;
    assert_eq!(page.text("[data-testid=customer-phone]").as_deref(), Some("090-1234-5678"));
    assert_eq!(page.text("[data-testid=destination-phone-1]").as_deref(), Some("090-1234-5678"));
    assert_eq!(page.text("[data-testid=destination-phone-2]").as_deref(), Some("011-123-4567"));
    assert_eq!(page.text("[data-testid=requested-date-1]").as_deref(), Some("2026/12/01(火)"));
    assert_eq!(page.text("[data-testid=time-band-1]").as_deref(), Some("午前中"));
    assert_eq!(page.text("[data-testid=requested-date-2]").as_deref(), Some("指定なし"));
    assert_eq!(page.text("[data-testid=time-band-2]").as_deref(), Some("指定なし"));
}

#[tokio::test]
async fn the_order_page_shows_unit_price_times_quantity_tax_by_rate_shipping_and_the_cod_fee() {
    let w = World::new().await;
    let n = w.order("cod", &unique_email("op")).await;
    let page = w.b.get(&format!("/shipping/orders/{n}")).await;
    let items = |k: u8, field: &str| html::texts(&page.body, &format!("[data-testid=items-{k}] [data-testid={field}]"));
    assert_eq!(items(1, "unit-price"), ["3,000円", "1,080円"]);
    assert_eq!(items(1, "quantity"), ["× 2", "× 1"]);
    assert_eq!(items(1, "line-amount"), ["6,000円", "1,080円"]);
    assert_eq!(items(2, "line-amount"), ["3,000円"]);
    assert_eq!(page.text("[data-testid=goods-total]").as_deref(), Some("10,080円"));
    // Tax included, as the storefront's confirmation has it: the towels and the 440-yen COD fee
    // (10,520 collected: the 〜30,000円 row) at 10 % (9,440 × 10/110 = 858.18…), the tea at 8 %
    // (1,080 × 8/108 = 80), each rounded down.
    assert_eq!(page.text("[data-testid=tax-amount-10]").as_deref(), Some("858円"));
    assert_eq!(page.text("[data-testid=tax-amount-8]").as_deref(), Some("80円"));
    assert!(page.text("[data-testid=tax-10]").unwrap().contains("9,440円"));
    assert_eq!(
        page.text("[data-testid=shipping-fee]").as_deref(),
        Some("0円"),
        "free shipping as set"
    );
    assert_eq!(page.text("[data-testid=handling-fee]").as_deref(), Some("440円"));
    assert_eq!(page.text("[data-testid=order-total]").as_deref(), Some("10,520円"));
}

#[tokio::test]
async fn the_order_page_shows_the_points_with_their_status_and_changes_it_there() {
    let w = World::new().await;
    let n = w.order("bank_store", &unique_email("op")).await;
    let path = format!("/shipping/orders/{n}");
    // Points become usable only once the money is in.
    let api = w.t.api(&w.t.token(Some("DEMO1")).await);
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{n}/mark-paid")).await.0, 200);
    let page = w.b.get(&path).await;
    assert_eq!(
        page.text("[data-testid=points-granted]").as_deref(),
        Some("1008pt"),
        "10 % of 10,080 yen"
    );
    assert_eq!(page.text("[data-testid=points-status]").as_deref(), Some("有効待ち"));
    assert_eq!(page.text("[data-testid=points-do] option").as_deref(), Some("有効にする"));
    let id = page.attr("[data-testid=points-change] input[name=id]", "value").unwrap();
    let done =
        w.b.submit(
            &path,
            "/shipping/points",
            &[("id", id.as_str()), ("do", "activate"), ("order", n.as_str())],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some(path.as_str()), "back to the order");
    let page = w.b.get(&path).await;
    assert_eq!(
        page.text("[data-testid=flash-message]"),
        Some(format!("{n}: 付与ポイント 有効待ち → 有効"))
    );
    assert_eq!(page.text("[data-testid=flash-undo]").as_deref(), Some("有効取消"));
    assert_eq!(page.text("[data-testid=points-status]").as_deref(), Some("有効"));
    assert_eq!(page.text("[data-testid=points-do] option").as_deref(), Some("有効取消"));
}

#[tokio::test]
async fn the_history_says_who_changed_what_and_when_in_words() {
    let w = World::new().await;
    let n = w.order("bank_store", &unique_email("op")).await;
    let path = format!("/shipping/orders/{n}");
    w.b.submit(&path, &format!("{path}/do/mark-paid"), &[("date", "2026-11-24")]).await;
    w.ship(&n, "1").await;
    let page = w.b.get(&path).await;
    let what = html::texts(&page.body, "[data-testid=history-what]");
    let change = html::texts(&page.body, "[data-testid=history-change]");
    let rows = html::texts(&page.body, "[data-testid=history-row]");
    assert_eq!(what[what.len() - 2..], ["入金済みにする", "発送済みにする"]);
    assert_eq!(change[change.len() - 2..], ["未入金 → 入金済", "未発送 → 一部発送"]);
    assert!(rows.last().unwrap().contains("demo1-admin"), "{rows:?}");
    assert!(rows.last().unwrap().contains("2026/11/"), "when: {rows:?}");
    assert!(!page.body.contains("partly_shipped"), "no codes");
}

#[tokio::test]
async fn a_partly_shipped_order_reads_partly_shipped_on_its_page_and_in_the_list() {
    let w = World::new().await;
    let n = w.order("bank_store", &unique_email("op")).await;
    w.ship(&n, "2").await;
    let page = w.b.get(&format!("/shipping/orders/{n}")).await;
    assert_eq!(page.text("[data-testid=shipping-status]").as_deref(), Some("一部発送"));
    assert_eq!(page.text("[data-testid=destination-status-1]").as_deref(), Some("未発送"));
    assert_eq!(page.text("[data-testid=destination-status-2]").as_deref(), Some("発送済み"));
    let list = w.b.get("/shipping/orders").await;
    assert_eq!(list.text(&format!("[data-testid=shipping-{n}]")).as_deref(), Some("一部発送"));
}

#[tokio::test]
async fn a_shipment_says_what_changed_and_offers_unshipped_again_which_is_audited() {
    let w = World::new().await;
    let n = w.order("bank_store", &unique_email("op")).await;
    let path = format!("/shipping/orders/{n}");
    w.ship(&n, "1").await;
    let page = w.b.get(&path).await;
    assert_eq!(
        page.text("[data-testid=flash-message]"),
        Some(format!("{n}: 発送状況 未発送 → 一部発送、お届け先1 未発送 → 発送済み"))
    );
    assert_eq!(page.text("[data-testid=flash-undo]").as_deref(), Some("未発送に戻す"));
    assert_eq!(page.attr("[data-testid=flash-undo]", "href"), Some(format!("{path}#destination-1")));
    assert!(page.attr("[data-testid=do-unship-1]", "type").is_some(), "the undo's form is there");
    assert!(page.attr("[data-testid=do-unship-2]", "type").is_none(), "not for an unshipped one");

    let undone = w.b.submit(&path, &format!("{path}/do/unship"), &[("destination", "1")]).await;
    assert_eq!(undone.status, 303, "{}", undone.body);
    let page = w.b.get(&path).await;
    assert_eq!(
        page.text("[data-testid=flash-message]"),
        Some(format!("{n}: 発送状況 一部発送 → 未発送、お届け先1 発送済み → 未発送"))
    );
    assert_eq!(page.text("[data-testid=flash-undo]").as_deref(), Some("発送済みにする"));
    assert_eq!(page.text("[data-testid=shipping-status]").as_deref(), Some("未発送"));
    assert_eq!(page.text("[data-testid=destination-status-1]").as_deref(), Some("未発送"));
    assert_eq!(
        html::texts(&page.body, "[data-testid=history-what]").last().map(String::as_str),
        Some("未発送に戻す")
    );
    let log = w.b.get("/settings/audit").await;
    let sentences = html::texts(&log.body, "[data-testid=audit-sentence]");
    let expected = format!("demo1-admin が 受注 {n} に「未発送に戻す」を行いました");
    assert!(sentences.contains(&expected), "{sentences:?}");
    assert!(log.body.contains("発送状況: 一部発送 → 未発送"), "in words");
    // Undone twice is refused with the reason, nothing changed.
    let again = w.b.submit(&path, &format!("{path}/do/unship"), &[("destination", "1")]).await;
    assert_eq!(again.status, 409);
    assert!(again.text("[data-testid=error]").unwrap().contains("お届け先1は未発送です"));
}

#[tokio::test]
async fn a_bad_tracking_number_is_shown_beside_its_field_in_the_open_form_with_what_was_typed() {
    let w = World::new().await;
    let n = w.order("bank_store", &unique_email("op")).await;
    let path = format!("/shipping/orders/{n}");
    let bad =
        w.b.submit(
            &path,
            &format!("{path}/destinations/2"),
            &[
                ("tracking_number", "1234-5678-9012"),
                ("carrier", "sagawa"),
                ("delivery_date", "2026-11-27"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text("[data-testid=error]").is_none(), "no banner");
    let form = "[data-testid=destination-2]";
    assert!(
        bad.text(&format!("{form} [data-testid=err-tracking_number]"))
            .unwrap()
            .contains("チェックデジット"),
        "beside the field of destination 2"
    );
    assert!(
        bad.attr("[data-testid=edit-destination-2]", "open").is_some(),
        "the form stays open"
    );
    assert!(bad.attr("[data-testid=edit-destination-1]", "open").is_none());
    assert_eq!(
        bad.attr("[data-testid=tracking-input-2]", "value").as_deref(),
        Some("1234-5678-9012")
    );
    assert_eq!(bad.attr("[data-testid=tracking-input-2]", "aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        bad.attr(&format!("{form} select[name=carrier] option[selected]"), "value")
            .as_deref(),
        Some("sagawa")
    );
    assert_eq!(
        bad.attr(&format!("{form} input[name=delivery_date]"), "value").as_deref(),
        Some("2026-11-27")
    );
}

#[tokio::test]
async fn the_list_finds_an_order_by_phone_email_or_the_last_digits_of_its_number() {
    let w = World::new().await;
    let email = unique_email("findme");
    let n = w.order("bank_store", &email).await;
    // Another order of another orderer, with another phone.
    let api = w.t.api(&w.t.token(Some("DEMO1")).await);
    let mut other = two_destinations("bank_store", &unique_email("other"));
    other["customer"]["phone"] = json!("03-9999-0000");
    let (s, o) = api.post("/api/v1/orders", other).await;
    assert_eq!(s, 201, "{o}");
    let found = |q: String| {
        let b = &w.b;
        async move {
            let page = b.get(&format!("/shipping/orders?q={}", urlencoding(&q))).await;
            assert_eq!(page.status, 200, "{q}: {}", page.body);
            html::attrs(&page.body, "tr[data-order]", "data-order")
        }
    };
    assert_eq!(found("09012345678".into()).await, std::slice::from_ref(&n), "phone without hyphens");
    assert_eq!(found("090-1234-5678".into()).await, std::slice::from_ref(&n), "phone as written");
    assert_eq!(found(email.clone()).await, std::slice::from_ref(&n), "email");
    assert_eq!(
        found(n[n.len() - 6..].to_string()).await,
        std::slice::from_ref(&n),
        "last six digits"
    );
    let page = w.b.get(&format!("/shipping/orders?q={}", &n[n.len() - 6..])).await;
    assert_eq!(
        page.text("[data-testid=active-filters] li span"),
        Some(format!("検索: {}", &n[n.len() - 6..])),
        "the search shows as a chip"
    );
    assert_eq!(
        page.attr("[data-testid=chip-remove-q]", "href").as_deref(),
        Some("/shipping/orders?tab=all")
    );
}

/// An ASCII search (digits, hyphens, an email address) as a query value.
fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_list_has_one_payment_column_right_aligned_amounts_and_select_all() {
    let w = World::new().await;
    let n = w.order("bank_store", &unique_email("op")).await;
    let page = w.b.get("/shipping/orders").await;
    let heads = html::texts(&page.body, "[data-testid=goods-orders] thead th");
    assert_eq!(heads.iter().filter(|h| h.contains("決済種別")).count(), 1, "{heads:?}");
    assert!(
        !heads.iter().any(|h| h.contains("販促費")),
        "goods have no promotion cost: {heads:?}"
    );
    assert_eq!(
        page.attr(&format!("tr[data-order={n}] td.amount [data-testid=amount-{n}]"), "data-testid"),
        Some(format!("amount-{n}"))
    );
    assert_eq!(page.text(&format!("[data-testid=amount-{n}]")).as_deref(), Some("10,080円"));
    assert!(page.attr("[data-testid=select-page]", "type").is_some());
    assert_eq!(page.attr("[data-testid=tab-all]", "aria-current").as_deref(), Some("page"));
    assert_eq!(page.text(&format!("[data-testid=phone-{n}]")).as_deref(), Some("090-1234-5678"));
}

#[tokio::test]
async fn the_bulk_confirmation_cancels_back_to_the_goods_list() {
    let w = World::new().await;
    let n = w.order("bank_store", &unique_email("op")).await;
    let page =
        w.b.submit(
            "/shipping/orders",
            "/shipping/bulk",
            &[("order", n.as_str()), ("bulk", "mark-paid")],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.attr("[data-testid=bulk-cancel]", "href").as_deref(), Some("/shipping/orders"));
    assert_eq!(
        page.text("[data-testid=bulk-cancel]").as_deref(),
        Some("中断して受注一覧（物販）に戻る")
    );
}
