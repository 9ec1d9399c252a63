//! The reservation screens over HTTP: booking in the storefront with the policy shown first,
//! the customer's cancellation from "my tickets", the order page's
//! force-majeure cancellation and resend, and the payout statement (screen, CSV, PDF).

use crate::harness::{Browser, TestApp, unique_email};
use serde_json::json;
use time::macros::datetime;

pub(crate) async fn staff(t: &TestApp) -> Browser {
    let b = t.browser();
    let p = b.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(p.status, 303, "{}", p.body);
    b
}

fn shop_form<'a>(visit: &'a str, party: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("visit", visit),
        ("quantity", "1"),
        ("party_size", party),
        ("payment_method", "card"),
        ("card_token", "tok_visa"),
        ("name", "山田 花子"),
        ("kana", "ヤマダ ハナコ"),
        ("email", email),
        ("phone", "090-1234-5678"),
    ]
}

#[tokio::test]
async fn a_customer_books_in_the_shop_seeing_the_policy_then_cancels_within_it() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let shop = b.get("/shop/DEMO1").await;
    assert!(shop.body.contains("ランチコース"), "reservations are on sale in the shop");
    let page = b.get("/shop/DEMO1/RSV-LUNCH").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("キャンセルポリシー: 当日: 100%、3日前から: 50%、それ以前: 無料"),
        "{}",
        page.body
    );
    let email = unique_email("shop-rsv");
    let bad = b
        .submit(
            "/shop/DEMO1/RSV-LUNCH",
            "/shop/DEMO1/RSV-LUNCH/confirm",
            &shop_form("2026-11-28", "0", &email),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.text("[data-testid=err-party_size]").unwrap().starts_with("人数は1〜"),
        "{}",
        bad.body
    );
    let confirm = b
        .submit(
            "/shop/DEMO1/RSV-LUNCH",
            "/shop/DEMO1/RSV-LUNCH/confirm",
            &shop_form("2026-11-28", "2", &email),
        )
        .await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert!(confirm.body.contains("8,800円") && confirm.body.contains("data-testid=\"confirm-policy\""));
    let nonce = confirm
        .attr("input[name=nonce]", "value")
        .expect("the confirmation carries a nonce");
    let mut form = shop_form("2026-11-28", "2", &email);
    form.push(("nonce", &nonce));
    let placed = b.submit("/shop/DEMO1/RSV-LUNCH", "/shop/DEMO1/RSV-LUNCH/order", &form).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let my = placed.location.unwrap();
    let token = my.trim_start_matches("/my/tickets/").split('?').next().unwrap().to_string();

    // Four days before: free; the page says so and the customer cancels.
    let page = b.get(&format!("/my/tickets/{token}")).await;
    assert!(
        page.body.contains("今なら無料でキャンセルできます（8,800円 を返金します）"),
        "{}",
        page.body
    );
    assert!(page.body.contains("data-testid=\"my-eticket-id\""));
    // Two days before: the fee applies and is shown before the button.
    t.clock.set(datetime!(2026-11-26 09:00 +09:00));
    let page = b.get(&format!("/my/tickets/{token}")).await;
    assert!(page.body.contains("キャンセル料 4,400円（50%）"), "{}", page.body);
    let done = b
        .submit(&format!("/my/tickets/{token}"), &format!("/my/tickets/{token}/cancel"), &[])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = b.get(&format!("/my/tickets/{token}")).await;
    assert!(page.body.contains("キャンセル済み"), "{}", page.body);
    assert!(!page.body.contains("data-testid=\"my-cancel\""));
    // The merchant's order page shows it cancelled by the customer with the fee kept.
    let s = staff(&t).await;
    let number = t
        .scalar("SELECT CAST(substr(order_number, 2) AS BIGINT) FROM orders WHERE kind = 'reservation'")
        .await;
    let detail = s.get(&format!("/orders/T{number:014}")).await;
    assert!(
        detail.body.contains("お客様によるキャンセル キャンセル料 4,400円 返金 4,400円"),
        "{}",
        detail.body
    );
}

