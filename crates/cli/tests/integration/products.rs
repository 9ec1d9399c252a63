//! Products: create, edit, stock, archive, channel listings stopped and resumed.

use crate::harness::{TestApp, unique_email};
use serde_json::json;

fn order(code: &str, channel: &str) -> serde_json::Value {
    json!({"product_code": code, "quantity": 1, "payment_method": "bank_store", "channel": channel,
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("prod"), "phone": "090-1234-5678"}})
}

#[tokio::test]
async fn a_merchant_creates_sells_stops_and_archives_a_product() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let form = [
        ("code", "wt-night"),
        ("name", "夜間入場券"),
        ("jan", ""),
        ("kind", "web_ticket"),
        ("ticket_type", "basic"),
        ("price", "3,000"),
        ("tax_rate", "10"),
        ("party_size_max", ""),
        ("tier_days", "0"),
        ("tier_percent", "100"),
        ("tier_days", "3"),
        ("tier_percent", "50"),
        ("tier_days", ""),
        ("tier_percent", ""),
        ("description", "19時以降"),
    ];
    let created = b.submit("/reservations/products/new", "/reservations/products", &form).await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(created.location.as_deref(), Some("/reservations/products/WT-NIGHT"));
    // Duplicate code, bad price and overlapping policy tiers are refused with the field.
    let dup = b.submit("/reservations/products/new", "/reservations/products", &form).await;
    assert_eq!(dup.status, 422);
    assert_eq!(
        dup.text("[data-testid=err-code]").as_deref(),
        Some("商品コード WT-NIGHT は既にあります"),
        "{}",
        dup.body
    );
    let mut bad = form.to_vec();
    bad[0] = ("code", "WT-X");
    bad[5] = ("price", "三千");
    bad[2] = ("jan", "12");
    let both = b.submit("/reservations/products/new", "/reservations/products", &bad).await;
    assert_eq!(
        both.text("[data-testid=err-price]").as_deref(),
        Some("価格を数字で入力してください")
    );
    assert!(
        both.text("[data-testid=err-jan]").is_some(),
        "every bad field at once: {}",
        both.body
    );
    bad[2] = ("jan", "");
    bad[5] = ("price", "３，０００"); // full-width digits typed with the IME are read as 3000
    bad[8] = ("tier_days", "3");
    bad[9] = ("tier_percent", "50");
    bad[10] = ("tier_days", "3");
    bad[11] = ("tier_percent", "80");
    let overlap = b.submit("/reservations/products/new", "/reservations/products", &bad).await;
    assert!(
        overlap
            .text("[data-testid=err-policy]")
            .unwrap()
            .contains("3日前の段階が重複しています"),
        "{}",
        overlap.body
    );
    // The rows come back as typed, with an empty one to add another.
    let days = crate::harness::html::attrs(&overlap.body, "input[name=tier_days]", "value");
    assert_eq!(days, ["3", "3", ""]);

    // No stock yet: sold out. Set stock, then it sells.
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, e) = api.post("/api/v1/orders", order("WT-NIGHT", "OWN")).await;
    assert_eq!(s, 409, "{e}");
    b.submit(
        "/reservations/products/WT-NIGHT",
        "/reservations/products/WT-NIGHT/stock",
        &[("remaining", "10")],
    )
    .await;
    assert!(
        b.get("/reservations/products/WT-NIGHT")
            .await
            .body
            .contains("data-testid=\"stock\">10<")
    );
    assert_eq!(api.post("/api/v1/orders", order("WT-NIGHT", "OWN")).await.0, 201);

    // Stop the listing on the OTA: orders through it are refused, the own site still sells.
    b.submit(
        "/reservations/products",
        "/reservations/products/WT-NIGHT/listing",
        &[("channel", "OTA1"), ("listed", "0")],
    )
    .await;
    let list = b.get("/reservations/products").await;
    assert!(list.body.contains("掲載停止"));
    let (s, e) = api.post("/api/v1/orders", order("WT-NIGHT", "OTA1")).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"]["code"], "listing_stopped");
    assert_eq!(api.post("/api/v1/orders", order("WT-NIGHT", "OWN")).await.0, 201);
    b.submit(
        "/reservations/products",
        "/reservations/products/WT-NIGHT/listing",
        &[("channel", "OTA1"), ("listed", "1")],
    )
    .await;
    assert_eq!(api.post("/api/v1/orders", order("WT-NIGHT", "OTA1")).await.0, 201);

    // Edit: the price changes for new orders only.
    let mut edit = form.to_vec();
    edit.remove(0);
    edit[4] = ("price", "3500");
    let saved = b
        .submit("/reservations/products/WT-NIGHT", "/reservations/products/WT-NIGHT", &edit)
        .await;
    assert!(saved.body.contains("保存しました"), "{}", saved.body);
    let (_, o) = api.post("/api/v1/orders", order("WT-NIGHT", "OWN")).await;
    assert_eq!(o["amount"], 3500);

    // Archive: off sale everywhere, past orders keep it.
    b.submit(
        "/reservations/products",
        "/reservations/products/WT-NIGHT/archive",
        &[("archived", "1")],
    )
    .await;
    assert_eq!(api.post("/api/v1/orders", order("WT-NIGHT", "OWN")).await.0, 422);
    assert!(!b.get("/shop/DEMO1").await.body.contains("夜間入場券"));
    let (_, orders) = api.get("/api/v1/orders?q=").await;
    assert!(
        orders["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["tickets"][0]["product_name"] == "夜間入場券")
    );
}

