//! 対応履歴's CSV: 登録(CSV) reads the columns by their header names in UTF-8 or CP932 and writes
//! every line or none (a bad line is named with its field); the download is the merchant's column
//! set, byte for byte.

use crate::cc_interactions::{add, customer};
use crate::harness::TestApp;
use serde_json::{Value, json};

fn cp932(s: &str) -> Vec<u8> {
    encoding_rs::SHIFT_JIS.encode(s).0.into_owned()
}

#[tokio::test]
async fn a_utf8_file_with_columns_in_any_order_imports_every_line() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "取込 一郎").await;
    let n = c["customer_number"].as_i64().unwrap();
    let file = format!(
        "内容,対応区分,対応概要,顧客番号,対応者,対応日時\n届いた箱が潰れていた,電話,クレーム,{n},demo1-cc,2026/12/01 09:15\n再送の連絡,メール,変更,{n},,\n"
    );
    let (s, r) = api.upload("/api/v1/interactions/import", &[], file.into_bytes()).await;
    assert_eq!((s, r["imported"].as_i64()), (200, Some(2)), "{r}");
    let (_, p) = api
        .get(&format!("/api/v1/interactions?customer={}&category=%E9%9B%BB%E8%A9%B1", c["id"]))
        .await;
    let e = &p["items"][0];
    assert_eq!(
        (e["operator"].as_str(), e["at"].as_str()),
        (Some("demo1-cc"), Some("2026-12-01T09:15:00+09:00")),
        "{p}"
    );
    assert_eq!(e["content"], "届いた箱が潰れていた");
}

#[tokio::test]
async fn a_cp932_file_imports() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "取込 一郎").await;
    let file = format!(
        "顧客番号,対応区分,対応概要,内容\n{},手紙,解約,解約届を受け取りました\n",
        c["customer_number"]
    );
    let (s, r) = api.upload("/api/v1/interactions/import", &[], cp932(&file)).await;
    assert_eq!((s, r["imported"].as_i64()), (200, Some(1)), "{r}");
    let (_, p) = api.get("/api/v1/interactions").await;
    assert_eq!(p["items"][0]["content"], "解約届を受け取りました", "{p}");
}

#[tokio::test]
async fn an_unknown_category_and_an_unknown_operator_are_named_by_line_and_nothing_is_written() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "取込 一郎").await;
    let n = c["customer_number"].as_i64().unwrap();
    let file = format!(
        "顧客番号,対応者,対応区分,対応概要,内容\n{n},,電話,注文,正しい行\n{n},,FAX,注文,区分が違う\n{n},nobody,電話,注文,対応者が違う\n"
    );
    let (s, r) = api.upload("/api/v1/interactions/import", &[], file.into_bytes()).await;
    assert_eq!(s, 422, "{r}");
    let errors: Vec<(i64, &str)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, [(3, "対応区分"), (4, "対応者")], "{r}");
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("FAX"), "{r}");
    assert!(r["errors"][1]["message"].as_str().unwrap().contains("nobody"), "{r}");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM interactions").await,
        0,
        "the good line is not written either"
    );
}

#[tokio::test]
async fn a_file_without_a_required_column_names_it() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, r) = api
        .upload("/api/v1/interactions/import", &[], "顧客番号,内容\n1,x\n".as_bytes().to_vec())
        .await;
    assert_eq!(s, 422, "{r}");
    assert_eq!(
        (r["errors"][0]["line"].as_i64(), r["errors"][0]["field"].as_str()),
        (Some(1), Some("見出し行"))
    );
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("対応区分"), "{r}");
}

async fn two_entries(t: &TestApp) -> Value {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "出力 花子").await;
    add(
        &api,
        json!({"customer_id": c["id"], "at": "2026-12-01 10:30", "category": "電話", "summary": "問い合わせ", "content": "在庫の確認, \"大\"サイズ"}),
    )
    .await;
    add(
        &api,
        json!({"customer_id": c["id"], "at": "2026-12-02 15:00", "category": "メール", "summary": "変更", "content": "住所変更\n2行目"}),
    )
    .await;
    c
}

#[tokio::test]
async fn the_download_is_the_default_column_set() {
    let t = TestApp::spawn().await;
    two_entries(&t).await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let r = api.get_raw("/api/v1/interactions/export.csv?encoding=utf-8").await;
    assert_eq!(r.status().as_u16(), 200);
    let bytes = r.bytes().await.unwrap();
    let text = String::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap().to_vec()).unwrap();
    insta::assert_snapshot!("interactions_export_utf8", text);
}

#[tokio::test]
async fn the_download_in_cp932_reads_back_as_the_same_text() {
    let t = TestApp::spawn().await;
    two_entries(&t).await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let r = api.get_raw("/api/v1/interactions/export.csv").await;
    let bytes = r.bytes().await.unwrap();
    let text = encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned();
    assert!(
        text.starts_with("対応履歴ID,対応日時,顧客番号,顧客名,対応者,対応区分,対応概要,内容,受注番号\r\n"),
        "{text}"
    );
    assert!(text.contains("住所変更\n2行目"), "{text}");
}
