//! Buyer pages: the storefront, "my web tickets" with real QR codes, the online slip.

use crate::harness::{Browser, TestApp, unique_email};

pub(crate) fn decode_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    // Grey for the e-ticket PNGs; RGB for a page rasterised from PDF (the QR mount).
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[(y * w + x) * channels]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().unwrap().1
}

/// The storefront's plain choice behind a payment method under the demo merchant's settings
/// (card capture, bank transfer to the store's account).
fn choice(method: &str) -> &'static str {
    match method {
        "card_capture" => "card",
        "bank_store" => "bank",
        "pay_at_venue" => "venue",
        other => panic!("DEMO1's storefront does not take {other}"),
    }
}

async fn order_through_the_shop(b: &Browser, method: &str, email: &str) -> String {
    let method = choice(method);
    let confirm = b
        .submit(
            "/shop/DEMO1/WT-BASIC",
            "/shop/DEMO1/WT-BASIC/confirm",
            &[
                ("quantity", "2"),
                ("payment_method", method),
                ("card_token", "tok_visa"),
                ("name", "山田 花子"),
                ("kana", "ヤマダ ハナコ"),
                ("email", email),
                ("phone", "090-1234-5678"),
            ],
        )
        .await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert!(confirm.body.contains("4,000円"));
    let nonce = confirm
        .attr("input[name=nonce]", "value")
        .expect("the confirmation carries a nonce");
    let form = [
        ("nonce", nonce.as_str()),
        ("quantity", "2"),
        ("payment_method", method),
        ("card_token", "tok_visa"),
        ("name", "山田 花子"),
        ("kana", "ヤマダ ハナコ"),
        ("email", email),
        ("phone", "090-1234-5678"),
    ];
    let placed = b.submit("/shop/DEMO1/WT-BASIC", "/shop/DEMO1/WT-BASIC/order", &form).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let to = placed.location.unwrap();
    // Pressing 注文する again (same confirmation screen) makes no second order.
    let again = b.submit("/shop/DEMO1/WT-BASIC", "/shop/DEMO1/WT-BASIC/order", &form).await;
    assert_eq!(again.location.as_deref(), Some(to.as_str()));
    to
}

#[tokio::test]
async fn storefront_order_then_my_tickets_with_scannable_qr_codes() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let shop = b.get("/shop/DEMO1").await;
    assert_eq!(shop.status, 200);
    assert!(shop.body.contains("一般入場券") && shop.body.contains("さくら劇場"));
    assert!(shop.body.contains("ランチコース"), "reservations are on sale too");
    assert!(shop.body.contains("オリジナルタオル"), "goods are on sale too");
    assert!(!shop.body.contains("子育て応援チケット"), "vouchers are not sold here");
    assert_eq!(b.get("/shop/NOPE").await.status, 404);

    let bad = b
        .submit(
            "/shop/DEMO1/WT-BASIC",
            "/shop/DEMO1/WT-BASIC/confirm",
            &[
                ("quantity", "1"),
                ("payment_method", "card"),
                ("card_token", "tok_visa"),
                ("name", "山田"),
                ("kana", "yamada"),
                ("email", "a@b.jp"),
                ("phone", "090-1234-5678"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.text("[data-testid=err-kana]").as_deref(),
        Some("全角カタカナで入力してください"),
        "{}",
        bad.body
    );

    let email = unique_email("shop");
    let my = order_through_the_shop(&b, "card_capture", &email).await;
    assert!(my.starts_with("/my/tickets/") && my.ends_with("?placed=1"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, 1);
    let page = b.get(&my).await;
    assert!(page.body.contains("ご注文ありがとうございます"));
    assert!(page.body.contains("送信待ち"));

    // Each ticket's QR code decodes to the ticket's own unguessable code.
    let token = my.trim_start_matches("/my/tickets/").trim_end_matches("?placed=1").to_string();
    let mut c = t.conn().await;
    let codes: Vec<(String, String)> = sqlx::query_as("SELECT ticket_number, code FROM tickets ORDER BY id")
        .fetch_all(&mut *c)
        .await
        .unwrap();
    assert_eq!(codes.len(), 2);
    for (number, code) in &codes {
        let r = reqwest::get(t.url(&format!("/my/tickets/{token}/qr/{number}.png"))).await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "image/png");
        let decoded = decode_qr(&r.bytes().await.unwrap());
        assert_eq!(&decoded, code);
        assert!(code.len() >= 24, "unguessable");
        assert!(!decoded.contains(number.as_str()));
    }
    assert_eq!(
        reqwest::get(t.url(&format!("/my/tickets/wrong-token/qr/{}.png", codes[0].0)))
            .await
            .unwrap()
            .status(),
        404
    );

    // The customer marks a ticket used on the page.
    let used = b
        .submit(
            &format!("/my/tickets/{token}"),
            &format!("/my/tickets/{token}/use"),
            &[("ticket", &codes[0].0)],
        )
        .await;
    assert_eq!(used.status, 303);
    assert!(b.get(&format!("/my/tickets/{token}")).await.body.contains("使用済み"));
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, orders) = api.get("/api/v1/orders").await;
    assert_eq!(orders["items"][0]["tickets"][0]["usage"], "used");
}

