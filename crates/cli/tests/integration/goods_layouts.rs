//! 検索結果をダウンロード: the goods list's whole search as a CSV, in the built-in 標準 layout or
//! in a column layout the merchant named and saved; one row per destination.

use crate::harness::{Browser, TestApp, unique_email};
use kippu_domain::goods::csv_layout::GoodsColumn;
use serde_json::json;

/// A cash-on-delivery order to two destinations by a customer named `name` (a search finds it
/// alone).
async fn order_to_two_destinations(t: &TestApp, name: &str) -> String {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let dest = |recipient: &str, address: &str, qty: i64| {
        json!({"name": recipient, "postal_code": "111-0032", "address": address, "phone": "090-1234-5678",
               "lines": [{"product_code": "GOODS-TOWEL", "quantity": qty}], "time_band": "morning"})
    };
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": "cod",
                   "customer": {"name": name, "kana": "タカハシ ミサキ", "email": unique_email("layouts"), "phone": "090-1234-5678"},
                   "destinations": [dest("髙橋 美咲", "東京都台東区浅草1-2-3", 1), dest("髙橋 一郎", "大阪府大阪市北区梅田1-1", 2)]}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

async fn merchant_admin(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b
}

/// Saves a layout from the form: its name and `(column code, 並び順)` pairs.
async fn save_layout(b: &Browser, action: &str, name: &str, columns: &[(&str, &str)]) -> crate::harness::Page {
    let places: Vec<(String, String)> = columns.iter().map(|(c, p)| (format!("place_{c}"), p.to_string())).collect();
    let mut fields: Vec<(&str, &str)> = vec![("name", name)];
    for (c, _) in columns {
        fields.push(("col", c));
    }
    for (k, v) in &places {
        fields.push((k, v));
    }
    b.submit("/shipping/layouts", action, &fields).await
}

