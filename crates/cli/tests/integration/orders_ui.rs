//! The order pages: list with search, status steps and PIN; confirmation screens; sending;
//! usage; bulk confirmation with OK/NG; tenancy of the detail page.

use crate::harness::{TestApp, unique_email};
use serde_json::{Value, json};

async fn place(t: &TestApp, token: &str, method: &str, name: &str, kana: &str) -> Value {
    let (s, o) = t
        .api(token)
        .post(
            "/api/v1/orders",
            json!({
                "product_code": "WT-BASIC", "quantity": 1, "payment_method": method,
                "card_token": if method.starts_with("card") { Some("tok_visa") } else { None },
                "customer": {"name": name, "kana": kana, "email": unique_email("ui"), "phone": "090-1234-5678"}
            }),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    o
}

#[tokio::test]
async fn the_list_shows_every_column_and_searches() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let venue = place(&t, &token, "pay_at_venue", "山田 花子", "ヤマダ ハナコ").await;
    let bank = place(&t, &token, "bank_store", "佐藤 健一", "サトウ ケンイチ").await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let list = b.get("/orders").await;
    assert_eq!(list.status, 200);
    for needle in [
        venue["order_number"].as_str().unwrap(),
        bank["order_number"].as_str().unwrap(),
        &format!("【{}】", venue["pin"].as_str().unwrap()),
        "未領収",
        "未入金",
        "山田 花子",
        "(ヤマダ ハナコ)",
        "2,000円",
        "現地払い",
        "基本タイプ",
        "通常注文",
        venue["tickets"][0]["ticket_number"].as_str().unwrap(),
        "未使用",
        "閲覧",
        "明細",
        "メッセージ",
    ] {
        assert!(list.body.contains(needle), "list shows {needle}");
    }
    let found = b.get("/orders?name=%E3%82%B5%E3%83%88%E3%82%A6").await; // サトウ
    assert!(found.body.contains("佐藤 健一") && !found.body.contains("山田 花子"));
    let by_method = b.get("/orders?method=pay_at_venue").await;
    assert!(by_method.body.contains("山田 花子") && !by_method.body.contains("佐藤 健一"));
    let by_status = b.get("/orders?status=unpaid").await;
    assert!(by_status.body.contains("佐藤 健一") && !by_status.body.contains("山田 花子"));
    let none = b.get("/orders?holder=%E8%AA%B0").await; // 誰
    assert!(none.body.contains("データがありません"));
}

#[tokio::test]
async fn status_changes_go_through_confirmation_screens() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let n = place(&t, &token, "bank_store", "佐藤 健一", "サトウ ケンイチ").await["order_number"]
        .as_str()
        .unwrap()
        .to_string();
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let screen = b.get(&format!("/orders/{n}/do/mark-paid")).await;
    assert!(screen.body.contains("入金済みに変更する"));
    let r = b
        .submit(&format!("/orders/{n}/do/mark-paid"), &format!("/orders/{n}/do/mark-paid"), &[])
        .await;
    assert_eq!(r.location.as_deref(), Some(format!("/orders/{n}").as_str()));
    let detail = b.get(&format!("/orders/{n}")).await;
    assert_eq!(detail.text("[data-testid=status]").as_deref(), Some("送信待ち"));
    assert!(
        detail.body.contains("ご入金を確認いたしました") || detail.body.contains("ご入金"),
        "message thread shows the payment message"
    );
    // A double submit is refused with the reason, changing nothing.
    let again = b.submit(&format!("/orders/{n}"), &format!("/orders/{n}/do/mark-paid"), &[]).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("送信待ち"), "{}", again.body);

    let send = b.get(&format!("/orders/{n}/send")).await;
    for label in [
        "ウェブチケット送信処理を行う",
        "送信せずに送信済みステータスに切り替える",
        "自分にテスト送信を行う",
        "中断してウェブチケット受注管理に戻る",
    ] {
        assert!(send.body.contains(label), "{label}");
    }
    let test = b
        .submit(&format!("/orders/{n}/send"), &format!("/orders/{n}/send"), &[("mode", "test")])
        .await;
    assert!(test.body.contains("demo1-admin@kippu.test 宛にテスト送信しました"), "{}", test.body);
    assert_eq!(
        b.get(&format!("/orders/{n}")).await.text("[data-testid=status]").as_deref(),
        Some("送信待ち"),
        "test send changes nothing"
    );
    b.submit(&format!("/orders/{n}/send"), &format!("/orders/{n}/send"), &[("mode", "silent")])
        .await;
    let detail = b.get(&format!("/orders/{n}")).await;
    assert_eq!(
        detail.text("[data-testid=status]").as_deref(),
        Some("送信済み"),
        "a silent send moves the order on without a mail"
    );

    let ticket = format!("W{}-01", &n[1..]);
    let usage = b.get(&format!("/orders/{n}/tickets/{ticket}/usage?used=1")).await;
    assert!(usage.body.contains("使用状況を変更する"));
    b.submit(
        &format!("/orders/{n}/tickets/{ticket}/usage?used=1"),
        &format!("/orders/{n}/tickets/{ticket}/usage"),
        &[("used", "1")],
    )
    .await;
    let used = b.get(&format!("/orders/{n}")).await;
    assert!(
        used.attr(&format!("[data-testid=unuse-{ticket}]"), "href").is_some(),
        "the ticket can now be un-used"
    );
    assert!(
        used.attr(&format!("[data-testid=use-{ticket}]"), "href").is_none(),
        "and not used again"
    );
}