#[tokio::test]
async fn unpaid_orders_show_no_qr_code() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let my = order_through_the_shop(&b, "bank_store", &unique_email("unpaid")).await;
    let token = my.trim_start_matches("/my/tickets/").trim_end_matches("?placed=1").to_string();
    let page = b.get(&format!("/my/tickets/{token}")).await;
    assert!(page.body.contains("お支払いの確認後にQRコードが表示されます"));
    let mut c = t.conn().await;
    let number: String = sqlx::query_scalar("SELECT ticket_number FROM tickets ORDER BY id LIMIT 1")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(
        reqwest::get(t.url(&format!("/my/tickets/{token}/qr/{number}.png")))
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn the_online_slip_takes_the_pin_and_issues_points() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let my = order_through_the_shop(&b, "pay_at_venue", &unique_email("slip")).await;
    let token = my.trim_start_matches("/my/tickets/").trim_end_matches("?placed=1").to_string();
    assert!(b.get(&format!("/my/tickets/{token}")).await.body.contains("オンライン伝票を開く"));
    let slip = format!("/slip/{token}");
    let page = b.get(&slip).await;
    assert!(page.body.contains("暗証番号を入れてポイント発行"));
    let mut c = t.conn().await;
    let pin: String = sqlx::query_scalar("SELECT pin FROM orders").fetch_one(&mut *c).await.unwrap();
    let wrong = if pin == "0000" { "1111" } else { "0000" };
    let refused = b.submit(&slip, &slip, &[("pin", wrong)]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("暗証番号が正しくありません（あと4回"), "{}", refused.body);
    let done = b.submit(&slip, &slip, &[("pin", &pin)]).await;
    assert_eq!(done.status, 200);
    assert!(done.body.contains("領収しました"));
    assert!(done.body.contains("送信済み"));
    assert_eq!(
        t.scalar("SELECT CAST(SUM(points) AS BIGINT) FROM points").await,
        40,
        "1 point per 100 yen of 4,000 yen"
    );
    // A card order has no slip.
    let card = order_through_the_shop(&b, "card_capture", &unique_email("noslip")).await;
    let card_token = card.trim_start_matches("/my/tickets/").trim_end_matches("?placed=1");
    assert_eq!(b.get(&format!("/slip/{card_token}")).await.status, 404);
}

#[tokio::test]
async fn a_declined_card_on_the_storefront_shows_why_and_orders_nothing() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let confirm = b
        .submit(
            "/shop/DEMO1/WT-BASIC",
            "/shop/DEMO1/WT-BASIC/order",
            &[
                ("quantity", "1"),
                ("payment_method", "card"),
                ("card_token", "tok_declined"),
                ("name", "山田 花子"),
                ("kana", "ヤマダ ハナコ"),
                ("email", "d@kippu.test"),
                ("phone", "090-1234-5678"),
                ("nonce", "n1"),
            ],
        )
        .await;
    assert_eq!(confirm.status, 422);
    assert!(confirm.body.contains("カードが承認されませんでした"), "{}", confirm.body);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, 0);
}

