//! 出荷 on screen: the goods list with the manual's tabs, an order page that offers exactly what
//! the goods rule allows, tracking numbers edited in place, and 出荷データ一括登録 with its
//! line-by-line report.

use crate::harness::{GoodsSettings, TestApp, html, unique_email};
use kippu_domain::goods::carrier::FileType;
use serde_json::json;

async fn goods_order(t: &TestApp, method: &str) -> String {
    if method.starts_with("card") {
        t.card_mode("DEMO1", method).await;
    }
    let api = t.api(&t.token(Some("DEMO1")).await);
    let _ = api
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 50}),
        )
        .await;
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "G-TOWEL", "quantity": 1, "payment_method": method, "card_token": "tok_visa",
                   "customer": {"name": "髙橋 美咲", "kana": "タカハシ ミサキ", "email": unique_email("gui"), "phone": "090-1234-5678",
                                "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_list_tabs_sort_orders_by_what_is_left_to_do() {
    let t = TestApp::spawn().await;
    let (bank, card) = (goods_order(&t, "bank_store").await, goods_order(&t, "card_capture").await);
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let area = b.get("/shipping").await;
    assert!(!area.body.contains("準備中"), "出荷 is built");
    let links = html::attrs(&area.body, "[data-testid=area-links] a", "href");
    assert_eq!(links, ["/shipping/orders", "/shipping/import", "/shipping/points"]);
    let listed = |tab: &str| {
        let (b, tab) = (&b, tab.to_string());
        async move {
            html::attrs(
                &b.get(&format!("/shipping/orders?tab={tab}")).await.body,
                "tr[data-order]",
                "data-order",
            )
        }
    };
    assert_eq!(listed("unpaid").await, std::slice::from_ref(&bank), "the card is paid at order");
    let mut unshipped = listed("unshipped").await;
    unshipped.sort();
    assert_eq!(unshipped, [bank.clone(), card.clone()]);
    assert!(listed("processed").await.is_empty());
    let page = b.get("/shipping/orders").await;
    assert_eq!(page.text(&format!("[data-testid=payment-{bank}]")).as_deref(), Some("未入金"));
    assert_eq!(page.text(&format!("[data-testid=shipping-{card}]")).as_deref(), Some("未発送"));
    assert_eq!(b.get("/shipping/orders?tab=nope").await.status, 404);
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert!(html::attrs(&other.get("/shipping/orders").await.body, "tr[data-order]", "data-order").is_empty());
    assert_eq!(other.get(&format!("/shipping/orders/{bank}")).await.status, 404);
}

