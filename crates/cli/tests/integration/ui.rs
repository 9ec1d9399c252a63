//! The admin shell: navigation per role, language toggle, CSRF, body limit, cookies.

use crate::harness::TestApp;

const MERCHANT_AREAS: [(&str, &str); 7] = [
    ("/orders", "ウェブチケット受注管理"),
    ("/reservations", "予約・引き換え"),
    ("/shipping", "出荷"),
    ("/proxy", "代理注文管理"),
    ("/vouchers", "電子チケット利用実績"),
    ("/settlements", "精算管理"),
    ("/settings", "設定"),
];

/// The settings pages only administrators open (issue 25 item 8).
const ADMIN_ONLY_PAGES: [&str; 9] = [
    "/settings/templates",
    "/settings/outbox",
    "/settings/outbox/rows",
    "/settings/audit",
    "/settings/users",
    "/settings/stores",
    "/settings/merchant",
    "/settings/payment",
    "/settings/goods",
];

#[tokio::test]
async fn every_area_of_the_navigation_opens() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-staff", "Demo1Staff").await;
    let home = b.get("/").await;
    for (href, label) in MERCHANT_AREAS {
        assert!(home.body.contains(&format!("href=\"{href}\"")), "nav has {href}");
        let p = b.get(href).await;
        assert_eq!(p.status, 200, "{href}");
        assert!(p.body.contains(label), "{href} shows {label}");
        assert!(p.body.contains("aria-current=\"page\""), "{href} is highlighted");
    }
    // 管理者専用: staff see none of the settings pages (terminal passcodes, users, the outbox's
    // mails with their sign-in links, the audit log, the merchant's bank account).
    for sub in ADMIN_ONLY_PAGES {
        assert_eq!(b.get(sub).await.status, 403, "staff on {sub}");
    }
    let settings = b.get("/settings").await;
    assert!(settings.body.contains("href=\"/password/change\""), "staff find their own account");
    assert!(!settings.body.contains("href=\"/settings/stores\""), "and no admin-only link");
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    for sub in ADMIN_ONLY_PAGES {
        assert_eq!(admin.get(sub).await.status, 200, "the admin on {sub}");
    }
    assert!(
        admin.get("/settings/stores").await.body.contains("data-testid"),
        "the admin sees the stores"
    );
    // Platform pages do not exist for a merchant user.
    assert_eq!(b.get("/platform/merchants").await.status, 403);
    assert_eq!(b.get("/platform/deposits").await.status, 403);
}

/// What each area of a merchant's navigation holds: real screens only, never a 準備中 card
/// (DEVELOPERS.md: an area not built has no menu item).
#[tokio::test]
async fn every_area_shows_its_real_content_and_none_says_coming() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let links = |body: &str| crate::harness::html::attrs(body, "[data-testid=area-links] a", "href");
    let orders = b.get("/orders").await;
    assert!(
        orders.text("[data-testid=order-search]").is_some() && orders.text("[data-testid=list-total]").is_some(),
        "the order list with its search"
    );
    let reservations = b.get("/reservations").await;
    assert!(!reservations.body.contains("準備中"));
    for screen in [
        "/reservations/bookings",
        "/reservations/door",
        "/reservations/products",
        "/reservations/channels",
        "/reservations/payouts",
    ] {
        assert!(links(&reservations.body).iter().any(|h| h == screen), "{screen}");
    }
    let shipping = b.get("/shipping").await;
    assert!(!shipping.body.contains("準備中"));
    assert!(links(&shipping.body).iter().any(|h| h == "/shipping/orders"));
    assert!(
        b.get("/shipping/orders").await.text("[data-testid=goods-tabs]").is_some(),
        "the goods list with its tabs"
    );
    let vouchers = b.get("/vouchers").await;
    assert!(!vouchers.body.contains("準備中"), "電子チケット is built");
    for screen in [
        "/vouchers/payments",
        "/vouchers/monthly",
        "/vouchers/daily",
        "/vouchers/settlement",
        "/vouchers/export",
    ] {
        assert!(links(&vouchers.body).iter().any(|h| h == screen), "{screen}");
    }
    for (area, screen) in [("/proxy", "/proxy/customers"), ("/settlements", "/reservations/payouts")] {
        let page = b.get(area).await;
        assert!(!page.body.contains("準備中"), "{area} promises nothing it lacks");
        assert!(links(&page.body).iter().any(|h| h == screen), "{area} leads to {screen}");
        assert_eq!(b.get(screen).await.status, 200, "{screen} is a built screen");
    }
    let settings = b.get("/settings").await;
    for screen in [
        "/settings/templates",
        "/settings/users",
        "/settings/merchant",
        "/settings/stores",
        "/settings/payment",
    ] {
        assert!(settings.body.contains(&format!("href=\"{screen}\"")), "{screen}");
    }
    // Each screen behind them shows what it manages.
    assert!(b.get("/settings/users").await.body.contains("data-user=\"demo1-staff\""));
    assert!(b.get("/settings/stores").await.body.contains("data-store="), "the demo's stores");
    assert!(b.get("/settings/templates").await.body.contains("パスワード再設定"));
    assert!(b.get("/settings/audit").await.text("[data-testid=audit-sentence]").is_some());
    assert!(b.get("/proxy/customers").await.body.contains("山田 花子"));
    assert!(b.get("/reservations/products").await.body.contains("RSV-LUNCH"));
}

