//! 出荷データ一括登録 with files generated in each carrier's layout and encoding: every line
//! reported with its physical line number and reason, all-or-nothing or the OK lines only,
//! idempotent re-import, and whole files refused for what they are.

use crate::harness::{Api, TestApp, html, unique_email};
use kippu_domain::goods::carrier::FileType;
use serde_json::{Value, json};

/// A goods order of `destinations` destinations (1 or 2) or a store pickup; its number.
pub(crate) async fn order(api: &Api, destinations: usize, pickup: bool) -> String {
    let dest = |name: &str| {
        json!({"name": name, "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "phone": "090-1234-5678",
               "lines": [{"product_code": "G-TOWEL", "quantity": 1}]})
    };
    let customer = json!({"name": "髙橋 美咲", "kana": "タカハシ ミサキ", "email": unique_email("ship"), "phone": "090-1234-5678",
                          "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"});
    let body = if pickup {
        json!({"product_code": "G-TOWEL", "payment_method": "store_pay", "pickup": true, "customer": customer})
    } else if destinations == 1 {
        json!({"product_code": "G-TOWEL", "payment_method": "bank_store", "customer": customer})
    } else {
        json!({"payment_method": "bank_store", "customer": customer, "destinations": [dest("髙橋 美咲"), dest("髙橋 一郎")]})
    };
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

pub(crate) async fn shop(t: &TestApp) -> Api {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 100}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    api
}

/// A valid tracking number: eleven digits and their check digit (mod 7).
pub(crate) fn tracking(n: u64) -> String {
    format!("{n:011}{}", n % 7)
}

/// Digits in full width, as typed with a Japanese IME.
fn wide(s: &str) -> String {
    s.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect()
}

