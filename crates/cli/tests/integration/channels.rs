//! 販売チャネル: a merchant adds an OTA (every product stopped there until resumed), issues the
//! token its connection orders with, revokes it; staff and other merchants change nothing.

use crate::harness::{TestApp, unique_email};
use serde_json::json;

fn lunch() -> serde_json::Value {
    json!({"product_code": "RSV-LUNCH", "visit_date": "2026-12-03", "party_size": 2, "payment_method": "card_capture", "card_token": "tok_visa",
           "customer": {"name": "Emma Smith", "kana": "エマ スミス", "email": unique_email("ota2"), "phone": "090-1234-5678"}})
}

fn issued_token(body: &str) -> String {
    crate::harness::html::texts(body, "[data-testid=issued-token]")
        .into_iter()
        .next()
        .expect("the token is shown")
}

#[tokio::test]
async fn a_merchant_adds_an_ota_issues_its_token_lists_products_and_revokes() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = b.get("/reservations/channels").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-channel=\"OWN\"") && page.body.contains("data-channel=\"OTA1\""));

    // Bad input: clear messages, nothing added.
    for (code, name, msg) in [
        ("x", "じゃらん", "チャネルコードは2〜20文字"),
        ("OTA 2", "じゃらん", "チャネルコードは2〜20文字"),
        ("OTA1", "じゃらん", "チャネルコード OTA1 は既にあります"),
        ("OTA2", "  ", "入力してください"),
    ] {
        let r = b
            .submit(
                "/reservations/channels",
                "/reservations/channels",
                &[("code", code), ("name", name)],
            )
            .await;
        assert_eq!(r.status, 422, "{code}");
        assert!(r.body.contains(msg), "{code}: {}", r.body);
    }
    // Both fields wrong: both said at once, each beside its input, and what was typed stays.
    let both = b
        .submit("/reservations/channels", "/reservations/channels", &[("code", "x"), ("name", "")])
        .await;
    assert_eq!(both.status, 422);
    assert!(both.text("[data-testid=err-code]").unwrap().contains("チャネルコードは2〜20文字"));
    assert_eq!(both.text("[data-testid=err-name]").as_deref(), Some("入力してください"));
    assert_eq!(both.attr("input[name=code]", "value").as_deref(), Some("x"));
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM channels WHERE merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1')")
            .await,
        2
    );

    let added = b
        .submit(
            "/reservations/channels",
            "/reservations/channels",
            &[("code", "ota2"), ("name", "じゃらん（OTA）")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let page = b.get("/reservations/channels").await;
    assert!(page.body.contains("data-channel=\"OTA2\"") && page.body.contains("じゃらん（OTA）"));
    assert!(
        page.body.contains("data-testid=\"listed-OTA2\">0<"),
        "a new OTA sells nothing yet: {}",
        page.body
    );
    let products = b.get("/reservations/products").await;
    assert!(products.body.contains("data-testid=\"listing-RSV-LUNCH-OTA2\""));

    // Its token, shown once; orders through a stopped listing are refused.
    let issued = b
        .submit(
            "/reservations/channels",
            "/reservations/channels/OTA2/tokens",
            &[("name", "じゃらん連携")],
        )
        .await;
    assert_eq!(issued.status, 200, "{}", issued.body);
    let token = issued_token(&issued.body);
    assert!(token.starts_with("kpt_"));
    assert!(!b.get("/reservations/channels").await.body.contains(&token), "never shown again");
    let ota = t.api(&token);
    let (s, e) = ota.post("/api/v1/orders", lunch()).await;
    assert_eq!(s, 409, "{e}");
    assert_eq!(e["error"]["code"], "listing_stopped");

    b.submit(
        "/reservations/products",
        "/reservations/products/RSV-LUNCH/listing",
        &[("channel", "OTA2"), ("listed", "1")],
    )
    .await;
    let (s, o) = ota.post("/api/v1/orders", lunch()).await;
    assert_eq!(s, 201, "{o}");
    let mut c = t.conn().await;
    let ch: String = sqlx::query_scalar("SELECT c.code FROM orders o JOIN channels c ON c.id = o.channel_id WHERE o.order_number = $1")
        .bind(o["order_number"].as_str().unwrap())
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(ch, "OTA2");
    let token_id: i64 = sqlx::query_scalar("SELECT id FROM api_tokens WHERE name = 'じゃらん連携'")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    drop(c);
    let page = b.get("/reservations/channels").await;
    assert!(page.body.contains("data-testid=\"listed-OTA2\">1<"));

    // Another merchant can neither revoke it nor bind a token to DEMO1's channel.
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert!(!other.get("/reservations/channels").await.body.contains("data-channel=\"OTA2\""));
    let revoke = format!("/reservations/channels/tokens/{token_id}/revoke");
    assert_eq!(other.submit("/reservations/channels", &revoke, &[]).await.status, 404);
    assert_eq!(
        other
            .submit("/reservations/channels", "/reservations/channels/OTA2/tokens", &[("name", "x")])
            .await
            .status,
        404
    );
    assert_eq!(ota.post("/api/v1/orders", lunch()).await.0, 201, "still valid");

    // Staff see the channels but change nothing.
    let staff = t.browser();
    staff.login("demo1-staff", "Demo1Staff").await;
    let seen = staff.get("/reservations/channels").await;
    assert!(seen.body.contains("data-channel=\"OTA2\"") && !seen.body.contains("data-testid=\"add-channel\""));
    assert_eq!(staff.submit("/reservations/channels", &revoke, &[]).await.status, 403);
    assert_eq!(
        staff
            .submit(
                "/reservations/channels",
                "/reservations/channels",
                &[("code", "OTA3"), ("name", "x")]
            )
            .await
            .status,
        403
    );

    // The admin revokes it: the connection is shut out.
    let r = b.submit("/reservations/channels", &revoke, &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(ota.post("/api/v1/orders", lunch()).await.0, 401);
    assert_eq!(
        b.submit("/reservations/channels", &revoke, &[]).await.status,
        404,
        "already revoked"
    );
}
