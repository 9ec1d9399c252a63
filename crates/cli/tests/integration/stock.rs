//! Stock per date and slot: range setting, special days, the calendar, the availability import.

use crate::harness::{Browser, TestApp, unique_email};
use serde_json::json;

async fn upload(b: &Browser, csv: &[u8]) -> crate::harness::Page {
    b.upload("/reservations/availability", "/reservations/availability", csv.to_vec())
        .await
}

fn room(date: &str, slot: &str) -> serde_json::Value {
    json!({"product_code": "WT-ROOM", "quantity": 1, "payment_method": "bank_store", "visit_date": date, "time_slot": slot,
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("stock"), "phone": "090-1234-5678"}})
}

#[tokio::test]
async fn ranges_special_days_and_the_calendar() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let cal = "/reservations/products/WT-ROOM/calendar?month=2027-01";
    let set = b
        .submit(
            cal,
            "/reservations/products/WT-ROOM/stock-range",
            &[
                ("from", "2027-01-04"),
                ("to", "2027-01-08"),
                ("slots", "10:00,13:00"),
                ("capacity", "2"),
            ],
        )
        .await;
    assert!(set.body.contains("10枠の在庫を設定しました"), "{}", set.body);
    assert!(set.body.contains("data-date=\"2027-01-05\""));
    assert!(set.body.contains("10:00 2/2"));
    let api = t.api(&t.token(Some("DEMO1")).await);
    assert_eq!(api.post("/api/v1/orders", room("2027-01-05", "10:00")).await.0, 201);
    assert_eq!(
        api.post("/api/v1/orders", room("2027-01-05", "16:00")).await.0,
        409,
        "no such slot that day"
    );

    // A capacity below what is sold is refused with the number sold; nothing changes.
    let below = b
        .submit(
            cal,
            "/reservations/products/WT-ROOM/stock-range",
            &[("from", "2027-01-04"), ("to", "2027-01-06"), ("slots", "10:00"), ("capacity", "0")],
        )
        .await;
    assert_eq!(below.status, 422);
    assert!(
        below
            .body
            .contains("2027-01-05 10:00 はすでに1件売れているため、在庫を0にできません"),
        "{}",
        below.body
    );
    assert!(b.get(cal).await.body.contains("10:00 1/2"), "the sale stays, nothing was applied");

    // 休日設定: every slot of the day to 0, and no more sales; 特定日設定: another number.
    let h = b
        .submit(
            cal,
            "/reservations/products/WT-ROOM/stock-day",
            &[("date", "2027-01-07"), ("kind", "holiday"), ("capacity", "")],
        )
        .await;
    assert!(h.body.contains("2027/01/07(木) を設定しました"), "{}", h.body);
    assert_eq!(api.post("/api/v1/orders", room("2027-01-07", "13:00")).await.0, 409);
    let sp = b
        .submit(
            cal,
            "/reservations/products/WT-ROOM/stock-day",
            &[("date", "2027-01-08"), ("kind", "special"), ("capacity", "5")],
        )
        .await;
    assert!(sp.body.contains("特定日"));
    assert!(b.get(cal).await.body.contains("13:00 5/5"));
    let bad = b
        .submit(
            cal,
            "/reservations/products/WT-ROOM/stock-range",
            &[("from", "2027-02-01"), ("to", "2027-01-01"), ("slots", ""), ("capacity", "1")],
        )
        .await;
    assert_eq!(bad.status, 422);
}

#[tokio::test]
async fn availability_import_is_all_or_nothing_with_line_errors() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let bad = "商品コード,日付,時間枠,在庫数\nWT-ROOM,2027-02-01,10:00,3\nWT-ROOM,2027-02-30,10:00,3\nWT-ROOM,2027-02-02,25:00,3\nWT-ROOM,2027-02-03,10:00,-1\nNOPE,2027-02-04,,1\n";
    let r = upload(&b, bad.as_bytes()).await;
    assert_eq!(r.status, 422);
    for needle in ["3行目 日付", "4行目 時間枠", "5行目 在庫数: 在庫数 -1 は負の数です"] {
        assert!(r.body.contains(needle), "{needle}: {}", r.body);
    }
    assert!(
        !b.get("/reservations/products/WT-ROOM/calendar?month=2027-02")
            .await
            .body
            .contains("10:00 3/3"),
        "nothing applied"
    );
    let unknown = upload(&b, "WT-ROOM,2027-02-01,10:00,3\nNOPE,2027-02-04,,1\n".as_bytes()).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("2行目 商品コード: 商品コード NOPE の商品はありません"));
    assert!(
        !b.get("/reservations/products/WT-ROOM/calendar?month=2027-02")
            .await
            .body
            .contains("10:00 3/3"),
        "rolled back"
    );

    let (cp932, _, _) = encoding_rs::SHIFT_JIS.encode("商品コード,日付,時間枠,在庫数\nWT-ROOM,2027/02/01,10:00,3\nWT-STAY,2027-02-01,,4\n");
    let body = upload(&b, &cp932).await.body;
    assert!(body.contains("2行の在庫を反映しました"), "{body}");
    assert!(
        b.get("/reservations/products/WT-ROOM/calendar?month=2027-02")
            .await
            .body
            .contains("10:00 3/3")
    );
    // Other merchants cannot touch DEMO1's stock: DEMO2's import names its own products only.
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(
        other.get("/reservations/products/WT-ROOM/calendar?month=2027-02").await.status,
        200,
        "DEMO2 has its own WT-ROOM"
    );
    assert!(
        !other
            .get("/reservations/products/WT-ROOM/calendar?month=2027-02")
            .await
            .body
            .contains("10:00 3/3")
    );
}

#[tokio::test]
async fn the_stock_form_shows_every_bad_field_beside_it_and_keeps_what_was_typed() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let cal = "/reservations/products/WT-ROOM/calendar?month=2027-01";
    let bad = b
        .submit(
            cal,
            "/reservations/products/WT-ROOM/stock-range",
            &[
                ("from", "2027-13-01"),
                ("to", "2027-01-08"),
                ("slots", "10:00,25:00"),
                ("capacity", "たくさん"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    for input in ["from", "slots", "capacity"] {
        assert!(bad.text(&format!("[data-testid=err-{input}]")).is_some(), "{input}: {}", bad.body);
    }
    assert!(bad.text("[data-testid=err-to]").is_none(), "a good field has no error");
    assert_eq!(bad.attr("input[name=slots]", "value").as_deref(), Some("10:00,25:00"));
    assert_eq!(bad.attr("input[name=capacity]", "value").as_deref(), Some("たくさん"));
    assert!(b.get(cal).await.body.contains("data-date=\"2027-01-05\""), "the page still renders");

    // Full-width digits are what a Japanese keyboard types: taken as the number they are.
    let ok = b
        .submit(
            cal,
            "/reservations/products/WT-ROOM/stock-range",
            &[("from", "2027-01-04"), ("to", "2027-01-04"), ("slots", ""), ("capacity", "１２")],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("12/12"), "{}", ok.body);

    let day = b
        .submit(
            cal,
            "/reservations/products/WT-ROOM/stock-day",
            &[("date", ""), ("kind", "special"), ("capacity", "x")],
        )
        .await;
    assert_eq!(day.status, 422);
    assert!(day.text("[data-testid=err-day_date]").is_some(), "{}", day.body);
    assert!(day.text("[data-testid=err-day_capacity]").is_some(), "{}", day.body);
}
