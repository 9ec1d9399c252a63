//! 精算: the monthly settlement of every sale. A property test plays random months of mixed
//! histories — web tickets with every payment method (paid or not, cancelled before payment,
//! cancel requests refunded by the operator, promotion costs), goods with every goods payment
//! method (captured, konbini notices, paid by hand, cash on delivery once shipped; edited before
//! payment with points spent; cancelled unpaid) and bookings on two channels
//! (payments, redemptions, no-shows, customer and force-majeure cancellations) — and checks the
//! settlement against an independent model: every line, every total, every channel, each order
//! counted once, and a second run changing nothing.

use crate::harness::{Api, TestApp, unique_email};
use crate::payouts_goods::{GoodsPlan, act, expected_goods_lines, goods_plan, play_goods};
use kippu_app::reservations::payouts::{self, YearMonth};
use kippu_domain::settlement::{FeeRates, LineKind, PayoutLine, payout};
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

const METHODS: [&str; 5] = ["card_capture", "card_auth", "bank_platform", "bank_store", "pay_at_venue"];
const PRICE: i64 = 4400;
#[derive(Debug, Clone)]
struct Plan {
    visit_offset: i64,
    party: i64,
    method: usize,
    ota: bool,
    pay: bool,
    /// 0 redeem on the day, 1 stay away (no-show), 2 customer cancels `days_before`, 3 merchant cancels.
    fate: u8,
    days_before: i64,
}

/// A web-ticket order of the month.
#[derive(Debug, Clone)]
struct TicketPlan {
    method: usize,
    ota: bool,
    pay: bool,
    /// 0 keep, 1 cancel (before payment only), 2 card cancel request refunded by the operator.
    fate: u8,
    promotion: i64,
}

fn ticket_plan() -> impl Strategy<Value = TicketPlan> {
    (
        0usize..5,
        any::<bool>(),
        prop::bool::weighted(0.7),
        0u8..3,
        prop_oneof![Just(0i64), 1i64..500],
    )
        .prop_map(|(method, ota, pay, fate, promotion)| TicketPlan {
            method,
            ota,
            pay,
            fate,
            promotion,
        })
}

/// What a web-ticket order does in the month: (paid, refunded through a cancel request).
fn ticket_fate(p: &TicketPlan) -> (bool, bool) {
    let method = METHODS[p.method];
    let paid = method == "card_capture" || p.pay;
    let card = method.starts_with("card");
    (paid, paid && card && p.fate == 2)
}

/// The independent model of what a web-ticket order contributes to the settlement of its month.
fn expected_ticket_lines(p: &TicketPlan, amount: i64) -> Vec<(LineKind, i64)> {
    let (paid, refunded) = ticket_fate(p);
    let mut out = Vec::new();
    if paid {
        out.push((LineKind::TicketSale, amount));
        if matches!(METHODS[p.method], "bank_store" | "pay_at_venue") {
            out.push((LineKind::CollectedByMerchant, amount));
        }
        if p.promotion > 0 {
            out.push((LineKind::PromotionCost, p.promotion));
        }
    }
    if refunded {
        out.push((LineKind::CancelRequestFee, 220));
        out.push((LineKind::Refund, amount));
    }
    out
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        0i64..7,
        1i64..4,
        0usize..5,
        any::<bool>(),
        prop::bool::weighted(0.8),
        0u8..4,
        0i64..7,
    )
        .prop_map(|(visit_offset, party, method, ota, pay, fate, days_before)| Plan {
            visit_offset,
            party,
            method,
            ota,
            pay,
            fate,
            days_before,
        })
}

