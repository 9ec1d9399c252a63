//! 予約一覧: the merchant's reservations by visit date, searched, with the day's people, the
//! door's outcome of each, a CSV of the whole search; another merchant sees none of them.

use crate::harness::{TestApp, unique_email};
use serde_json::{Value, json};
use time::macros::datetime;

fn booking(date: &str, party: i64, name: &str, kana: &str) -> Value {
    json!({"product_code": "RSV-LUNCH", "visit_date": date, "party_size": party, "payment_method": "card_capture", "card_token": "tok_visa",
           "customer": {"name": name, "kana": kana, "email": unique_email("list"), "phone": "090-2222-3333"}})
}

fn orders_in(body: &str) -> Vec<String> {
    crate::harness::html::attrs(body, "tr[data-order]", "data-order")
}

#[tokio::test]
async fn the_reservation_list_searches_sums_the_day_and_exports() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    let (_, a) = api
        .post("/api/v1/orders", booking("2026-12-05", 2, "青木 一郎", "アオキ イチロウ"))
        .await;
    let (_, b) = api
        .post("/api/v1/orders", booking("2026-12-05", 4, "井上 花子", "イノウエ ハナコ"))
        .await;
    let (_, c) = api
        .post("/api/v1/orders", booking("2026-12-05", 3, "上田 次郎", "ウエダ ジロウ"))
        .await;
    let (_, d) = ota
        .post("/api/v1/orders", booking("2026-12-06", 1, "Emma Brown", "エマ ブラウン"))
        .await;
    let (_, e) = api
        .post("/api/v1/orders", booking("2026-12-04", 2, "遠藤 三郎", "エンドウ サブロウ"))
        .await;
    let number = |o: &Value| o["order_number"].as_str().unwrap().to_string();
    let (s, _) = api.post_empty(&format!("/api/v1/orders/{}/cancel", number(&c))).await;
    assert_eq!(s, 200);

    // On the 5th: the list opens on what is still to come, from today, in visit order.
    t.clock.set(datetime!(2026-12-05 01:00 UTC));
    let (s, r) = api
        .post("/api/v1/redemptions", json!({"code": b["eticket_id"], "party_size": 3}))
        .await;
    assert_eq!(s, 200, "{r}");
    let br = t.browser();
    br.login("demo1-admin", "Demo1Admin").await;
    let page = br.get("/reservations/bookings").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let listed = orders_in(&page.body);
    assert_eq!(
        listed,
        vec![number(&a), number(&b), number(&c), number(&d)],
        "from today, by visit date; the 4th is past"
    );
    assert!(page.body.contains("value=\"2026-12-05\""), "the search shows its default date");

    // Today's figures: people booked (the cancelled booking left out) and people who came.
    let today = br.get("/reservations/bookings?visit_from=2026-12-05&visit_to=2026-12-05").await;
    assert_eq!(orders_in(&today.body).len(), 3);
    assert!(today.body.contains("data-testid=\"people-booked\">6<"), "2 + 4: {}", today.body);
    assert!(today.body.contains("data-testid=\"people-came\">3<"));
    assert!(today.body.contains(&format!(
        "data-testid=\"door-{}\">引き換え済み 2026/12/05(土) 10:00（3名）",
        number(&b)
    )));
    assert!(today.body.contains(&format!("data-testid=\"door-{}\">未来店", number(&a))));

    // Searches: state, channel, name or kana, e-ticket ID, order number.
    let only = |q: &'static str| {
        let br = &br;
        async move { orders_in(&br.get(&format!("/reservations/bookings?{q}")).await.body) }
    };
    assert_eq!(only("visit_from=&state=cancelled").await, vec![number(&c)]);
    assert_eq!(only("visit_from=&state=redeemed").await, vec![number(&b)]);
    assert_eq!(only("visit_from=&channel=OTA1").await, vec![number(&d)]);
    assert_eq!(
        only("visit_from=&name=%E3%82%A4%E3%83%8E%E3%82%A6%E3%82%A8").await,
        vec![number(&b)],
        "by kana イノウエ"
    );
    let by_id = orders_in(
        &br.get(&format!(
            "/reservations/bookings?visit_from=&eticket_id={}",
            a["eticket_id"].as_str().unwrap()
        ))
        .await
        .body,
    );
    assert_eq!(by_id, vec![number(&a)]);
    let by_number = orders_in(
        &br.get(&format!("/reservations/bookings?visit_from=&order_number={}", number(&e)))
            .await
            .body,
    );
    assert_eq!(by_number, vec![number(&e)], "past bookings are found when asked for");

    // The sweep turns the 4th's booking into a no-show; the list says so.
    t.clock.set(datetime!(2026-12-06 01:00 UTC));
    kippu_app::jobs::no_show_sweep(&t.app).await.unwrap();
    br.login("demo1-admin", "Demo1Admin").await; // a day later the session has expired
    let past = br.get("/reservations/bookings?visit_from=2026-12-04&visit_to=2026-12-04").await;
    assert!(
        past.body.contains(&format!("data-testid=\"door-{}\">ノーショー", number(&e))),
        "{}",
        past.body
    );
    assert_eq!(
        only("visit_from=2026-12-04&state=no_show").await,
        vec![number(&e), number(&a)],
        "the unredeemed of the 4th and 5th; not the cancelled one, not the redeemed one"
    );

    // Bad input: clear messages.
    for (q, msg) in [
        ("visit_from=2026-13-01", "日付は YYYY-MM-DD で入力してください"),
        ("visit_from=2026-12-06&visit_to=2026-12-01", "来店日の終わりが始まりより前です"),
        ("eticket_id=12a", "電子チケットIDは6桁の数字です"),
        ("state=gone", "状況 gone はありません"),
    ] {
        let r = br.get(&format!("/reservations/bookings?{q}")).await;
        assert_eq!(r.status, 422, "{q}");
        assert!(r.body.contains(msg), "{q}: {}", r.body);
    }

    // The CSV is the whole search, in visit order.
    let csv = br
        .client
        .get(t.url("/reservations/bookings/export.csv?visit_from=2026-12-05&visit_to=2026-12-06&encoding=cp932"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=Shift_JIS");
    let bytes = csv.bytes().await.unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(&rd.headers().unwrap()[0], "来店日");
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let numbers: Vec<&str> = rows.iter().map(|r| &r[2]).collect();
    assert_eq!(numbers, vec![number(&a), number(&b), number(&c), number(&d)]);
    assert_eq!(&rows[1][7], "3", "the party that came");
    assert!(rows[1][15].starts_with("引き換え済み"));
    assert_eq!(&rows[2][15], "キャンセル");
    assert_eq!(&rows[3][12], "たびらく（OTA）");
    let refused = br
        .client
        .get(t.url("/reservations/bookings/export.csv?visit_from=soon"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422, "a bad search is refused before the download");

    // Another merchant sees none of it.
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    let theirs = other
        .get(&format!("/reservations/bookings?visit_from=&order_number={}", number(&a)))
        .await;
    assert_eq!(theirs.status, 200);
    assert!(orders_in(&theirs.body).is_empty());
    let theirs = other
        .client
        .get(t.url("/reservations/bookings/export.csv?visit_from=&encoding=utf-8"))
        .send()
        .await
        .unwrap();
    let text = theirs.text().await.unwrap();
    assert!(!text.contains(&number(&a)) && !text.contains("青木"), "{text}");
}

#[tokio::test]
async fn the_api_lists_a_days_reservations_for_its_merchant_only() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, a) = api
        .post("/api/v1/orders", booking("2026-12-08", 2, "青木 一郎", "アオキ イチロウ"))
        .await;
    let (_, b) = api
        .post("/api/v1/orders", booking("2026-12-08", 5, "井上 花子", "イノウエ ハナコ"))
        .await;
    t.clock.set(datetime!(2026-12-08 02:00 UTC));
    let (s, _) = api
        .post("/api/v1/redemptions", json!({"code": a["eticket_id"], "party_size": 2}))
        .await;
    assert_eq!(s, 200);
    let (s, l) = api.get("/api/v1/reservations?visit_from=2026-12-08&visit_to=2026-12-08").await;
    assert_eq!(s, 200, "{l}");
    assert_eq!(l["total"], 2);
    assert_eq!(l["people_booked"], 7);
    assert_eq!(l["people_came"], 2);
    let items = l["items"].as_array().unwrap();
    assert_eq!(items[0]["order_number"], a["order_number"]);
    assert_eq!(items[0]["state"], "redeemed");
    assert_eq!(items[0]["redeemed_at"], "2026-12-08T11:00:00+09:00");
    assert_eq!(items[1]["state"], "open");
    assert_eq!(items[1]["eticket_id"], b["eticket_id"]);
    let (_, l) = api.get("/api/v1/reservations?visit_from=2026-12-08&state=open").await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    let (s, e) = api.get("/api/v1/reservations?visit_from=tomorrow").await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["field"], "visit_from");
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (s, l) = other.get("/api/v1/reservations?visit_from=2026-12-08&visit_to=2026-12-08").await;
    assert_eq!(s, 200);
    assert_eq!(l["total"], 0, "DEMO1's bookings do not exist for DEMO2");
    let (_, doc) = api.get("/api/v1/openapi.json").await;
    assert!(doc["paths"]["/api/v1/reservations"]["get"].is_object());
}

