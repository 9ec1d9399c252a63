use super::*;
use crate::goods::flow::Destination;
use crate::goods::{PaymentStatus, ShippingStatus};
use proptest::prelude::*;

fn order(method: PaymentMethod, payment: PaymentStatus, shipped: &[bool]) -> GoodsOrder {
    GoodsOrder {
        method,
        status: OrderStatus::Normal,
        payment,
        card: None,
        destinations: shipped
            .iter()
            .map(|s| Destination {
                pickup: false,
                shipping: if *s { ShippingStatus::Shipped } else { ShippingStatus::Unshipped },
            })
            .collect(),
        total: 0,
        refunded: 0,
    }
}

fn line(product_id: i64, unit_price: i64, quantity: i64) -> Line {
    Line {
        product_id,
        unit_price,
        tax_rate: TaxRate::Standard10,
        quantity,
    }
}

/// Two towels (3,000 yen) to one destination, 800 yen 送料.
fn towels(method: PaymentMethod) -> Amounts {
    Amounts {
        destinations: vec![vec![line(1, 3_000, 2)]],
        shipping_fees: vec![800],
        cod_fee: if method == PaymentMethod::Cod { 330 } else { 0 },
        method,
        points_used: 0,
        discount: 0,
    }
}

fn edit<'a>(o: &'a GoodsOrder, before: &'a Amounts, after: Amounts, balance: i64) -> Result<Plan, EditError> {
    check(Edit {
        order: o,
        before,
        after,
        contact_changed: &[false; 4][..o.destinations.len()],
        balance,
    })
}

fn fields(e: EditError) -> Vec<&'static str> {
    match e {
        EditError::Invalid(f) => f.all().iter().map(|e| e.field).collect(),
        EditError::Refused(r) => panic!("refused: {r}"),
    }
}

#[test]
fn before_payment_a_quantity_change_moves_stock_and_the_total() {
    let o = order(PaymentMethod::Konbini, PaymentStatus::Unpaid, &[false]);
    let before = towels(PaymentMethod::Konbini);
    let mut after = before.clone();
    after.destinations[0][0].quantity = 3;
    let plan = edit(&o, &before, after, 0).unwrap();
    assert!(plan.amounts_changed);
    assert_eq!(plan.stock, vec![(1, 1)], "one more towel taken");
    assert_eq!((before.total(), plan.after.total()), (6_800, 9_800));
    assert_eq!(plan.card, CardChange::Keep);
}

#[test]
fn after_payment_an_amount_change_is_refused_in_the_manuals_words_but_nothing_changed_passes() {
    let o = order(PaymentMethod::BankStore, PaymentStatus::Paid, &[false]);
    let before = towels(PaymentMethod::BankStore);
    let mut after = before.clone();
    after.shipping_fees = vec![0];
    let refused = edit(&o, &before, after, 0).unwrap_err();
    assert_eq!(refused, EditError::Refused(EditRefusal::Paid));
    assert_eq!(EditRefusal::Paid.code(), "order_paid");
    assert!(EditRefusal::Paid.said().ja.starts_with("入金処理後のため"));
    // The address form sends the amounts back unchanged: allowed.
    let plan = edit(&o, &before, before.clone(), 0).unwrap();
    assert!(!plan.amounts_changed && plan.stock.is_empty());
}

#[test]
fn a_cancelled_processed_or_shipped_order_is_not_edited() {
    let before = towels(PaymentMethod::Konbini);
    for (status, shipped, why) in [
        (OrderStatus::Cancelled, false, EditRefusal::Cancelled),
        (OrderStatus::Processed, false, EditRefusal::Processed),
        (OrderStatus::Normal, true, EditRefusal::Shipped),
    ] {
        let mut o = order(PaymentMethod::Konbini, PaymentStatus::Unpaid, &[shipped]);
        o.status = status;
        assert_eq!(edit(&o, &before, before.clone(), 0), Err(EditError::Refused(why)));
    }
}

