//! The goods part of the settlement's property test (payouts.rs): a goods order's plan, its
//! independent model of settlement lines, and playing it through the API — edited before its
//! payment (受注編集: quantities, 送料, ポイント利用), or cancelled unpaid; some with a coupon
//! ([`COUPON`], [`COUPON_YEN`] off), whose discount the merchant bears.

use crate::harness::{Api, TestApp, unique_email};
use kippu_domain::settlement::LineKind;
use proptest::prelude::*;
use serde_json::json;

pub async fn act(api: &Api, number: &str, action: &str) {
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{number}/{action}")).await;
    assert_eq!(s, 200, "{action} {number}: {o}");
}

/// The coupon some goods orders carry (set up by the test), and its yen off.
pub const COUPON: &str = "PAYOUT300";
pub const COUPON_YEN: i64 = 300;

pub const GOODS_METHODS: [&str; 6] = ["card_capture", "card_auth", "konbini", "bank_store", "store_pay", "cod"];

/// What happens to a goods order after it is paid: nothing, a partial refund of this percent
/// of the amount (once the money is taken), or its cancellation before anything ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Afterwards {
    Nothing,
    Refund(i64),
    Cancel,
}

/// 受注編集 right after the order: towels per destination, the order's 送料, and points the
/// customer (given them on the ledger first) spends.
#[derive(Debug, Clone, Copy)]
pub struct EditPlan {
    pub quantity: i64,
    pub shipping_fee: i64,
    pub points: i64,
}

/// A goods order of the month: perhaps edited, paid (by capture, the konbini notice or by hand)
/// or not, shipped or not, to one or two destinations, then perhaps refunded in part or
/// cancelled (unpaid or paid).
#[derive(Debug, Clone)]
pub struct GoodsPlan {
    pub method: usize,
    pub pay: bool,
    pub ship: bool,
    pub two: bool,
    pub after: Afterwards,
    pub edit: Option<EditPlan>,
    /// Ordered with [`COUPON`].
    pub coupon: bool,
}

pub fn goods_plan() -> impl Strategy<Value = GoodsPlan> {
    let after = prop_oneof![
        2 => Just(Afterwards::Nothing),
        1 => (1i64..=100).prop_map(Afterwards::Refund),
        1 => Just(Afterwards::Cancel),
    ];
    let edit = prop::option::weighted(
        0.5,
        (1i64..4, prop_oneof![Just(0i64), 1i64..1500], prop_oneof![Just(0i64), 1i64..3000]).prop_map(|(quantity, shipping_fee, points)| {
            EditPlan {
                quantity,
                shipping_fee,
                points,
            }
        }),
    );
    (
        0usize..6,
        prop::bool::weighted(0.7),
        any::<bool>(),
        any::<bool>(),
        after,
        edit,
        any::<bool>(),
    )
        .prop_map(|(method, pay, ship, two, after, edit, coupon)| GoodsPlan {
            method,
            pay,
            ship,
            two,
            after,
            edit,
            coupon,
        })
}

impl GoodsPlan {
    /// A cancelled order ships nothing.
    /// The coupon's yen off the goods (every order's goods are above it).
    pub fn discount(&self) -> i64 {
        if self.coupon { COUPON_YEN } else { 0 }
    }

    fn ships(&self) -> bool {
        self.ship && self.after != Afterwards::Cancel
    }

    /// Whether the money was taken: captured, notified or marked paid; cash on delivery once
    /// shipped.
    fn sold(&self) -> bool {
        match GOODS_METHODS[self.method] {
            "card_capture" => true,
            "cod" => self.ships(),
            _ => self.pay,
        }
    }
}

/// The part of `amount` a partial refund of `percent` gives back (at least 1 yen).
fn part(amount: i64, percent: i64) -> i64 {
    (amount * percent / 100).max(1)
}

/// The independent model of a goods order's lines: a sale once paid (cash on delivery: once
/// every parcel left) at its price — what the buyer paid (`amount`, after any edit) plus the
/// points spent, which the merchant bears — which the merchant collected itself unless the
/// platform did (card, konbini). An unpaid cancelled order sells nothing.
///
/// A refund (the rest of the order with a cancellation, or a part) comes off the settlement
/// only when the platform collected the money; the merchant refunds what it collected.
pub fn expected_goods_lines(p: &GoodsPlan, amount: i64, points_used: i64) -> Vec<(LineKind, i64)> {
    let method = GOODS_METHODS[p.method];
    let mut out = Vec::new();
    if !p.sold() {
        return out;
    }
    out.push((LineKind::GoodsSale, amount + points_used + p.discount()));
    if points_used > 0 {
        out.push((LineKind::PointsUsed, points_used));
    }
    // The coupon's discount, like the points, is the merchant's to bear.
    if p.discount() > 0 {
        out.push((LineKind::CouponDiscount, p.discount()));
    }
    let by_merchant = matches!(method, "bank_store" | "store_pay" | "cod");
    if by_merchant {
        out.push((LineKind::CollectedByMerchant, amount));
    }
    if !by_merchant {
        match p.after {
            Afterwards::Cancel => out.push((LineKind::Refund, amount)),
            Afterwards::Refund(percent) => out.push((LineKind::Refund, part(amount, percent))),
            Afterwards::Nothing => {}
        }
    }
    out
}

