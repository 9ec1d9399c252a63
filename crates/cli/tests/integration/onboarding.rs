//! A fresh install without demo data run by a platform operator: onboard a merchant (screen,
//! API, CLI), its admin signs in with the emailed initial password and changes it, fills its
//! 加盟店情報 and bank account, adds a store and a terminal, invites staff; suspending shuts its
//! staff, storefront and API out with the reason, and resuming lets them back. Nothing is lost.

use crate::harness::{Browser, TestApp, unique_email, wait_for_mail};
use kippu_domain::account::Role;
use serde_json::json;

/// The platform's first operator, created as README says (`kippu user create`), signed in with a
/// changed password.
async fn operator(t: &TestApp) -> Browser {
    let initial = t.create_user(Role::PlatformOperator, None, "op-first", "").await;
    let b = t.browser();
    b.login("op-first", &initial).await;
    change_password(&b, "Operator2026").await;
    b
}

async fn change_password(b: &Browser, new: &str) {
    let done = b
        .submit(
            "/password/change",
            "/password/change",
            &[("new_password", new), ("confirm_password", new)],
        )
        .await;
    assert!(done.status == 303 || done.status == 200, "{}: {}", done.status, done.body);
}

fn sakura(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("code", "sakura".into()),
        ("name", "さくら劇場".into()),
        ("kana", "さくらげきじょう".into()),
        ("email", email.into()),
        ("phone", "０３－１２３４－５６７８".into()),
        ("contact_name", "桜井 一郎".into()),
        ("invoice_number", "T1234567890123".into()),
        ("admin_login", "sakura-admin".into()),
        ("admin_email", String::new()),
    ]
}