/// The independent model of what a booking contributes to the payout of its month.
fn expected_lines(p: &Plan, amount: i64, cancel_outcome: Option<i64>) -> Vec<(LineKind, i64)> {
    let method = METHODS[p.method];
    // Money the platform or the merchant collected before the visit: card captured (at order or
    // by capture), bank transfer confirmed.
    let collected = match method {
        "card_capture" => true,
        "pay_at_venue" => false,
        _ => p.pay,
    };
    let by_merchant = matches!(method, "bank_store" | "pay_at_venue");
    let mut out = Vec::new();
    match (p.fate, cancel_outcome) {
        (2 | 3, Some(fee)) => {
            if fee > 0 {
                out.push((LineKind::CancellationFeeKept, fee));
                if by_merchant {
                    out.push((LineKind::CollectedByMerchant, fee));
                }
            }
            let card_captured = method == "card_capture" || (method == "card_auth" && p.pay);
            if card_captured && amount - fee > 0 {
                out.push((LineKind::CancelRequestFee, 220));
            }
        }
        (0, _) if collected || method == "pay_at_venue" => {
            out.push((LineKind::Used, amount));
            if by_merchant {
                out.push((LineKind::CollectedByMerchant, amount));
            }
        }
        _ if collected => {
            out.push((LineKind::NoShow, amount));
            if by_merchant {
                out.push((LineKind::CollectedByMerchant, amount));
            }
        }
        _ => {}
    }
    out
}

/// The fee the customer's cancellation keeps under the demo policy (100 % on the day, 50 % from
/// three days before), or `None` when the customer may not cancel.
fn expected_customer_fee(p: &Plan, amount: i64, days_before: i64) -> Option<i64> {
    let pct = match days_before {
        0 => return None,
        1..=3 => 50,
        _ => 0,
    };
    let method = METHODS[p.method];
    let holds_money = match method {
        "card_capture" | "card_auth" => true,
        "pay_at_venue" => false,
        _ => p.pay,
    };
    Some(if holds_money { amount * pct / 100 } else { 0 })
}

/// Places and plays one web-ticket order; returns its number and amount.
async fn play_ticket(t: &TestApp, p: &TicketPlan, own: &Api, ota: &Api, platform: &Api) -> (String, i64) {
    let method = METHODS[p.method];
    let api = if p.ota { ota } else { own };
    // The card mode governs every channel: the merchant switches it before a card order of the
    // other mode (its earlier orders keep theirs).
    if method.starts_with("card") {
        t.card_mode("DEMO1", method).await;
    }
    let body = json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": method, "card_token": "tok_visa",
        "customer": {"name": "佐藤 健一", "kana": "サトウ ケンイチ", "email": unique_email("wt"), "phone": "090-1234-5678"}});
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap().to_string();
    if p.promotion > 0 {
        let mut c = t.conn().await;
        sqlx::query("UPDATE orders SET promotion_cost = $1 WHERE order_number = $2")
            .bind(p.promotion)
            .bind(&number)
            .execute(&mut *c)
            .await
            .unwrap();
    }
    let (paid, refunded) = ticket_fate(p);
    if paid {
        match method {
            "card_auth" => act(own, &number, "capture").await,
            "bank_platform" => act(platform, &number, "confirm-payment").await,
            "bank_store" => act(own, &number, "confirm-payment").await,
            "pay_at_venue" => act(own, &number, "receive").await,
            _ => {}
        }
    } else if p.fate == 1 {
        act(own, &number, "cancel").await;
    }
    if refunded {
        act(own, &number, "cancel-request").await;
        act(platform, &number, "complete-cancel-request").await;
    }
    (number, o["amount"].as_i64().unwrap())
}

