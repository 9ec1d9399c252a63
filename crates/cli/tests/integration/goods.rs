//! Shipped goods through the API (seed 002): an order to several destinations or picked up at
//! the store, the manual's three statuses moved only by the goods rule, tracking numbers, the
//! konbini payment confirmed only by the payment company's notice.

use crate::harness::{Api, TestApp, unique_email};
use serde_json::{Value, json};

async fn towel(api: &Api) {
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 5}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
}

fn customer() -> Value {
    json!({"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("goods"), "phone": "090-1234-5678",
           "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"})
}

fn two_destinations(method: &str) -> Value {
    json!({"payment_method": method, "card_token": "tok_visa", "customer": customer(),
    "destinations": [
        {"name": "山田 花子", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "phone": "090-1234-5678",
         "lines": [{"product_code": "G-TOWEL", "quantity": 2}], "time_band": "morning"},
        {"name": "山田 太郎", "postal_code": "060-0001", "address": "北海道札幌市中央区北1条西2-1", "phone": "011-123-4567",
         "lines": [{"product_code": "G-TOWEL", "quantity": 1}]}
    ]})
}

async fn act(api: &Api, number: &str, action: &str) -> (u16, Value) {
    api.post_empty(&format!("/api/v1/orders/{number}/{action}")).await
}

#[tokio::test]
async fn a_card_order_to_two_destinations_is_shipped_captured_then_processed() {
    let t = TestApp::spawn().await;
    // 与信モード: every channel's card orders are in the merchant's mode.
    t.card_mode("DEMO1", "card_auth").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let (s, o) = api.post("/api/v1/orders", two_destinations("card_auth")).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["amount"], 9000);
    assert_eq!(
        (o["order_status"].as_str(), o["payment_status"].as_str(), o["card_state"].as_str()),
        (Some("normal"), Some("unpaid"), Some("authorized"))
    );
    let d = o["destinations"].as_array().unwrap();
    assert_eq!((d[0]["number"].as_i64(), d[0]["lines"][0]["quantity"].as_i64()), (Some(1), Some(2)));
    assert_eq!(
        (d[1]["number"].as_i64(), d[1]["shipping_status"].as_str()),
        (Some(2), Some("unshipped"))
    );
    assert_eq!(d[0]["time_band"], "morning");
    let number = o["order_number"].as_str().unwrap();

    let (s, e) = act(&api, number, "process").await;
    assert_eq!((s, e["error"]["message"].as_str()), (409, Some("未発送のお届け先があります")));
    let (s, shipped) = act(&api, number, "ship").await;
    assert_eq!(s, 200, "{shipped}");
    assert_eq!(shipped["shipping_status"], "shipped");
    assert_eq!(shipped["destinations"][1]["ship_date"], "2026-11-24");
    // The manual's trap: processed before the capture would never be captured.
    let (s, e) = act(&api, number, "process").await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("illegal_transition")));
    assert!(e["error"]["message"].as_str().unwrap().contains("売上確定していません"), "{e}");
    let (s, captured) = act(&api, number, "capture").await;
    assert_eq!(s, 200, "{captured}");
    assert_eq!(
        (captured["card_state"].as_str(), captured["payment_status"].as_str()),
        (Some("captured"), Some("paid"))
    );
    assert_eq!(captured["payment_date"], "2026-11-24");
    let (s, done) = act(&api, number, "process").await;
    assert_eq!((s, done["order_status"].as_str()), (200, Some("processed")));
    let (s, _) = act(&api, number, "ship").await;
    assert_eq!(s, 409, "a processed order changes only after reopening");

    let (s, read) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!((s, read["kind"].as_str()), (200, Some("goods")));
    let other = t.api(&t.token(Some("DEMO2")).await);
    assert_eq!(
        other.get(&format!("/api/v1/orders/{number}")).await.0,
        404,
        "another merchant's order is not found"
    );
    assert_eq!(act(&other, number, "reopen").await.0, 404);
}

#[tokio::test]
async fn tracking_numbers_are_checked_and_a_pickup_takes_none() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let (_, o) = api.post("/api/v1/orders", two_destinations("bank_store")).await;
    let number = o["order_number"].as_str().unwrap();
    let put = |k: i64, body: Value| {
        let api = &api;
        let path = format!("/api/v1/orders/{number}/destinations/{k}");
        async move { api.put(&path, body).await }
    };
    let (s, e) = put(1, json!({"tracking_number": "1234-5678-9012", "carrier": "yamato"})).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("tracking_number")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("チェックデジット"), "{e}");
    let (s, e) = put(1, json!({"tracking_number": "1.23457E+11"})).await;
    assert!(s == 422 && e["error"]["message"].as_str().unwrap().contains("指数表記"), "{e}");
    let (s, ok) = put(
        2,
        json!({"tracking_number": "１２３４-５６７８-９０１３", "carrier": "sagawa", "delivery_date": "2026/11/27"}),
    )
    .await;
    assert_eq!(s, 200, "{ok}");
    let d = &ok["destinations"][1];
    assert_eq!(
        (d["tracking_number"].as_str(), d["delivery_date"].as_str()),
        (Some("123456789013"), Some("2026-11-27"))
    );
    assert!(d["tracking_url"].as_str().unwrap().contains("123456789013"));
    let (s, e) = put(3, json!({"tracking_number": "123456789013"})).await;
    assert_eq!(s, 409, "no third destination: {e}");

    let (s, pickup) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "G-TOWEL", "quantity": 1, "payment_method": "store_pay", "pickup": true, "customer": customer()}),
        )
        .await;
    assert_eq!(s, 201, "{pickup}");
    assert_eq!(pickup["destinations"][0]["pickup"], true);
    let path = format!("/api/v1/orders/{}/destinations/1", pickup["order_number"].as_str().unwrap());
    let (s, e) = api.put(&path, json!({"tracking_number": "123456789013"})).await;
    assert_eq!(s, 422);
    assert!(e["error"]["message"].as_str().unwrap().contains("店舗受取"), "{e}");
}

