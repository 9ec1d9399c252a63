//! 代引手数料 by the amount collected (issue 22): the merchant sets a table of rows in 物販の設定,
//! each row checked beside its field; every cash-on-delivery order takes the fee of the row its
//! total (fee included) falls in, shown wherever the total is; above the last row the order is
//! refused.

use crate::harness::{Browser, Page, TestApp, unique_email};
use kippu_domain::goods::cod_fee::FIELDS;
use serde_json::{Value, json};

const CART: &str = "/shop/DEMO1/cart";

/// Saves 物販の設定 with no shipping fee, 1 % points and the 代引手数料 `rows` as typed.
async fn save_cod_table(b: &Browser, rows: &[(&'static str, &'static str)]) -> Page {
    let mut fields: Vec<(&str, &str)> = vec![
        ("base_fee", "0"),
        ("free_from", ""),
        ("prefecture_fees", ""),
        ("points_percent", "1"),
        ("points_activation", "when_shipped"),
    ];
    for (i, (up_to, fee)) in FIELDS.iter().enumerate() {
        let (u, f) = rows.get(i).copied().unwrap_or(("", ""));
        fields.extend([(*up_to, u), (*fee, f)]);
    }
    b.submit("/settings/goods", "/settings/goods", &fields).await
}

fn towels(method: &str, quantity: i64) -> Value {
    json!({"payment_method": method, "product_code": "GOODS-TOWEL", "quantity": quantity, "card_token": "tok_visa",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("codfee"), "phone": "090-1234-5678",
                        "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}})
}

#[tokio::test]
async fn the_cod_fee_table_starts_as_the_carriers_and_each_bad_cell_is_named_beside_its_field() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = b.get("/settings/goods").await;
    let cell = |p: &Page, f: &str| p.attr(&format!("[data-testid={f}]"), "value").unwrap_or_default();
    assert_eq!(
        FIELDS[..5]
            .iter()
            .map(|(u, f)| (cell(&page, u), cell(&page, f)))
            .collect::<Vec<_>>(),
        [
            ("10000".to_string(), "330".to_string()),
            ("30000".into(), "440".into()),
            ("100000".into(), "660".into()),
            ("300000".into(), "1100".into()),
            (String::new(), String::new()),
        ],
        "the carriers' usual table"
    );

    let bad = save_cod_table(&b, &[("10000", "330"), ("3万", "440"), ("2000000", "abc")]).await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.text("[data-testid=err-cod_up_to_2]").as_deref(),
        Some("2行目: 金額は1〜1,000,000円の整数です")
    );
    assert_eq!(
        bad.text("[data-testid=err-cod_up_to_3]").as_deref(),
        Some("3行目: 金額は1〜1,000,000円の整数です")
    );
    assert_eq!(
        bad.text("[data-testid=err-cod_fee_3]").as_deref(),
        Some("3行目: 手数料は0〜10,000円の整数です")
    );
    assert_eq!(cell(&bad, "cod_up_to_2"), "3万", "what was typed comes back");

    let descending = save_cod_table(&b, &[("30000", "440"), ("10000", "330")]).await;
    assert_eq!(descending.status, 422);
    assert_eq!(
        descending.text("[data-testid=err-cod_up_to_2]").as_deref(),
        Some("2行目: 金額は上の行より大きくしてください（小さい順）")
    );
    let none = save_cod_table(&b, &[]).await;
    assert_eq!(
        none.text("[data-testid=err-cod_fees]").as_deref(),
        Some("代引手数料を1行以上入力してください")
    );

    let ok = save_cod_table(&b, &[("５，０００", "200"), ("", ""), ("20000", "500")]).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let saved = b.get("/settings/goods").await;
    assert_eq!(
        (
            cell(&saved, "cod_up_to_1"),
            cell(&saved, "cod_fee_1"),
            cell(&saved, "cod_up_to_2"),
            cell(&saved, "cod_fee_2"),
            cell(&saved, "cod_up_to_3")
        ),
        ("5000".into(), "200".into(), "20000".into(), "500".into(), String::new()),
        "the empty row is dropped"
    );
}