#[tokio::test]
async fn past_the_window_the_customer_sees_why_they_cannot_cancel() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "RSV-LUNCH", "visit_date": "2026-11-24", "party_size": 2, "payment_method": "card_capture", "card_token": "tok_visa",
                   "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("late"), "phone": "090-1234-5678"}}),
        )
        .await;
    let token: String = {
        let mut c = t.conn().await;
        sqlx::query_scalar("SELECT access_token FROM orders WHERE order_number = $1")
            .bind(o["order_number"].as_str().unwrap())
            .fetch_one(&mut *c)
            .await
            .unwrap()
    };
    let b = t.browser();
    let page = b.get(&format!("/my/tickets/{token}")).await;
    assert!(
        page.body
            .contains("来店日当日はキャンセル料が100%のため、お客様によるキャンセルはお受けできません"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("data-testid=\"my-cancel\""));
    let refused = b
        .submit(&format!("/my/tickets/{token}"), &format!("/my/tickets/{token}/cancel"), &[])
        .await;
    assert_eq!(refused.status, 409);
}

#[tokio::test]
async fn the_order_page_cancels_for_force_majeure_and_resends_the_eticket() {
    let t = TestApp::spawn().await;
    let own = t.api(&t.token(Some("DEMO1")).await);
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    let body = json!({"product_code": "RSV-LUNCH", "visit_date": "2026-11-30", "party_size": 2, "payment_method": "card_capture", "card_token": "tok_visa",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("fm"), "phone": "090-1234-5678"}});
    let (_, a) = own.post("/api/v1/orders", body.clone()).await;
    let (_, b) = ota.post("/api/v1/orders", body).await;
    let (a, b) = (a["order_number"].as_str().unwrap(), b["order_number"].as_str().unwrap());
    let s = staff(&t).await;
    let page = s.get(&format!("/orders/{a}")).await;
    assert!(page.body.contains("data-testid=\"resend\"") && page.body.contains("data-testid=\"cancel-reservation\""));
    let ota_page = s.get(&format!("/orders/{b}")).await;
    assert!(!ota_page.body.contains("data-testid=\"resend\""), "no resend for OTA bookings");
    let resent = s.submit(&format!("/orders/{a}"), &format!("/orders/{a}/resend"), &[]).await;
    assert_eq!(resent.location.as_deref(), Some(format!("/orders/{a}").as_str()));
    let after = s.get(&format!("/orders/{a}")).await;
    assert!(
        after.text("[data-testid=flash-message]").unwrap().contains("再送しました"),
        "{}",
        after.body
    );
    let refused = s.submit(&format!("/orders/{b}"), &format!("/orders/{b}/resend"), &[]).await;
    assert_eq!(refused.status, 422);
    let missing = s
        .submit(
            &format!("/orders/{a}"),
            &format!("/orders/{a}/reservation-cancel"),
            &[("reason", "other"), ("reason_text", " ")],
        )
        .await;
    assert_eq!(missing.status, 422);
    assert!(
        missing.body.contains("「その他」の場合は理由を入力してください"),
        "{}",
        missing.body
    );
    let done = s
        .submit(
            &format!("/orders/{a}"),
            &format!("/orders/{a}/reservation-cancel"),
            &[("reason", "other"), ("reason_text", "停電のため")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = s.get(&format!("/orders/{a}")).await;
    assert!(
        page.body.contains("加盟店によるキャンセル（理由: その他（停電のため））"),
        "{}",
        page.body
    );
    assert!(page.body.contains("予約をキャンセルしました"));
    assert!(!page.body.contains("data-testid=\"cancel-reservation\""));
}

/// Numbers of the statement's total block, as (label, yen) in order.
fn totals_from_csv(csv_text: &str) -> Vec<(String, i64)> {
    let mut r = csv::ReaderBuilder::new().from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|x| x.unwrap())
        .filter(|x| &x[0] == "合計")
        .map(|x| (x[5].to_string(), x[6].parse().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_months_statement_pdf_and_csv_match_each_other() {
    let t = TestApp::spawn().await;
    let own = t.api(&t.token(Some("DEMO1")).await);
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    // December: the demo's own sales are November's.
    t.clock.set(datetime!(2026-12-01 10:00 +09:00));
    let mut eticket = Vec::new();
    for (api, method, party) in [
        (&own, "card_capture", 2),
        (&ota, "card_capture", 3),
        (&own, "pay_at_venue", 1),
        (&ota, "card_capture", 4),
    ] {
        let (s, o) = api
            .post(
                "/api/v1/orders",
                json!({"product_code": "RSV-LUNCH", "visit_date": "2026-12-04", "party_size": party, "payment_method": method, "card_token": "tok_visa",
                       "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("st"), "phone": "090-1234-5678"}}),
            )
            .await;
        assert_eq!(s, 201, "{o}");
        eticket.push(o["eticket_id"].as_str().unwrap().to_string());
    }
    t.clock.set(datetime!(2026-12-04 18:00 +09:00));
    for id in &eticket[..3] {
        assert_eq!(own.post("/api/v1/redemptions", json!({"code": id})).await.0, 200);
    }
    t.clock.set(datetime!(2027-01-01 03:00 +09:00));
    kippu_app::jobs::run_due(&t.app).await.unwrap();
    let s = staff(&t).await;
    let list = s.get("/reservations/payouts").await;
    assert!(
        list.body.contains("2026-12-01 〜 2026-12-31") && list.body.contains("2027-01-31"),
        "{}",
        list.body
    );
    let id = t
        .scalar("SELECT s.id FROM settlements s JOIN merchants m ON m.id = s.merchant_id WHERE m.code = 'DEMO1'")
        .await;
    let page = s.get(&format!("/reservations/payouts/{id}")).await;
    assert_eq!(page.status, 200);
    let csv_text = s.get(&format!("/reservations/payouts/{id}/statement.csv")).await.body;
    let totals = totals_from_csv(&csv_text);
    // 2+3+4 people used or no-show (4,400 yen each) plus 1 paid at the venue.
    let get = |label: &str| totals.iter().find(|(l, _)| l == label).unwrap().1;
    assert_eq!(get("予約（利用・ノーショー）"), 10 * 4400);
    assert_eq!(get("店舗受領済み"), -4400);
    assert_eq!(
        get("プラットフォーム手数料"),
        -(8800 * 5 / 100 + 13200 * 5 / 100 + 4400 * 5 / 100 + 17600 * 5 / 100)
    );
    assert_eq!(get("入金額"), 44000 - 2200 - 4400);

    let pdf = s
        .client
        .get(format!("{}/reservations/payouts/{id}/statement.pdf", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let text = crate::export::pdf_text(&pdf.bytes().await.unwrap());
    assert!(text.contains("精算明細書") && text.contains("さくら劇場"), "{text}");
    // Every figure of the CSV's total block is printed in the PDF, with its label.
    for (label, v) in &totals {
        let yen = kippu_domain::Yen(*v).display_ja();
        assert!(
            text.lines().any(|l| l.contains(label.as_str()) && l.contains(&yen)),
            "PDF lacks {label} {yen}:\n{text}"
        );
    }
    // Each channel's part adds up to the total in both documents.
    let channel_nets: i64 = csv::ReaderBuilder::new()
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|x| x.unwrap())
        .filter(|x| &x[0] == "小計" && &x[5] == "入金額")
        .map(|x| x[6].parse::<i64>().unwrap())
        .sum();
    assert_eq!(channel_nets, get("入金額"));
    // CP932 for Excel: same figures.
    let sjis = s
        .client
        .get(format!("{}/reservations/payouts/{id}/statement.csv?encoding=cp932", t.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(&sjis);
    assert!(!bad);
    assert_eq!(totals_from_csv(&decoded), totals);
    // Only the platform records the transfer, once.
    let refused = s
        .submit(
            &format!("/reservations/payouts/{id}"),
            &format!("/reservations/payouts/{id}/paid"),
            &[],
        )
        .await;
    assert_eq!(refused.status, 403, "the platform-only answer, as everywhere");
    let op = t.browser();
    assert_eq!(op.login("operator", "Operator2026").await.status, 303);
    let page = op.get(&format!("/reservations/payouts/{id}")).await;
    assert!(
        page.body.contains("お支払い予定") && page.body.contains("data-testid=\"payout-paid\""),
        "{}",
        page.body
    );
    let paid = op
        .submit(
            &format!("/reservations/payouts/{id}"),
            &format!("/reservations/payouts/{id}/paid"),
            &[],
        )
        .await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    let again = op
        .post(&format!("/reservations/payouts/{id}/paid"), &[("_csrf", &page.csrf())])
        .await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("すでにお支払い済みです"), "{}", again.body);
    assert!(s.get("/reservations/payouts").await.body.contains("お支払い済み"));
    // Another merchant does not see this payout.
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(other.get(&format!("/reservations/payouts/{id}")).await.status, 404);
    assert_eq!(other.get(&format!("/reservations/payouts/{id}/statement.csv")).await.status, 404);
}

#[tokio::test]
async fn the_platform_sets_fee_rates_and_merchants_cannot() {
    let t = TestApp::spawn().await;
    let p = t.browser();
    assert_eq!(p.login("operator", "Operator2026").await.status, 303);
    let bad = p
        .submit(
            "/reservations/payouts",
            "/reservations/payouts/fee",
            &[("merchant", "DEMO1"), ("fee_percent", "7.555")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("小数点以下2桁まで"), "{}", bad.body);
    let ok = p
        .submit(
            "/reservations/payouts",
            "/reservations/payouts/fee",
            &[("merchant", "DEMO1"), ("fee_percent", "7.5")],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(t.scalar("SELECT platform_fee_bp FROM merchants WHERE code = 'DEMO1'").await, 750);
    let s = staff(&t).await;
    let refused = s
        .submit(
            "/reservations/payouts",
            "/reservations/payouts/fee",
            &[("merchant", "DEMO1"), ("fee_percent", "0")],
        )
        .await;
    assert_eq!(refused.status, 404);
    assert_eq!(t.scalar("SELECT platform_fee_bp FROM merchants WHERE code = 'DEMO1'").await, 750);
}

#[tokio::test]
async fn the_calendar_shows_what_each_day_sold() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    for (party, method) in [(2, "card_capture"), (3, "bank_store"), (4, "card_auth")] {
        if method.starts_with("card") {
            t.card_mode("DEMO1", method).await;
        }
        let (s, o) = api
            .post(
                "/api/v1/orders",
                json!({"product_code": "RSV-LUNCH", "visit_date": "2026-12-03", "party_size": party, "payment_method": method, "card_token": "tok_visa",
                       "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("cal"), "phone": "090-1234-5678"}}),
            )
            .await;
        assert_eq!(s, 201, "{o}");
        if party == 4 {
            let n = o["order_number"].as_str().unwrap();
            assert_eq!(
                api.post(&format!("/api/v1/orders/{n}/cancel"), json!({"reason": "weather"}))
                    .await
                    .0,
                200
            );
        }
    }
    let s = staff(&t).await;
    let cal = s.get("/reservations/products/RSV-LUNCH/calendar?month=2026-12").await;
    assert_eq!(cal.status, 200);
    let day = cal.text("td[data-date=\"2026-12-03\"]").expect("the calendar has the 3rd");
    let day = day.as_str();
    assert!(day.contains("15/20"), "20 seats, 5 taken (the cancelled party's 4 are back): {day}");
    assert!(day.contains("販売 5（2件）22,000円"), "{day}");
}

#[tokio::test]
async fn the_reservation_panels_speak_english_after_the_toggle() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let pages = [
        ("/reservations/products", "商品コード", "Product code"),
        ("/reservations/products/RSV-LUNCH", "キャンセルポリシー", "Cancellation policy"),
        (
            "/reservations/products/RSV-LUNCH/calendar",
            "期間でまとめて設定",
            "Set a date range",
        ),
        ("/reservations/availability", "取り込む", "Import"),
        (
            "/reservations/payouts",
            "前月1ヶ月間の売上",
            "Sales you took yourself (pay at venue, your own account) are listed but not paid out",
        ),
    ];
    for (path, ja, _) in pages {
        let p = b.get(path).await;
        assert_eq!(p.status, 200, "{path}");
        assert!(p.body.contains(ja), "{path} in Japanese: {}", p.body);
    }
    b.submit(
        "/reservations/products",
        "/lang",
        &[("lang", "en"), ("back", "/reservations/products")],
    )
    .await;
    for (path, ja, en) in pages {
        let p = b.get(path).await;
        assert_eq!(p.status, 200, "{path}");
        assert!(p.body.contains(en) && !p.body.contains(ja), "{path} in English: {}", p.body);
        assert!(!p.body.contains(">?<"), "{path} has a missing label");
    }
}