#[tokio::test]
async fn konbini_is_paid_only_by_the_payment_companys_notice_and_cod_never_by_hand() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let order = |method: &str| json!({"product_code": "G-TOWEL", "quantity": 1, "payment_method": method, "customer": customer()});
    let (_, k) = api.post("/api/v1/orders", order("konbini")).await;
    let number = k["order_number"].as_str().unwrap();
    let (s, e) = act(&api, number, "mark-paid").await;
    assert_eq!(s, 409);
    assert!(e["error"]["message"].as_str().unwrap().contains("入金通知でのみ"), "{e}");
    let notice = json!({"order_number": number});
    assert_eq!(
        api.post("/api/v1/payment-notices/konbini", notice.clone()).await.0,
        403,
        "a merchant cannot send the notice"
    );
    let platform = t.api(&t.token(None).await);
    let (s, paid) = platform.post("/api/v1/payment-notices/konbini", notice.clone()).await;
    assert_eq!((s, paid["payment_status"].as_str()), (200, Some("paid")), "{paid}");
    assert_eq!(platform.post("/api/v1/payment-notices/konbini", notice).await.0, 409, "paid once");

    let (s, cod) = api.post("/api/v1/orders", order("cod")).await;
    assert_eq!(s, 201, "{cod}");
    assert_eq!(
        (cod["amount"].as_i64(), cod["cod_fee"].as_i64()),
        (Some(3330), Some(330)),
        "the COD fee once per order"
    );
    let (s, e) = act(&api, cod["order_number"].as_str().unwrap(), "mark-paid").await;
    assert_eq!(s, 409);
    assert!(e["error"]["message"].as_str().unwrap().contains("代金引換"), "{e}");
}

#[tokio::test]
async fn bad_goods_orders_are_refused_whole_with_every_field_named() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let (s, e) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": "cash", "customer": customer(), "destinations": [
                {"name": "", "postal_code": "12", "address": "", "phone": "x", "lines": [{"product_code": "NOPE"}], "time_band": "night"},
                {"name": "山田😀", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "phone": "090-1234-5678",
                 "lines": [{"product_code": "G-TOWEL"}]}]}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let text = e.to_string();
    for said in [
        "payment_method",
        "お届け先1: ",
        "郵便番号",
        "商品コード NOPE",
        "配達時間帯",
        "お届け先2: ",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    // Six towels where five are left: sold out, and nothing of the order is kept.
    let (s, e) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "G-TOWEL", "quantity": 6, "payment_method": "bank_store", "customer": customer()}),
        )
        .await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("sold_out")), "{e}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, 0);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM shipments").await, 0);
    let (s, _) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "G-TOWEL", "quantity": 5, "payment_method": "bank_store", "customer": customer()}),
        )
        .await;
    assert_eq!(s, 201, "the five are still there");
}