/// A file of type `t` as its software writes it: a header, CRLF, CP932, the other columns
/// filled with what real files hold (names with 髙 and ①, half-width kana, the 0x8160 wave dash).
pub(crate) fn carrier_file(t: FileType, rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let l = t.layout();
    let line = |m: &str, k: &str, d: &str, header: bool| {
        let mut f: Vec<String> = (1..=l.columns)
            .map(|i| {
                if header {
                    format!("項目{i}")
                } else {
                    ["髙橋 美咲", "①番", "ﾀｶﾊｼ", "10時～12時", ""][i % 5].to_string()
                }
            })
            .collect();
        if header {
            f[l.management - 1] = "お客様管理番号".into();
            f[l.tracking - 1] = "送り状番号".into();
            f[l.delivery_date - 1] = "配達予定日".into();
        } else {
            f[l.management - 1] = m.into();
            f[l.tracking - 1] = k.into();
            f[l.delivery_date - 1] = d.into();
        }
        f.iter().map(|x| format!("\"{x}\"")).collect::<Vec<_>>().join(",")
    };
    let mut text = line("", "", "", true) + "\r\n";
    for (m, k, d) in rows {
        text += &line(m, k, d, false);
        text += "\r\n";
    }
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// One line of type `t` without a header, as a positional export writes it.
fn headerless(t: FileType, m: &str, k: &str) -> Vec<u8> {
    let l = t.layout();
    let mut f = vec![String::new(); l.columns];
    f[l.management - 1] = m.into();
    f[l.tracking - 1] = k.into();
    (f.join(",") + "\r\n").into_bytes()
}

pub(crate) async fn import(api: &Api, format: &str, apply: &str, mark_shipped: bool, file: Vec<u8>) -> (u16, Value) {
    api.upload(
        "/api/v1/shipments/import",
        &[
            ("format", format),
            ("apply", apply),
            ("mark_shipped", if mark_shipped { "true" } else { "false" }),
        ],
        file,
    )
    .await
}

/// Every line of an import's report, read page by page from its `lines_url`.
pub(crate) async fn report_lines(api: &Api, answer: &Value) -> Vec<Value> {
    let id = answer["id"].as_i64().unwrap_or_else(|| panic!("no run id: {answer}"));
    let mut out = Vec::new();
    for page in 1.. {
        let (s, p) = api.get(&format!("/api/v1/shipments/imports/{id}/lines?page={page}")).await;
        assert_eq!(s, 200, "{p}");
        out.extend(p["lines"].as_array().unwrap().iter().cloned());
        if page >= p["pages"].as_u64().unwrap() {
            break;
        }
    }
    out
}

#[tokio::test]
async fn a_b2_file_is_previewed_line_by_line_then_applied_and_a_second_import_changes_nothing() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let (a, b) = (order(&api, 1, false).await, order(&api, 2, false).await);
    let (ka, kb1, kb2) = (tracking(40_000_000_001), tracking(40_000_000_002), tracking(40_000_000_003));
    let file = carrier_file(
        FileType::B2,
        &[
            (&a, &ka, "2026/11/26"),
            (&format!("{b}-1"), &kb1, "2026/11/27"),
            (&format!("{b}-2"), &kb2, ""),
        ],
    );
    let (s, preview) = import(&api, "b2", "none", true, file.clone()).await;
    assert_eq!(s, 200, "{preview}");
    assert_eq!(
        (
            preview["encoding"].as_str(),
            preview["ok_count"].as_u64(),
            preview["applied"].as_bool()
        ),
        (Some("CP932"), Some(3), Some(false))
    );
    assert!(
        preview.get("lines").is_none(),
        "the answer carries counts and NG lines, not every line"
    );
    let lines = report_lines(&api, &preview).await;
    assert_eq!(
        lines.iter().map(|l| l["line"].as_u64().unwrap()).collect::<Vec<_>>(),
        [2, 3, 4],
        "the header is line 1"
    );
    assert_eq!(
        (lines[1]["order_number"].as_str(), lines[1]["destination"].as_u64()),
        (Some(b.as_str()), Some(1))
    );
    assert_eq!(lines[0]["delivery_date"], "2026-11-26");
    assert_eq!(
        api.get(&format!("/api/v1/orders/{a}")).await.1["destinations"][0]["tracking_number"],
        Value::Null,
        "a preview writes nothing"
    );

    let (s, done) = import(&api, "b2", "all", true, file.clone()).await;
    assert_eq!(
        (s, done["applied"].as_bool(), done["applied_count"].as_u64()),
        (200, Some(true), Some(3)),
        "{done}"
    );
    let (_, ob) = api.get(&format!("/api/v1/orders/{b}")).await;
    assert_eq!(ob["shipping_status"], "shipped");
    assert_eq!(
        (
            ob["destinations"][1]["tracking_number"].as_str(),
            ob["destinations"][1]["carrier"].as_str()
        ),
        (Some(kb2.as_str()), Some("yamato"))
    );
    assert_eq!(ob["destinations"][0]["delivery_date"], "2026-11-27");

    let (s, again) = import(&api, "b2", "all", true, file).await;
    assert_eq!(
        (s, again["applied_count"].as_u64(), again["unchanged_count"].as_u64()),
        (200, Some(0), Some(3)),
        "{again}"
    );
    assert!(again["message"].as_str().unwrap().contains("何も変わっていません"), "{again}");
}