async fn play_month(plans: Vec<Plan>, tickets: Vec<TicketPlan>, goods: Vec<GoodsPlan>, rates: FeeRates) {
    let t = TestApp::spawn().await;
    {
        let mut c = t.conn().await;
        sqlx::query("UPDATE merchants SET platform_fee_bp = $1, ticket_fee_bp = $2, goods_fee_bp = $3 WHERE code = 'DEMO1'")
            .bind(rates.reservation_bp)
            .bind(rates.ticket_bp)
            .bind(rates.goods_bp)
            .execute(&mut *c)
            .await
            .unwrap();
    }
    let own = t.api(&t.token(Some("DEMO1")).await);
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    let platform = t.api(&t.token(None).await);
    // December: the demo's own orders (paid and visited in November) are November's.
    let start = date!(2026 - 12 - 01);
    t.clock.set(datetime!(2026-12-01 10:00 +09:00));
    let mut sold = Vec::new();
    for p in &tickets {
        sold.push(play_ticket(&t, p, &own, &ota, &platform).await);
    }
    let (s, towel) = own
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 1000}),
        )
        .await;
    assert_eq!(s, 201, "{towel}");
    let (s, c) = own
        .post(
            "/api/v1/coupons",
            json!({"code": crate::payouts_goods::COUPON, "name": "精算テスト", "discount_kind": "yen",
                   "discount_value": crate::payouts_goods::COUPON_YEN}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let mut shipped = Vec::new();
    for p in &goods {
        let method = crate::payouts_goods::GOODS_METHODS[p.method];
        if method.starts_with("card") {
            t.card_mode("DEMO1", method).await;
        }
        shipped.push(play_goods(&t, p, &own, &platform).await);
    }

    // Bookings and payments on 12-01.
    let mut booked = Vec::new();
    for p in &plans {
        let api = if p.ota { &ota } else { &own };
        let visit = start + Duration::days(p.visit_offset);
        if METHODS[p.method].starts_with("card") {
            t.card_mode("DEMO1", METHODS[p.method]).await;
        }
        let body = json!({"product_code": "RSV-LUNCH", "visit_date": visit.to_string(), "party_size": p.party,
            "payment_method": METHODS[p.method], "card_token": "tok_visa",
            "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("pay"), "phone": "090-1234-5678"}});
        let (s, o) = api.post("/api/v1/orders", body).await;
        assert_eq!(s, 201, "{o}");
        let number = o["order_number"].as_str().unwrap().to_string();
        if p.pay {
            match METHODS[p.method] {
                "card_auth" => act(&own, &number, "capture").await,
                "bank_platform" => act(&platform, &number, "confirm-payment").await,
                "bank_store" => act(&own, &number, "confirm-payment").await,
                _ => {}
            }
        }
        booked.push((number, o["eticket_id"].as_str().unwrap().to_string(), visit, p.party * PRICE));
    }

    // The month's events, in time order: cancellations at 11:00, redemptions at noon.
    let mut events: Vec<(OffsetDateTime, usize)> = Vec::new();
    for (i, p) in plans.iter().enumerate() {
        let visit = booked[i].2;
        let when = match p.fate {
            0 => visit.with_hms(12, 0, 0).unwrap(),
            2 | 3 => (visit - Duration::days(p.days_before)).max(start).with_hms(11, 0, 0).unwrap(),
            _ => continue,
        };
        events.push((when.assume_offset(kippu_domain::clock::JST), i));
    }
    events.sort();
    let mut outcome: BTreeMap<usize, Option<i64>> = BTreeMap::new();
    for (when, i) in events {
        t.clock.set(when);
        let p = &plans[i];
        let (number, eticket, visit, amount) = &booked[i];
        match p.fate {
            0 => {
                let (s, r) = own.post("/api/v1/redemptions", json!({"code": eticket})).await;
                let redeemable = p.pay || matches!(METHODS[p.method], "card_capture" | "pay_at_venue");
                assert_eq!(s == 200, redeemable, "redeem {number}: {r}");
            }
            2 => {
                let days = (*visit - when.to_offset(kippu_domain::clock::JST).date()).whole_days();
                let expected = expected_customer_fee(p, *amount, days);
                let (s, o) = own.post_empty(&format!("/api/v1/orders/{number}/cancel")).await;
                match expected {
                    Some(fee) => {
                        assert_eq!(s, 200, "{o}");
                        assert_eq!(o["cancellation_fee_kept"], fee, "{number} {p:?} {o}");
                        outcome.insert(i, Some(fee));
                    }
                    None => assert_eq!(s, 422, "{o}"),
                }
            }
            3 => {
                let (s, o) = own
                    .post(&format!("/api/v1/orders/{number}/cancel"), json!({"reason": "too_few"}))
                    .await;
                assert_eq!(s, 200, "{o}");
                outcome.insert(i, Some(0));
            }
            _ => unreachable!(),
        }
    }

    // January 1st: the sweep and the settlement of December.
    t.clock.set(datetime!(2027-01-01 00:00:01 +09:00));
    let report = kippu_app::jobs::run_due(&t.app).await.unwrap();
    assert_eq!(report.payouts, 2, "one payout per active merchant");
    // Transfers never paid were cancelled by the same run, past their 振込期限, before the
    // settlement read the month: they reach no settlement (the model has no line for them).
    let unpaid_transfers: Vec<&String> = tickets
        .iter()
        .zip(&sold)
        .filter(|(p, _)| METHODS[p.method].starts_with("bank") && !p.pay && p.fate != 1)
        .map(|(_, s)| &s.0)
        .collect();
    assert!(report.payment_deadlines.cancelled as usize >= unpaid_transfers.len(), "{report:?}");
    for number in &unpaid_transfers {
        let (_, o) = own.get(&format!("/api/v1/orders/{number}")).await;
        assert_eq!(o["status"], "cancelled", "{number} unpaid past its deadline");
    }
    // Goods paid at the コンビニ or by transfer, never paid and not shipped: cancelled likewise.
    for (p, (number, _, _)) in goods.iter().zip(&shipped) {
        let method = crate::payouts_goods::GOODS_METHODS[p.method];
        if matches!(method, "konbini" | "bank_store") && !p.pay && !p.ship {
            let (_, o) = own.get(&format!("/api/v1/orders/{number}")).await;
            assert_eq!(o["order_status"], "cancelled", "{number} unpaid past its deadline");
        }
    }

    let mut model: Vec<(String, String, LineKind, i64)> = Vec::new();
    for (i, p) in plans.iter().enumerate() {
        let channel = if p.ota { "OTA1" } else { "OWN" };
        for (kind, amount) in expected_lines(p, booked[i].3, outcome.get(&i).copied().flatten()) {
            model.push((channel.into(), booked[i].0.clone(), kind, amount));
        }
    }
    for (i, p) in tickets.iter().enumerate() {
        let channel = if p.ota { "OTA1" } else { "OWN" };
        for (kind, amount) in expected_ticket_lines(p, sold[i].1) {
            model.push((channel.into(), sold[i].0.clone(), kind, amount));
        }
    }
    for (i, p) in goods.iter().enumerate() {
        for (kind, amount) in expected_goods_lines(p, shipped[i].1, shipped[i].2) {
            model.push(("OWN".into(), shipped[i].0.clone(), kind, amount));
        }
    }
    model.sort_by(|a, b| (&a.1, a.2.as_str()).cmp(&(&b.1, b.2.as_str())));

    let merchant = kippu_app::Actor::unattended(
        kippu_domain::MerchantId(t.scalar("SELECT id FROM merchants WHERE code = 'DEMO1'").await),
        kippu_domain::account::Role::MerchantAdmin,
        "test",
    );
    let list = payouts::list(&t.app, &merchant).await.unwrap();
    assert_eq!(list.len(), 1, "a merchant sees its own payouts only");
    let st = payouts::statement(&t.app, &merchant, list[0].id).await.unwrap();
    assert_eq!(st.settlement.period_start, "2026-12-01");
    assert_eq!(st.settlement.payout_date, "2027-01-31", "paid by the end of the month after");
    let mut actual: Vec<(String, String, LineKind, i64)> = st
        .lines
        .iter()
        .map(|l| (l.channel_code.clone(), l.order_number.clone(), l.line_kind, l.amount))
        .collect();
    actual.sort_by(|a, b| (&a.1, a.2.as_str()).cmp(&(&b.1, b.2.as_str())));
    assert_eq!(actual, model, "the payout's lines are exactly the model's");

    // Every order at most once among the revenue lines, and once if it earned anything.
    for number in booked
        .iter()
        .map(|b| &b.0)
        .chain(sold.iter().map(|s| &s.0))
        .chain(shipped.iter().map(|s| &s.0))
    {
        let revenue = actual.iter().filter(|l| &l.1 == number && l.2.is_revenue()).count();
        assert!(revenue <= 1, "{number} counted {revenue} times");
    }
    // The totals are the sum of the parts, per channel and in all.
    let lines: Vec<PayoutLine> = model
        .iter()
        .map(|(c, _, k, a)| PayoutLine {
            channel: c.clone(),
            kind: *k,
            amount: *a,
        })
        .collect();
    let (per, total) = payout(&lines, rates);
    assert_eq!(st.total, total);
    assert_eq!(st.settlement.net, total.net);
    assert_eq!(
        total.net,
        total.gross + total.ticket_sales + total.goods_sales - total.platform_fee - total.cancel_request_fees - total.refunds
            + total.cancellation_fees_kept
            - total.promotion_costs
            - total.collected_by_merchant
            - total.points_used
            - total.coupon_discounts
    );
    let signed: i64 = st.lines.iter().map(|l| l.line_kind.sign() * l.amount).sum();
    assert_eq!(
        signed - total.platform_fee,
        total.net,
        "the signed lines minus the fee are the payout"
    );
    assert_eq!(st.channels.iter().map(|c| c.totals.net).sum::<i64>(), total.net);
    assert_eq!(st.channels.len(), per.len());

    // A second run (a restart, tomorrow's job) changes nothing.
    t.clock.advance(Duration::days(1));
    assert_eq!(kippu_app::jobs::run_due(&t.app).await.unwrap().payouts, 0);
    let again = payouts::statement(&t.app, &merchant, list[0].id).await.unwrap();
    assert_eq!(again.lines.len(), st.lines.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, max_shrink_iters: 8, .. ProptestConfig::default() })]
    #[test]
    fn settlements_equal_their_parts_and_count_every_order_once(
        plans in prop::collection::vec(plan(), 2..14),
        tickets in prop::collection::vec(ticket_plan(), 2..14),
        goods in prop::collection::vec(goods_plan(), 2..10),
        fee_bp in 0i64..2000,
        ticket_bp in 0i64..2000,
        goods_bp in 0i64..2000,
    ) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(play_month(plans, tickets, goods, FeeRates { reservation_bp: fee_bp, ticket_bp, goods_bp }));
    }
}

