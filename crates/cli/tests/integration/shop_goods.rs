//! Goods on the storefront: the buyer chooses delivery or 店舗受取 and one of the goods ways to
//! pay, the confirmation shows the fees the order will charge, the order is placed once per
//! confirmation, and the buyer's own page follows the parcel to its tracking link.

use crate::harness::{Browser, GoodsSettings, TestApp, html, unique_email, wait_for_mail};
use serde_json::json;

const TOWEL: &str = "/shop/DEMO1/GOODS-TOWEL";

/// DEMO1's shipping rule: 800 yen a parcel, free from 10,000 yen, 330 yen for cash on delivery,
/// 1 % points once shipped.
async fn shipping_rule(t: &TestApp) {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let settings = GoodsSettings {
        base_fee: "800",
        free_from: "10000",
        points_percent: "1",
        points_activation: "when_shipped",
    };
    assert_eq!(b.save_goods_settings(settings).await.status, 303);
}

/// The buyer's form, delivered to Asakusa, paid by `pay`.
fn form<'a>(email: &'a str, pay: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("quantity", "２"),
        ("name", "山田 花子"),
        ("kana", "やまだ はなこ"),
        ("email", email),
        ("phone", "090-1234-5678"),
        ("receive", "delivery"),
        ("postal_code", "111-0032"),
        ("address", "東京都台東区浅草1-2-3"),
        ("requested_date", ""),
        ("time_band", "morning"),
        ("payment_method", pay),
        ("card_token", "tok_visa"),
    ]
}

/// Places the order from its confirmation screen; the buyer's page it leads to.
async fn place(b: &Browser, fields: &[(&str, &str)]) -> String {
    let confirm = b.submit(TOWEL, &format!("{TOWEL}/goods-confirm"), fields).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let nonce = confirm.attr("input[name=nonce]", "value").unwrap();
    let mut with_nonce = fields.to_vec();
    with_nonce.push(("nonce", &nonce));
    let placed = b.submit(TOWEL, &format!("{TOWEL}/goods-order"), &with_nonce).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    placed.location.unwrap()
}

#[tokio::test]
async fn goods_are_on_the_storefront_with_the_goods_ways_to_pay() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let shop = b.get("/shop/DEMO1").await;
    assert!(shop.body.contains("オリジナルタオル"), "goods are sold on the storefront");
    let page = b.get(TOWEL).await;
    assert_eq!(page.status, 200);
    let choices = html::attrs(&page.body, "input[name=payment_method]", "value");
    assert_eq!(choices, ["card", "bank", "cod", "konbini", "store"]);
    let labels = html::texts(&page.body, "ul.radio-list li");
    assert!(
        labels.iter().any(|l| l.contains("代金引換")) && labels.iter().any(|l| l.contains("店舗受取")),
        "{labels:?}"
    );
    assert!(
        !page.body.contains("与信モード") && !page.body.contains("仮実同時"),
        "the card mode is not the buyer's choice"
    );
}

#[tokio::test]
async fn the_confirmation_shows_the_shipping_and_cod_fees_the_order_then_charges() {
    let t = TestApp::spawn().await;
    shipping_rule(&t).await;
    let b = t.browser();
    let email = unique_email("shopgoods");
    let fields = form(&email, "cod");
    let confirm = b.submit(TOWEL, &format!("{TOWEL}/goods-confirm"), &fields).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert_eq!(
        confirm.text("[data-testid=goods-total]").as_deref(),
        Some("3,300円"),
        "1,650 yen × ２ typed in full width"
    );
    assert_eq!(confirm.text("[data-testid=shipping-fee]").as_deref(), Some("800円"));
    assert_eq!(confirm.text("[data-testid=cod-fee]").as_deref(), Some("330円"));
    assert_eq!(confirm.text("[data-testid=amount]").as_deref(), Some("4,430円"));
    assert_eq!(confirm.text("[data-testid=confirm-method]").as_deref(), Some("代金引換"));
    assert!(confirm.text("[data-testid=confirm-wish]").unwrap().contains("午前中"));

    let mine = place(&b, &fields).await;
    assert!(mine.starts_with("/my/orders/") && mine.ends_with("?placed=1"), "{mine}");
    let page = b.get(&mine).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.text("[data-testid=amount]").as_deref(),
        Some("4,430円"),
        "the order charges what was confirmed"
    );
    assert_eq!(page.text("[data-testid=method]").as_deref(), Some("代金引換"));
    assert!(
        page.text("[data-testid=payment-status]").is_none(),
        "cash on delivery is not tracked"
    );
    let number = page.text("[data-testid=order-number]").unwrap();
    let thanks = wait_for_mail(&email, 0).await;
    assert!(
        thanks.body.contains(&number) && thanks.body.contains(&mine.replace("?placed=1", "")),
        "{}",
        thanks.body
    );
}