#[test]
fn a_partly_shipped_order_keeps_its_amounts_and_its_shipped_address() {
    let o = order(PaymentMethod::Cod, PaymentStatus::Unpaid, &[true, false]);
    let mut before = towels(PaymentMethod::Cod);
    before.destinations.push(vec![line(1, 3_000, 1)]);
    before.shipping_fees.push(800);
    let mut after = before.clone();
    after.cod_fee = 0;
    assert_eq!(edit(&o, &before, after, 0), Err(EditError::Refused(EditRefusal::Paid)));
    let moved = check(Edit {
        order: &o,
        before: &before,
        after: before.clone(),
        contact_changed: &[true, false],
        balance: 0,
    });
    assert_eq!(moved, Err(EditError::Refused(EditRefusal::DestinationShipped(1))));
    let second = check(Edit {
        order: &o,
        before: &before,
        after: before.clone(),
        contact_changed: &[false, true],
        balance: 0,
    });
    assert!(second.is_ok(), "the parcel not yet gone may get another address");
}

#[test]
fn fees_are_never_below_zero_nor_above_their_maximum() {
    let o = order(PaymentMethod::Cod, PaymentStatus::Unpaid, &[false]);
    let before = towels(PaymentMethod::Cod);
    let mut after = before.clone();
    after.shipping_fees = vec![-1];
    after.cod_fee = MAX_FEE + 1;
    assert_eq!(fields(edit(&o, &before, after, 0).unwrap_err()), vec!["shipping_fee", "cod_fee"]);
    let mut after = before.clone();
    after.method = PaymentMethod::Konbini;
    assert_eq!(
        fields(edit(&o, &before, after, 0).unwrap_err()),
        vec!["cod_fee"],
        "no 代引手数料 without 代金引換"
    );
}

#[test]
fn points_never_above_the_balance_nor_the_goods_total() {
    let o = order(PaymentMethod::Konbini, PaymentStatus::Unpaid, &[false]);
    let mut before = towels(PaymentMethod::Konbini);
    before.points_used = 100;
    let mut after = before.clone();
    after.points_used = 600;
    // 500 left on the ledger plus the 100 this order already spends.
    let plan = edit(&o, &before, after.clone(), 500).unwrap();
    assert_eq!((plan.points_delta, plan.after.total()), (500, 6_200));
    assert_eq!(fields(edit(&o, &before, after, 499).unwrap_err()), vec!["points_used"]);
    let mut after = before.clone();
    after.points_used = 6_001;
    assert_eq!(
        fields(edit(&o, &before, after, 100_000).unwrap_err()),
        vec!["points_used"],
        "goods are 6,000 yen"
    );
    let mut after = before.clone();
    after.points_used = -1;
    assert_eq!(fields(edit(&o, &before, after, 100_000).unwrap_err()), vec!["points_used"]);
}

#[test]
fn a_card_authorization_follows_the_new_total_or_is_released() {
    let o = order(PaymentMethod::CardAuth, PaymentStatus::Unpaid, &[false]);
    let before = towels(PaymentMethod::CardAuth);
    let mut after = before.clone();
    after.destinations[0][0].quantity = 1;
    assert_eq!(edit(&o, &before, after, 0).unwrap().card, CardChange::Adjust(3_800));
    let mut after = before.clone();
    after.method = PaymentMethod::BankStore;
    assert_eq!(edit(&o, &before, after, 0).unwrap().card, CardChange::Release);
    let o = order(PaymentMethod::BankStore, PaymentStatus::Unpaid, &[false]);
    let mut after = towels(PaymentMethod::CardAuth);
    after.method = PaymentMethod::CardAuth;
    assert_eq!(
        fields(edit(&o, &towels(PaymentMethod::BankStore), after, 0).unwrap_err()),
        vec!["payment_method"]
    );
}

#[test]
fn shipping_is_split_over_shipped_destinations_and_pickup_pays_none() {
    assert_eq!(split_shipping(1_001, &[false, true, false]), Some(vec![501, 0, 500]));
    assert_eq!(split_shipping(0, &[true]), Some(vec![0]));
    assert_eq!(split_shipping(800, &[true]), None);
}

