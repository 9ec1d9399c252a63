//! Money reconciles with coupons on every kind of sale: a property test over a month of web
//! tickets, reservations and goods orders, each with or without a coupon, paid by card or by
//! transfer, then December's settlement. Each order reaches the settlement exactly once: its
//! sale at its price (what was charged plus the discount), its coupon discount deducted, so it
//! pays out at what the buyer was charged; the merchant's payout is sales − discounts − what
//! the merchant collected itself − the platform fee, as the settlement's rule computes it.

use crate::harness::{Api, TestApp, unique_email};
use crate::payouts_goods::act;
use kippu_app::reservations::payouts;
use kippu_domain::settlement::{FeeRates, LineKind, PayoutLine, payout};
use proptest::prelude::*;
use serde_json::{Value, json};
use time::macros::datetime;

const COUPON: &str = "SETTLE300";
const COUPON_YEN: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    WebTicket,
    Reservation,
    Goods,
}

/// One sale of December.
#[derive(Debug, Clone)]
struct Sale {
    kind: Kind,
    coupon: bool,
    /// Paid by card (captured at the order) or else by a transfer to the store (店舗口座),
    /// which the merchant collects itself.
    card: bool,
    quantity: i64,
}

fn sale() -> impl Strategy<Value = Sale> {
    (
        prop_oneof![Just(Kind::WebTicket), Just(Kind::Reservation), Just(Kind::Goods)],
        any::<bool>(),
        any::<bool>(),
        1i64..=3,
    )
        .prop_map(|(kind, coupon, card, quantity)| Sale {
            kind,
            coupon,
            card,
            quantity,
        })
}

fn body(s: &Sale) -> Value {
    let customer = json!({"name": "佐藤 健一", "kana": "サトウ ケンイチ", "email": unique_email("tset"), "phone": "090-1234-5678",
                          "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"});
    let mut b = match s.kind {
        Kind::WebTicket => json!({"product_code": "WT-BASIC", "quantity": s.quantity}),
        Kind::Reservation => json!({"product_code": "RSV-LUNCH", "visit_date": "2026-12-10", "party_size": s.quantity}),
        Kind::Goods => json!({"destinations": [{"name": "佐藤 健一", "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3",
            "phone": "090-1234-5678", "lines": [{"product_code": "G-TOWEL", "quantity": s.quantity}]}]}),
    };
    b["customer"] = customer;
    b["payment_method"] = json!(if s.card { "card_capture" } else { "bank_store" });
    if s.card {
        b["card_token"] = json!("tok_visa");
    }
    if s.coupon {
        b["coupon_code"] = json!(COUPON);
    }
    b
}

/// Places and pays one sale: its number and what the buyer was charged.
async fn play(own: &Api, s: &Sale) -> (String, i64) {
    let (status, o) = own.post("/api/v1/orders", body(s)).await;
    assert_eq!(status, 201, "{s:?}: {o}");
    assert_eq!(o["discount"].as_i64().unwrap_or(0), if s.coupon { COUPON_YEN } else { 0 }, "{o}");
    let number = o["order_number"].as_str().unwrap().to_string();
    if !s.card {
        let pay = if s.kind == Kind::Goods { "mark-paid" } else { "confirm-payment" };
        act(own, &number, pay).await;
    }
    (number, o["amount"].as_i64().unwrap())
}

/// The independent model: the lines one sale brings to the settlement.
fn expected(s: &Sale, charged: i64) -> Vec<(LineKind, i64)> {
    let discount = if s.coupon { COUPON_YEN } else { 0 };
    let sale = match s.kind {
        Kind::WebTicket => LineKind::TicketSale,
        Kind::Reservation => LineKind::Used,
        Kind::Goods => LineKind::GoodsSale,
    };
    let mut out = vec![(sale, charged + discount)];
    if s.coupon {
        out.push((LineKind::CouponDiscount, discount));
    }
    if !s.card {
        out.push((LineKind::CollectedByMerchant, charged));
    }
    out.sort_by_key(|l| l.0.as_str());
    out
}