#[tokio::test]
async fn merchant_and_buyer_write_in_the_order_thread() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let my = order_through_the_shop(&b, "bank_store", &unique_email("thread")).await;
    let token = my.trim_start_matches("/my/tickets/").trim_end_matches("?placed=1").to_string();
    let page = format!("/my/tickets/{token}");
    let r = b
        .submit(
            &page,
            &format!("{page}/messages"),
            &[("body", "当日は車椅子で伺います。\r\nよろしくお願いします。")],
        )
        .await;
    assert_eq!(r.status, 303);
    let empty = b.submit(&page, &format!("{page}/messages"), &[("body", "   ")]).await;
    assert_eq!(empty.status, 409);
    let m = t.browser();
    m.login("demo1-admin", "Demo1Admin").await;
    // The order behind the buyer's link, as the app answers it.
    let n = kippu_app::orders::get_by_token(&t.app, &token).await.unwrap().order.order_number;
    let detail = m.get(&format!("/orders/{n}")).await;
    assert!(
        detail.body.contains("当日は車椅子で伺います。\nよろしくお願いします。"),
        "{}",
        detail.body
    );
    m.submit(
        &format!("/orders/{n}"),
        &format!("/orders/{n}/messages"),
        &[("body", "承知しました。スロープをご用意します。")],
    )
    .await;
    let mine = b.get(&page).await;
    assert!(mine.body.contains("スロープをご用意します") && mine.body.contains("さくら劇場"));
    // Another merchant cannot write into it.
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(
        other
            .submit("/orders", &format!("/orders/{n}/messages"), &[("body", "x")])
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn three_bad_fields_get_three_messages_each_beside_its_field_and_the_input_stays() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let page = b
        .submit(
            "/shop/DEMO1/WT-BASIC",
            "/shop/DEMO1/WT-BASIC/confirm",
            &[
                ("quantity", "１"),
                ("payment_method", "card"),
                ("card_token", "tok_visa"),
                ("name", "山田 花子"),
                ("kana", "yamada"),
                ("email", "hanako-at-example"),
                ("phone", "12"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    for input in ["kana", "email", "phone"] {
        assert!(
            page.text(&format!("label:has(input[name={input}]) [data-testid=err-{input}]"))
                .is_some(),
            "{input} has its message beside it: {}",
            page.body
        );
    }
    assert_eq!(
        crate::harness::html::texts(&page.body, ".field-error").len(),
        3,
        "the full-width quantity １ is read as 1, so only three fields are wrong"
    );
    assert!(page.text("[data-testid=form-errors]").unwrap().starts_with('3'));
    let links = crate::harness::html::attrs(&page.body, "[data-testid=error-links] a", "href");
    assert_eq!(links.len(), 3, "each error a link down to its field");
    for href in links {
        let id = href.trim_start_matches('#');
        assert!(page.body.contains(&format!("id=\"{id}\"")), "{href} leads to the field's message");
    }
    assert_eq!(page.attr("input[name=email]", "value").as_deref(), Some("hanako-at-example"));
    assert_eq!(page.attr("input[name=name]", "value").as_deref(), Some("山田 花子"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM orders").await, 0);
}

#[tokio::test]
async fn the_storefront_speaks_to_buyers_under_the_merchants_name_in_plain_payment_words() {
    let t = TestApp::spawn().await;
    let page = t.browser().get("/shop/DEMO1/WT-BASIC").await;
    assert_eq!(page.text("[data-testid=shop-brand]").as_deref(), Some("さくら劇場"));
    assert!(!page.body.contains("加盟店バックオフィス"));
    let words = crate::harness::html::texts(&page.body, "ul.radio-list label");
    assert_eq!(words, ["クレジットカード", "銀行振込", "現地払い"]);
    for back_office in ["与信モード", "仮実同時モード", "事務局口座", "店舗口座"] {
        assert!(!page.body.contains(back_office), "{back_office} is the merchant's word");
    }
}

#[tokio::test]
async fn the_merchants_card_mode_decides_what_a_card_order_is() {
    let t = TestApp::spawn().await;
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let saved = admin
        .submit(
            "/settings/payment",
            "/settings/payment",
            &[("card_mode", "card_auth"), ("bank_account", "bank_platform")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let settings = admin.get("/settings/payment").await;
    assert_eq!(
        settings.text("[data-testid=flash-message]").as_deref(),
        Some("決済設定を保存しました。")
    );
    let b = t.browser();
    let my = order_with_choice(&b, "card").await;
    let token = my.trim_start_matches("/my/tickets/").trim_end_matches("?placed=1");
    let o = kippu_app::orders::get_by_token(&t.app, token).await.unwrap().order;
    assert_eq!(o.payment_method, kippu_domain::order::PaymentMethod::CardAuth);
    assert_eq!(o.status, kippu_domain::web_ticket::Status::Authorized);
    let mine = b.get(&format!("/my/tickets/{token}")).await;
    assert!(
        mine.body.contains("クレジットカード") && !mine.body.contains("与信モード"),
        "the buyer's words: {}",
        mine.body
    );
    let my = order_with_choice(&b, "bank").await;
    let token = my.trim_start_matches("/my/tickets/").trim_end_matches("?placed=1");
    let o = kippu_app::orders::get_by_token(&t.app, token).await.unwrap().order;
    assert_eq!(o.payment_method, kippu_domain::order::PaymentMethod::BankPlatform);
}

#[tokio::test]
async fn only_the_admin_sets_payment_and_only_to_a_listed_choice() {
    let t = TestApp::spawn().await;
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let bad = admin
        .submit(
            "/settings/payment",
            "/settings/payment",
            &[("card_mode", "voucher"), ("bank_account", "x")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(crate::harness::html::texts(&bad.body, ".field-error").len(), 2);
    let staff = t.browser();
    staff.login("demo1-staff", "Demo1Staff").await;
    let refused = staff
        .submit(
            "/settings/payment",
            "/settings/payment",
            &[("card_mode", "card_auth"), ("bank_account", "bank_store")],
        )
        .await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn the_storefront_offers_only_the_payment_choices_the_merchant_ticked() {
    let t = TestApp::spawn().await;
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let none = admin
        .submit(
            "/settings/payment",
            "/settings/payment",
            &[("card_mode", "card_capture"), ("bank_account", "bank_store"), ("offers", "1")],
        )
        .await;
    assert_eq!(none.status, 422);
    assert!(none.text("[data-testid=err-offered]").is_some(), "{}", none.body);
    let saved = admin
        .submit(
            "/settings/payment",
            "/settings/payment",
            &[
                ("card_mode", "card_capture"),
                ("bank_account", "bank_store"),
                ("offers", "1"),
                ("offer_card", "on"),
                ("offer_bank", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let settings = admin.get("/settings/payment").await;
    assert!(settings.attr("[data-testid=offer-card]", "checked").is_some());
    assert!(settings.attr("[data-testid=offer-venue]", "checked").is_none());

    let shop = t.browser().get("/shop/DEMO1/WT-BASIC").await;
    let offered = crate::harness::html::attrs(&shop.body, "input[name=payment_method]", "value");
    assert_eq!(offered, ["card", "bank"], "現地払い is no longer offered");
    // A buyer who sends it anyway is told to pick a listed one; nothing is ordered.
    let b = t.browser();
    let form = [
        ("quantity", "1"),
        ("payment_method", "venue"),
        ("name", "山田 花子"),
        ("kana", "ヤマダ ハナコ"),
        ("email", "venue@kippu.test"),
        ("phone", "090-1234-5678"),
    ];
    let refused = b.submit("/shop/DEMO1/WT-BASIC", "/shop/DEMO1/WT-BASIC/confirm", &form).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.text("[data-testid=err-payment_method]").is_some(), "{}", refused.body);
    // A client that does not send the choices (an older form) leaves them as they are.
    admin
        .submit(
            "/settings/payment",
            "/settings/payment",
            &[("card_mode", "card_auth"), ("bank_account", "bank_store")],
        )
        .await;
    let again = crate::harness::html::attrs(
        &t.browser().get("/shop/DEMO1/WT-BASIC").await.body,
        "input[name=payment_method]",
        "value",
    );
    assert_eq!(again, ["card", "bank"]);
}

/// An order of WT-BASIC × 1 with the storefront's plain payment choice; the buyer's link.
async fn order_with_choice(b: &Browser, choice: &str) -> String {
    let form = [
        ("quantity", "1"),
        ("payment_method", choice),
        ("card_token", "tok_visa"),
        ("name", "山田 花子"),
        ("kana", "ヤマダ ハナコ"),
        ("email", "choice@kippu.test"),
        ("phone", "090-1234-5678"),
    ];
    let confirm = b.submit("/shop/DEMO1/WT-BASIC", "/shop/DEMO1/WT-BASIC/confirm", &form).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let nonce = confirm.attr("input[name=nonce]", "value").unwrap();
    let mut placed_form = form.to_vec();
    placed_form.push(("nonce", &nonce));
    let placed = b.submit("/shop/DEMO1/WT-BASIC", "/shop/DEMO1/WT-BASIC/order", &placed_form).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    placed.location.unwrap()
}
