//! The goods part of the settlement's property test (payouts.rs): a goods order's plan, its
//! independent model of settlement lines, and playing it through the API.

use crate::harness::{Api, unique_email};
use kippu_domain::settlement::LineKind;
use proptest::prelude::*;
use serde_json::json;

pub async fn act(api: &Api, number: &str, action: &str) {
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{number}/{action}")).await;
    assert_eq!(s, 200, "{action} {number}: {o}");
}

pub const GOODS_METHODS: [&str; 6] = ["card_capture", "card_auth", "konbini", "bank_store", "store_pay", "cod"];

/// What happens to a goods order after it is paid: nothing, a partial refund of this percent
/// of the amount (once the money is taken), or its cancellation before anything ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Afterwards {
    Nothing,
    Refund(i64),
    Cancel,
}

/// A goods order of the month: paid (by capture, the konbini notice or by hand) or not, shipped
/// or not, to one or two destinations, then perhaps refunded in part or cancelled.
#[derive(Debug, Clone)]
pub struct GoodsPlan {
    pub method: usize,
    pub pay: bool,
    pub ship: bool,
    pub two: bool,
    pub after: Afterwards,
}

pub fn goods_plan() -> impl Strategy<Value = GoodsPlan> {
    let after = prop_oneof![
        2 => Just(Afterwards::Nothing),
        1 => (1i64..=100).prop_map(Afterwards::Refund),
        1 => Just(Afterwards::Cancel),
    ];
    (0usize..6, prop::bool::weighted(0.7), any::<bool>(), any::<bool>(), after).prop_map(|(method, pay, ship, two, after)| GoodsPlan {
        method,
        pay,
        ship,
        two,
        after,
    })
}

impl GoodsPlan {
    /// A cancelled order ships nothing.
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
/// every parcel left), which the merchant collected itself unless the platform did (card,
/// konbini).
///
/// A refund (the rest of the order with a cancellation, or a part) comes off the settlement
/// only when the platform collected the money; the merchant refunds what it collected.
pub fn expected_goods_lines(p: &GoodsPlan, amount: i64) -> Vec<(LineKind, i64)> {
    let method = GOODS_METHODS[p.method];
    let mut out = Vec::new();
    if !p.sold() {
        return out;
    }
    out.push((LineKind::GoodsSale, amount));
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

/// Places and plays one goods order; its number and amount.
pub async fn play_goods(p: &GoodsPlan, own: &Api, platform: &Api) -> (String, i64) {
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
    let body = json!({"payment_method": method, "card_token": "tok_visa", "destinations": destinations,
        "customer": {"name": "伊藤 さくら", "kana": "イトウ サクラ", "email": unique_email("goods"), "phone": "090-1234-5678",
                     "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}});
    let (s, o) = own.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap().to_string();
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
    let amount = o["amount"].as_i64().unwrap();
    if let Afterwards::Refund(percent) = p.after {
        let (s, r) = own
            .post(
                &format!("/api/v1/orders/{number}/refund"),
                json!({"amount": part(amount, percent), "reason": "一部返品"}),
            )
            .await;
        assert_eq!(s == 200, p.sold(), "refund {number} ({p:?}): {r}");
    }
    (number, amount)
}