async fn month(sales: Vec<Sale>, rates: FeeRates) {
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
    t.clock.set(datetime!(2026-12-01 10:00 +09:00));
    let (s, p) = own
        .post(
            "/api/v1/products",
            json!({"code": "G-TOWEL", "name": "今治タオル", "kind": "goods", "price": 3000, "stock": 1000}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let (s, c) = own
        .post(
            "/api/v1/coupons",
            json!({"code": COUPON, "name": "精算テスト", "discount_kind": "yen", "discount_value": COUPON_YEN}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let mut placed = Vec::new();
    for s in &sales {
        placed.push(play(&own, s).await);
    }
    // The reservations are used on their day.
    t.clock.set(datetime!(2026-12-10 12:00 +09:00));
    for (s, (number, _)) in sales.iter().zip(&placed) {
        if s.kind == Kind::Reservation {
            let o = own.get(&format!("/api/v1/orders/{number}")).await.1;
            let (st, r) = own.post("/api/v1/redemptions", json!({"code": o["eticket_id"]})).await;
            assert_eq!(st, 200, "redeem {number}: {r}");
        }
    }
    t.clock.set(datetime!(2027-01-01 00:00:01 +09:00));
    kippu_app::jobs::run_due(&t.app).await.unwrap();
    assert_eq!(
        kippu_app::jobs::run_due(&t.app).await.unwrap().payouts,
        0,
        "a second run settles nothing"
    );

    let merchant = kippu_app::Actor::unattended(
        kippu_domain::MerchantId(t.scalar("SELECT id FROM merchants WHERE code = 'DEMO1'").await),
        kippu_domain::account::Role::MerchantAdmin,
        "test",
    );
    let list = payouts::list(&t.app, &merchant).await.unwrap();
    let st = payouts::statement(&t.app, &merchant, list[0].id).await.unwrap();
    let mut model = Vec::new();
    for (s, (number, charged)) in sales.iter().zip(&placed) {
        let mut lines: Vec<(LineKind, i64)> = st
            .lines
            .iter()
            .filter(|l| &l.order_number == number)
            .map(|l| (l.line_kind, l.amount))
            .collect();
        lines.sort_by_key(|l| l.0.as_str());
        assert_eq!(lines, expected(s, *charged), "{number} {s:?}");
        let revenue = lines.iter().filter(|l| l.0.is_revenue()).count();
        assert_eq!(revenue, 1, "{number} reaches the settlement exactly once");
        let net_of_discount: i64 = lines
            .iter()
            .filter(|l| l.0 != LineKind::CollectedByMerchant)
            .map(|l| l.0.sign() * l.1)
            .sum();
        assert_eq!(net_of_discount, *charged, "{number} is settled at what was charged");
        model.extend(lines.into_iter().map(|(kind, amount)| PayoutLine {
            channel: "OWN".into(),
            kind,
            amount,
        }));
    }
    let ours: i64 = st.lines.iter().filter(|l| placed.iter().any(|(n, _)| n == &l.order_number)).count() as i64;
    assert_eq!(ours, model.len() as i64, "no other line for these orders");
    // The demo's own November orders are not December's: the statement is exactly these sales.
    assert_eq!(st.lines.len(), model.len(), "{:?}", st.lines);
    let (_, total) = payout(&model, rates);
    let sales_total: i64 = model.iter().filter(|l| l.kind.is_revenue()).map(|l| l.amount).sum();
    let discounts: i64 = model.iter().filter(|l| l.kind == LineKind::CouponDiscount).map(|l| l.amount).sum();
    let collected: i64 = model
        .iter()
        .filter(|l| l.kind == LineKind::CollectedByMerchant)
        .map(|l| l.amount)
        .sum();
    assert_eq!(total.net, sales_total - discounts - collected - total.platform_fee);
    assert_eq!((st.settlement.net, st.settlement.coupon_discounts), (total.net, discounts));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, max_shrink_iters: 4, .. ProptestConfig::default() })]
    #[test]
    fn every_sale_with_or_without_a_coupon_is_settled_once_at_what_was_charged(
        sales in prop::collection::vec(sale(), 1..6),
        reservation_bp in 0i64..2000,
        ticket_bp in 0i64..2000,
        goods_bp in 0i64..2000,
    ) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(month(sales, FeeRates { reservation_bp, ticket_bp, goods_bp }));
    }
}
