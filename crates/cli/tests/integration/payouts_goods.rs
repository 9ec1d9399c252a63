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

/// A goods order of the month: paid (by capture, the konbini notice or by hand) or not, shipped
/// or not, to one or two destinations.
#[derive(Debug, Clone)]
pub struct GoodsPlan {
    pub method: usize,
    pub pay: bool,
    pub ship: bool,
    pub two: bool,
}

pub fn goods_plan() -> impl Strategy<Value = GoodsPlan> {
    (0usize..6, prop::bool::weighted(0.7), any::<bool>(), any::<bool>()).prop_map(|(method, pay, ship, two)| GoodsPlan {
        method,
        pay,
        ship,
        two,
    })
}

/// The independent model of a goods order's lines: a sale once paid (cash on delivery: once
/// every parcel left), which the merchant collected itself unless the platform did (card,
/// konbini).
pub fn expected_goods_lines(p: &GoodsPlan, amount: i64) -> Vec<(LineKind, i64)> {
    let method = GOODS_METHODS[p.method];
    let sold = match method {
        "card_capture" => true,
        "cod" => p.ship,
        _ => p.pay,
    };
    let mut out = Vec::new();
    if sold {
        out.push((LineKind::GoodsSale, amount));
        if matches!(method, "bank_store" | "store_pay" | "cod") {
            out.push((LineKind::CollectedByMerchant, amount));
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
    if p.ship {
        act(own, &number, "ship").await;
    }
    (number, o["amount"].as_i64().unwrap())
}