#[tokio::test]
async fn one_bad_line_stops_everything_unless_only_the_ok_lines_are_asked_for() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let (a, b, p) = (order(&api, 1, false).await, order(&api, 2, false).await, order(&api, 1, true).await);
    let good = tracking(50_000_000_001);
    let rows: Vec<(String, String, String)> = vec![
        (a.clone(), good.clone(), String::new()),                                 // line 2: OK
        (format!("{b}-1"), "5000-0000-0019".into(), String::new()),               // 3: wrong check digit
        ("T99999999999999".into(), tracking(50_000_000_003), String::new()),      // 4: unknown order
        (p.clone(), tracking(50_000_000_004), String::new()),                     // 5: store pickup
        (format!("{b}-2"), "5.00000E+11".into(), String::new()),                  // 6: Excel
        (a.clone(), tracking(50_000_000_006), String::new()),                     // 7: same destination again
        (format!("{b}-2"), "".into(), String::new()),                             // 8: empty tracking
        (format!("{b}-3"), tracking(50_000_000_007), String::new()),              // 9: no third destination
        (format!("{b}-2"), wide(&tracking(50_000_000_008)), "2026/11/31".into()), // 10: bad date
    ];
    let refs: Vec<(&str, &str, &str)> = rows.iter().map(|(m, k, d)| (m.as_str(), k.as_str(), d.as_str())).collect();
    let mut file = carrier_file(FileType::B2, &refs);
    // A last line cut short, as an interrupted download leaves it.
    file.extend_from_slice(format!("\"{a}\",\"0\",\"\"").as_bytes());

    let (s, all) = import(&api, "b2", "all", false, file.clone()).await;
    assert_eq!(
        (s, all["applied"].as_bool(), all["ok_count"].as_u64(), all["ng_count"].as_u64()),
        (200, Some(false), Some(1), Some(9)),
        "{all}"
    );
    assert_eq!(
        all["ng_lines"].as_array().unwrap().len(),
        9,
        "every NG line, under the cap, in the answer"
    );
    let reason = |n: u64| {
        all["ng_lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["line"] == n)
            .map(|l| l["reason"].as_str().unwrap().to_string())
            .unwrap()
    };
    for (line, said) in [
        (3, "チェックデジット"),
        (4, "T99999999999999"),
        (5, "店舗受取"),
        (6, "指数表記"),
        (7, "2行目にもあります"),
        (8, "空です"),
        (9, "お届け先3はありません"),
        (10, "配達予定日"),
        (11, "列の数が3です"),
    ] {
        assert!(reason(line).contains(said), "line {line}: {}", reason(line));
    }
    assert_eq!(
        api.get(&format!("/api/v1/orders/{a}")).await.1["destinations"][0]["tracking_number"],
        Value::Null,
        "all or nothing"
    );

    let (s, valid) = import(&api, "b2", "valid", false, file).await;
    assert_eq!(
        (s, valid["applied"].as_bool(), valid["applied_count"].as_u64()),
        (200, Some(true), Some(1)),
        "{valid}"
    );
    let (_, oa) = api.get(&format!("/api/v1/orders/{a}")).await;
    assert_eq!(
        (oa["destinations"][0]["tracking_number"].as_str(), oa["shipping_status"].as_str()),
        (Some(good.as_str()), Some("unshipped"))
    );
    let (_, ob) = api.get(&format!("/api/v1/orders/{b}")).await;
    assert!(
        ob["destinations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["tracking_number"].is_null()),
        "no NG line was half-applied"
    );
}

#[tokio::test]
async fn every_carriers_layout_is_read_from_its_own_columns() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    for (i, ty) in FileType::ALL.iter().copied().enumerate() {
        let n = order(&api, 1, false).await;
        let k = tracking(60_000_000_000 + i as u64);
        let (s, r) = import(&api, ty.as_str(), "all", true, carrier_file(ty, &[(&n, &k, "20261203")])).await;
        assert_eq!((s, r["applied_count"].as_u64()), (200, Some(1)), "{ty:?}: {r}");
        let (_, o) = api.get(&format!("/api/v1/orders/{n}")).await;
        assert_eq!(
            o["destinations"][0]["carrier"].as_str(),
            Some(ty.layout().carrier.as_str()),
            "{ty:?}"
        );
        assert_eq!(o["destinations"][0]["delivery_date"], "2026-12-03");
    }
}

