//! CSV export: exactly the search, every page, one row per ticket, CP932 or UTF-8 with BOM.

use crate::harness::{TestApp, unique_email};
use serde_json::json;

async fn order(api: &crate::harness::Api, name: &str, kana: &str, quantity: i64, method: &str) -> String {
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "WT-BASIC", "quantity": quantity, "payment_method": method,
                   "customer": {"name": name, "kana": kana, "email": unique_email("csv"), "phone": "090-1234-5678"}}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn cp932_export_round_trips_the_search_across_pages() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    // 60 orders × 2 tickets: more than one page of the list and more than... well, all of it.
    for i in 0..60 {
        order(
            &api,
            "髙橋 﨑子",
            "タカハシ サキコ",
            2,
            if i % 2 == 0 { "bank_store" } else { "pay_at_venue" },
        )
        .await;
    }
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let r = b
        .client
        .get(t.url("/orders/export.csv?method=bank_store&encoding=cp932"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=Shift_JIS");
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let bytes = r.bytes().await.unwrap();
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!had_errors);
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let headers = rd.headers().unwrap().clone();
    assert_eq!(&headers[0], "受注番号");
    assert_eq!(&headers[17], "使用者名");
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 60, "30 bank_store orders × 2 tickets, all pages, nothing else");
    assert!(rows.iter().all(|r| &r[2] == "髙橋 﨑子" && &r[8] == "前払い銀行払い・店舗口座"));

    // UTF-8 carries a BOM.
    let r = b.client.get(t.url("/orders/export.csv?encoding=utf-8")).send().await.unwrap();
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert_eq!(text.lines().count(), 121, "header + 120 tickets");

    // The API exports the same, with the same filters.
    let r = api.get_raw("/api/v1/orders/export.csv?payment_method=pay_at_venue").await;
    let body = r.bytes().await.unwrap();
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&body);
    let pins: Vec<String> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap()[9].to_string())
        .collect();
    assert_eq!(pins.len(), 60);
    assert!(pins.iter().all(|p| p.len() == 4), "the PIN column is filled for pay at venue");
    // Another merchant's export is empty.
    let other = t.api(&t.token(Some("DEMO2")).await);
    let r = other.get_raw("/api/v1/orders/export.csv?encoding=utf-8").await;
    assert_eq!(r.text().await.unwrap().trim_start_matches('\u{feff}').lines().count(), 1);
}

#[tokio::test]
async fn characters_cp932_cannot_hold_are_reported_in_the_file() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let n = order(&api, "山田 花子", "ヤマダ ハナコ", 1, "bank_store").await;
    // A product renamed with an emoji after the sale (names of orders are checked at intake).
    let mut c = t.conn().await;
    sqlx::query("UPDATE order_lines SET product_name = '一般入場券🎫'")
        .execute(&mut *c)
        .await
        .unwrap();
    let r = api.get_raw("/api/v1/orders/export.csv").await;
    let body = r.bytes().await.unwrap();
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&body);
    assert!(text.contains("一般入場券〓"), "{text}");
    assert!(
        text.contains("# 注意: 2行目の「商品名」にCP932で表せない文字（U+1F3AB）があり、〓に置き換えました"),
        "{text}"
    );
    assert!(text.contains(&n));
    let r = api.get_raw("/api/v1/orders/export.csv?encoding=latin1").await;
    assert_eq!(r.status(), 422);
}

/// Text extracted from a PDF by poppler's pdftotext (a real PDF reader).
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is installed by ./scripts/test (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_statement_pdf_renders_japanese_text() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let n = order(&api, "髙橋 﨑子", "タカハシ サキコ", 3, "bank_store").await;
    let r = api.get_raw(&format!("/api/v1/orders/{n}/statement.pdf")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_text(&pdf);
    for needle in [
        "明細書",
        "髙橋 﨑子 様",
        "さくら劇場",
        &n,
        "一般入場券",
        "6,000円",
        "合計（税込）",
        "内消費税 545円",
    ] {
        assert!(text.contains(needle), "statement shows {needle}: {text}");
    }
    // The merchant's page link serves the same document; another merchant gets 404.
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let r = b.client.get(t.url(&format!("/orders/{n}/statement.pdf"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let other = t.api(&t.token(Some("DEMO2")).await);
    let r = other.get_raw(&format!("/api/v1/orders/{n}/statement.pdf")).await;
    assert_eq!(r.status(), 404);
}
