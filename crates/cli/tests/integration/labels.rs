//! The carriers' label layouts downloaded from the goods list: every unshipped destination once,
//! in CP932, in the layout's column count, with kippu's order number where the label software
//! keeps the customer's management number.

use crate::harness::{Browser, TestApp, unique_email};
use kippu_domain::goods::labels::{Field, LabelFormat};
use serde_json::json;

async fn cod_order_to_two_destinations(t: &TestApp) -> String {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let dest = |name: &str, address: &str| {
        json!({"name": name, "postal_code": "111-0032", "address": address, "phone": "090-1234-5678",
               "lines": [{"product_code": "GOODS-TOWEL", "quantity": 1}], "time_band": "morning"})
    };
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": "cod",
                   "customer": {"name": "髙橋 美咲", "kana": "タカハシ ミサキ", "email": unique_email("labels"), "phone": "090-1234-5678"},
                   "destinations": [dest("髙橋 美咲", "東京都台東区浅草一丁目二番三号浅草ビルディング五階"), dest("髙橋 一郎", "東京都台東区浅草1-2-3")]}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

async fn rows(b: &Browser, path: &str) -> Vec<Vec<String>> {
    let (s, bytes) = b.get_bytes(path).await;
    assert_eq!(s, 200, "{path}");
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad, "CP932 all through");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The cells of `row` whose columns `f` fills, joined.
fn joined(format: LabelFormat, row: &[String], f: fn(&Field) -> bool) -> String {
    format
        .columns()
        .iter()
        .zip(row)
        .filter(|((_, x), _)| f(x))
        .map(|(_, v)| v.as_str())
        .collect()
}

#[tokio::test]
async fn each_carriers_layout_labels_every_destination_with_the_order_number_and_cod_once() {
    let t = TestApp::spawn().await;
    let number = cod_order_to_two_destinations(&t).await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    for format in LabelFormat::ALL.iter().copied() {
        let all = rows(&b, &format!("/shipping/labels/{}.csv?tab=unshipped", format.as_str())).await;
        let width = format.columns().len();
        assert!(all.iter().all(|r| r.len() == width), "{format:?}: {width} columns on every line");
        assert_eq!(all[0], format.header(), "{format:?}: the title line");
        let at = format.columns().iter().position(|(_, f)| *f == Field::Management).unwrap();
        let cod_at = format.columns().iter().position(|(_, f)| *f == Field::CodAmount).unwrap();
        let first = all.iter().find(|r| r[at] == format!("{number}-1")).expect("destination 1");
        let second = all.iter().find(|r| r[at] == format!("{number}-2")).expect("destination 2");
        assert_eq!(
            joined(format, first, |f| matches!(f, Field::Address { .. })),
            "東京都台東区浅草一丁目二番三号浅草ビルディング五階",
            "{format:?}: the address in the layout's parts, nothing lost"
        );
        assert_eq!(joined(format, second, |f| matches!(f, Field::Name { .. })), "髙橋 一郎");
        assert!(
            !first[cod_at].is_empty() && second[cod_at].is_empty(),
            "{format:?}: COD collected once, on the first parcel"
        );
    }
    let (_, b2) = b.get_bytes("/shipping/labels/b2.csv").await;
    let (_, old) = b.get_bytes("/shipping/export-b2.csv").await;
    assert_eq!(b2, old, "the B2 address the list linked before is the same file");
    assert_eq!(b.get("/shipping/labels/nope.csv").await.status, 404);
}

#[tokio::test]
async fn another_merchants_labels_never_hold_this_merchants_orders() {
    let t = TestApp::spawn().await;
    let number = cod_order_to_two_destinations(&t).await;
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    for format in LabelFormat::ALL {
        let (_, bytes) = other.get_bytes(&format!("/shipping/labels/{}.csv", format.as_str())).await;
        let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(!text.contains(&number), "{format:?}");
    }
}
