//! Demo goods orders (seed 002): every state of every goods payment method.

use crate::{Actor, App, Result};

/// Goods orders in every state of every goods payment method: shipped to two destinations and
/// processed, waiting for a capture, unpaid transfers, a konbini payment, cash on delivery, a
/// store pickup, a cancelled card order and a shipped one refunded in part.
pub(super) async fn orders(app: &App, m: kippu_domain::MerchantId, shop: &Actor, staff: &Actor, people: &[super::Person]) -> Result<usize> {
    use crate::goods::{self, Command, DestinationRequest, GoodsOrderRequest, LineRequest, TrackingInput};
    let line = |code: &str, quantity: i64| LineRequest {
        product_code: code.into(),
        quantity,
    };
    let destination = |name: &str, postal: &str, address: &str, lines: Vec<LineRequest>| DestinationRequest {
        name: name.into(),
        kana: String::new(),
        postal_code: postal.into(),
        address: address.into(),
        phone: "03-1234-5678".into(),
        lines,
        requested_date: None,
        time_band: Some("morning".into()),
    };
    // (method, pickup, two destinations, steps)
    type Plan = (&'static str, bool, bool, &'static [&'static str]);
    let plans: &[Plan] = &[
        ("card_capture", false, true, &["track", "ship", "process"]),
        ("card_auth", false, false, &[]),
        ("bank_store", false, false, &[]),
        ("bank_store", false, false, &["pay", "track", "ship"]),
        ("konbini", false, false, &[]),
        ("cod", false, false, &["track", "ship"]),
        ("store_pay", true, false, &[]),
        ("card_auth", false, false, &["cancel"]),
        ("card_capture", false, false, &["track", "ship", "refund"]),
    ];
    let mut made = 0;
    for (i, (method, pickup, two, steps)) in plans.iter().enumerate() {
        let (name, kana, email, phone, _, _) = people[i % people.len().max(1)];
        let customer = crate::customers::CustomerInput {
            name: name.into(),
            kana: kana.into(),
            email: email.into(),
            phone: phone.into(),
            postal_code: "111-0032".into(),
            address: "東京都台東区浅草1-2-3".into(),
        };
        let mut destinations = Vec::new();
        if *two {
            destinations.push(destination(name, "111-0032", "東京都台東区浅草1-2-3", vec![line("GOODS-TOWEL", 2)]));
            destinations.push(destination(
                "実家 様方",
                "060-0001",
                "北海道札幌市中央区北1条西2-1",
                vec![line("GOODS-TEA", 3)],
            ));
        }
        let r = GoodsOrderRequest {
            product_code: (!*two).then(|| "GOODS-TOWEL".to_string()),
            quantity: (!*two).then_some(1),
            lines: Vec::new(),
            payment_method: method.to_string(),
            card_token: method.starts_with("card").then(|| "tok_visa".to_string()),
            card_id: None,
            customer,
            destinations,
            pickup: *pickup,
            store_code: pickup.then(|| "S001".to_string()),
            requested_date: None,
            time_band: None,
            coupon_code: None,
            ad_code: None,
            ..GoodsOrderRequest::default()
        };
        if method.starts_with("card") {
            super::payments::in_card_mode(app, m, method).await?;
        }
        let v = goods::create(app, shop, &r, None).await?.view;
        let number = v.order.order_number.clone();
        for step in *steps {
            match *step {
                "pay" => {
                    goods::act(app, staff, &number, &Command::MarkPaid { date: None }, false).await?;
                }
                "track" => {
                    for (k, _) in v.shipments.iter().enumerate() {
                        let n = 40_000_000_000u64 + (i * 10 + k) as u64;
                        let input = TrackingInput {
                            tracking_number: format!("{n:011}{}", n % 7),
                            carrier: "yamato".into(),
                            delivery_date: String::new(),
                        };
                        goods::edit_destination(app, staff, &number, k + 1, &input).await?;
                    }
                }
                "ship" => {
                    goods::act(app, staff, &number, &Command::ShipAll { date: None }, false).await?;
                }
                "process" => {
                    goods::act(app, staff, &number, &Command::Process, false).await?;
                }
                "cancel" => {
                    let reason = "お客様のご都合（注文間違い）".to_string();
                    goods::act(app, staff, &number, &Command::Cancel { reason }, false).await?;
                }
                "refund" => {
                    let reason = "1点返品（パッケージ破損）".to_string();
                    goods::act(app, staff, &number, &Command::Refund { amount: 500, reason }, false).await?;
                }
                other => unreachable!("demo step {other}"),
            }
        }
        made += 1;
    }
    Ok(made)
}
