//! 受注経路 in the goods order CSV (issue 23): a column the merchant's layouts may choose, saying
//! 代理注文 for an order an operator entered in the console and 通常 for the others, like the
//! ticket order CSV.

use crate::cc_order_entry::{register, towel};
use crate::harness::{Browser, TestApp, html, unique_email};
use serde_json::json;

/// A merchant admin's signed-in actor, as the console's pages act (their orders are 代理注文).
async fn operator(t: &TestApp) -> kippu_app::Actor {
    let mut c = t.conn().await;
    let (user, merchant): (i64, i64) = sqlx::query_as("SELECT id, merchant_id FROM users WHERE login_id = 'demo1-admin'")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    kippu_app::Actor {
        user_id: Some(kippu_domain::UserId(user)),
        merchant_id: Some(kippu_domain::MerchantId(merchant)),
        role: kippu_domain::account::Role::MerchantAdmin,
        admin_settings: true,
        label: "demo1-admin".to_string(),
        channel: None,
    }
}

fn goods_order(customer_id: i64) -> serde_json::Value {
    json!({"payment_method": "bank_store", "customer_id": customer_id,
           "destinations": [{"name": "鈴木 花子", "postal_code": "100-0001", "address": "東京都千代田区千代田1-1",
                             "phone": "03-7777-0201", "lines": [{"product_code": "G-TOWEL", "quantity": 1}]}]})
}

async fn admin(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b
}

#[tokio::test]
async fn a_layout_with_the_channel_column_says_which_orders_an_operator_entered() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let customer = register(&api, &unique_email("csv-channel")).await;
    let (s, direct) = api.post("/api/v1/orders", goods_order(customer)).await;
    assert_eq!(s, 201, "{direct}");
    let r: kippu_app::goods::GoodsOrderRequest = serde_json::from_value(goods_order(customer)).unwrap();
    let proxy = kippu_app::goods::create(&t.app, &operator(&t).await, &r, None).await.unwrap();

    let b = admin(&t).await;
    let form = b.get("/shipping/layouts").await;
    assert_eq!(
        html::texts(&form.body, "label:has([data-testid=col-entry_channel])"),
        vec!["受注経路"],
        "the layout form offers the column"
    );
    let saved = b
        .submit(
            "/shipping/layouts",
            "/shipping/layouts",
            &[
                ("name", "経路確認"),
                ("col", "order_number"),
                ("col", "entry_channel"),
                ("place_order_number", "1"),
                ("place_entry_channel", "2"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let id = saved.location.as_deref().unwrap().rsplit('/').next().unwrap().to_string();
    let (s, bytes) = b
        .get_bytes(&format!("/shipping/orders.csv?layout={id}&q=鈴木 花子&encoding=utf-8"))
        .await;
    assert_eq!(s, 200);
    let text = String::from_utf8(bytes)
        .unwrap()
        .replace(direct["order_number"].as_str().unwrap(), "[direct]")
        .replace(&proxy.view.order.order_number, "[proxy]");
    insta::assert_snapshot!("goods_csv_entry_channel", text);
}
