//! Carrier files as the carriers' software writes them: columns found by their header names in
//! any order among other columns, documented positions without a header, CP932 and UTF-8 with a
//! BOM, a missing column named and chosen once (and that choice used on the next file), a file
//! of another carrier named; and the B2 label file with what B2クラウド requires.

use crate::harness::{Api, TestApp, html};
use crate::shipments_import::{order, shop, tracking};
use serde_json::Value;

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!bad, "CP932 holds it");
    bytes.into_owned()
}

fn utf8_bom(text: &str) -> Vec<u8> {
    format!("\u{feff}{text}").into_bytes()
}

/// A CSV text of `header` (when given) and `rows`, CRLF, every field quoted.
fn csv(header: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    let line = |f: &[String]| f.iter().map(|x| format!("\"{x}\"")).collect::<Vec<_>>().join(",") + "\r\n";
    let mut out = header
        .map(|h| line(&h.iter().map(|x| x.to_string()).collect::<Vec<_>>()))
        .unwrap_or_default();
    for r in rows {
        out += &line(r);
    }
    out
}

async fn upload(api: &Api, format: &str, file: Vec<u8>, extra: &[(&str, &str)]) -> (u16, Value) {
    let mut fields = vec![("format", format), ("apply", "all"), ("mark_shipped", "true")];
    fields.extend_from_slice(extra);
    api.upload("/api/v1/shipments/import", &fields, file).await
}

async fn destination(api: &Api, n: &str) -> Value {
    api.get(&format!("/api/v1/orders/{n}")).await.1["destinations"][0].clone()
}

#[tokio::test]
async fn an_ehiden2_shipped_file_is_read_by_its_header_in_another_order_with_extra_columns() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let n = order(&api, 1, false).await;
    let k = tracking(43_000_000_001);
    // e飛伝Ⅱ's 出荷実績 names, reordered, with columns kippu does not read around them.
    let header = [
        "出荷日時",
        "お届け先名称１",
        "配達日",
        "備考",
        "お客様管理ナンバー",
        "品名１",
        "お問合せ送り状No",
        "代引金額",
    ];
    let row = ["2026/11/24 10:15", "髙橋 美咲", "2026/11/26", "①番", &n, "今治タオル", &k, "0"];
    let file = cp932(&csv(Some(&header), &[row.iter().map(|x| x.to_string()).collect()]));
    let (s, r) = upload(&api, "ehiden2", file, &[]).await;
    assert_eq!(
        (s, r["encoding"].as_str(), r["applied_count"].as_u64()),
        (200, Some("CP932"), Some(1)),
        "{r}"
    );
    let d = destination(&api, &n).await;
    assert_eq!(
        (d["tracking_number"].as_str(), d["carrier"].as_str(), d["delivery_date"].as_str()),
        (Some(k.as_str()), Some("sagawa"), Some("2026-11-26"))
    );
}

#[tokio::test]
async fn an_ehiden2_file_without_a_header_is_read_at_its_53_documented_columns() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let n = order(&api, 1, false).await;
    let k = tracking(43_000_000_002);
    let mut row = vec![String::new(); 53];
    (row[0], row[12], row[37]) = (k.clone(), n.clone(), "20261127".into());
    row[1] = "2026/11/24 10:15".into();
    let (s, r) = upload(&api, "ehiden2", cp932(&csv(None, &[row])), &[]).await;
    assert_eq!((s, r["applied_count"].as_u64()), (200, Some(1)), "{r}");
    assert_eq!(destination(&api, &n).await["delivery_date"], "2026-11-27");
}

#[tokio::test]
async fn an_ehiden3_download_in_utf8_with_a_bom_is_read_by_its_header() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let n = order(&api, 1, false).await;
    let k = tracking(43_000_000_003);
    let header = ["お問合せ送り状No.", "出荷日", "お届け先名称１", "お客様管理番号", "配達指定日"];
    let row: Vec<String> = [k.as_str(), "20261124", "髙橋 美咲", n.as_str(), ""]
        .iter()
        .map(|x| x.to_string())
        .collect();
    let (s, r) = upload(&api, "ehiden3", utf8_bom(&csv(Some(&header), &[row])), &[]).await;
    assert_eq!(
        (s, r["encoding"].as_str(), r["applied_count"].as_u64()),
        (200, Some("UTF-8"), Some(1)),
        "{r}"
    );
    assert_eq!(destination(&api, &n).await["tracking_number"].as_str(), Some(k.as_str()));
}