#[tokio::test]
async fn the_platform_operator_has_its_own_areas() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("operator", "Operator2026").await;
    let merchants = b.get("/platform/merchants").await;
    assert_eq!(merchants.status, 200);
    assert!(merchants.body.contains("DEMO1") && merchants.body.contains("DEMO2"));
    for p in [
        "/platform/deposits",
        "/platform/cancel-requests",
        "/platform/bank-account",
        "/settlements",
        "/settings",
        "/settings/outbox",
    ] {
        assert_eq!(b.get(p).await.status, 200, "{p}");
    }
    assert_eq!(b.get("/orders").await.status, 404, "merchant areas are not the operator's");
}

#[tokio::test]
async fn language_toggle_is_remembered() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    assert!(b.get("/orders").await.body.contains("ウェブチケット受注管理"));
    let r = b.submit("/orders", "/lang", &[("lang", "en"), ("back", "/orders")]).await;
    assert_eq!(r.location.as_deref(), Some("/orders"));
    let en = b.get("/orders").await;
    assert!(en.body.contains("Web-ticket orders"), "{}", en.body);
    assert!(en.body.contains("lang=\"en\""));
    // A new browser (no language cookie) gets the account's remembered choice.
    let fresh = t.browser();
    fresh.login("demo1-admin", "Demo1Admin").await;
    assert!(fresh.get("/orders").await.body.contains("Web-ticket orders"));
    // An offsite "back" is not followed.
    let r = b.submit("/orders", "/lang", &[("lang", "ja"), ("back", "//evil.example/")]).await;
    assert_eq!(r.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn forms_without_the_right_csrf_token_change_nothing() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.get("/login").await;
    let no_token = b.post("/login", &[("login_id", "demo1-admin"), ("password", "Demo1Admin")]).await;
    assert_eq!(no_token.status, 403);
    assert!(no_token.body.contains("不正な送信"));
    let tampered = b
        .post(
            "/login",
            &[
                ("_csrf", "x".repeat(32).as_str()),
                ("login_id", "demo1-admin"),
                ("password", "Demo1Admin"),
            ],
        )
        .await;
    assert_eq!(tampered.status, 403);
    assert_eq!(b.get("/orders").await.status, 303, "not signed in");

    b.login("demo1-admin", "Demo1Admin").await;
    let id = t.first_customer("DEMO1").await;
    let before = b.get(&format!("/proxy/customers/{id}")).await;
    let forged = b
        .post(
            &format!("/proxy/customers/{id}"),
            &[
                ("_csrf", "forged-token-forged-token-forged"),
                ("name", "改ざん"),
                ("kana", "カイザン"),
                ("email", "x@example.jp"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    let after = b.get(&format!("/proxy/customers/{id}")).await;
    assert_eq!(before.body, after.body, "nothing changed");
}

#[tokio::test]
async fn session_cookie_is_httponly_and_samesite_lax() {
    let t = TestApp::spawn().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let login = client.get(t.url("/login")).send().await.unwrap();
    let html = login.text().await.unwrap();
    let page = crate::harness::Page {
        status: 200,
        location: None,
        body: html,
    };
    let r = client
        .post(t.url("/login"))
        .form(&[
            ("_csrf", page.csrf().as_str()),
            ("login_id", "demo1-admin"),
            ("password", "Demo1Admin"),
        ])
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("kippu_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let big = "x".repeat(2 * 1024 * 1024);
    let p = b.post("/login", &[("login_id", big.as_str())]).await;
    assert_eq!(p.status, 413);
    assert!(p.body.contains("大きすぎます"));
}

#[tokio::test]
async fn static_assets_are_served_from_the_binary() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let htmx = b.get("/static/htmx.min.js").await;
    assert_eq!(htmx.status, 200);
    assert!(htmx.body.contains("htmx"));
    assert_eq!(b.get("/static/app.css").await.status, 200);
    // Added to a phone's home screen (the FAQ's advice), kippu opens like an app.
    let login = b.get("/login").await;
    assert!(login.body.contains(r#"<link rel="manifest" href="/static/manifest.webmanifest">"#));
    let manifest = b.get("/static/manifest.webmanifest").await;
    assert_eq!(manifest.status, 200);
    let m: serde_json::Value = serde_json::from_str(&manifest.body).expect("the manifest is JSON");
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["shortcuts"][0]["url"], "/reservations/door");
    let icon = m["icons"][0]["src"].as_str().unwrap();
    let icon = b.get(icon).await;
    assert_eq!(icon.status, 200);
    assert!(icon.body.starts_with("<svg"));
}

#[tokio::test]
async fn the_operator_edits_a_merchants_fee_rate_where_the_list_shows_it() {
    let t = TestApp::spawn().await;
    let op = t.browser();
    op.login("operator", "Operator2026").await;
    let set = op
        .submit("/platform/merchants", "/platform/merchants/DEMO1/fee", &[("fee_percent", "６.５")])
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    let list = op.get("/platform/merchants").await;
    assert_eq!(list.attr("[data-testid=fee-DEMO1]", "value").as_deref(), Some("6.50"));
    assert!(
        list.text("[data-testid=flash-message]")
            .unwrap()
            .starts_with("DEMO1: 手数料率を変更しました")
    );
    // A rate per kind of sale: web tickets apart from reservations.
    let both = op
        .submit(
            "/platform/merchants",
            "/platform/merchants/DEMO1/fee",
            &[("fee_percent", "6.5"), ("ticket_fee_percent", "３")],
        )
        .await;
    assert_eq!(both.status, 303, "{}", both.body);
    let list = op.get("/platform/merchants").await;
    assert_eq!(list.attr("[data-testid=fee-DEMO1]", "value").as_deref(), Some("6.50"));
    assert_eq!(list.attr("[data-testid=ticket-fee-DEMO1]", "value").as_deref(), Some("3.00"));
    let bad = op
        .submit("/platform/merchants", "/platform/merchants/DEMO2/fee", &[("fee_percent", "abc")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text("[data-testid=err-fee-DEMO2]").is_some(), "{}", bad.body);
    let merchant = t.browser();
    merchant.login("demo1-admin", "Demo1Admin").await;
    let refused = merchant
        .submit("/orders", "/platform/merchants/DEMO1/fee", &[("fee_percent", "0")])
        .await;
    assert_eq!(refused.status, 404);
}

#[tokio::test]
async fn the_customer_form_names_every_bad_field_beside_it_and_keeps_the_input() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let id = t.first_customer("DEMO1").await;
    let page = format!("/proxy/customers/{id}");
    let bad = b
        .submit(
            &page,
            &page,
            &[
                ("name", "山田 花子"),
                ("kana", "yamada"),
                ("email", "nope"),
                ("phone", "12"),
                ("postal_code", ""),
                ("address", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    for f in ["kana", "email", "phone"] {
        assert!(bad.text(&format!("[data-testid=err-{f}]")).is_some(), "{f}: {}", bad.body);
    }
    assert_eq!(crate::harness::html::texts(&bad.body, ".field-error").len(), 3);
    assert_eq!(bad.attr("input[name=email]", "value").as_deref(), Some("nope"));
}
