//! `POST /api/v1/products`: a connected system creates products of every kind with their first
//! stock, through the same checks as the product form; nothing half-made on a refusal.

use crate::harness::{TestApp, unique_email};
use serde_json::json;

#[tokio::test]
async fn a_web_ticket_and_a_reservation_are_created_with_their_stock_and_sell() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "wt-new", "name": "夜公演 一般", "kind": "web_ticket", "ticket_type": "basic", "price": 3300, "stock": 5}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(
        (p["code"].as_str(), p["stock"].as_i64(), p["tax_rate"].as_i64()),
        (Some("WT-NEW"), Some(5), Some(10))
    );

    let (s, r) = api
        .post(
            "/api/v1/products",
            json!({"code": "RSV-DINNER", "name": "ディナー", "kind": "reservation", "price": 8800, "party_size_max": 6,
                   "cancellation_policy": [{"days_before": 0, "percent_kept": 100}, {"days_before": 2, "percent_kept": 50}],
                   "stock": 10, "stock_range": {"from": "2026-12-01", "to": "2026-12-03", "slots": ["18:00", "20:00"]}}),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["stock"], 60, "3 days × 2 slots × 10");

    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "RSV-DINNER", "visit_date": "2026-12-02", "time_slot": "20:00", "party_size": 2,
                   "payment_method": "card_capture", "card_token": "tok_visa",
                   "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("pa"), "phone": "090-1234-5678"}}),
        )
        .await;
    assert_eq!(s, 201, "the new product sells: {o}");
}

#[tokio::test]
async fn a_bad_product_names_every_field_and_creates_nothing() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, e) = api
        .post(
            "/api/v1/products",
            json!({"code": "x", "name": "", "kind": "reservation", "price": -1, "stock": 3,
                   "stock_range": {"from": "2026-12-05", "to": "2026-12-01"}}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for f in ["code", "name", "price", "to"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    // A dated product's stock needs its dates.
    let (s, e) = api
        .post(
            "/api/v1/products",
            json!({"code": "RSV-Y", "name": "昼", "kind": "reservation", "price": 1000, "stock": 3}),
        )
        .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("range")));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM products WHERE code IN ('X', 'RSV-Y')").await, 0);
    // An OTA's token orders; it does not make products.
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    let (s, _) = ota
        .post(
            "/api/v1/products",
            json!({"code": "WT-OTA", "name": "x", "kind": "web_ticket", "ticket_type": "basic", "price": 1}),
        )
        .await;
    assert_eq!(s, 403);
}

/// Every half hour of a day, `n` of them from 00:00.
fn half_hours(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{:02}:{:02}", (i / 2) % 24, (i % 2) * 30)).collect()
}

#[tokio::test]
async fn a_range_takes_at_most_48_time_slots_and_no_slot_twice() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let product = |code: &str, slots: Vec<String>| {
        json!({"code": code, "name": "コート", "kind": "web_ticket", "ticket_type": "rental", "price": 1000,
               "stock": 1, "stock_range": {"from": "2027-01-01", "to": "2027-12-31", "slots": slots}})
    };
    let mut too_many = half_hours(48);
    too_many.push("23:45".into());
    let (s, e) = api.post("/api/v1/products", product("COURT-A", too_many)).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("slots")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("48個まで"), "{e}");

    let (s, e) = api
        .post(
            "/api/v1/products",
            product("COURT-B", vec!["10:00".into(), "11:00".into(), "10:00".into()]),
        )
        .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("slots")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("10:00 が重複"), "{e}");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM products WHERE code IN ('COURT-A', 'COURT-B')").await,
        0
    );

    // The most one request may carry: a year of every half hour, written in multi-row batches.
    let started = std::time::Instant::now();
    let (s, p) = api.post("/api/v1/products", product("COURT-C", half_hours(48))).await;
    assert_eq!(s, 201, "{p}");
    println!("a year × 48 slots (17,520 stock rows) created in {:?}", started.elapsed());
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM stock WHERE product_id = (SELECT id FROM products WHERE code = 'COURT-C')")
            .await,
        365 * 48
    );
}