#[tokio::test]
async fn a_missing_column_is_named_chosen_once_and_the_choice_reads_the_next_file() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let (a, b) = (order(&api, 1, false).await, order(&api, 1, false).await);
    // A ゆうパックプリントR layout of the merchant's own: its tracking column has a name of its own.
    let header = ["お客様側管理番号", "追跡No", "差出日"];
    let file = |n: &str, k: &str| cp932(&csv(Some(&header), &[vec![n.to_string(), k.to_string(), "2026/11/24".into()]]));
    let (ka, kb) = (tracking(43_000_000_004), tracking(43_000_000_005));
    let (s, e) = upload(&api, "yupri", file(&a, &ka), &[]).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("columns")), "{e}");
    let said = e["error"]["message"].as_str().unwrap();
    assert!(said.contains("「送り状番号（お問い合わせ番号）」の列が見つかりません"), "{said}");
    assert!(said.contains("追跡No"), "the file's own columns are listed: {said}");

    let chosen = [("column_management", "お客様側管理番号"), ("column_tracking", "追跡No")];
    let (s, r) = upload(&api, "yupri", file(&a, &ka), &chosen).await;
    assert_eq!((s, r["applied_count"].as_u64()), (200, Some(1)), "{r}");
    let (s, r) = upload(&api, "yupri", file(&b, &kb), &[]).await;
    assert_eq!(
        (s, r["applied_count"].as_u64()),
        (200, Some(1)),
        "the saved choice reads the next file: {r}"
    );
    assert_eq!(destination(&api, &b).await["carrier"], "japan_post");

    // Another merchant has no such choice.
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (s, e) = upload(&other, "yupri", file(&b, &kb), &[]).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("columns")), "{e}");
}

#[tokio::test]
async fn a_one_line_file_of_another_carrier_is_named_not_called_empty() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    // Just e飛伝Ⅱ's header, uploaded as ゆうパックプリントR.
    let header = ["お問合せ送り状No", "出荷日時", "お客様管理ナンバー", "配達日"];
    let (s, e) = upload(&api, "yupri", cp932(&csv(Some(&header), &[])), &[]).await;
    let said = e["error"]["message"].as_str().unwrap_or_default().to_string();
    assert_eq!(s, 422, "{e}");
    assert!(!said.contains("データの行がありません"), "{said}");
    assert!(said.contains("e飛伝Ⅱ（出荷実績）のファイルのようです"), "{said}");
}

#[tokio::test]
async fn the_import_page_offers_the_files_columns_when_one_is_missing() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let n = order(&api, 1, false).await;
    let k = tracking(43_000_000_006);
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let file = cp932(&csv(Some(&["管理", "追跡No"]), &[vec![n.clone(), k.clone()]]));
    let fields = [("format", "yupri"), ("apply", "all")];
    let refused = b.upload_with("/shipping/import", "/shipping/import", &fields, file.clone()).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let offered = html::texts(&refused.body, "[data-testid=column-tracking] option");
    assert_eq!(offered, ["", "管理", "追跡No"]);
    let chosen = [
        ("format", "yupri"),
        ("apply", "all"),
        ("column_management", "管理"),
        ("column_tracking", "追跡No"),
    ];
    let done = b.upload_with("/shipping/import", "/shipping/import", &chosen, file).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(destination(&api, &n).await["tracking_number"].as_str(), Some(k.as_str()));
}

#[tokio::test]
async fn the_b2_label_file_carries_the_billing_codes_and_the_senders_postal_code() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let n = order(&api, 1, false).await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let bad = b
        .submit(
            "/settings/goods",
            "/settings/goods",
            &[
                ("base_fee", "800"),
                ("cod_fee", "330"),
                ("points_percent", "1"),
                ("points_activation", "by_admin"),
                ("sender_postal_code", "1000"),
                ("b2_billing_customer_code", "12345"),
                ("b2_freight_number", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    for field in ["sender_postal_code", "b2_billing_customer_code", "b2_freight_number"] {
        assert!(
            bad.text(&format!("[data-testid=err-{field}]")).is_some(),
            "{field} refused beside its input"
        );
    }
    let saved = b
        .submit(
            "/settings/goods",
            "/settings/goods",
            &[
                ("base_fee", "800"),
                ("cod_fee", "330"),
                ("points_percent", "1"),
                ("points_activation", "by_admin"),
                ("sender_postal_code", "１００－０００５"),
                ("b2_billing_customer_code", "0123456789-01"),
                ("b2_billing_class_code", "001"),
                ("b2_freight_number", "01"),
            ],
        )
        .await;
    assert!(saved.status < 400, "{}", saved.body);
    let (s, bytes) = b.get_bytes("/shipping/export-b2.csv?tab=unshipped").await;
    assert_eq!(s, 200);
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(|h| h.trim_matches('"').to_string()).collect();
    let row = lines.find(|l| l.contains(&n)).unwrap().replace(&n, "T…");
    let columns = |names: &[&str]| -> Vec<usize> { names.iter().map(|x| header.iter().position(|h| h == x).unwrap()).collect() };
    let cells: Vec<&str> = row.split(',').collect();
    let got: Vec<&str> = columns(&[
        "ご依頼主郵便番号",
        "ご依頼主住所",
        "請求先顧客コード",
        "請求先分類コード",
        "運賃管理番号",
    ])
    .into_iter()
    .map(|i| cells[i].trim_matches('"'))
    .collect();
    assert_eq!(got[0], "100-0005");
    assert_eq!(&got[2..], ["012345678901", "001", "01"]);
    insta::assert_snapshot!("b2_label_row", format!("{}\n{row}", header.join(",")));
}