#[tokio::test]
async fn the_order_page_offers_only_what_the_rule_allows_and_says_why_not() {
    let t = TestApp::spawn().await;
    let n = goods_order(&t, "card_auth").await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let path = format!("/shipping/orders/{n}");
    let page = b.get(&path).await;
    let buttons = |body: &str| html::attrs(body, "button[data-testid^=do-]", "data-testid");
    assert_eq!(
        buttons(&page.body),
        ["do-capture", "do-cancel", "do-ship-1"],
        "no 入金済み by hand for a card, no 処理済み before shipping, キャンセル while nothing shipped"
    );

    let shipped = b
        .submit(&path, &format!("{path}/do/ship"), &[("destination", "1"), ("date", "2026-11-24")])
        .await;
    assert_eq!(shipped.status, 303, "{}", shipped.body);
    let page = b.get(&path).await;
    assert_eq!(page.text("[data-testid=shipping-status]").as_deref(), Some("発送済み"));
    assert_eq!(
        buttons(&page.body),
        ["do-capture", "do-unship-1"],
        "処理済み waits for the capture; the shipment can be undone"
    );
    // Posting it anyway is refused with the reason, on the page.
    let refused = b.submit(&path, &format!("{path}/do/process"), &[]).await;
    assert_eq!(refused.status, 409);
    assert!(refused.text("[data-testid=error]").unwrap().contains("売上確定していません"));

    let bad = b
        .submit(
            &path,
            &format!("{path}/destinations/1"),
            &[("tracking_number", "1234-5678-9012"), ("carrier", "yamato")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text("[data-testid=err-tracking_number]").unwrap().contains("チェックデジット"));
    let good = b
        .submit(
            &path,
            &format!("{path}/destinations/1"),
            &[("tracking_number", "１２３４５６７８９０１３"), ("carrier", "yamato")],
        )
        .await;
    assert_eq!(good.status, 303, "{}", good.body);
    let page = b.get(&path).await;
    assert_eq!(page.text("[data-testid=tracking-1]").as_deref(), Some("123456789013"));

    b.submit(&path, &format!("{path}/do/capture"), &[]).await;
    let page = b.get(&path).await;
    assert_eq!(
        buttons(&page.body),
        ["do-process", "do-refund", "do-unship-1"],
        "paid: a partial refund too"
    );
    b.submit(&path, &format!("{path}/do/process"), &[]).await;
    let page = b.get(&path).await;
    assert_eq!(page.text("[data-testid=order-status]").as_deref(), Some("処理済み"));
    assert_eq!(
        buttons(&page.body),
        ["do-reopen", "do-refund"],
        "a processed order still takes a return"
    );
}

#[tokio::test]
async fn the_import_page_shows_every_line_then_applies_the_ok_ones() {
    let t = TestApp::spawn().await;
    let n = goods_order(&t, "bank_store").await;
    let l = FileType::B2.layout();
    let line = |m: &str, k: &str| {
        let mut f = vec![String::new(); l.columns];
        f[l.management - 1] = m.into();
        f[l.tracking - 1] = k.into();
        f.join(",")
    };
    let text = format!("{}\r\n{}\r\n", line(&n, "123456789013"), line("T99999999999999", "123456789013"));
    let file = encoding_rs::SHIFT_JIS.encode(&text).0.into_owned();
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let preview = b
        .upload_with(
            "/shipping/import",
            "/shipping/import",
            &[("format", "b2"), ("apply", "none")],
            file.clone(),
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(preview.text("[data-testid=verdict-1]").as_deref(), Some("OK"));
    assert!(preview.text("[data-testid=verdict-2]").unwrap().contains("T99999999999999"));
    let all = b
        .upload_with(
            "/shipping/import",
            "/shipping/import",
            &[("format", "b2"), ("apply", "all"), ("mark_shipped", "on")],
            file.clone(),
        )
        .await;
    assert!(all.text("[data-testid=import-message]").unwrap().contains("何も登録していません"));
    let valid = b
        .upload_with(
            "/shipping/import",
            "/shipping/import",
            &[("format", "b2"), ("apply", "valid"), ("mark_shipped", "on")],
            file,
        )
        .await;
    assert!(
        valid
            .text("[data-testid=import-message]")
            .unwrap()
            .contains("1件のお届け先を更新しました"),
        "{}",
        valid.body
    );
    let order = b.get(&format!("/shipping/orders/{n}")).await;
    assert_eq!(order.text("[data-testid=shipping-status]").as_deref(), Some("発送済み"));
    let empty = b
        .upload_with("/shipping/import", "/shipping/import", &[("format", "b2")], Vec::new())
        .await;
    assert_eq!(empty.status, 422);
    assert!(empty.text("[data-testid=error]").unwrap().contains("空です"));
}

#[tokio::test]
async fn bulk_from_the_list_confirms_every_row_then_runs_the_ok_ones() {
    let t = TestApp::spawn().await;
    let (bank, konbini) = (goods_order(&t, "bank_store").await, goods_order(&t, "konbini").await);
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let list = "/shipping/orders";
    assert!(b.get(list).await.attr(&format!("[data-testid=pick-{bank}]"), "value").is_some());
    let confirm = b
        .submit(
            list,
            "/shipping/bulk",
            &[("order", bank.as_str()), ("order", konbini.as_str()), ("bulk", "mark-paid")],
        )
        .await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let rows = html::texts(&confirm.body, "[data-testid=bulk-rows] tbody tr");
    assert!(rows[0].contains("OK"), "{rows:?}");
    assert!(rows[1].contains("NG") && rows[1].contains("入金通知でのみ"), "{rows:?}");
    assert!(confirm.text("[data-testid=bulk-execute]").unwrap().contains("（1件）"));
    let done = b
        .submit(
            list,
            "/shipping/bulk",
            &[
                ("order", bank.as_str()),
                ("order", konbini.as_str()),
                ("bulk", "mark-paid"),
                ("execute", "1"),
            ],
        )
        .await;
    assert_eq!(
        done.text("[data-testid=bulk-done]").as_deref(),
        Some("1 件を処理しました。"),
        "{}",
        done.body
    );
    let page = b.get(list).await;
    assert_eq!(page.text(&format!("[data-testid=payment-{bank}]")).as_deref(), Some("入金済"));
    assert_eq!(page.text(&format!("[data-testid=payment-{konbini}]")).as_deref(), Some("未入金"));
    let nothing = b.submit(list, "/shipping/bulk", &[("bulk", "ship")]).await;
    assert_eq!(nothing.status, 303, "nothing selected goes back to the list with the reason");
}

#[tokio::test]
async fn shipping_fees_and_points_follow_the_merchants_settings() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let form = |prefectures: &'static str| {
        vec![
            ("base_fee", "８００"),
            ("free_from", "10000"),
            ("cod_fee", "330"),
            ("prefecture_fees", prefectures),
            ("points_percent", "1"),
            ("points_activation", "when_shipped"),
        ]
    };
    let bad = b.submit("/settings/goods", "/settings/goods", &form("北海道,1500\n大阪,900")).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("2行目: 「大阪」は都道府県名ではありません"), "{}", bad.body);
    let ok = b
        .submit("/settings/goods", "/settings/goods", &form("北海道,1500\n沖縄県,2000"))
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(
        b.get("/settings/goods").await.attr("[data-testid=base-fee]", "value").as_deref(),
        Some("800")
    );

    let api = t.api(&t.token(Some("DEMO1")).await);
    api.post(
        "/api/v1/products",
        json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 50}),
    )
    .await;
    let dest = |address: &str, postal: &str, qty: i64| json!({"name": "髙橋 美咲", "postal_code": postal, "address": address, "phone": "090-1234-5678", "lines": [{"product_code": "G-TOWEL", "quantity": qty}]});
    let customer = json!({"name": "髙橋 美咲", "kana": "タカハシ ミサキ", "email": unique_email("fee"), "phone": "090-1234-5678"});
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": "cod", "customer": customer,
                   "destinations": [dest("東京都台東区浅草1-2-3", "111-0032", 1), dest("北海道札幌市中央区北1条西2-1", "060-0001", 1)]}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(
        (
            o["destinations"][0]["shipping_fee"].as_i64(),
            o["destinations"][1]["shipping_fee"].as_i64(),
            o["cod_fee"].as_i64()
        ),
        (Some(800), Some(1500), Some(330))
    );
    assert_eq!(o["amount"], 6000 + 800 + 1500 + 330);
    assert_eq!(o["points"], 60, "1 % of the goods");
    let (_, free) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": "bank_store", "customer": customer, "destinations": [dest("沖縄県那覇市泉崎1-1-1", "900-0021", 4)]}),
        )
        .await;
    assert_eq!(
        (free["shipping_fee"].as_i64(), free["amount"].as_i64()),
        (Some(0), Some(12000)),
        "free from 10,000 yen"
    );

    let number = o["order_number"].as_str().unwrap();
    assert_eq!(t.scalar("SELECT COUNT(*) FROM points WHERE status = 'active'").await, 0);
    api.post_empty(&format!("/api/v1/orders/{number}/ship")).await;
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM points WHERE status = 'active'").await,
        1,
        "usable once shipped, as set"
    );
}

