//! Only the methods the shop has, for new orders (issue 22): once methods are off, nothing that
//! makes an order offers them, while the searches over existing orders keep every method and
//! still find the orders paid by one that is off.

use crate::harness::{TestApp, html, unique_email};
use serde_json::json;

#[tokio::test]
async fn switched_off_methods_leave_new_orders_but_the_searches_keep_every_method() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, cod) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": "cod", "product_code": "GOODS-TOWEL", "quantity": 1,
                   "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("off"), "phone": "090-1234-5678",
                                "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}}),
        )
        .await;
    assert_eq!(s, 201, "{cod}");
    let number = cod["order_number"].as_str().unwrap();

    let platform = t.api(&t.token(None).await);
    let (s, out) = platform
        .put(
            "/api/v1/merchants/DEMO1/payment-methods",
            json!({"allowed": ["card", "bank", "venue", "store_pay"]}),
        )
        .await;
    assert_eq!(s, 200, "{out}");

    // New orders: the API refuses them, the storefront does not offer them.
    let (s, e) = api
        .post(
            "/api/v1/orders",
            json!({"payment_method": "konbini", "product_code": "GOODS-TOWEL", "quantity": 1,
                   "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("off"), "phone": "090-1234-5678",
                                "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}}),
        )
        .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("payment_method")));
    let (_, me) = api.get("/api/v1/me").await;
    let on: Vec<&str> = me["payment_methods"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert!(on.contains(&"bank_store") && on.contains(&"pay_at_venue"), "{me}");
    assert!(!on.contains(&"cod") && !on.contains(&"konbini"), "what a new order takes: {me}");
    assert_eq!(on.iter().filter(|m| m.starts_with("card_")).count(), 1, "the card mode only: {me}");
    let buyer = t.browser();
    buyer
        .submit("/shop/DEMO1/GOODS-TOWEL", "/shop/DEMO1/GOODS-TOWEL/cart", &[("quantity", "1")])
        .await;
    let cart = buyer.get("/shop/DEMO1/cart").await;
    let choices = html::attrs(&cart.body, "input[name=payment_method]", "value");
    assert!(
        !choices.is_empty() && !choices.iter().any(|c| c == "cod" || c == "konbini"),
        "{choices:?}"
    );

    // Existing orders: the goods list's filter keeps 代金引換 and finds the order.
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let list = admin.get("/shipping/orders").await;
    let methods = html::attrs(&list.body, "select[name=method] option", "value");
    assert!(
        methods.iter().any(|m| m == "cod") && methods.iter().any(|m| m == "konbini"),
        "{methods:?}"
    );
    let found = admin.get("/shipping/orders?method=cod").await;
    assert_eq!(found.status, 200);
    assert!(found.body.contains(number), "the cod order is still found by its method");
    // The bulk bar offers steps of existing orders, never a way to pay.
    assert!(html::attrs(&list.body, "[data-testid=goods-bulk-bar] select[name=payment_method]", "name").is_empty());
    let tickets = admin.get("/orders").await;
    let ticket_methods = html::attrs(&tickets.body, "select[name=method] option", "value");
    assert!(ticket_methods.iter().any(|m| m == "pay_at_venue"), "{ticket_methods:?}");
}