#[test]
fn the_receipt_taxes_the_price_by_rate_and_points_do_not_change_it() {
    let mut a = towels(PaymentMethod::Konbini);
    a.destinations[0].push(Line {
        product_id: 2,
        unit_price: 1_080,
        tax_rate: TaxRate::Reduced8,
        quantity: 1,
    });
    let before = a.taxes();
    a.points_used = 500;
    assert_eq!(a.taxes(), before);
    assert_eq!(before.iter().map(|r| r.tax.0).sum::<i64>(), 6_800 * 10 / 110 + 80);
}

fn amounts(method: PaymentMethod) -> impl Strategy<Value = Amounts> {
    let dest = prop::collection::vec((1i64..5, 1i64..5_000, 1i64..20), 1..4);
    (prop::collection::vec(dest, 1..3), 0i64..3_000, 0i64..1_000, 0i64..5_000).prop_map(move |(ds, ship, cod, pts)| {
        let destinations: Vec<Vec<Line>> = ds
            .into_iter()
            .map(|ls| ls.into_iter().map(|(p, price, q)| line(p, price, q)).collect())
            .collect();
        let n = destinations.len();
        Amounts {
            destinations,
            shipping_fees: split_shipping(ship, &vec![false; n]).unwrap(),
            cod_fee: if method == PaymentMethod::Cod { cod } else { 0 },
            method,
            points_used: pts,
            discount: 0,
        }
    })
}

proptest! {
    #[test]
    fn an_accepted_edit_adds_up_and_its_stock_moves_turn_before_into_after(
        before in amounts(PaymentMethod::Konbini),
        after in amounts(PaymentMethod::Konbini),
        balance in 0i64..10_000,
        paid in any::<bool>(),
    ) {
        let before = Amounts { points_used: before.points_used.min(before.goods_total()), ..before };
        let payment = if paid { PaymentStatus::Paid } else { PaymentStatus::Unpaid };
        let o = order(PaymentMethod::Konbini, payment, &vec![false; after.destinations.len().max(before.destinations.len())]);
        match edit(&o, &before, after.clone(), balance) {
            Ok(plan) => {
                prop_assert!(!paid || !plan.amounts_changed, "a paid order's amounts never change");
                let a = &plan.after;
                prop_assert_eq!(a.total(), a.goods_total() + a.shipping_total() + a.cod_fee - a.points_used);
                prop_assert!(a.total() >= 0 && a.points_used <= balance + before.points_used && a.points_used <= a.goods_total());
                prop_assert!(a.shipping_fees.iter().all(|f| *f >= 0) && a.cod_fee >= 0 && a.price() <= MAX_TOTAL);
                let mut q = before.quantities();
                for (p, d) in &plan.stock {
                    *q.entry(*p).or_insert(0) += d;
                }
                q.retain(|_, n| *n != 0);
                prop_assert_eq!(q, a.quantities());
                prop_assert_eq!(plan.points_delta, a.points_used - before.points_used);
            }
            Err(EditError::Refused(r)) => {
                prop_assert_eq!(r, EditRefusal::Paid);
                prop_assert!(paid && after != before);
            }
            Err(EditError::Invalid(_)) => {
                prop_assert!(after.points_used > balance + before.points_used || after.points_used > after.goods_total());
            }
        }
    }

    #[test]
    fn the_split_shipping_adds_up_to_the_total(total in 0i64..100_000, pickup in prop::collection::vec(any::<bool>(), 1..6)) {
        match split_shipping(total, &pickup) {
            Some(fees) => {
                prop_assert_eq!(fees.iter().sum::<i64>(), total);
                prop_assert!(fees.iter().zip(&pickup).all(|(f, p)| !*p || *f == 0));
                let shipped: Vec<i64> = fees.iter().zip(&pickup).filter(|(_, p)| !**p).map(|(f, _)| *f).collect();
                prop_assert!(shipped.iter().max().unwrap_or(&0) - shipped.iter().min().unwrap_or(&0) <= 1);
            }
            None => prop_assert!(pickup.iter().all(|p| *p) && total != 0),
        }
    }
}