#[tokio::test]
async fn cancel_request_needs_the_approval_checkbox() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let n = place(&t, &token, "card_capture", "山田 花子", "ヤマダ ハナコ").await["order_number"]
        .as_str()
        .unwrap()
        .to_string();
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = format!("/orders/{n}/do/cancel-request");
    let screen = b.get(&page).await;
    assert!(screen.body.contains("200円+税"));
    let refused = b.submit(&page, &page, &[]).await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("「承認」にチェックを入れてください"));
    let done = b.submit(&page, &page, &[("approve", "1")]).await;
    assert_eq!(done.status, 303);
    assert!(b.get(&format!("/orders/{n}")).await.body.contains("キャンセル申請中"));
}

#[tokio::test]
async fn bulk_confirmation_lists_ok_and_ng_then_processes_ok_rows() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let ok1 = place(&t, &token, "bank_store", "佐藤 健一", "サトウ ケンイチ").await["order_number"]
        .as_str()
        .unwrap()
        .to_string();
    let ng = place(&t, &token, "bank_platform", "山田 花子", "ヤマダ ハナコ").await["order_number"]
        .as_str()
        .unwrap()
        .to_string();
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let confirm = b
        .submit(
            "/orders",
            "/orders/bulk",
            &[("bulk", "mark-paid"), ("order", &ok1), ("order", &ng), ("back", "/orders")],
        )
        .await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains("ウェブチケット受注管理 (入金処理確認)"));
    assert!(confirm.body.contains("入金処理を行う（1件）"), "the button shows the OK count");
    assert!(confirm.body.contains("NG"));
    let done = b
        .submit(
            "/orders",
            "/orders/bulk",
            &[
                ("bulk", "mark-paid"),
                ("execute", "1"),
                ("order", &ok1),
                ("order", &ng),
                ("back", "/orders"),
            ],
        )
        .await;
    assert!(done.body.contains("1 件を処理しました"), "{}", done.body);
    let api = t.api(&token);
    assert_eq!(api.get(&format!("/api/v1/orders/{ok1}")).await.1["status"], "awaiting_send");
    assert_eq!(api.get(&format!("/api/v1/orders/{ng}")).await.1["status"], "unpaid");
}

#[tokio::test]
async fn another_merchants_order_pages_are_not_found() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO2")).await;
    let mut body = json!({
        "product_code": "WT-BASIC", "quantity": 1, "payment_method": "bank_store",
        "customer": {"name": "鈴木 一郎", "kana": "スズキ イチロウ", "email": unique_email("x"), "phone": "090-1234-5678"}
    });
    body["channel"] = json!("OWN");
    let (_, o) = t.api(&token).post("/api/v1/orders", body).await;
    let n = o["order_number"].as_str().unwrap().to_string();
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    for path in [
        format!("/orders/{n}"),
        format!("/orders/{n}/do/mark-paid"),
        format!("/orders/{n}/send"),
    ] {
        assert_eq!(b.get(&path).await.status, 404, "{path}");
    }
    let post = b.submit("/orders", &format!("/orders/{n}/do/mark-paid"), &[]).await;
    assert_eq!(post.status, 404);
    assert!(!b.get("/orders").await.body.contains(&format!("data-order=\"{n}\"")));
    assert_eq!(t.api(&token).get(&format!("/api/v1/orders/{n}")).await.1["status"], "unpaid");
}

#[tokio::test]
async fn in_english_the_list_and_the_order_page_say_statuses_methods_and_usage_in_english() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let o = place(&t, &token, "bank_store", "佐藤 健一", "サトウ ケンイチ").await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b.submit("/orders", "/lang", &[("lang", "en"), ("back", "/orders")]).await;
    let n = o["order_number"].as_str().unwrap();
    for page in [b.get(&format!("/orders?number={n}")).await, b.get(&format!("/orders/{n}")).await] {
        let main = crate::harness::html::texts(&page.body, "main").join(" ");
        for english in ["Unpaid", "Bank transfer (store account)", "Unused"] {
            assert!(main.contains(english), "{english} in {main}");
        }
        for japanese in ["未入金", "前払い銀行払い・店舗口座", "未使用", "送信待ち"] {
            assert!(!main.contains(japanese), "no {japanese} in {main}");
        }
    }
}

/// Japanese in a page's own words (headings, table and list labels, buttons, form labels,
/// disclosures), leaving out what the data says.
fn japanese_labels(body: &str) -> Vec<String> {
    let is_japanese = |c: char| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c);
    // A storefront heading is the product's own name (data), not a label.
    // (a ticket's heading, `h2.data`, is its product's name).
    let headings = if body.contains("data-testid=\"shop-brand\"") {
        "main h2:not(.data)"
    } else {
        "main h1, main h2"
    };
    crate::harness::html::texts(
        body,
        &format!("{headings}, main th, main dt, main button, main label, main legend, main summary"),
    )
    .into_iter()
    .filter(|t| t.chars().any(is_japanese))
    .collect()
}