/// Migration 6 fills in the door's state of bookings made before it: run its backfill again
/// over real redeemed, no-show, cancelled and open bookings whose order-side state was wiped.
#[tokio::test]
async fn the_migration_backfills_the_doors_state_of_existing_bookings() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, came) = api
        .post("/api/v1/orders", booking("2026-12-05", 2, "青木 一郎", "アオキ イチロウ"))
        .await;
    let (_, missed) = api
        .post("/api/v1/orders", booking("2026-12-04", 3, "井上 花子", "イノウエ ハナコ"))
        .await;
    let (_, later) = api
        .post("/api/v1/orders", booking("2026-12-20", 1, "上田 次郎", "ウエダ ジロウ"))
        .await;
    t.clock.set(datetime!(2026-12-05 02:00 UTC));
    let (s, _) = api
        .post("/api/v1/redemptions", json!({"code": came["eticket_id"], "party_size": 4}))
        .await;
    assert_eq!(s, 200);
    kippu_app::jobs::no_show_sweep(&t.app).await.unwrap();

    let backend = t.app.store.backend();
    let folder = backend.migrations_folder();
    let file = std::fs::read_to_string(format!(
        "{}/../../migrations/{folder}/0006_booking_list.sql",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let backfill: Vec<&str> = file.split(';').map(str::trim).filter(|s| s.starts_with("UPDATE")).collect();
    assert_eq!(backfill.len(), 2, "the redeemed and the no-show backfill");
    let mut c = t.conn().await;
    sqlx::query("UPDATE orders SET door_state = 'open', party_size_came = NULL")
        .execute(&mut *c)
        .await
        .unwrap();
    for stmt in backfill {
        sqlx::query(sqlx::AssertSqlSafe(stmt.to_string())).execute(&mut *c).await.unwrap();
    }
    drop(c);
    assert_eq!(door_state_of(&t, &came).await, ("redeemed".to_string(), Some(4)));
    assert_eq!(door_state_of(&t, &missed).await, ("no_show".to_string(), None));
    assert_eq!(door_state_of(&t, &later).await, ("open".to_string(), None));
}

async fn door_state_of(t: &TestApp, order: &Value) -> (String, Option<i64>) {
    let mut c = t.conn().await;
    sqlx::query_as("SELECT door_state, party_size_came FROM orders WHERE order_number = $1")
        .bind(order["order_number"].as_str().unwrap())
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_list_says_where_the_money_stands_and_shows_the_visit_with_its_weekday() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, paid) = api
        .post("/api/v1/orders", booking("2026-12-05", 2, "青木 一郎", "アオキ イチロウ"))
        .await;
    let mut venue = booking("2026-12-05", 2, "井上 花子", "イノウエ ハナコ");
    venue["payment_method"] = json!("pay_at_venue");
    let (_, venue) = api.post("/api/v1/orders", venue).await;
    let s = t.browser();
    s.login("demo1-admin", "Demo1Admin").await;
    let list = s.get("/reservations/bookings?visit_from=2026-12-05&visit_to=2026-12-05").await;
    let paid_no = paid["order_number"].as_str().unwrap();
    let venue_no = venue["order_number"].as_str().unwrap();
    assert_eq!(
        list.text(&format!("[data-testid=payment-{paid_no}]")).as_deref(),
        Some("支払い済み")
    );
    assert_eq!(
        list.text(&format!("[data-testid=payment-{venue_no}]")).as_deref(),
        Some("未領収（現地払い）")
    );
    assert!(!list.body.contains("送信待ち"), "no web-ticket sending words in the bookings");
    assert_eq!(
        list.text(&format!("tr[data-order={paid_no}] td strong")).as_deref(),
        Some("2026/12/05(土)")
    );
}