async fn csv_rows(b: &Browser, path: &str, cp932: bool) -> Vec<Vec<String>> {
    let (s, bytes) = b.get_bytes(path).await;
    assert_eq!(s, 200, "{path}");
    let text = if cp932 {
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(!bad, "CP932 all through");
        text.into_owned()
    } else {
        String::from_utf8(
            bytes
                .strip_prefix(b"\xEF\xBB\xBF".as_slice())
                .expect("UTF-8 starts with a BOM")
                .to_vec(),
        )
        .unwrap()
    };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn layout_id(location: &str) -> String {
    location.rsplit('/').next().unwrap().to_string()
}

#[tokio::test]
async fn a_saved_layout_writes_its_columns_in_its_order_one_row_per_destination() {
    let t = TestApp::spawn().await;
    let number = order_to_two_destinations(&t, "髙橋 順子").await;
    let b = merchant_admin(&t).await;
    let saved = save_layout(
        &b,
        "/shipping/layouts",
        "発送確認用",
        &[
            ("tracking_number", "3"),
            ("order_number", "1"),
            ("recipient_name", "2"),
            ("items", ""),
            ("payment_status", ""),
        ],
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let id = layout_id(saved.location.as_deref().unwrap());
    let text = {
        let (s, bytes) = b
            .get_bytes(&format!("/shipping/orders.csv?layout={id}&q=髙橋 順子&encoding=utf-8"))
            .await;
        assert_eq!(s, 200);
        String::from_utf8(bytes).unwrap().replace(&number, "[order_number]")
    };
    insta::assert_snapshot!("goods_layout_utf8", text);
    let listed = b.get("/shipping/orders").await;
    let options = crate::harness::html::texts(&listed.body, "[data-testid=download-layout] option");
    assert!(
        options.contains(&"発送確認用".to_string()),
        "the list offers the saved layout: {options:?}"
    );
}

#[tokio::test]
async fn the_standard_layout_has_every_column_in_cp932_and_follows_the_search() {
    let t = TestApp::spawn().await;
    let number = order_to_two_destinations(&t, "髙橋 智恵").await;
    let b = merchant_admin(&t).await;
    let rows = csv_rows(&b, "/shipping/orders.csv?tab=unshipped&q=髙橋 智恵&carrier=&tracked=no", true).await;
    let header: Vec<String> = GoodsColumn::ALL.iter().map(|c| c.label_ja().to_string()).collect();
    assert_eq!(rows[0], header, "標準 writes every column");
    assert_eq!(rows.len(), 3, "the title and one row per destination: {rows:?}");
    let at = |c: GoodsColumn| GoodsColumn::ALL.iter().position(|x| *x == c).unwrap();
    assert!(rows[1..].iter().all(|r| r[at(GoodsColumn::OrderNumber)] == number));
    assert_eq!(rows[1][at(GoodsColumn::RecipientName)], "髙橋 美咲");
    assert_eq!(rows[2][at(GoodsColumn::Items)], "オリジナルタオル × 2");
    assert_eq!(rows[1][at(GoodsColumn::PaymentStatus)], "管理なし（代金引換）");
    let none = csv_rows(&b, "/shipping/orders.csv?tab=processed&q=髙橋 智恵", true).await;
    assert_eq!(none.len(), 1, "a tab the order is not under downloads the title alone");
    let other = order_to_two_destinations(&t, "佐藤 花子").await;
    let all = csv_rows(&b, "/shipping/orders.csv?tab=all", true).await;
    let numbers: Vec<&String> = all[1..].iter().map(|r| &r[at(GoodsColumn::OrderNumber)]).collect();
    assert!(
        numbers.contains(&&number) && numbers.contains(&&other),
        "without a search, every order of the merchant"
    );
    let (s, _) = b.get_bytes("/shipping/orders.csv?encoding=latin1").await;
    assert_eq!(s, 422, "an unknown encoding is refused");
}

#[tokio::test]
async fn the_layout_form_names_every_problem_and_keeps_what_was_typed() {
    let t = TestApp::spawn().await;
    let b = merchant_admin(&t).await;
    let empty = save_layout(&b, "/shipping/layouts", "", &[]).await;
    assert_eq!(empty.status, 422);
    assert_eq!(empty.text("[data-testid=err-name]").as_deref(), Some("入力してください"));
    assert_eq!(
        empty.text("[data-testid=err-columns]").as_deref(),
        Some("列を1つ以上選んでください")
    );
    let bad_place = save_layout(&b, "/shipping/layouts", "並び順", &[("amount", "一番")]).await;
    assert_eq!(bad_place.status, 422);
    assert_eq!(
        bad_place.text("[data-testid=err-columns]").as_deref(),
        Some("列「amount」の並び順は数字で入力してください")
    );
    assert_eq!(
        bad_place.attr("[data-testid=layout-name]", "value").as_deref(),
        Some("並び順"),
        "the name as typed"
    );
    assert_eq!(
        bad_place.attr("[data-testid=col-amount]", "checked").as_deref(),
        Some(""),
        "the chosen column stays chosen"
    );
    assert_eq!(save_layout(&b, "/shipping/layouts", "経理用", &[("amount", "1")]).await.status, 303);
    let twice = save_layout(&b, "/shipping/layouts", "経理用", &[("order_number", "1")]).await;
    assert_eq!(twice.status, 422);
    assert_eq!(
        twice.text("[data-testid=err-name]").as_deref(),
        Some("この名前のレイアウトはすでにあります")
    );
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM goods_csv_layouts WHERE name = '経理用'").await,
        1,
        "nothing saved by a refused form"
    );
}

#[tokio::test]
async fn a_layout_is_edited_and_deleted_and_another_merchant_never_sees_it() {
    let t = TestApp::spawn().await;
    let b = merchant_admin(&t).await;
    let saved = save_layout(&b, "/shipping/layouts", "倉庫用", &[("order_number", "1")]).await;
    let id = layout_id(saved.location.as_deref().unwrap());
    let page = format!("/shipping/layouts/{id}");
    let edited = save_layout(&b, &page, "倉庫用（住所つき）", &[("address", "2"), ("order_number", "1")]).await;
    assert_eq!(edited.status, 303);
    let rows = csv_rows(&b, &format!("/shipping/orders.csv?layout={id}&encoding=utf-8"), false).await;
    assert_eq!(rows[0], vec!["受注番号", "お届け先住所"]);

    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(other.get(&page).await.status, 404);
    assert_eq!(other.get_bytes(&format!("/shipping/orders.csv?layout={id}")).await.0, 404);
    assert_eq!(
        other
            .submit("/shipping/layouts", &page, &[("name", "乗っ取り"), ("col", "amount")])
            .await
            .status,
        404
    );
    assert_eq!(other.submit("/shipping/layouts", &format!("{page}/delete"), &[]).await.status, 404);
    let theirs = other.get("/shipping/layouts").await;
    assert!(!theirs.body.contains("倉庫用"), "another merchant's list never shows it");

    assert_eq!(b.submit(&page, &format!("{page}/delete"), &[]).await.status, 303);
    assert_eq!(b.get(&page).await.status, 404);
    assert_eq!(b.get_bytes(&format!("/shipping/orders.csv?layout={id}")).await.0, 404);
}

#[tokio::test]
async fn the_carriers_label_files_follow_the_search_too() {
    let t = TestApp::spawn().await;
    let number = order_to_two_destinations(&t, "髙橋 恭子").await;
    let b = merchant_admin(&t).await;
    let rows = csv_rows(&b, "/shipping/labels/b2.csv?tab=unshipped&q=髙橋 恭子", true).await;
    assert_eq!(rows.len(), 3, "the title and the two destinations of the one order found");
    assert!(rows[1..].iter().all(|r| r.iter().any(|c| c.starts_with(&number))));
}

/// A goods product's optional サイズ and weight: checked where they are typed, kept on the
/// product, and written per destination in the CSV (the largest size, the total weight).
#[tokio::test]
async fn a_goods_products_size_and_weight_reach_the_csv_per_destination() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, e) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-BAD", "name": "箱", "kind": "goods", "price": 1000, "stock": 5, "size_class": "90", "weight_g": 0}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["size_class", "weight_g"], "{e}");
    let (s, e) = api
        .post(
            "/api/v1/products",
            json!({"code": "WT-BOX", "name": "入場券", "kind": "web_ticket", "ticket_type": "basic", "price": 1000, "stock": 5, "size_class": "60"}),
        )
        .await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("size_class")), "{e}");
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-BOX", "name": "贈答箱", "kind": "goods", "price": 2000, "stock": 10, "size_class": "80", "weight_g": 1200}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let b = merchant_admin(&t).await;
    let form = b.get("/reservations/products/G-BOX").await;
    assert_eq!(
        form.attr("[data-testid=size-class] option[selected]", "value").as_deref(),
        Some("80")
    );
    assert_eq!(form.attr("[data-testid=weight-g]", "value").as_deref(), Some("1200"));

    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": "cod",
                   "customer": {"name": "森 由紀", "kana": "モリ ユキ", "email": unique_email("size"), "phone": "090-1234-5678"},
                   "destinations": [
                       {"name": "森 由紀", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "phone": "090-1234-5678",
                        "lines": [{"product_code": "G-BOX", "quantity": 2}]},
                       {"name": "森 一郎", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-4", "phone": "090-1234-5678",
                        "lines": [{"product_code": "GOODS-TOWEL", "quantity": 1}]}]}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let saved = save_layout(
        &b,
        "/shipping/layouts",
        "サイズ確認",
        &[("destination", "1"), ("size", "2"), ("weight", "3")],
    )
    .await;
    let id = layout_id(saved.location.as_deref().unwrap());
    let rows = csv_rows(&b, &format!("/shipping/orders.csv?layout={id}&q=森 由紀&encoding=utf-8"), false).await;
    assert_eq!(rows[0], vec!["お届け先番号", "サイズ", "重量（g）"]);
    assert_eq!(rows[1], vec!["1", "80", "2400"], "two boxes of 1,200 g");
    assert_eq!(rows[2], vec!["2", "", ""], "a product without a size or a weight says nothing");
}