#[tokio::test]
async fn whole_files_are_refused_for_what_they_are() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let n = order(&api, 1, false).await;
    let k = tracking(70_000_000_001);
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("b2", Vec::new(), "file", "空です"),
        ("b2", b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary".to_vec(), "file", "バイナリ"),
        ("b2", headerless(FileType::Ehiden3, &n, &k), "format", "e飛伝Ⅲ"),
        ("b2", carrier_file(FileType::B2, &[]), "file", "見出し行だけ"),
        ("fedex", carrier_file(FileType::B2, &[(&n, &k, "")]), "format", "b2, ehiden2"),
    ];
    for (format, file, field, said) in cases {
        let (s, e) = import(&api, format, "all", false, file).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some(field)), "{said}: {e}");
        assert!(e.to_string().contains(said), "{said}: {e}");
    }
    let huge = vec![b'a'; 41 * 1024 * 1024];
    let (s, _) = import(&api, "b2", "all", false, huge).await;
    assert!(s == 422 || s == 413, "a 41 MB file is refused ({s})");

    // UTF-8 with a BOM, LF and unquoted fields, from a spreadsheet: read as such.
    let l = FileType::B2.layout();
    let mut f = vec![String::new(); l.columns];
    f[l.management - 1] = n.clone();
    f[l.tracking - 1] = k.clone();
    let utf8 = format!("\u{feff}{}\n", f.join(","));
    let (s, r) = import(&api, "b2", "none", false, utf8.into_bytes()).await;
    assert_eq!(
        (s, r["encoding"].as_str(), r["ok_count"].as_u64()),
        (200, Some("UTF-8"), Some(1)),
        "{r}"
    );
    assert_eq!(report_lines(&api, &r).await[0]["line"], 1, "no header: the data starts on line 1");
}

#[tokio::test]
async fn another_merchants_order_numbers_are_unknown_orders() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let n = order(&api, 1, false).await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    let (s, r) = import(
        &other,
        "b2",
        "all",
        true,
        carrier_file(FileType::B2, &[(&n, &tracking(80_000_000_001), "")]),
    )
    .await;
    assert_eq!((s, r["applied"].as_bool()), (200, Some(false)), "{r}");
    assert!(r["ng_lines"][0]["reason"].as_str().unwrap().contains("ありません"), "{r}");
    assert_eq!(api.get(&format!("/api/v1/orders/{n}")).await.1["shipping_status"], "unshipped");
    let id = r["id"].as_i64().unwrap();
    assert_eq!(
        api.get(&format!("/api/v1/shipments/imports/{id}/lines?page=1")).await.0,
        404,
        "another merchant's run is not found"
    );
    assert_eq!(api.get(&format!("/api/v1/shipments/imports/{id}")).await.0, 404);
}

#[tokio::test]
async fn the_b2_export_prints_labels_and_the_file_that_comes_back_ships_them() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let (one, two) = (order(&api, 1, false).await, order(&api, 2, false).await);
    let pickup = order(&api, 1, true).await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (s, bytes) = b.get_bytes("/shipping/export-b2.csv?tab=unshipped").await;
    assert_eq!(s, 200);
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad, "CP932 all through");
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert!(rows.iter().all(|r| r.len() == 97), "B2's 97 columns on every line");
    assert_eq!(rows[0][0], "お客様管理番号");
    let managed: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(managed.contains(&one.as_str()));
    assert!(managed.contains(&format!("{two}-1").as_str()) && managed.contains(&format!("{two}-2").as_str()));
    assert!(!managed.iter().any(|m| m.starts_with(&pickup)), "a store pickup gets no label");
    let row = rows[1..].iter().find(|r| r[0] == one).unwrap();
    assert_eq!(
        (row[15].as_str(), row[11].as_str(), row[17].as_str()),
        ("髙橋 美咲", "東京都台東区浅草1-2-3", "様")
    );

    // B2 prints the labels and gives the numbers back in 伝票番号: the same file, imported, ships them.
    for (i, r) in rows.iter_mut().enumerate().skip(1) {
        r[3] = tracking(90_000_000_000 + i as u64);
    }
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    for r in &rows {
        w.write_record(r).unwrap();
    }
    let back = encoding_rs::SHIFT_JIS
        .encode(&String::from_utf8(w.into_inner().unwrap()).unwrap())
        .0
        .into_owned();
    let (s, r) = import(&api, "b2", "all", true, back).await;
    assert_eq!((s, r["applied_count"].as_u64()), (200, Some(3)), "{r}");
    for n in [&one, &two] {
        assert_eq!(api.get(&format!("/api/v1/orders/{n}")).await.1["shipping_status"], "shipped", "{n}");
    }
}

