//! 精算 of a month of web tickets, as the merchant and the operator read it: the API's signed
//! lines add up to the payout, and the screen, the CSV and the PDF print the same figures.

use crate::export::pdf_text;
use crate::harness::{Api, Browser, TestApp, unique_email};
use serde_json::{Value, json};
use time::macros::datetime;

async fn order(api: &Api, method: &str) -> (String, i64) {
    let body = json!({"product_code": "WT-BASIC", "quantity": 2, "payment_method": method, "card_token": "tok_visa",
        "customer": {"name": "佐藤 健一", "kana": "サトウ ケンイチ", "email": unique_email("st"), "phone": "090-1234-5678"}});
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    (o["order_number"].as_str().unwrap().to_string(), o["amount"].as_i64().unwrap())
}

async fn act(api: &Api, number: &str, action: &str) {
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{number}/{action}")).await;
    assert_eq!(s, 200, "{action} {number}: {o}");
}

/// Settlement `id` on its screen (read by `reader`), as CSV and as PDF (via `api`), each
/// checked to print `net` as its 入金額; the CSV and the PDF's text, for more checks.
pub async fn statement_documents(reader: &Browser, api: &Api, id: i64, net: i64) -> (String, String) {
    let yen = kippu_domain::Yen(net).display_ja();
    let screen = reader.get(&format!("/reservations/payouts/{id}")).await;
    assert_eq!(screen.text("[data-testid=payout-total]"), Some(yen.clone()), "{}", screen.body);
    let csv = api.get_raw(&format!("/api/v1/settlements/{id}/statement.csv")).await;
    let csv = String::from_utf8(csv.bytes().await.unwrap().to_vec()).unwrap();
    let total_row = csv
        .lines()
        .find(|l| l.starts_with("合計") && l.contains("入金額"))
        .expect("the total row");
    assert!(total_row.contains(&format!(",{net},")), "{total_row}");
    let pdf = api.get_raw(&format!("/api/v1/settlements/{id}/statement.pdf")).await;
    assert_eq!(pdf.status(), 200);
    let text = pdf_text(&pdf.bytes().await.unwrap());
    assert!(text.contains(&format!("入金額 {yen}")), "{text}");
    (csv, text)
}

fn line<'a>(s: &'a Value, kind: &str, number: &str) -> Option<&'a Value> {
    s["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == kind && l["order_number"] == number)
}

#[tokio::test]
async fn a_month_of_web_tickets_is_settled_to_the_yen_on_every_statement() {
    let t = TestApp::spawn().await;
    let own = t.api(&t.token(Some("DEMO1")).await);
    let platform = t.api(&t.token(None).await);
    t.clock.set(datetime!(2026-12-03 10:00 +09:00));
    let (card, a1) = order(&own, "card_capture").await;
    let (platform_bank, a2) = order(&own, "bank_platform").await;
    act(&platform, &platform_bank, "confirm-payment").await;
    let (store_bank, a3) = order(&own, "bank_store").await;
    act(&own, &store_bank, "confirm-payment").await;
    let (refunded, a4) = order(&own, "card_capture").await;
    act(&own, &refunded, "cancel-request").await;
    act(&platform, &refunded, "complete-cancel-request").await;
    let (unpaid, _) = order(&own, "bank_platform").await;

    t.clock.set(datetime!(2027-01-01 00:10 +09:00));
    assert_eq!(kippu_app::jobs::run_due(&t.app).await.unwrap().payouts, 2);

    let (status, list) = own.get("/api/v1/settlements?month=2026-12").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1, "the merchant's own only");
    let s = &list[0];
    assert_eq!((s["merchant"].as_str(), s["period"].as_str()), (Some("DEMO1"), Some("2026-12")));
    assert_eq!(s["payout_date"], "2027-01-31");
    for (number, amount) in [(&card, a1), (&platform_bank, a2), (&store_bank, a3), (&refunded, a4)] {
        assert_eq!(line(s, "ticket_sale", number).unwrap()["amount"], amount, "{number}");
    }
    assert!(line(s, "ticket_sale", &unpaid).is_none(), "an unpaid order is not a sale");
    assert_eq!(
        line(s, "collected_by_merchant", &store_bank).unwrap()["amount"],
        -a3,
        "listed, not paid out"
    );
    assert_eq!(line(s, "cancel_request_fee", &refunded).unwrap()["amount"], -220, "200 yen + tax");
    assert_eq!(line(s, "refund", &refunded).unwrap()["amount"], -a4);

    // 5 % of each sale, rounded down per line; the lines add up to the payout to the yen.
    let fee: i64 = [a1, a2, a3, a4].iter().map(|a| a * 500 / 10_000).sum();
    let net = a1 + a2 + a3 + a4 - fee - a3 - 220 - a4;
    assert_eq!(s["totals"]["platform_fee"], fee);
    assert_eq!(s["totals"]["net"], net);
    assert_eq!(s["payout_amount"], net);
    let sum: i64 = s["lines"].as_array().unwrap().iter().map(|l| l["amount"].as_i64().unwrap()).sum();
    assert_eq!(sum, net);

    // The same figures on the screen, in the CSV and in the PDF.
    let id = s["id"].as_i64().unwrap();
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (csv, text) = statement_documents(&b, &own, id, net).await;
    assert!(csv.contains(&format!("{refunded},,キャンセル申請手数料,-220")), "{csv}");
    assert!(
        text.contains("ウェブチケット売上") && text.contains("キャンセル申請手数料"),
        "{text}"
    );

    // The operator sees every merchant's, or one merchant's; a merchant cannot look at another's.
    let (_, all) = platform.get("/api/v1/settlements?month=2026-12").await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    let (_, one) = platform.get("/api/v1/settlements?month=2026-12&merchant=DEMO1").await;
    assert_eq!(one[0]["id"], id);
    let other = t.api(&t.token(Some("DEMO2")).await);
    assert_eq!(
        other.get_raw(&format!("/api/v1/settlements/{id}/statement.csv")).await.status(),
        404
    );
    let (_, theirs) = other.get("/api/v1/settlements?month=2026-12&merchant=DEMO1").await;
    assert!(theirs.as_array().unwrap().iter().all(|s| s["merchant"] == "DEMO2"), "{theirs}");
    let (bad, e) = own.get("/api/v1/settlements?month=2026-13").await;
    assert_eq!((bad, e["error"]["field"].as_str()), (422, Some("month")));
}