#[tokio::test]
async fn a_refund_after_the_payout_is_charged_to_the_next_one() {
    let t = TestApp::spawn().await;
    let own = t.api(&t.token(Some("DEMO1")).await);
    let platform = t.api(&t.token(None).await);
    t.clock.set(datetime!(2026-12-01 10:00 +09:00));
    let body = json!({"product_code": "RSV-LUNCH", "visit_date": "2026-12-08", "party_size": 2, "payment_method": "card_capture",
        "card_token": "tok_visa", "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("rf"), "phone": "090-1234-5678"}});
    let (_, o) = own.post("/api/v1/orders", body).await;
    let number = o["order_number"].as_str().unwrap().to_string();
    act(&own, &number, "send").await;
    t.clock.set(datetime!(2026-12-08 12:00 +09:00));
    assert_eq!(own.post("/api/v1/redemptions", json!({"code": o["eticket_id"]})).await.0, 200);
    t.clock.set(datetime!(2027-01-01 01:00 +09:00));
    kippu_app::jobs::run_due(&t.app).await.unwrap();
    // In January the customer disputes; the card payment is refunded through a cancel request.
    t.clock.set(datetime!(2027-01-05 10:00 +09:00));
    act(&own, &number, "cancel-request").await;
    act(&platform, &number, "complete-cancel-request").await;
    t.clock.set(datetime!(2027-02-01 00:30 +09:00));
    assert_eq!(kippu_app::jobs::run_due(&t.app).await.unwrap().payouts, 2);
    let merchant = kippu_app::Actor::unattended(
        kippu_domain::MerchantId(t.scalar("SELECT id FROM merchants WHERE code = 'DEMO1'").await),
        kippu_domain::account::Role::MerchantAdmin,
        "test",
    );
    let list = payouts::list(&t.app, &merchant).await.unwrap();
    assert_eq!(list.len(), 2);
    let jan = payouts::statement(&t.app, &merchant, list[0].id).await.unwrap();
    assert_eq!(jan.settlement.period_start, "2027-01-01");
    assert_eq!(jan.total.refunds, 8800);
    assert_eq!(jan.total.cancel_request_fees, 220);
    assert_eq!(jan.total.net, -9020, "the merchant owes the refund and the fee");
    let dec = payouts::statement(&t.app, &merchant, list[1].id).await.unwrap();
    assert_eq!(dec.total.gross, 8800);
    assert_eq!(dec.total.net, 8800 - 440, "5 % platform fee");
    assert_eq!(YearMonth::parse("2026-11").unwrap().last().to_string(), "2026-11-30");
}