/// The bodies of the shipping notices queued for order `number`.
async fn shipping_notices(t: &TestApp, number: &str) -> Vec<String> {
    let mut conn = t.conn().await;
    sqlx::query_scalar(
        "SELECT m.body FROM outbox m JOIN orders o ON o.id = m.order_id WHERE o.order_number = $1 AND m.template_key = 'shipping_notice'",
    )
    .bind(number)
    .fetch_all(&mut *conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn orders_a_file_marked_shipped_get_their_shipping_notices_in_one_bulk_action() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let (shipped, waiting) = (order(&api, 1, false).await, order(&api, 1, false).await);
    let number = tracking(60_000_000_001);
    let (s, r) = import(&api, "b2", "all", true, carrier_file(FileType::B2, &[(&shipped, &number, "")])).await;
    assert_eq!((s, r["applied_count"].as_u64()), (200, Some(1)), "{r}");
    assert!(shipping_notices(&t, &shipped).await.is_empty(), "the import itself sends no email");

    let (_, check) = api
        .post(
            "/api/v1/bulk/notify-shipped",
            json!({"order_numbers": [shipped, waiting], "dry_run": true}),
        )
        .await;
    assert_eq!(check["ok_count"], 1, "{check}");
    assert!(
        check["rows"][1]["reason"].as_str().unwrap().contains("発送済みのお届け先がない"),
        "{check}"
    );
    let (_, done) = api
        .post(
            "/api/v1/bulk/notify-shipped",
            json!({"order_numbers": [shipped, waiting], "dry_run": false}),
        )
        .await;
    assert_eq!(done["done_count"], 1, "{done}");
    let notices = shipping_notices(&t, &shipped).await;
    assert_eq!(notices.len(), 1);
    assert!(notices[0].contains(&number) && notices[0].contains("ヤマト運輸"), "{}", notices[0]);
    assert!(shipping_notices(&t, &waiting).await.is_empty());
}

#[tokio::test]
async fn the_import_page_offers_the_notices_of_the_orders_it_marked_shipped() {
    let t = TestApp::spawn().await;
    let api = shop(&t).await;
    let number = order(&api, 1, false).await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let file = carrier_file(FileType::B2, &[(&number, &tracking(60_000_000_002), "")]);
    let fields = [("format", "b2"), ("apply", "all")];
    let without = b.upload_with("/shipping/import", "/shipping/import", &fields, file.clone()).await;
    assert_eq!(without.status, 200, "{}", without.body);
    assert!(
        without.text("[data-testid=notify-imported]").is_none(),
        "nothing was marked shipped"
    );

    let other = order(&api, 1, false).await;
    let file = carrier_file(FileType::B2, &[(&other, &tracking(60_000_000_003), "")]);
    let marked = b
        .upload_with(
            "/shipping/import",
            "/shipping/import",
            &[("format", "b2"), ("apply", "all"), ("mark_shipped", "on")],
            file,
        )
        .await;
    let run = html::attrs(&marked.body, "[data-testid=notify-imported] input[name=import]", "value");
    assert_eq!(run.len(), 1, "the offer names the import run");
    let confirm = b
        .submit(
            "/shipping/orders",
            "/shipping/bulk",
            &[("bulk", "notify-shipped"), ("import", &run[0])],
        )
        .await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert!(confirm.body.contains("発送通知を送る"));
    let keys = html::attrs(&confirm.body, "input[name=order]", "value");
    assert!(
        keys.contains(&other) && !keys.contains(&number),
        "the orders this import marked shipped, and only those: {keys:?}"
    );
}