async fn onboard(op: &Browser, fields: &[(&'static str, String)]) -> crate::harness::Page {
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    op.submit("/platform/merchants", "/platform/merchants", &form).await
}

#[tokio::test]
async fn an_operator_onboards_a_merchant_whose_admin_signs_in_with_the_emailed_password() {
    let t = TestApp::spawn_bare().await;
    assert_eq!(t.scalar("SELECT COUNT(*) FROM merchants").await, 0, "no demo data");
    let op = operator(&t).await;
    let email = unique_email("onboard");

    let page = onboard(&op, &sakura(&email)).await;
    assert_eq!(page.status, 201, "{}", page.body);
    let password = page.text("[data-testid=onboarded-password]").expect("the password, shown once");
    assert_eq!(page.text("[data-testid=onboarded-login]").as_deref(), Some("sakura-admin"));
    assert_eq!(page.text("[data-testid=status-SAKURA]").as_deref(), Some("稼働中"));
    assert!(
        op.get("/platform/merchants")
            .await
            .text("[data-testid=onboarded-password]")
            .is_none(),
        "never shown again"
    );

    let mail = wait_for_mail(&email, 0).await;
    assert_eq!(mail.subject, "【kippu】さくら劇場 の加盟店登録が完了しました");
    assert!(mail.body.contains(&format!("初期パスワード: {password}")), "{}", mail.body);
    assert!(mail.body.contains("ログインID: sakura-admin"));

    let admin = t.browser();
    let first = admin.login("sakura-admin", &password).await;
    assert_eq!(first.location.as_deref(), Some("/password/change"), "forced change at first login");
    change_password(&admin, "Sakura2026pw").await;
    assert_eq!(admin.get("/").await.status, 200);
    // The profile was stored as normalised: kana in katakana, the phone half-width.
    let profile = admin.get("/settings/merchant").await;
    assert_eq!(profile.attr("input[name=kana]", "value").as_deref(), Some("サクラゲキジョウ"));
    assert_eq!(profile.attr("input[name=phone]", "value").as_deref(), Some("03-1234-5678"));
    assert_eq!(
        profile.attr("input[name=invoice_number]", "value").as_deref(),
        Some("T1234567890123")
    );
    // Its own-site channel exists, so the storefront can sell as soon as products are listed.
    assert!(admin.get("/reservations/channels").await.body.contains("data-channel=\"OWN\""));
}

#[tokio::test]
async fn the_onboarding_form_names_every_bad_field_and_creates_nothing() {
    let t = TestApp::spawn_bare().await;
    let op = operator(&t).await;
    let mut bad = sakura("not-an-email");
    bad[0].1 = "x".into();
    bad[2].1 = "Sakura".into();
    bad[6].1 = "123".into();
    let page = onboard(&op, &bad).await;
    assert_eq!(page.status, 422);
    for input in ["code", "kana", "email", "invoice_number"] {
        assert!(page.text(&format!("[data-testid=err-{input}]")).is_some(), "{input}: {}", page.body);
    }
    assert_eq!(
        page.attr("input[name=name]", "value").as_deref(),
        Some("さくら劇場"),
        "the input stays"
    );
    assert_eq!(t.scalar("SELECT COUNT(*) FROM merchants").await, 0);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM users WHERE login_id = 'sakura-admin'").await, 0);

    // A code or a login ID already used is refused on its field; nothing half-made stays.
    assert_eq!(onboard(&op, &sakura(&unique_email("a"))).await.status, 201);
    let mut again = sakura(&unique_email("b"));
    again[7].1 = "other-admin".into();
    let dup = onboard(&op, &again).await;
    assert_eq!(dup.status, 422);
    assert!(dup.text("[data-testid=err-code]").unwrap().contains("SAKURA"), "{}", dup.body);
    let mut taken_login = sakura(&unique_email("c"));
    taken_login[0].1 = "UME".into();
    let dup_login = onboard(&op, &taken_login).await;
    assert_eq!(dup_login.status, 422);
    assert!(dup_login.text("[data-testid=err-admin_login]").is_some(), "{}", dup_login.body);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM merchants").await, 1, "UME was not half-created");
}

/// SAKURA onboarded over the API; its admin signed in with a changed password.
async fn sakura_with_admin(t: &TestApp) -> (crate::harness::Api, Browser) {
    let platform = t.api(&t.token(None).await);
    // The API contract's four fields are enough.
    let (status, body) = platform
        .post(
            "/api/v1/merchants",
            json!({"code": "SAKURA", "name": "さくら劇場", "admin_login": "sakura-admin", "admin_email": unique_email("api")}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let admin = t.browser();
    admin.login("sakura-admin", body["initial_password"].as_str().unwrap()).await;
    change_password(&admin, "Sakura2026pw").await;
    (platform, admin)
}

#[tokio::test]
async fn the_admin_keeps_the_profile_and_a_masked_bank_account() {
    let t = TestApp::spawn_bare().await;
    let (_, admin) = sakura_with_admin(&t).await;
    let form = |number: &'static str| {
        vec![
            ("name", "さくら劇場"),
            ("kana", "サクラゲキジョウ"),
            ("email", "info@sakura.example"),
            ("bank_name", "みずほ銀行"),
            ("branch_name", "渋谷支店"),
            ("account_kind", "ordinary"),
            ("account_number", number),
            ("account_holder", "ｻｸﾗｹﾞｷｼﾞｮｳ"),
        ]
    };
    let bad = admin
        .submit(
            "/settings/merchant",
            "/settings/merchant",
            &[("name", ""), ("kana", "x"), ("email", "x")],
        )
        .await;
    assert_eq!(bad.status, 422);
    for input in [
        "name",
        "kana",
        "email",
        "bank_name",
        "branch_name",
        "account_number",
        "account_holder",
    ] {
        assert!(bad.text(&format!("[data-testid=err-{input}]")).is_some(), "{input}: {}", bad.body);
    }
    let saved = admin.submit("/settings/merchant", "/settings/merchant", &form("9876543")).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = admin.get("/settings/merchant").await;
    let shown = page.text("[data-testid=bank-now]").unwrap();
    assert!(shown.contains("****543") && shown.contains("サクラゲキジョウ"), "{shown}");
    assert!(!page.body.contains("9876543"), "the whole number never reaches the page");
    // Saving again without a number keeps it.
    assert_eq!(
        admin.submit("/settings/merchant", "/settings/merchant", &form("")).await.status,
        303
    );
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM merchants WHERE bank_account_number = '9876543'")
            .await,
        1
    );
    // The audit log keeps the masked number only.
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%9876543%' OR before_json LIKE '%9876543%'")
            .await,
        0
    );
}

#[tokio::test]
async fn the_admin_adds_a_store_and_a_terminal_with_a_six_digit_passcode() {
    let t = TestApp::spawn_bare().await;
    let (_, admin) = sakura_with_admin(&t).await;
    let bad = admin
        .submit("/settings/stores", "/settings/stores", &[("code", "x"), ("name", "")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text("[data-testid=err-code]").is_some() && bad.text("[data-testid=err-name]").is_some());
    let added = admin
        .submit(
            "/settings/stores",
            "/settings/stores",
            &[
                ("code", "sakura_00001"),
                ("name", "さくら劇場 本館"),
                ("address", "東京都渋谷区1-2-3"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let t1 = admin
        .submit("/settings/stores", "/settings/stores/SAKURA_00001/terminals", &[("name", "受付1")])
        .await;
    assert_eq!(t1.status, 303, "{}", t1.body);
    let page = admin.get("/settings/stores").await;
    assert!(page.text("[data-testid=flash-message]").unwrap().contains("SAKURA_00001-T01"));
    let passcode = page.text("[data-testid=passcode-SAKURA_00001-T01]").unwrap();
    assert_eq!(passcode.len(), 6);
    assert!(passcode.chars().all(|c| c.is_ascii_digit()), "{passcode}");
    let (_, stores) = t.api(&t.token(Some("SAKURA")).await).get("/api/v1/stores").await;
    assert_eq!(stores[0]["terminals"][0]["passcode"], passcode.as_str());
    // Another merchant's store is not found.
    assert_eq!(
        admin
            .submit("/settings/stores", "/settings/stores/NOPE/terminals", &[("name", "x")])
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_suspended_merchant_is_refused_everywhere_with_the_reason_and_resumed_intact() {
    let t = TestApp::spawn_bare().await;
    let (platform, admin) = sakura_with_admin(&t).await;
    let token = t.token(Some("SAKURA")).await;
    let api = t.api(&token);
    assert_eq!(api.get("/api/v1/me").await.0, 200);
    let op = operator(&t).await;

    let done = op.submit("/platform/merchants", "/platform/merchants/SAKURA/suspend", &[]).await;
    assert_eq!(done.status, 303);
    assert_eq!(
        op.get("/platform/merchants").await.text("[data-testid=status-SAKURA]").as_deref(),
        Some("停止中")
    );
    // The open session ends; signing in again says why.
    assert!(admin.get("/orders").await.location.unwrap().starts_with("/login"));
    let again = t.browser().login("sakura-admin", "Sakura2026pw").await;
    assert_eq!(again.status, 403);
    assert!(again.body.contains("この加盟店は現在ご利用を停止しています"), "{}", again.body);
    let (status, body) = api.get("/api/v1/me").await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("merchant_suspended")));
    let shop = t.browser().get("/shop/SAKURA").await;
    assert_eq!(shop.status, 403);
    assert!(shop.body.contains("この加盟店は現在ご利用を停止しています"));
    // Suspending twice is refused with the reason.
    let (twice, e) = platform.post_empty("/api/v1/merchants/SAKURA/suspend").await;
    assert_eq!((twice, e["error"]["code"].as_str()), (409, Some("conflict")));

    let (status, body) = platform.post_empty("/api/v1/merchants/SAKURA/resume").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("active")), "{body}");
    assert_eq!(api.get("/api/v1/me").await.0, 200);
    assert_eq!(
        t.browser().login("sakura-admin", "Sakura2026pw").await.location.as_deref(),
        Some("/")
    );
    // A merchant's token cannot onboard or suspend.
    assert_eq!(api.post_empty("/api/v1/merchants/SAKURA/suspend").await.0, 403);
}

/// An order of `method` on the storefront's API for SAKURA's web ticket, paid as the flow says.
async fn paid_order(api: &crate::harness::Api, platform: &crate::harness::Api, method: &str) -> (String, i64) {
    let body = json!({"product_code": "WT-SAKURA", "quantity": 2, "payment_method": method, "card_token": "tok_visa",
        "customer": {"name": "佐藤 健一", "kana": "サトウ ケンイチ", "email": unique_email("flow"), "phone": "090-1234-5678"}});
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap().to_string();
    let step = match method {
        "card_auth" => Some((api, "capture")),
        "bank_platform" => Some((platform, "confirm-payment")),
        "bank_store" => Some((api, "confirm-payment")),
        "pay_at_venue" => Some((api, "receive")),
        _ => None,
    };
    if let Some((who, action)) = step {
        let (s, r) = who.post_empty(&format!("/api/v1/orders/{number}/{action}")).await;
        assert_eq!(s, 200, "{action}: {r}");
    }
    (number, o["amount"].as_i64().unwrap())
}

#[tokio::test]
async fn from_an_empty_database_to_a_settled_month_checked_to_the_yen() {
    let t = TestApp::spawn_bare().await;
    let op = operator(&t).await;
    let page = onboard(&op, &sakura(&unique_email("full"))).await;
    let password = page.text("[data-testid=onboarded-password]").unwrap();
    let admin = t.browser();
    admin.login("sakura-admin", &password).await;
    change_password(&admin, "Sakura2026pw").await;

    // Staff by invitation: the link in the email sets the password.
    let staff_email = unique_email("staff");
    let invited = admin
        .submit(
            "/settings/users",
            "/settings/users",
            &[
                ("login_id", "sakura-staff"),
                ("display_name", "佐藤 次郎"),
                ("email", &staff_email),
                ("role", "merchant_staff"),
            ],
        )
        .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let mail = wait_for_mail(&staff_email, 0).await;
    let start = mail.body.find("/password/reset/").unwrap();
    let link = mail.body[start..].split_whitespace().next().unwrap().to_string();
    let staff = t.browser();
    staff
        .submit(&link, &link, &[("new_password", "Jiro2026pw"), ("confirm_password", "Jiro2026pw")])
        .await;
    assert_eq!(staff.login("sakura-staff", "Jiro2026pw").await.location.as_deref(), Some("/"));

    // A store, a terminal, the card mode.
    admin
        .submit(
            "/settings/stores",
            "/settings/stores",
            &[("code", "SAKURA_00001"), ("name", "本館")],
        )
        .await;
    admin
        .submit("/settings/stores", "/settings/stores/SAKURA_00001/terminals", &[("name", "受付")])
        .await;
    assert!(
        admin
            .get("/settings/stores")
            .await
            .text("[data-testid=passcode-SAKURA_00001-T01]")
            .is_some()
    );
    let mode = admin
        .submit(
            "/settings/payment",
            "/settings/payment",
            &[("card_mode", "card_auth"), ("bank_account", "bank_platform")],
        )
        .await;
    assert_eq!(mode.status, 303, "{}", mode.body);

    // A product over the API, and an order of every payment method, each paid as its flow says.
    let api = t.api(&t.token(Some("SAKURA")).await);
    let platform = t.api(&t.token(None).await);
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "WT-SAKURA", "name": "さくら劇場 入場券", "kind": "web_ticket", "ticket_type": "basic", "price": 3300, "stock": 100}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let mut paid = Vec::new();
    for method in ["card_capture", "card_auth", "bank_platform", "bank_store", "pay_at_venue"] {
        // The card mode governs every channel: the merchant's 与信モード, switched for a moment
        // to take one order of the other mode.
        if method.starts_with("card") {
            t.card_mode("SAKURA", method).await;
        }
        paid.push((method, paid_order(&api, &platform, method).await));
    }
    // The storefront's 「クレジットカード」 takes the merchant's card mode: an authorization.
    let buyer = t.browser();
    let form = [
        ("quantity", "1"),
        ("payment_method", "card"),
        ("card_token", "tok_visa"),
        ("name", "山田 花子"),
        ("kana", "ヤマダ ハナコ"),
        ("email", "buyer@sakura.example"),
        ("phone", "090-1234-5678"),
    ];
    let confirm = buyer
        .submit("/shop/SAKURA/WT-SAKURA", "/shop/SAKURA/WT-SAKURA/confirm", &form)
        .await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let nonce = confirm.attr("input[name=nonce]", "value").unwrap();
    let mut placed = form.to_vec();
    placed.push(("nonce", &nonce));
    let done = buyer
        .submit("/shop/SAKURA/WT-SAKURA", "/shop/SAKURA/WT-SAKURA/order", &placed)
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let (_, list) = api.get("/api/v1/orders?q=buyer%40sakura.example").await;
    let shop_order = &list["items"][0];
    assert_eq!(shop_order["payment_method"], "card_auth", "{list}");
    assert_eq!(shop_order["status"], "authorized", "authorized, not yet a sale");

    // December 1st: the month's settlement, every yen.
    t.clock.set(time::macros::datetime!(2026-12-01 00:10 +09:00));
    assert_eq!(kippu_app::jobs::run_due(&t.app).await.unwrap().payouts, 1);
    let (_, settled) = api.get("/api/v1/settlements?month=2026-11").await;
    let s = &settled[0];
    let sales: i64 = paid.iter().map(|(_, (_, a))| a).sum();
    let fee: i64 = paid.iter().map(|(_, (_, a))| a * 500 / 10_000).sum();
    let collected: i64 = paid
        .iter()
        .filter(|(m, _)| matches!(*m, "bank_store" | "pay_at_venue"))
        .map(|(_, (_, a))| a)
        .sum();
    assert_eq!(s["totals"]["ticket_sales"], sales, "{s}");
    assert_eq!(s["totals"]["platform_fee"], fee);
    assert_eq!(s["totals"]["collected_by_merchant"], collected);
    let net = sales - fee - collected;
    assert_eq!(s["payout_amount"], net);
    let shop_number = shop_order["order_number"].as_str().unwrap();
    assert!(
        s["lines"].as_array().unwrap().iter().all(|l| l["order_number"] != shop_number),
        "an uncaptured authorization is not settled"
    );
    let id = s["id"].as_i64().unwrap();
    let again = t.browser(); // a week later: a new session
    again.login("sakura-admin", "Sakura2026pw").await;
    let (_, text) = crate::settlements::statement_documents(&again, &api, id, net).await;
    assert!(text.contains("さくら劇場"), "{text}");
}

#[tokio::test]
async fn an_api_onboarding_missing_several_fields_names_every_one() {
    let t = TestApp::spawn_bare().await;
    let platform = t.api(&t.token(None).await);
    let (status, body) = platform.post("/api/v1/merchants", json!({"kana": "サクラ"})).await;
    assert_eq!(status, 422, "{body}");
    let named: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("every bad field")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    for field in ["code", "name", "admin_login"] {
        assert!(named.contains(&field), "{field} in {body}");
    }
    assert_eq!(t.scalar("SELECT COUNT(*) FROM merchants").await, 0, "nothing half-created");
}
