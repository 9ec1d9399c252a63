//! Money reconciles for 定期: a property test over a month of masters (random cycles, methods,
//! some paused part-way, some children left unpaid) whose children the job makes day by day —
//! each day's job run twice, once two at a time — then December's settlement: every child paid
//! in the month is one goods sale at its amount, exactly once; an unpaid child sells nothing;
//! a master makes exactly the children its cycle and pause say.

use crate::cc_subscriptions::{order_body, product};
use crate::harness::TestApp;
use crate::payouts_goods::act;
use kippu_app::callcenter::subscriptions::job;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use time::Duration;
use time::macros::datetime;

#[derive(Debug, Clone)]
struct MasterPlan {
    every: i64,
    cod: bool,
    /// The day of December it is paused on (before that day's job), if any.
    pause_on: Option<i64>,
    /// Whether its orders are paid (bank transfer marked paid; COD shipped).
    pay: bool,
}

fn master_plan() -> impl Strategy<Value = MasterPlan> {
    (
        3i64..=15,
        any::<bool>(),
        prop_oneof![Just(None), (2i64..=31).prop_map(Some)],
        any::<bool>(),
    )
        .prop_map(|(every, cod, pause_on, pay)| MasterPlan { every, cod, pause_on, pay })
}

/// The children the model expects: a cycle date every `every` days from 12-01, in December,
/// before the pause.
fn expected_children(p: &MasterPlan) -> usize {
    (1..)
        .map(|k| 1 + k * p.every)
        .take_while(|d| *d <= 31)
        .filter(|d| p.pause_on.is_none_or(|x| *d < x))
        .count()
}

async fn play(plans: Vec<MasterPlan>) {
    let t = TestApp::spawn().await;
    let own = t.api(&t.token(Some("DEMO1")).await);
    t.clock.set(datetime!(2026-12-01 10:00 +09:00));
    product(&own, "SUB-TEA", 1500).await;
    let mut ids = Vec::new();
    for p in &plans {
        let mut body = order_body("SUB-TEA", json!({"every_days": p.every}));
        body["payment_method"] = json!(if p.cod { "cod" } else { "bank_store" });
        let (s, o) = own.post("/api/v1/orders", body).await;
        assert_eq!(s, 201, "{o}");
        ids.push(o["subscription_id"].as_i64().unwrap());
    }
    for day in 2..=31 {
        t.clock.set(datetime!(2026-12-01 10:00 +09:00) + Duration::days(day - 1));
        for (p, id) in plans.iter().zip(&ids) {
            if p.pause_on == Some(day) {
                let (s, m) = own.post_empty(&format!("/api/v1/subscriptions/{id}/pause")).await;
                assert_eq!(s, 200, "{m}");
            }
        }
        if day % 2 == 0 {
            let (a, b) = tokio::join!(job::run(&t.app), job::run(&t.app));
            a.unwrap();
            b.unwrap();
        } else {
            job::run(&t.app).await.unwrap();
            assert_eq!(job::run(&t.app).await.unwrap().children, 0, "a rerun makes nothing");
        }
    }
    // Every order of each master (the first and its children), paid or not on 12-31.
    t.clock.set(datetime!(2026-12-31 20:00 +09:00));
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    let mut unpaid = Vec::new();
    for (p, id) in plans.iter().zip(&ids) {
        let (_, m) = own.get(&format!("/api/v1/subscriptions/{id}")).await;
        let children: Vec<String> = m["child_orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["order_number"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(children.len(), expected_children(p), "{p:?}: {m}");
        let mut numbers = children;
        numbers.push(m["origin_order_number"].as_str().unwrap().to_string());
        for n in numbers {
            let (_, o) = own.get(&format!("/api/v1/orders/{n}")).await;
            if p.pay {
                act(&own, &n, if p.cod { "ship" } else { "mark-paid" }).await;
                expected.insert(n, o["amount"].as_i64().unwrap());
            } else {
                unpaid.push(n);
            }
        }
    }
    t.clock.set(datetime!(2027-01-01 01:00 +09:00));
    kippu_app::jobs::run_due(&t.app).await.unwrap();
    kippu_app::jobs::run_due(&t.app).await.unwrap();
    let mut c = t.conn().await;
    let lines: Vec<(String, i64)> = sqlx::query_as(
        "SELECT o.order_number, l.amount FROM settlement_lines l JOIN orders o ON o.id = l.order_id \
         WHERE l.line_kind = 'goods_sale' AND o.subscription_id IS NOT NULL ORDER BY o.order_number",
    )
    .fetch_all(&mut *c)
    .await
    .unwrap();
    let mut seen: BTreeMap<String, i64> = BTreeMap::new();
    for (n, amount) in lines {
        assert!(seen.insert(n.clone(), amount).is_none(), "{n} settled twice");
    }
    assert_eq!(seen, expected, "each paid order once, at its amount");
    for n in unpaid {
        assert!(!seen.contains_key(&n));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, max_shrink_iters: 4, .. ProptestConfig::default() })]
    #[test]
    fn subscription_children_reach_a_settlement_exactly_once(plans in prop::collection::vec(master_plan(), 1..4)) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(play(plans));
    }
}