/// 受注編集 of a new order: the customer is given the points first (手動調整), then the order's
/// quantities, 送料 and points change; a card captured at the order is paid, so refused. The
/// points the order spends.
async fn edit(t: &TestApp, own: &Api, number: &str, destinations: usize, e: EditPlan, method: &str, discount: i64) -> (i64, Option<i64>) {
    // Never the whole goods total (after the coupon): a card authorization is of 1 yen at least.
    let points = e.points.min(3000 * e.quantity * destinations as i64 - discount - 1);
    if points > 0 {
        let mut c = t.conn().await;
        let (m, customer): (i64, i64) = sqlx::query_as("SELECT merchant_id, customer_id FROM orders WHERE order_number = $1")
            .bind(number)
            .fetch_one(&mut *c)
            .await
            .unwrap();
        let admin = kippu_app::Actor::unattended(kippu_domain::MerchantId(m), kippu_domain::account::Role::MerchantAdmin, "test");
        let a = kippu_app::goods::ledger::Adjustment {
            points: points.to_string(),
            note: "お詫び".into(),
        };
        kippu_app::goods::ledger::adjust(&t.app, &admin, customer, &a).await.unwrap();
    }
    let lines = json!({"lines": [{"product_code": "G-TOWEL", "quantity": e.quantity}]});
    let body = json!({"shipping_fee": e.shipping_fee, "points_used": points, "destinations": vec![lines; destinations]});
    let (_, before) = own.get(&format!("/api/v1/orders/{number}")).await;
    let (s, o) = own.patch(&format!("/api/v1/orders/{number}"), body).await;
    if method == "card_capture" {
        // Paid at the order: an amount change is refused; an edit that changes nothing is none.
        let unchanged = e.quantity == 2 && Some(e.shipping_fee) == before["shipping_fee"].as_i64() && points == 0;
        if unchanged {
            assert_eq!(s, 200, "{o}");
        } else {
            assert_eq!((s, o["error"]["code"].as_str()), (409, Some("order_paid")), "{o}");
        }
        return (0, None);
    }
    assert_eq!(s, 200, "edit {number}: {o}");
    // The 代引手数料 of cash on delivery stays as it was.
    let cod = o["cod_fee"].as_i64().unwrap();
    assert_eq!(
        o["total"],
        3000 * e.quantity * destinations as i64 - discount + e.shipping_fee + cod - points,
        "{o}"
    );
    (points, o["total"].as_i64())
}

/// Places and plays one goods order; its number, amount (after any edit) and points spent.
pub async fn play_goods(t: &TestApp, p: &GoodsPlan, own: &Api, platform: &Api) -> (String, i64, i64) {
    let method = GOODS_METHODS[p.method];
    let dest = |name: &str| {
        json!({"name": name, "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3", "phone": "090-1234-5678",
               "lines": [{"product_code": "G-TOWEL", "quantity": 2}]})
    };
    let destinations = if p.two {
        vec![dest("伊藤 さくら"), dest("伊藤 一郎")]
    } else {
        vec![dest("伊藤 さくら")]
    };
    let mut body = json!({"payment_method": method, "card_token": "tok_visa", "destinations": destinations,
        "customer": {"name": "伊藤 さくら", "kana": "イトウ サクラ", "email": unique_email("goods"), "phone": "090-1234-5678",
                     "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}});
    if p.coupon {
        body["coupon_code"] = json!(COUPON);
    }
    let (s, o) = own.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["discount"].as_i64(), Some(p.discount()), "{o}");
    let number = o["order_number"].as_str().unwrap().to_string();
    let mut amount = o["amount"].as_i64().unwrap();
    let mut points_used = 0;
    if let Some(e) = p.edit {
        let (points, total) = edit(t, own, &number, if p.two { 2 } else { 1 }, e, method, p.discount()).await;
        if let Some(total) = total {
            (amount, points_used) = (total, points);
        }
    }
    if p.pay {
        match method {
            "card_auth" => act(own, &number, "capture").await,
            "konbini" => {
                let (s, r) = platform
                    .post("/api/v1/payment-notices/konbini", json!({"order_number": number}))
                    .await;
                assert_eq!(s, 200, "{r}");
            }
            "bank_store" | "store_pay" => act(own, &number, "mark-paid").await,
            _ => {}
        }
    }
    if p.after == Afterwards::Cancel {
        let (s, c) = own
            .post(&format!("/api/v1/orders/{number}/cancel"), json!({"reason": "お客様のご都合"}))
            .await;
        assert_eq!(s, 200, "cancel {number}: {c}");
    }
    if p.ships() {
        act(own, &number, "ship").await;
    }
    if let Afterwards::Refund(percent) = p.after {
        let (s, r) = own
            .post(
                &format!("/api/v1/orders/{number}/refund"),
                json!({"amount": part(amount, percent), "reason": "一部返品"}),
            )
            .await;
        assert_eq!(s == 200, p.sold(), "refund {number} ({p:?}): {r}");
    }
    (number, amount, points_used)
}