#[tokio::test]
async fn staff_cannot_change_products_and_other_merchants_see_nothing() {
    let t = TestApp::spawn().await;
    let staff = t.browser();
    staff.login("demo1-staff", "Demo1Staff").await;
    let list = staff.get("/reservations/products").await;
    assert_eq!(list.status, 200);
    assert!(!list.body.contains("新しい商品"));
    let r = staff
        .submit(
            "/reservations/products",
            "/reservations/products/WT-BASIC/archive",
            &[("archived", "1")],
        )
        .await;
    assert_eq!(r.status, 403);
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    // DEMO2 has its own WT-BASIC; DEMO1's changes never touch it and vice versa.
    other
        .submit(
            "/reservations/products",
            "/reservations/products/WT-BASIC/archive",
            &[("archived", "1")],
        )
        .await;
    let api1 = t.api(&t.token(Some("DEMO1")).await);
    assert_eq!(
        api1.post("/api/v1/orders", order("WT-BASIC", "OWN")).await.0,
        201,
        "DEMO1's product is still on sale"
    );
    assert_eq!(other.get("/reservations/products/NOPE").await.status, 404);
}

#[tokio::test]
async fn an_ota_token_orders_as_its_channel_and_respects_the_listing() {
    let t = TestApp::spawn().await;
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    let mut body = order("WT-BASIC", "OTA1");
    body.as_object_mut().unwrap().remove("channel");
    assert_eq!(ota.post("/api/v1/orders", body.clone()).await.0, 201);
    let (s, e) = ota.post("/api/v1/orders", order("WT-BASIC", "OWN")).await;
    assert_eq!(s, 422, "an OTA cannot order as another channel: {e}");
    assert_eq!(e["error"]["field"], "channel");
    let mut c = t.conn().await;
    let ch: String = sqlx::query_scalar("SELECT c.code FROM orders o JOIN channels c ON c.id = o.channel_id")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(ch, "OTA1");
    drop(c);
    // The merchant stops the product on the OTA: the OTA's orders are refused.
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b.submit(
        "/reservations/products",
        "/reservations/products/WT-BASIC/listing",
        &[("channel", "OTA1"), ("listed", "0")],
    )
    .await;
    let (s, e) = ota.post("/api/v1/orders", body).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"]["code"], "listing_stopped");
    // A channel of another merchant cannot be bound.
    let err = kippu_app::accounts::create_token(&t.app, &kippu_app::Actor::system(), Some("DEMO2"), Some("NOPE"), "x").await;
    assert!(err.is_err());
}