#[tokio::test]
async fn points_wait_until_an_admin_activates_them_and_an_activation_can_be_undone() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(b.save_goods_settings(GoodsSettings::POINTS_BY_ADMIN).await.status, 303);
    // Paid orders: points are never activated before the money is in.
    let (first, second) = (goods_order(&t, "card_capture").await, goods_order(&t, "card_capture").await);
    let page = b.get("/shipping/points").await;
    assert_eq!(html::attrs(&page.body, "tr[data-point]", "data-point").len(), 2);
    assert!(page.body.contains("300"), "10 % of 3,000 yen");
    let id = page.attr(&format!("[data-testid=pick-point-{first}]"), "value").unwrap();

    // Another merchant cannot touch them.
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    other
        .submit("/shipping/points", "/shipping/points", &[("id", id.as_str()), ("do", "activate")])
        .await;
    assert!(html::attrs(&b.get("/shipping/points?status=active").await.body, "tr[data-point]", "data-point").is_empty());

    let done = b
        .submit("/shipping/points", "/shipping/points", &[("id", id.as_str()), ("do", "activate")])
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(
        html::attrs(&b.get("/shipping/points?status=active").await.body, "tr[data-point]", "data-point"),
        std::slice::from_ref(&first)
    );
    assert_eq!(
        html::attrs(&b.get("/shipping/points").await.body, "tr[data-point]", "data-point"),
        std::slice::from_ref(&second)
    );
    b.submit(
        "/shipping/points?status=active",
        "/shipping/points",
        &[("id", id.as_str()), ("do", "cancel")],
    )
    .await;
    assert_eq!(
        html::attrs(&b.get("/shipping/points").await.body, "tr[data-point]", "data-point").len(),
        2,
        "有効取消"
    );
}

