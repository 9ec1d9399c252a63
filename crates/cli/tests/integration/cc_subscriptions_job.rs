//! The 定期 job: each due master gets its child order (注文種別 定期便, linked to the master) a
//! cycle later, exactly once — run twice, or twice at the same time; a paused master makes none
//! until resumed; a child the intake refuses makes no order, keeps the master and tells the
//! merchant; a 頒布会 ships its next product and finishes after the last.

use crate::cc_subscriptions::{demo1, product, subscribe};
use crate::harness::{Api, TestApp, wait_for_mail};
use kippu_app::callcenter::subscriptions::job::{self, SubsReport};
use serde_json::{Value, json};
use time::Duration;

async fn master(api: &Api, id: i64) -> Value {
    let (s, m) = api.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(s, 200, "{m}");
    m
}

async fn run(t: &TestApp) -> SubsReport {
    job::run(&t.app).await.unwrap()
}

#[tokio::test]
async fn a_child_is_made_a_cycle_later_once_however_often_the_job_runs() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    t.clock.advance(Duration::days(29));
    assert_eq!(run(&t).await.children, 0, "not due yet");
    t.clock.advance(Duration::days(1));
    assert_eq!(run(&t).await.children, 1);
    assert_eq!(run(&t).await.children, 0, "the second run finds it done");
    let m = master(&api, id).await;
    assert_eq!(m["next_date"], "2027-01-23");
    assert_eq!(m["deliveries"], 2);
    let children = m["child_orders"].as_array().unwrap();
    assert_eq!(children.len(), 1);
    assert_eq!(children[0]["cycle_date"], "2026-12-24");
    let number = children[0]["order_number"].as_str().unwrap();
    let (s, o) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(
        (o["order_type"].as_str(), o["subscription_id"].as_i64()),
        (Some("subscription_child"), Some(id))
    );
    assert_eq!(
        (o["amount"].as_i64(), o["destinations"][0]["lines"][0]["quantity"].as_i64()),
        (Some(3000 + o["shipping_fee"].as_i64().unwrap()), Some(2))
    );
    // The child took stock like any order: 100 − 2 (the first) − 2 (the child).
    let left = t
        .scalar("SELECT remaining FROM stock WHERE product_id = (SELECT id FROM products WHERE code = 'SUB-TEA')")
        .await;
    assert_eq!(left, 96);
}

#[tokio::test]
async fn two_jobs_at_the_same_time_make_each_child_once() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(subscribe(&api, "SUB-TEA", json!({"every_days": 7})).await.1);
    }
    t.clock.advance(Duration::days(7));
    let (a, b) = tokio::join!(job::run(&t.app), job::run(&t.app));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.children + b.children, 4, "{a:?} {b:?}");
    for id in ids {
        assert_eq!(master(&api, id).await["child_orders"].as_array().unwrap().len(), 1);
    }
    let children = t
        .scalar("SELECT COUNT(*) FROM orders WHERE order_type = 'subscription_child'")
        .await;
    assert_eq!(children, 4);
}

#[tokio::test]
async fn a_paused_master_makes_no_child_and_resuming_brings_the_next_one_back() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 10})).await;
    api.post_empty(&format!("/api/v1/subscriptions/{id}/pause")).await;
    t.clock.advance(Duration::days(15));
    assert_eq!(run(&t).await.children, 0);
    let (s, m) = api.post_empty(&format!("/api/v1/subscriptions/{id}/resume")).await;
    assert_eq!(s, 200, "{m}");
    // Due 2026-12-04 while paused; resumed on 12-09: the next cycle date after today.
    assert_eq!(m["next_date"], "2026-12-14");
    assert_eq!(run(&t).await.children, 0, "no child for the days it rested");
    t.clock.advance(Duration::days(5));
    assert_eq!(run(&t).await.children, 1);
    assert_eq!(master(&api, id).await["child_orders"][0]["cycle_date"], "2026-12-14");
}