#[tokio::test]
async fn pressing_place_twice_makes_one_order() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let email = unique_email("twice");
    let fields = form(&email, "card");
    let confirm = b.submit(TOWEL, &format!("{TOWEL}/goods-confirm"), &fields).await;
    let nonce = confirm.attr("input[name=nonce]", "value").unwrap();
    let mut with_nonce = fields.clone();
    with_nonce.push(("nonce", &nonce));
    let first = b.submit(TOWEL, &format!("{TOWEL}/goods-order"), &with_nonce).await;
    let second = b.submit(TOWEL, &format!("{TOWEL}/goods-order"), &with_nonce).await;
    assert_eq!((first.status, second.status), (303, 303));
    assert_eq!(first.location, second.location);
}

#[tokio::test]
async fn a_bad_goods_form_names_every_field_and_cod_is_refused_for_a_pickup() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let mut fields = form("not-an-email", "cod");
    fields.retain(|(k, _)| !matches!(*k, "kana" | "receive"));
    fields.extend([("kana", ""), ("receive", "pickup")]);
    let page = b.submit(TOWEL, &format!("{TOWEL}/goods-confirm"), &fields).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.text("[data-testid=err-payment_method]").as_deref(),
        Some("店舗受取では代金引換を選べません")
    );
    assert!(page.text("[data-testid=err-email]").is_some(), "{}", page.body);
    assert!(page.text("[data-testid=err-kana]").is_some(), "{}", page.body);
    assert_eq!(
        page.attr("input[name=name]", "value").as_deref(),
        Some("山田 花子"),
        "the input is kept"
    );

    let email = unique_email("store");
    let mut store_to_door = form(&email, "store");
    store_to_door.push(("nonce", "x"));
    let refused = b.submit(TOWEL, &format!("{TOWEL}/goods-order"), &store_to_door).await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.text("[data-testid=err-payment_method]").as_deref(),
        Some("店頭払いは店舗受取のときに選べます")
    );
}

#[tokio::test]
async fn the_buyers_page_follows_the_parcel_to_its_tracking_link() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let mine = place(&b, &form(&unique_email("track"), "card")).await;
    let page = b.get(&mine).await;
    assert_eq!(page.text("[data-testid=shipping]").as_deref(), Some("未発送"));
    let number = page.text("[data-testid=order-number]").unwrap();

    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, _) = api
        .put(
            &format!("/api/v1/orders/{number}/destinations/1"),
            json!({"tracking_number": "123456789013", "carrier": "yamato"}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, o) = api.post(&format!("/api/v1/orders/{number}/ship"), json!({"destination": 1})).await;
    assert_eq!(s, 200, "{o}");
    let page = b.get(&mine).await;
    assert_eq!(page.text("[data-testid=shipping]").as_deref(), Some("発送済み"));
    assert!(page.text("[data-testid=tracking]").unwrap().contains("ヤマト運輸 123456789013"));
    let links = html::attrs(&page.body, "[data-testid=tracking] a", "href");
    assert_eq!(links, ["https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=123456789013"]);
    assert_eq!(b.get("/my/orders/not-a-real-token-at-all").await.status, 404);
}

#[tokio::test]
async fn a_retried_api_goods_order_with_the_same_key_answers_with_the_first_order() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let body = json!({"product_code": "GOODS-TOWEL", "payment_method": "bank_store",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("idem"), "phone": "090-1234-5678",
                     "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}});
    let (s1, first) = api.post_with_key("/api/v1/orders", "goods-retry-1", body.clone()).await;
    let (s2, again) = api.post_with_key("/api/v1/orders", "goods-retry-1", body.clone()).await;
    assert_eq!((s1, s2), (201, 200), "{first} {again}");
    assert_eq!(first["order_number"], again["order_number"]);
    let mut other = body;
    other["quantity"] = json!(2);
    let (s3, reused) = api.post_with_key("/api/v1/orders", "goods-retry-1", other).await;
    assert_eq!(s3, 422, "{reused}");
    assert_eq!(reused["error"]["code"], "idempotency_key_reused", "{reused}");
}