#[tokio::test]
async fn in_english_the_back_office_screens_words_are_english() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let bank = place(&t, &token, "bank_store", "Sato Kenichi", "サトウ ケンイチ").await;
    let card = place(&t, &token, "card_capture", "Ito Sakura", "イトウ サクラ").await;
    let (_, rsv) = t
        .api(&token)
        .post(
            "/api/v1/orders",
            json!({"product_code": "RSV-LUNCH", "visit_date": "2026-12-01", "party_size": 2, "payment_method": "card_capture", "card_token": "tok_visa",
                   "customer": {"name": "Ueda Jiro", "kana": "ウエダ ジロウ", "email": unique_email("en"), "phone": "090-1234-5678"}}),
        )
        .await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b.submit("/orders", "/lang", &[("lang", "en"), ("back", "/orders")]).await;
    let (n, c, r) = (
        bank["order_number"].as_str().unwrap(),
        card["order_number"].as_str().unwrap(),
        rsv["order_number"].as_str().unwrap(),
    );
    let ticket = card["tickets"][0]["ticket_number"].as_str().unwrap();
    for path in [
        "/".to_string(),
        "/orders".to_string(),
        format!("/orders/{n}"),
        format!("/orders/{r}"),
        format!("/orders/{c}/send"),
        format!("/orders/{n}/do/mark-paid"),
        format!("/orders/{c}/tickets/{ticket}/usage?used=1"),
        "/settings/users".to_string(),
        "/settings/payment".to_string(),
        "/reservations/products/new".to_string(),
        "/no/such/page".to_string(),
        "/shop/DEMO1/WT-BASIC".to_string(),
    ] {
        let page = b.get(&path).await;
        assert_eq!(japanese_labels(&page.body), Vec::<String>::new(), "{path}");
    }
    // The door's outcome is a status too.
    let booking = b.get(&format!("/orders/{r}")).await;
    assert_eq!(booking.text("[data-testid=door-state]").as_deref(), Some("To come"));
    let listed = b.get("/reservations/bookings?visit_from=2026-12-01&visit_to=2026-12-01").await;
    assert_eq!(listed.text(&format!("[data-testid=door-{r}]")).as_deref(), Some("To come"));
    // The buyer's own pages follow the toggle too.
    let token = kippu_app::orders::get(&t.app, &kippu_app::Actor::system(), c)
        .await
        .unwrap()
        .order
        .access_token
        .expect("a storefront order has a buyer link");
    let mine = b.get(&format!("/my/tickets/{token}")).await;
    assert_eq!(mine.status, 200);
    assert_eq!(japanese_labels(&mine.body), Vec::<String>::new(), "my web tickets");
    let bulk = b
        .submit(
            "/orders",
            "/orders/bulk",
            &[("bulk", "mark-paid"), ("order", n), ("back", "/orders")],
        )
        .await;
    assert_eq!(japanese_labels(&bulk.body), Vec::<String>::new(), "bulk confirmation");
}

#[tokio::test]
async fn in_english_a_refusal_says_why_in_english_and_in_japanese_in_japanese() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let n = place(&t, &token, "bank_store", "Sato Kenichi", "サトウ ケンイチ").await["order_number"]
        .as_str()
        .unwrap()
        .to_string();
    let ticket = format!("W{}-01", &n[1..]);
    let (form, action) = (
        format!("/orders/{n}/tickets/{ticket}/usage?used=1"),
        format!("/orders/{n}/tickets/{ticket}/usage"),
    );
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;

    // An unpaid order's ticket cannot be used: the same refusal in the reader's language.
    let ja = b.submit(&form, &action, &[("used", "1")]).await;
    assert_eq!(ja.status, 409);
    assert!(
        ja.body.contains("入金確認前またはキャンセルされた受注のチケットは使用できません"),
        "{}",
        ja.body
    );

    b.submit("/orders", "/lang", &[("lang", "en"), ("back", "/orders")]).await;
    let en = b.submit(&form, &action, &[("used", "1")]).await;
    assert_eq!(en.status, 409);
    assert!(
        en.body.contains("A ticket of an unpaid or cancelled order cannot be used"),
        "{}",
        en.body
    );
    assert!(!en.body.contains("入金確認前"), "{}", en.body);

    // A refusal that ends on the error page (an illegal transition) is English too, menu kept.
    let wrong = b
        .submit(
            &format!("/orders/{n}/do/revert-payment"),
            &format!("/orders/{n}/do/revert-payment"),
            &[],
        )
        .await;
    assert_eq!(wrong.status, 409, "{}", wrong.body);
    let main = crate::harness::html::texts(&wrong.body, "main").join(" ");
    assert!(main.contains("cannot be done to an order that is “Unpaid”"), "{main}");
    assert!(wrong.body.contains("href=\"/orders\""), "the menu stays");
}