#[tokio::test]
async fn each_cod_order_takes_the_fee_of_its_row_shown_wherever_the_total_is_and_above_the_table_is_refused() {
    let t = TestApp::spawn().await;
    t.set_stock("DEMO1", "GOODS-TOWEL", 200).await;
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(save_cod_table(&admin, &[("5000", "200"), ("20000", "500")]).await.status, 303);
    let api = t.api(&t.token(Some("DEMO1")).await);

    let (s, small) = api.post("/api/v1/orders", towels("cod", 1)).await;
    assert_eq!(s, 201, "{small}");
    assert_eq!((small["cod_fee"].as_i64(), small["amount"].as_i64()), (Some(200), Some(1_850)));

    // 5 towels: 8,250 yen collected with the fee is the 〜20,000円 row.
    let (s, o) = api.post("/api/v1/orders", towels("cod", 5)).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!((o["cod_fee"].as_i64(), o["amount"].as_i64()), (Some(500), Some(8_750)));
    let number = o["order_number"].as_str().unwrap();
    let (_, read) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(read["cod_fee"], 500, "the order read back");
    let mut c = t.conn().await;
    let (token, mail): (String, String) = sqlx::query_as(
        "SELECT o.access_token, x.body FROM outbox x JOIN orders o ON o.id = x.order_id WHERE o.order_number = $1 AND x.template_key = 'goods_thanks'",
    )
    .bind(number)
    .fetch_one(&mut *c)
    .await
    .unwrap();
    drop(c);
    assert!(mail.contains("代引手数料 500円"), "{mail}");
    let mine = t.browser().get(&format!("/my/orders/{token}")).await;
    assert_eq!(mine.text("[data-testid=cod-fee]").as_deref(), Some("500円"));
    let detail = admin.get(&format!("/shipping/orders/{number}")).await;
    assert_eq!(detail.text("[data-testid=handling-fee]").as_deref(), Some("500円"));

    // 12 towels: 19,800 + 500 passes 20,000, the last row: the carrier does not collect it.
    let (s, e) = api.post("/api/v1/orders", towels("cod", 12)).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("payment_method")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("税込20,000円まで"), "{e}");
    let (s, card) = api.post("/api/v1/orders", towels("bank_store", 12)).await;
    assert_eq!((s, card["cod_fee"].as_i64()), (201, Some(0)), "{card}");

    // The storefront's confirmation shows the same fee, and refuses the same total.
    let buyer = t.browser();
    let added = buyer
        .submit("/shop/DEMO1/GOODS-TOWEL", "/shop/DEMO1/GOODS-TOWEL/cart", &[("quantity", "5")])
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let email = unique_email("codconfirm");
    let form = |pay: &'static str| -> Vec<(&str, &str)> {
        vec![
            ("name", "山田 花子"),
            ("kana", "やまだ はなこ"),
            ("email", email.as_str()),
            ("phone", "090-1234-5678"),
            ("postal_code", "111-0032"),
            ("address", "東京都台東区浅草1-2-3"),
            ("payment_method", pay),
            ("d0_to", "self"),
            ("d0_q_GOODS-TOWEL", "5"),
            ("op", "confirm"),
        ]
    };
    let confirm = buyer.submit(CART, CART, &form("cod")).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert_eq!(confirm.text("[data-testid=cod-fee]").as_deref(), Some("500円"));
    assert_eq!(confirm.text("[data-testid=amount]").as_deref(), Some("8,750円"));
    let mut too_many = form("cod");
    too_many[8] = ("d0_q_GOODS-TOWEL", "12");
    let refused = buyer.submit(CART, CART, &too_many).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("代金引換でお支払いいただける金額は税込20,000円までです"));
}