#[tokio::test]
async fn a_refused_child_keeps_the_master_and_tells_the_merchant() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"every_days": 30})).await;
    // A mailbox of its own from here: the first order's notice went to the old one.
    let email = t.unique_merchant_email("DEMO1").await;
    t.set_stock("DEMO1", "SUB-TEA", 0).await;
    t.clock.advance(Duration::days(30));
    let r = run(&t).await;
    assert_eq!((r.children, r.refused), (0, 1));
    assert_eq!(run(&t).await, SubsReport::default(), "refused once, not again");
    let m = master(&api, id).await;
    assert_eq!(
        (m["status"].as_str(), m["next_date"].as_str()),
        (Some("active"), Some("2027-01-23"))
    );
    assert_eq!(m["child_orders"], json!([]));
    let last = m["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "refused");
    assert!(last["note"].as_str().unwrap().contains("2026-12-24"), "{last}");
    let mail = wait_for_mail(&email, 0).await;
    assert!(mail.subject.contains("定期受注を作成できませんでした"), "{}", mail.subject);
    assert!(mail.body.contains("2027-01-23"), "{}", mail.body);
}

#[tokio::test]
async fn a_course_ships_its_next_product_and_finishes_after_the_last() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    product(&api, "SUB-2", 1000).await;
    product(&api, "SUB-3", 1200).await;
    let (s, c) = api
        .post(
            "/api/v1/courses",
            json!({"code": "TEA3", "name": "お茶の頒布会", "products": ["SUB-TEA", "SUB-2", "SUB-3"]}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let (_, id) = subscribe(&api, "SUB-TEA", json!({"course": "TEA3", "every_days": 30})).await;
    let mut shipped = Vec::new();
    for _ in 0..3 {
        t.clock.advance(Duration::days(30));
        run(&t).await;
    }
    let m = master(&api, id).await;
    for c in m["child_orders"].as_array().unwrap().iter().rev() {
        let (_, o) = api.get(&format!("/api/v1/orders/{}", c["order_number"].as_str().unwrap())).await;
        shipped.push(o["destinations"][0]["lines"][0]["product_code"].as_str().unwrap().to_string());
    }
    assert_eq!(shipped, vec!["SUB-2", "SUB-3"]);
    assert_eq!((m["status"].as_str(), m["deliveries"].as_i64()), (Some("finished"), Some(3)));
}

#[tokio::test]
async fn a_master_started_with_a_stored_card_charges_it_for_each_child_and_a_deleted_card_refuses_the_next() {
    let t = TestApp::spawn().await;
    let api = demo1(&t).await;
    let mut body = crate::cc_subscriptions::order_body("SUB-TEA", json!({"every_days": 30}));
    let email = body["customer"]["email"].as_str().unwrap().to_string();
    let (s, c) = api
        .post(
            "/api/v1/customers",
            json!({"name": "定期 花子", "kana": "テイキ ハナコ", "email": email, "phone": "090-1234-5678",
                   "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let customer = c["id"].as_i64().unwrap();
    let (s, card) = api
        .post(&format!("/api/v1/customers/{customer}/cards"), json!({"token": "tok_visa"}))
        .await;
    assert_eq!(s, 201, "{card}");
    let card_id = card["card_id"].as_str().unwrap().to_string();
    body["payment_method"] = json!("card_capture");
    body["card_id"] = json!(card_id);
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    let id = o["subscription_id"].as_i64().unwrap();

    t.clock.advance(Duration::days(30));
    assert_eq!(run(&t).await.children, 1);
    let m = master(&api, id).await;
    let number = m["child_orders"][0]["order_number"].as_str().unwrap().to_string();
    let (_, child) = api.get(&format!("/api/v1/orders/{number}")).await;
    assert_eq!(child["payment_method"], "card_capture", "{child}");
    let charged = t
        .scalar("SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.subscription_id IS NOT NULL AND p.gateway_ref LIKE 'sbx_%'")
        .await;
    assert!(charged >= 1, "the child's payment is the card's authorization");

    let (s, e) = api.delete(&format!("/api/v1/customers/{customer}/cards/{card_id}")).await;
    assert_eq!(s, 204, "{e}");
    t.clock.advance(Duration::days(30));
    let report = run(&t).await;
    assert_eq!((report.children, report.refused), (0, 1), "{report:?}");
    assert_eq!(master(&api, id).await["status"], "active", "the master is kept");
}