#[tokio::test]
async fn bulk_ship_pay_and_process_give_every_row_its_verdict_and_run_only_the_ok_ones() {
    let t = TestApp::spawn().await;
    // 与信モード: every channel's card orders are in the merchant's mode.
    t.card_mode("DEMO1", "card_auth").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let order = |method: &str| json!({"product_code": "G-TOWEL", "quantity": 1, "payment_method": method, "card_token": "tok_visa", "customer": customer()});
    let mut numbers = Vec::new();
    for method in ["bank_store", "card_auth", "konbini", "cod"] {
        let (s, o) = api.post("/api/v1/orders", order(method)).await;
        assert_eq!(s, 201, "{o}");
        numbers.push(o["order_number"].as_str().unwrap().to_string());
    }
    let [bank, card, konbini, cod] = [&numbers[0], &numbers[1], &numbers[2], &numbers[3]];

    // 注文を入金済みにする: only the bank transfer can be marked by hand.
    let (s, paid) = api
        .post("/api/v1/bulk/mark-paid", json!({"order_numbers": numbers, "dry_run": true}))
        .await;
    assert_eq!(s, 200, "{paid}");
    let verdicts: Vec<(bool, String)> = paid["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ok"].as_bool().unwrap(), r["reason"].as_str().unwrap_or("").to_string()))
        .collect();
    assert!(verdicts[0].0);
    assert!(!verdicts[1].0 && verdicts[1].1.contains("売上確定"), "{verdicts:?}");
    assert!(!verdicts[2].0 && verdicts[2].1.contains("入金通知"), "{verdicts:?}");
    assert!(!verdicts[3].0 && verdicts[3].1.contains("代金引換"), "{verdicts:?}");
    let (_, done) = api
        .post("/api/v1/bulk/mark-paid", json!({"order_numbers": numbers, "dry_run": false}))
        .await;
    assert_eq!(
        (done["ok_count"].as_u64(), done["done_count"].as_u64()),
        (Some(1), Some(1)),
        "{done}"
    );

    // 注文を発送済みにする + 処理済み: the bank order and the COD order go through; the card is not
    // captured and the konbini not paid, so neither is shipped either (both or neither).
    let (s, shipped) = api
        .post(
            "/api/v1/bulk/ship",
            json!({"order_numbers": numbers, "dry_run": false, "also_process": true}),
        )
        .await;
    assert_eq!((s, shipped["done_count"].as_u64()), (200, Some(2)), "{shipped}");
    let state = |n: &str| {
        let (api, n) = (&api, n.to_string());
        async move {
            let (_, o) = api.get(&format!("/api/v1/orders/{n}")).await;
            (
                o["order_status"].as_str().unwrap().to_string(),
                o["shipping_status"].as_str().unwrap().to_string(),
            )
        }
    };
    assert_eq!(state(bank).await, ("processed".into(), "shipped".into()));
    assert_eq!(state(cod).await, ("processed".into(), "shipped".into()));
    assert_eq!(state(card).await, ("normal".into(), "unshipped".into()), "nothing half-applied");
    assert_eq!(state(konbini).await, ("normal".into(), "unshipped".into()));

    // 注文を処理済みにする on a shipped but uncaptured card order: NG with the reason.
    let (_, one) = api
        .post("/api/v1/bulk/ship", json!({"order_numbers": [card], "dry_run": false}))
        .await;
    assert_eq!(one["done_count"], 1, "{one}");
    let (_, p) = api
        .post(
            "/api/v1/bulk/process",
            json!({"order_numbers": [card, card, "T99999999999999"], "dry_run": true}),
        )
        .await;
    let rows = p["rows"].as_array().unwrap();
    assert!(rows[0]["reason"].as_str().unwrap().contains("売上確定していません"), "{p}");
    assert!(rows[1]["reason"].as_str().unwrap().contains("重複"), "{p}");
    assert!(rows[2]["reason"].as_str().unwrap().contains("ありません"), "{p}");
}

#[tokio::test]
async fn the_buyer_is_thanked_then_told_of_the_payment_and_the_parcel_with_its_tracking_link() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let email = unique_email("notice");
    let mut body = two_destinations("bank_store");
    body["customer"]["email"] = json!(email);
    let (_, o) = api.post("/api/v1/orders", body).await;
    let number = o["order_number"].as_str().unwrap();
    let thanks = crate::harness::wait_for_mail(&email, 0).await;
    assert!(thanks.subject.contains("ご注文ありがとうございます"), "{}", thanks.subject);
    assert!(
        thanks
            .body
            .contains("お届け先2: 山田 太郎 様 〒060-0001 北海道札幌市中央区北1条西2-1")
            && thanks.body.contains("今治タオル × 2"),
        "{}",
        thanks.body
    );

    let (s, _) = api
        .post(
            &format!("/api/v1/orders/{number}/mark-paid"),
            json!({"payment_date": "2026-11-25", "notify": true}),
        )
        .await;
    assert_eq!(s, 200);
    let paid = crate::harness::wait_for_mail(&email, 1).await;
    assert!(
        paid.subject.contains("ご入金を確認いたしました") && paid.body.contains("入金日: 2026-11-25"),
        "{}",
        paid.body
    );

    api.put(
        &format!("/api/v1/orders/{number}/destinations/1"),
        json!({"tracking_number": "123456789013", "carrier": "yamato"}),
    )
    .await;
    let (s, _) = api
        .post(
            &format!("/api/v1/orders/{number}/ship"),
            json!({"destination": 1, "ship_date": "2026-11-26", "notify": true}),
        )
        .await;
    assert_eq!(s, 200);
    let shipped = crate::harness::wait_for_mail(&email, 2).await;
    assert!(shipped.subject.contains("商品を発送いたしました"), "{}", shipped.subject);
    assert!(
        shipped.body.contains("お届け先1: ヤマト運輸 123456789013 https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=123456789013（発送日 2026/11/26(木)）"),
        "{}",
        shipped.body
    );
    assert!(
        !shipped.body.contains("お届け先2:"),
        "only the parcel shipped now: {}",
        shipped.body
    );
    // Without `notify`, nothing more is sent.
    act(&api, number, "ship").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let sink = std::env::var("KIPPU_TEST_SMTP_SINK").unwrap();
    let to_buyer = std::fs::read_dir(sink)
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter(|m| m.contains(&email))
        .count();
    assert_eq!(to_buyer, 3);
}
