//! `GET /api/v1/orders` for every kind: order-management software polls one list for web
//! tickets, reservations and goods, each order in its kind's own shape; the app decides which
//! flow an order request belongs to; the shop is told of a goods order as of a ticket order.

use crate::harness::{Api, TestApp, unique_email, wait_for_mail};
use serde_json::{Value, json};

async fn towel(api: &Api) {
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 50}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
}

fn customer(tag: &str) -> Value {
    json!({"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email(tag), "phone": "090-1234-5678",
           "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"})
}

fn goods_order() -> Value {
    json!({"product_code": "G-TOWEL", "quantity": 2, "payment_method": "card_capture", "card_token": "tok_visa", "customer": customer("kinds")})
}

fn ticket_order() -> Value {
    json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "card_capture", "card_token": "tok_visa", "customer": customer("kinds")})
}

fn booking() -> Value {
    json!({"product_code": "RSV-LUNCH", "visit_date": "2026-12-20", "party_size": 2, "payment_method": "card_capture", "card_token": "tok_visa",
           "customer": customer("kinds")})
}

async fn place(api: &Api, body: Value) -> String {
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

fn numbers_and_kinds(list: &Value) -> Vec<(String, String)> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["order_number"].as_str().unwrap().to_string(),
                o["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_list_has_every_kind_newest_first_each_in_its_own_shape() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let ticket = place(&api, ticket_order()).await;
    let reservation = place(&api, booking()).await;
    let goods = place(&api, goods_order()).await;

    let (s, list) = api.get("/api/v1/orders?per_page=3").await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(
        numbers_and_kinds(&list),
        vec![
            (goods.clone(), "goods".to_string()),
            (reservation.clone(), "reservation".to_string()),
            (ticket.clone(), "web_ticket".to_string())
        ]
    );
    let goods_item = &list["items"][0];
    assert_eq!(
        goods_item["destinations"][0]["lines"][0]["quantity"], 2,
        "the goods shape: {goods_item}"
    );
    assert_eq!(list["items"][1]["party_size"], 2, "the reservation's own fields");
}

#[tokio::test]
async fn kind_narrows_the_list_and_an_unknown_kind_is_refused() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let goods = place(&api, goods_order()).await;
    place(&api, ticket_order()).await;

    let (_, list) = api.get("/api/v1/orders?kind=goods&per_page=100").await;
    let items = numbers_and_kinds(&list);
    assert!(items.iter().all(|(_, k)| k == "goods"), "{items:?}");
    assert!(items.iter().any(|(n, _)| *n == goods));
    assert_eq!(list["total"].as_i64().unwrap(), items.len() as i64);

    let (_, list) = api.get("/api/v1/orders?kind=web_ticket&per_page=100").await;
    assert!(numbers_and_kinds(&list).iter().all(|(_, k)| k == "web_ticket"));

    let (s, e) = api.get("/api/v1/orders?kind=voucher").await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("kind")), "{e}");
    let (s, e) = api.get("/api/v1/orders/export.csv?kind=goods").await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (422, Some("kind")),
        "the export is web tickets': {e}"
    );
}

#[tokio::test]
async fn q_finds_a_goods_order_by_its_number_and_another_merchant_sees_none() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let goods = place(&api, goods_order()).await;
    let (s, list) = api.get(&format!("/api/v1/orders?q={goods}")).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(numbers_and_kinds(&list), vec![(goods.clone(), "goods".to_string())]);
    assert_eq!(list["total"], 1);

    let other = t.api(&t.token(Some("DEMO2")).await);
    let (_, list) = other.get(&format!("/api/v1/orders?q={goods}")).await;
    assert_eq!(list["total"], 0, "DEMO1's order does not exist for DEMO2: {list}");
}

#[tokio::test]
async fn goods_and_tickets_in_one_request_are_refused() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let body = json!({"payment_method": "card_capture", "card_token": "tok_visa", "customer": customer("mixed"),
        "lines": [{"product_code": "G-TOWEL", "quantity": 1}, {"product_code": "WT-BASIC", "quantity": 1}]});
    let (s, e) = api.post("/api/v1/orders", body).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("product_code")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("一つの注文にできません"), "{e}");
}

#[tokio::test]
async fn the_shop_is_told_of_a_new_goods_order_by_mail() {
    let t = TestApp::spawn().await;
    let shop = t.unique_merchant_email("DEMO1").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let goods = place(&api, goods_order()).await;
    let mail = wait_for_mail(&shop, 0).await;
    assert_eq!(
        mail.subject,
        format!("受注通知【注文番号{goods}】山田 花子様より注文がありました。")
    );
    assert!(mail.body.contains("今治タオル × 2"), "{}", mail.body);
    assert!(mail.body.contains(&format!("/shipping/orders/{goods}")), "{}", mail.body);
}
