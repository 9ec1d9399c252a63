//! One set of action names per flow (issue 22): every action an order page, a list's bulk bar
//! or the operator's deposits page offers is taken by the API under the same name — the order
//! number deciding the flow — and a name no flow has is 404 `not_found`.

use crate::harness::{Api, Browser, TestApp, html, unique_email};
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn ticket(method: &str) -> Value {
    json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": method, "card_token": "tok_visa",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("names"), "phone": "090-1234-5678"}})
}

fn goods(method: &str) -> Value {
    json!({"payment_method": method, "product_code": "GOODS-TOWEL", "quantity": 1, "card_token": "tok_visa",
           "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("names"), "phone": "090-1234-5678",
                        "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}})
}

async fn place(api: &Api, body: Value) -> String {
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

/// Screens of an order that are not a step of its flow: its messages, the transfer of its
/// tickets, a drafted mail, 受注編集 (the API's `PATCH /api/v1/orders/{n}`, tested in
/// `goods_edit.rs`), the 広告コード form (`PUT /api/v1/orders/{n}/ad-code`, tested in
/// `cc_ad_code_after.rs`).
const NOT_STEPS: [&str; 5] = ["messages", "transfer", "mail", "edit", "ad-code"];

/// The action names a page's links and forms lead to under `prefix` (`/orders/T…/`), whether
/// `do/{name}` or a screen of its own (`receive`, `send`, `resend`).
fn offered(body: &str, prefix: &str) -> BTreeSet<String> {
    let mut targets = html::attrs(body, "a[href]", "href");
    targets.extend(html::attrs(body, "form[action]", "action"));
    targets
        .iter()
        .filter_map(|t| t.strip_prefix(prefix))
        .map(|tail| tail.strip_prefix("do/").unwrap_or(tail))
        .filter(|name| !name.contains(['/', '.', '?', '#']) && !name.is_empty() && !NOT_STEPS.contains(name))
        .map(str::to_string)
        .collect()
}

async fn page_names(b: &Browser, page: &str, prefix: &str) -> BTreeSet<String> {
    let p = b.get(page).await;
    assert_eq!(p.status, 200, "{page}");
    offered(&p.body, prefix)
}

#[tokio::test]
async fn every_action_a_page_offers_is_taken_by_the_api_under_the_same_name() {
    let t = TestApp::spawn().await;
    t.set_stock("DEMO1", "GOODS-TOWEL", 100).await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let platform = t.api(&t.token(None).await);
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let operator = t.browser();
    operator.login("operator", "Operator2026").await;

    // Web tickets: unpaid, paid, authorized, captured; the operator's transfer into its account.
    let mut ticket_names = BTreeSet::new();
    let unpaid = place(&api, ticket("bank_store")).await;
    let paid = place(&api, ticket("bank_store")).await;
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{paid}/confirm-payment")).await.0, 200);
    t.card_mode("DEMO1", "card_auth").await;
    let authorized = place(&api, ticket("card_auth")).await;
    t.card_mode("DEMO1", "card_capture").await;
    let captured = place(&api, ticket("card_capture")).await;
    for n in [&unpaid, &paid, &authorized, &captured] {
        ticket_names.extend(page_names(&admin, &format!("/orders/{n}"), &format!("/orders/{n}/")).await);
    }
    let to_platform = place(&api, ticket("bank_platform")).await;
    let platform_names = page_names(&operator, &format!("/orders/{to_platform}"), &format!("/orders/{to_platform}/")).await;
    for expected in ["mark-paid", "cancel", "revert-payment", "send", "capture", "cancel-request"] {
        assert!(ticket_names.contains(expected), "{expected} offered: {ticket_names:?}");
    }
    assert!(platform_names.contains("confirm-deposit"), "{platform_names:?}");

    // Goods: unpaid, authorized, paid with a destination shipped.
    let mut goods_names = BTreeSet::new();
    let g_unpaid = place(&api, goods("bank_store")).await;
    t.card_mode("DEMO1", "card_auth").await;
    let g_authorized = place(&api, goods("card_auth")).await;
    let g_shipped = place(&api, goods("bank_store")).await;
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{g_shipped}/mark-paid")).await.0, 200);
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{g_shipped}/ship")).await.0, 200);
    for n in [&g_unpaid, &g_authorized, &g_shipped] {
        goods_names.extend(page_names(&admin, &format!("/shipping/orders/{n}"), &format!("/shipping/orders/{n}/")).await);
    }
    for expected in ["mark-paid", "capture", "ship", "unship", "cancel", "refund"] {
        assert!(goods_names.contains(expected), "{expected} offered: {goods_names:?}");
    }

    // Each name, on a fresh order of its flow, is a step the API knows (the rule may refuse it).
    for (names, flow, caller) in [
        (&ticket_names, "ticket", &api),
        (&platform_names, "ticket", &platform),
        (&goods_names, "goods", &api),
    ] {
        for name in names {
            let n = if flow == "goods" {
                place(&api, goods("bank_store")).await
            } else if std::ptr::eq(caller, &platform) {
                place(&api, ticket("bank_platform")).await
            } else {
                place(&api, ticket("bank_store")).await
            };
            let (s, out) = caller.post(&format!("/api/v1/orders/{n}/{name}"), json!({})).await;
            assert_ne!(s, 404, "{flow} action {name} offered by a page: {out}");
        }
    }

    // The bulk bars: each button's name is a bulk action of the API.
    let list = admin.get("/orders").await;
    let goods_list = admin.get("/shipping/orders").await;
    let deposits = operator.get("/platform/deposits").await;
    for (page, caller) in [(&list, &api), (&goods_list, &api), (&deposits, &platform)] {
        let bulk = html::attrs(&page.body, "button[name=bulk]", "value");
        assert!(!bulk.is_empty(), "{}", page.body);
        for name in bulk {
            let (s, out) = caller
                .post(
                    &format!("/api/v1/bulk/{name}"),
                    json!({"order_numbers": [g_unpaid.clone()], "ticket_numbers": ["X"], "dry_run": true}),
                )
                .await;
            assert_ne!(s, 404, "bulk {name}: {out}");
        }
    }
}

#[tokio::test]
async fn a_name_the_orders_flow_does_not_have_is_not_found() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let ticket_order = place(&api, ticket("bank_store")).await;
    let goods_order = place(&api, goods("bank_store")).await;
    for (n, name) in [
        (&ticket_order, "ship"),
        (&ticket_order, "mark_paid"),
        (&goods_order, "send"),
        (&goods_order, "revert-payment"),
        (&goods_order, "notify-shipped"),
    ] {
        let (s, e) = api.post_empty(&format!("/api/v1/orders/{n}/{name}")).await;
        assert_eq!((s, e["error"]["code"].as_str()), (404, Some("not_found")), "{name}: {e}");
    }
    // The old names keep working: a goods order takes the tickets' `confirm-payment`.
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{goods_order}/confirm-payment")).await;
    assert_eq!((s, o["payment_status"].as_str()), (200, Some("paid")), "{o}");
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{ticket_order}/mark-paid")).await;
    assert_eq!(s, 200, "the page's name for 入金済み: {o}");
}