#[tokio::test]
async fn the_list_searches_by_method_days_and_name() {
    let t = TestApp::spawn().await;
    let (bank, card) = (goods_order(&t, "bank_store").await, goods_order(&t, "card_capture").await);
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let found = |query: &str| {
        let (b, query) = (&b, query.to_string());
        async move {
            let mut n = html::attrs(
                &b.get(&format!("/shipping/orders?{query}")).await.body,
                "tr[data-order]",
                "data-order",
            );
            n.sort();
            n
        }
    };
    assert_eq!(found("method=card_capture").await, std::slice::from_ref(&card));
    assert_eq!(
        found("method=bank_store&from=2026-11-24&to=2026-11-24").await,
        std::slice::from_ref(&bank)
    );
    assert!(found("from=2026-11-25").await.is_empty(), "ordered on the 24th");
    assert_eq!(found("q=たかはし").await.len(), 2, "furigana typed in hiragana");
    assert_eq!(found(&format!("q={card}")).await, std::slice::from_ref(&card));
    let page = b.get("/shipping/orders?tab=unshipped&method=card_capture").await;
    let tab = page.attr("[data-testid=tab-all]", "href").unwrap();
    assert!(tab.contains("method=card_capture"), "the tabs keep the search: {tab}");
    assert_eq!(b.get("/shipping/orders?method=voucher").await.status, 422);

    // さらに絞り込み: tracking numbers, carrier, store pickup.
    assert_eq!(found("tracked=no").await.len(), 2);
    assert!(found("tracked=yes").await.is_empty());
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, _) = api
        .put(
            &format!("/api/v1/orders/{bank}/destinations/1"),
            json!({"tracking_number": "123456789013", "carrier": "sagawa"}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(found("tracked=yes").await, std::slice::from_ref(&bank));
    assert_eq!(found("carrier=sagawa").await, std::slice::from_ref(&bank));
    assert!(found("carrier=yamato").await.is_empty());
    assert!(found("pickup=yes").await.is_empty());
    assert_eq!(found("pickup=no").await.len(), 2);
    assert_eq!(b.get("/shipping/orders?tracked=maybe").await.status, 422);
}

#[tokio::test]
async fn any_notice_can_be_sent_by_hand_with_its_text_edited_first() {
    let t = TestApp::spawn().await;
    let n = goods_order(&t, "bank_store").await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let order = b.get(&format!("/shipping/orders/{n}")).await;
    let offered = html::attrs(&order.body, "[data-testid=mail-template] option", "value");
    assert_eq!(
        offered,
        [
            "goods_thanks",
            "goods_payment_confirmed",
            "shipping_notice",
            "pickup_notice",
            "goods_cancelled",
            "goods_refunded"
        ]
    );
    let draft = b.get(&format!("/shipping/orders/{n}/mail?template=shipping_notice")).await;
    assert_eq!(draft.status, 200);
    let subject = draft.attr("[data-testid=mail-subject]", "value").unwrap();
    assert!(subject.contains(&n), "{subject}");
    let path = format!("/shipping/orders/{n}/mail");
    let empty = b
        .submit(
            &format!("{path}?template=shipping_notice"),
            &path,
            &[("template", "shipping_notice"), ("subject", ""), ("body", "x")],
        )
        .await;
    assert_eq!(empty.status, 422);
    let sent = b
        .submit(
            &format!("{path}?template=shipping_notice"),
            &path,
            &[
                ("template", "shipping_notice"),
                ("subject", subject.as_str()),
                ("body", "本日、担当の佐藤より発送いたしました。"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let api = t.api(&t.token(Some("DEMO1")).await);
    let email = api.get(&format!("/api/v1/orders/{n}")).await.1["customer_email"]
        .as_str()
        .unwrap()
        .to_string();
    let mail = crate::harness::wait_for_mail(&email, 1).await;
    assert_eq!(mail.subject, subject);
    assert!(mail.body.contains("担当の佐藤より"), "{}", mail.body);
    assert_eq!(b.get(&format!("/shipping/orders/{n}/mail?template=nope")).await.status, 422);
}

/// お届け先を選んで一括更新: the checked destinations ship together on one date; the others wait.
#[tokio::test]
async fn the_checked_destinations_ship_together_on_one_date() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let dest = |name: &str| {
        json!({"name": name, "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "phone": "090-1234-5678",
               "lines": [{"product_code": "GOODS-TOWEL", "quantity": 1}]})
    };
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": "cod", "destinations": [dest("一"), dest("二"), dest("三")],
                   "customer": {"name": "髙橋 美咲", "kana": "タカハシ ミサキ", "email": unique_email("pick"), "phone": "090-1234-5678"}}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let n = o["order_number"].as_str().unwrap();
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let path = format!("/shipping/orders/{n}");
    let fields = [("pick", "1"), ("destination", "1"), ("destination", "3"), ("date", "2026-11-20")];
    let done = b.submit(&path, &format!("{path}/do/ship"), &fields).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = b.get(&path).await;
    let status = |k: u8| page.text(&format!("[data-testid=destination-status-{k}]"));
    assert_eq!(
        (status(1), status(2), status(3)),
        (Some("発送済み".into()), Some("未発送".into()), Some("発送済み".into()))
    );
    let none = b.submit(&path, &format!("{path}/do/ship"), &[("pick", "1")]).await;
    assert_eq!(none.status, 409, "nothing checked is refused on the page");
}
