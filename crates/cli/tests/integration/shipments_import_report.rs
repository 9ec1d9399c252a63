//! 出荷データ一括登録's bounded answer: a run's counts and first NG lines, its whole report a
//! page at a time, over the API and on the page.

use crate::harness::{TestApp, html};
use crate::shipments_import::{import, order, report_lines, shop, tracking};
use kippu_domain::goods::carrier::FileType;

/// A B2 file as small as its layout allows: no header, every other column empty.
fn bare_b2(rows: impl Iterator<Item = (String, String)>) -> Vec<u8> {
    let l = FileType::B2.layout();
    let mut text = String::new();
    for (m, k) in rows {
        let mut f = vec![String::new(); l.columns];
        f[l.management - 1] = m;
        f[l.tracking - 1] = k;
        text += &f.join(",");
        text += "\r\n";
    }
    text.into_bytes()
}

#[tokio::test]
async fn a_50000_line_files_answer_is_bounded_and_every_line_is_in_the_paged_report() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let (a, b) = (order(&api, 1, false).await, order(&api, 1, false).await);
    let rows = (0..50_000u64).map(|i| match i {
        0 => (a.clone(), tracking(41_000_000_000)),
        1 => (b.clone(), tracking(41_000_000_001)),
        _ => (format!("T{:014}", 90_000_000_000_000 + i), tracking(41_000_000_000 + i)),
    });
    let file = bare_b2(rows);
    let (s, r) = import(&api, "b2", "valid", true, file).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (
            r["line_count"].as_u64(),
            r["ok_count"].as_u64(),
            r["ng_count"].as_u64(),
            r["applied_count"].as_u64(),
            r["shipped_orders"].as_u64()
        ),
        (Some(50_000), Some(2), Some(49_998), Some(2), Some(2)),
        "{}",
        r["message"]
    );
    let size = serde_json::to_string(&r).unwrap().len();
    assert!(size < 64 * 1024, "the answer is {size} bytes for 50,000 lines");
    let ng = r["ng_lines"].as_array().unwrap();
    assert_eq!(ng.len(), 100, "the first NG lines, capped");
    assert_eq!(
        (ng[0]["line"].as_u64(), ng[99]["line"].as_u64()),
        (Some(3), Some(102)),
        "in file order"
    );

    let lines = report_lines(&api, &r).await;
    assert_eq!(lines.len(), 50_000, "every line across the pages");
    assert!(
        lines.iter().enumerate().all(|(i, l)| l["line"] == (i as u64 + 1)),
        "each line once, in file order"
    );
    assert_eq!((lines[0]["ok"].as_bool(), lines[0]["shipped"].as_bool()), (Some(true), Some(true)));
    assert!(lines[49_999]["reason"].as_str().unwrap().contains("物販の注文はありません"));
    let (_, again) = api.get(&format!("/api/v1/shipments/imports/{}", r["id"])).await;
    assert_eq!(
        (again["ng_count"].as_u64(), again["message"].clone()),
        (Some(49_998), r["message"].clone())
    );
    let (s, _) = api.get(&format!("/api/v1/shipments/imports/{}/lines?page=0", r["id"])).await;
    assert_eq!(s, 422, "pages count from 1");
}

#[tokio::test]
async fn the_import_page_shows_the_ng_lines_and_every_line_a_page_at_a_time() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let n = order(&api, 1, false).await;
    let rows = (0..250u64).map(|i| match i {
        0 => (n.clone(), tracking(42_000_000_000)),
        _ => (format!("T{:014}", 91_000_000_000_000 + i), tracking(42_000_000_000 + i)),
    });
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let first = b
        .upload_with(
            "/shipping/import",
            "/shipping/import",
            &[("format", "b2"), ("apply", "none")],
            bare_b2(rows),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(
        html::texts(&first.body, "[data-testid=ng-lines] tbody tr").len(),
        100,
        "NG lines, capped"
    );
    assert!(first.text("[data-testid=ng-lines-capped]").unwrap().contains("100 / 249"));
    let all: Vec<String> = html::attrs(&first.body, "[data-testid=all-lines] tbody tr", "data-line");
    assert_eq!(all.first().map(String::as_str), Some("1"));
    assert_eq!(all.len(), 100);
    assert!(first.text("[data-testid=verdict-1]").unwrap().starts_with("OK"));
    let next = first.attr("[data-testid=lines-next]", "href").unwrap();
    let second = b.get(&next).await;
    assert_eq!(second.status, 200);
    let all: Vec<String> = html::attrs(&second.body, "[data-testid=all-lines] tbody tr", "data-line");
    assert_eq!((all.first().map(String::as_str), all.len()), (Some("101"), 100));
    assert!(
        second.text("[data-testid=verdict-250]").is_none()
            && b.get(&next.replace("page=2", "page=3"))
                .await
                .text("[data-testid=verdict-250]")
                .unwrap()
                .contains("ありません"),
        "line 250 on the third page, with its reason"
    );
}

#[tokio::test]
async fn identical_imports_at_once_ship_each_destination_once_with_one_history_entry() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let mut numbers = Vec::new();
    for _ in 0..12 {
        numbers.push(order(&api, 1, false).await);
    }
    let file = bare_b2(
        numbers
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), tracking(44_000_000_000 + i as u64))),
    );
    let one = || import(&api, "b2", "all", true, file.clone());
    let (a, b, c, d) = tokio::join!(one(), one(), one(), one());
    let answers = [a, b, c, d];
    let mut applied = 0;
    for (s, r) in &answers {
        assert_eq!(s, &200, "{r}");
        applied += r["applied_count"].as_u64().unwrap();
    }
    assert_eq!(applied, 12, "each destination written by one import only: {answers:?}");
    let shipped: u64 = answers.iter().map(|(_, r)| r["shipped_orders"].as_u64().unwrap()).sum();
    assert_eq!(shipped, 12, "the notices are offered once per order");
    let mut conn = t.conn().await;
    let entries: Vec<(String, i64)> = sqlx::query_as(
        "SELECT o.order_number, COUNT(h.id) FROM orders o LEFT JOIN status_history h ON h.order_id = o.id AND h.note = '出荷データ一括登録' \
         WHERE o.merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1') AND o.kind = 'goods' GROUP BY o.order_number",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    for n in &numbers {
        let count = entries.iter().find(|(o, _)| o == n).map(|(_, c)| *c);
        assert_eq!(count, Some(1), "{n}: one history entry");
        assert_eq!(api.get(&format!("/api/v1/orders/{n}")).await.1["shipping_status"], "shipped");
    }
}
