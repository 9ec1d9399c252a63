//! 一括処理 and the order list over the API: every row of a bulk action gets a verdict and only
//! OK rows are processed; the list filters and pages exactly.

use crate::harness::{TestApp, unique_email};
use crate::orders::{number, order_body, place};
use serde_json::json;

#[tokio::test]
async fn bulk_actions_report_every_row_and_process_only_ok_rows() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let store1 = number(&place(&api, "bank_store", &unique_email("b1")).await);
    let venue = number(&place(&api, "pay_at_venue", &unique_email("b2")).await);
    let platform = number(&place(&api, "bank_platform", &unique_email("b3")).await);
    let card = number(&place(&api, "card_capture", &unique_email("b4")).await);
    let other = {
        let b = t.api(&t.token(Some("DEMO2")).await);
        let mut body = order_body("bank_store", &unique_email("b5"));
        body["product_code"] = json!("WT-BASIC");
        number(&b.post("/api/v1/orders", body).await.1)
    };
    let keys = json!([store1, venue, platform, card, "T99999999999999", store1]);
    let (s, dry) = api
        .post("/api/v1/bulk/mark-paid", json!({"order_numbers": keys, "dry_run": true}))
        .await;
    assert_eq!(s, 200, "{dry}");
    let verdicts: Vec<(bool, String)> = dry["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ok"].as_bool().unwrap(), r["reason"].as_str().unwrap_or("").to_string()))
        .collect();
    assert!(verdicts[0].0 && verdicts[1].0, "bank_store and pay_at_venue are eligible: {dry}");
    assert!(!verdicts[2].0 && verdicts[2].1.contains("決済種別"), "bank_platform is not: {dry}");
    assert!(!verdicts[3].0, "already paid card order");
    assert!(!verdicts[4].0 && verdicts[4].1.contains("見つかりません"));
    assert!(!verdicts[5].0 && verdicts[5].1.contains("重複"));
    assert_eq!(dry["ok_count"], 2);
    assert_eq!(dry["done_count"], 0);
    assert_eq!(
        api.get(&format!("/api/v1/orders/{store1}")).await.1["status"],
        "unpaid",
        "a dry run changes nothing"
    );

    // Another merchant's order is unknown here, never processed.
    let (_, r) = api
        .post("/api/v1/bulk/mark-paid", json!({"order_numbers": [other], "dry_run": false}))
        .await;
    assert_eq!(r["rows"][0]["ok"], false);

    // Between the confirmation and the execution, one row is paid by someone else.
    api.post_empty(&format!("/api/v1/orders/{venue}/confirm-payment")).await;
    let (_, done) = api
        .post(
            "/api/v1/bulk/mark-paid",
            json!({"order_numbers": [store1, venue], "dry_run": false}),
        )
        .await;
    assert_eq!(done["rows"][0]["ok"], true);
    assert_eq!(done["rows"][1]["ok"], false, "re-checked and reported: {done}");
    assert_eq!(done["done_count"], 1);
    assert_eq!(api.get(&format!("/api/v1/orders/{store1}")).await.1["status"], "awaiting_send");

    // Tickets: use in bulk.
    let (_, o) = api.get(&format!("/api/v1/orders/{store1}")).await;
    let tickets: Vec<String> = o["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["ticket_number"].as_str().unwrap().to_string())
        .collect();
    let unpaid_ticket = api.get(&format!("/api/v1/orders/{platform}")).await.1["tickets"][0]["ticket_number"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, r) = api
        .post(
            "/api/v1/bulk/use",
            json!({"ticket_numbers": [tickets[0], tickets[1], unpaid_ticket], "dry_run": false}),
        )
        .await;
    assert_eq!(r["done_count"], 2, "{r}");
    assert_eq!(r["rows"][2]["ok"], false);
    assert!(r["rows"][2]["reason"].as_str().unwrap().contains("入金確認前"));
    assert_eq!(r["rows"][0]["ticket_number"], tickets[0].as_str());
}

#[tokio::test]
async fn the_order_list_filters_and_pages() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    for m in ["bank_store", "bank_store", "pay_at_venue", "card_capture"] {
        place(&api, m, &unique_email("list")).await;
    }
    let mut body = order_body("bank_store", &unique_email("list"));
    body["customer"]["name"] = json!("鈴木 一郎");
    body["customer"]["kana"] = json!("スズキ イチロウ");
    api.post("/api/v1/orders", body).await;
    let (_, all) = api.get("/api/v1/orders").await;
    assert_eq!(all["total"], 5);
    let (_, unpaid) = api.get("/api/v1/orders?status=unpaid").await;
    assert_eq!(unpaid["total"], 3);
    let (_, venue) = api.get("/api/v1/orders?payment_method=pay_at_venue").await;
    assert_eq!(venue["total"], 1);
    let (_, suzuki) = api.get("/api/v1/orders?q=スズキ").await;
    assert_eq!(suzuki["total"], 1);
    let n = suzuki["items"][0]["order_number"].as_str().unwrap().to_string();
    let (_, by_number) = api.get(&format!("/api/v1/orders?q={n}")).await;
    assert_eq!(by_number["total"], 1);
    let (_, page2) = api.get("/api/v1/orders?per_page=2&page=2").await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 2);
    let (_, today) = api.get("/api/v1/orders?from=2026-11-24&to=2026-11-24").await;
    assert_eq!(today["total"], 5);
    let (_, tomorrow) = api.get("/api/v1/orders?from=2026-11-25").await;
    assert_eq!(tomorrow["total"], 0);
    let (s, e) = api.get("/api/v1/orders?status=lost").await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["field"], "status");
    // The other merchant sees none of them.
    let (_, other) = t.api(&t.token(Some("DEMO2")).await).get("/api/v1/orders").await;
    assert_eq!(other["total"], 0);
}
