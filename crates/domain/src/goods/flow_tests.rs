//! The goods rule's unit and property tests.

use super::*;
use proptest::prelude::*;

fn order(method: PaymentMethod) -> GoodsOrder {
    GoodsOrder {
        method,
        status: OrderStatus::Normal,
        payment: if method == PaymentMethod::CardCapture {
            PaymentStatus::Paid
        } else {
            PaymentStatus::Unpaid
        },
        card: match method {
            PaymentMethod::CardAuth => Some(CardState::Authorized),
            PaymentMethod::CardCapture => Some(CardState::Captured),
            _ => None,
        },
        destinations: vec![
            Destination {
                pickup: false,
                shipping: ShippingStatus::Unshipped,
            },
            Destination {
                pickup: false,
                shipping: ShippingStatus::Unshipped,
            },
        ],
        total: 5000,
        refunded: 0,
    }
}

fn run(o: &GoodsOrder, actions: &[Action]) -> Result<GoodsOrder, Refusal> {
    actions
        .iter()
        .try_fold(o.clone(), |o, a| transition(&o, *a, PointsActivation::ByAdmin).map(|n| n.order))
}

#[test]
fn an_authorized_card_order_cannot_be_processed_before_its_capture() {
    let o = run(
        &order(PaymentMethod::CardAuth),
        &[Action::Ship { destination: 1 }, Action::Ship { destination: 2 }],
    )
    .unwrap();
    assert_eq!(
        transition(&o, Action::Process, PointsActivation::ByAdmin),
        Err(Refusal::NotCaptured)
    );
    let captured = run(&o, &[Action::Capture]).unwrap();
    assert_eq!((captured.card, captured.payment), (Some(CardState::Captured), PaymentStatus::Paid));
    assert_eq!(run(&captured, &[Action::Process]).unwrap().status, OrderStatus::Processed);
}

#[test]
fn konbini_is_paid_only_by_the_notice_and_cod_never_by_hand() {
    let k = order(PaymentMethod::Konbini);
    assert_eq!(run(&k, &[Action::MarkPaid]), Err(Refusal::KonbiniByNoticeOnly));
    assert_eq!(run(&k, &[Action::PaymentNotified]).unwrap().payment, PaymentStatus::Paid);
    let cod = order(PaymentMethod::Cod);
    assert_eq!(run(&cod, &[Action::MarkPaid]), Err(Refusal::CodNotTracked));
    let shipped = run(&cod, &[Action::Ship { destination: 1 }, Action::Ship { destination: 2 }]).unwrap();
    assert_eq!(
        run(&shipped, &[Action::Process]).unwrap().status,
        OrderStatus::Processed,
        "the carrier collects"
    );
}

#[test]
fn cancelling_voids_an_authorization_and_refunds_a_capture_in_full() {
    let auth = transition(&order(PaymentMethod::CardAuth), Action::Cancel, PointsActivation::ByAdmin).unwrap();
    assert_eq!(auth.order.status, OrderStatus::Cancelled);
    assert_eq!(auth.order.card, Some(CardState::Voided));
    assert_eq!(auth.effects, vec![Effect::VoidCard, Effect::ReturnStock, Effect::CancelPoints]);
    let mut captured = order(PaymentMethod::CardCapture);
    captured = transition(&captured, Action::Refund { amount: 1200 }, PointsActivation::ByAdmin)
        .unwrap()
        .order;
    let cancelled = transition(&captured, Action::Cancel, PointsActivation::ByAdmin).unwrap();
    assert_eq!(
        cancelled.effects,
        vec![
            Effect::RefundCard { amount: 3800 },
            Effect::RecordRefund { amount: 3800 },
            Effect::ReturnStock,
            Effect::CancelPoints
        ],
        "what is left after the partial refund"
    );
    assert_eq!(cancelled.order.refunded, 5000);
    assert_eq!(
        transition(&cancelled.order, Action::Refund { amount: 1 }, PointsActivation::ByAdmin),
        Err(Refusal::Cancelled)
    );
}

#[test]
fn a_shipped_order_is_refunded_not_cancelled_and_never_beyond_what_was_paid() {
    let o = run(&order(PaymentMethod::BankStore), &[Action::Ship { destination: 1 }]).unwrap();
    assert_eq!(run(&o, &[Action::Cancel]), Err(Refusal::ShippedCannotCancel));
    assert_eq!(run(&o, &[Action::Refund { amount: 100 }]), Err(Refusal::NothingToRefund), "unpaid");
    let paid = run(&o, &[Action::MarkPaid, Action::Ship { destination: 2 }, Action::Process]).unwrap();
    let r = transition(&paid, Action::Refund { amount: 2000 }, PointsActivation::ByAdmin).unwrap();
    assert_eq!(r.effects, vec![Effect::RecordRefund { amount: 2000 }], "no card: recorded only");
    assert_eq!(r.order.status, OrderStatus::Processed, "a processed order takes a return");
    assert_eq!(
        transition(&r.order, Action::Refund { amount: 3001 }, PointsActivation::ByAdmin),
        Err(Refusal::RefundTooLarge { left: 3000 })
    );
    assert_eq!(
        transition(&r.order, Action::Refund { amount: 0 }, PointsActivation::ByAdmin),
        Err(Refusal::RefundNotPositive)
    );
    let cod = run(&order(PaymentMethod::Cod), &[Action::Ship { destination: 1 }]).unwrap();
    assert_eq!(
        run(&cod, &[Action::Refund { amount: 1 }]),
        Err(Refusal::NothingToRefund),
        "COD is collected on delivery"
    );
}

#[test]
fn the_order_is_shipped_when_every_destination_is_and_points_follow_the_policy() {
    let o = GoodsOrder {
        payment: PaymentStatus::Paid,
        ..order(PaymentMethod::BankStore)
    };
    let one = transition(&o, Action::Ship { destination: 1 }, PointsActivation::WhenShipped).unwrap();
    assert_eq!((one.order.shipping(), one.effects.clone()), (ShippingStatus::Unshipped, vec![]));
    let both = transition(&one.order, Action::Ship { destination: 2 }, PointsActivation::WhenShipped).unwrap();
    assert_eq!(
        (both.order.shipping(), both.effects),
        (ShippingStatus::Shipped, vec![Effect::ActivatePoints])
    );
    assert_eq!(
        transition(&both.order, Action::Ship { destination: 2 }, PointsActivation::ByAdmin),
        Err(Refusal::AlreadyShipped(2))
    );
    assert_eq!(
        transition(&both.order, Action::Ship { destination: 3 }, PointsActivation::ByAdmin),
        Err(Refusal::NoSuchDestination(3))
    );
}

#[test]
fn an_unpaid_order_shipped_earns_usable_points_only_with_its_payment() {
    let o = order(PaymentMethod::BankStore);
    let one = transition(&o, Action::Ship { destination: 1 }, PointsActivation::WhenShipped).unwrap();
    let both = transition(&one.order, Action::Ship { destination: 2 }, PointsActivation::WhenShipped).unwrap();
    assert_eq!(both.effects, vec![], "未入金: the points wait");
    let paid = transition(&both.order, Action::MarkPaid, PointsActivation::WhenShipped).unwrap();
    assert_eq!(paid.effects, vec![Effect::ActivatePoints], "usable with the payment");
    let konbini = run(
        &order(PaymentMethod::Konbini),
        &[Action::Ship { destination: 1 }, Action::Ship { destination: 2 }],
    )
    .unwrap();
    let notified = transition(&konbini, Action::PaymentNotified, PointsActivation::WhenShipped).unwrap();
    assert_eq!(notified.effects, vec![Effect::ActivatePoints]);
    let card = run(
        &order(PaymentMethod::CardAuth),
        &[Action::Ship { destination: 1 }, Action::Ship { destination: 2 }],
    )
    .unwrap();
    let captured = transition(&card, Action::Capture, PointsActivation::WhenShipped).unwrap();
    assert_eq!(captured.effects, vec![Effect::CaptureCard, Effect::ActivatePoints]);
    let not_yet = transition(&order(PaymentMethod::BankStore), Action::MarkPaid, PointsActivation::WhenShipped).unwrap();
    assert_eq!(not_yet.effects, vec![], "paid but not shipped: the policy waits for the shipment");
}

#[test]
fn a_partly_shipped_order_reads_partly_shipped_not_unshipped() {
    let o = order(PaymentMethod::BankStore);
    assert_eq!(o.progress(), ShippingProgress::Unshipped);
    let one = run(&o, &[Action::Ship { destination: 2 }]).unwrap();
    assert_eq!(one.progress(), ShippingProgress::Partly);
    assert_eq!(one.progress().label_ja(), "一部発送");
    assert_eq!(
        one.shipping(),
        ShippingStatus::Unshipped,
        "処理済み still waits for every destination"
    );
    let both = run(&one, &[Action::Ship { destination: 1 }]).unwrap();
    assert_eq!(both.progress(), ShippingProgress::Shipped);
}

#[test]
fn a_destination_shipped_by_mistake_goes_back_to_unshipped_while_the_order_is_in_progress() {
    let o = run(&order(PaymentMethod::BankStore), &[Action::Ship { destination: 1 }]).unwrap();
    assert_eq!(
        run(&o, &[Action::Unship { destination: 2 }]),
        Err(Refusal::NotShipped(2)),
        "only the shipped one"
    );
    let back = run(&o, &[Action::Unship { destination: 1 }]).unwrap();
    assert_eq!(back.progress(), ShippingProgress::Unshipped);
    assert_eq!(run(&back, &[Action::Unship { destination: 1 }]), Err(Refusal::NotShipped(1)));
    assert_eq!(run(&o, &[Action::Unship { destination: 3 }]), Err(Refusal::NoSuchDestination(3)));
    let processed = run(&o, &[Action::MarkPaid, Action::Ship { destination: 2 }, Action::Process]).unwrap();
    assert_eq!(
        run(&processed, &[Action::Unship { destination: 1 }]),
        Err(Refusal::AlreadyProcessed),
        "通常処理に戻す first"
    );
    let reopened = run(&processed, &[Action::Reopen, Action::Unship { destination: 2 }]).unwrap();
    assert_eq!(reopened.progress(), ShippingProgress::Partly);
}

#[test]
fn a_refunded_cash_on_delivery_order_stays_shipped() {
    let cod = run(
        &order(PaymentMethod::Cod),
        &[
            Action::Ship { destination: 1 },
            Action::Ship { destination: 2 },
            Action::Refund { amount: 500 },
        ],
    )
    .unwrap();
    assert_eq!(
        run(&cod, &[Action::Unship { destination: 1 }]),
        Err(Refusal::CodRefundedCannotUnship)
    );
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::MarkPaid),
        Just(Action::PaymentNotified),
        Just(Action::Capture),
        (0usize..4).prop_map(|destination| Action::Ship { destination }),
        (0usize..4).prop_map(|destination| Action::Unship { destination }),
        Just(Action::Process),
        Just(Action::Reopen),
        Just(Action::Cancel),
        (-1i64..6000).prop_map(|amount| Action::Refund { amount }),
    ]
}

proptest! {
    /// Whatever happens, in any order: a processed order is shipped everywhere and, unless
    /// cash on delivery, paid; an authorized card is never left behind a processed order; a
    /// shipped destination stays shipped unless set back by 未発送に戻す, one at a time; only a
    /// processed order reopens; 一部発送 is exactly "some but not all shipped".
    #[test]
    fn no_sequence_of_actions_breaks_the_invariants(
        method in prop::sample::select(super::super::PAYMENT_METHODS.to_vec()),
        actions in prop::collection::vec(any_action(), 0..12),
    ) {
        let mut o = order(method);
        for a in actions {
            let before = o.clone();
            match transition(&o, a, PointsActivation::WhenProcessed) {
                Ok(n) => o = n.order,
                Err(_) => prop_assert_eq!(&o, &before),
            }
            if o.status == OrderStatus::Processed {
                prop_assert_eq!(o.shipping(), ShippingStatus::Shipped);
                prop_assert!(method == PaymentMethod::Cod || o.payment == PaymentStatus::Paid);
                prop_assert!(o.card != Some(CardState::Authorized));
            }
            let unshipped_back = before
                .destinations
                .iter()
                .zip(&o.destinations)
                .filter(|(b, a)| b.shipping == ShippingStatus::Shipped && a.shipping == ShippingStatus::Unshipped)
                .count();
            let by_unship = matches!(a, Action::Unship { .. });
            prop_assert!(unshipped_back == 0 || (by_unship && unshipped_back == 1));
            let shipped = o.destinations.iter().filter(|d| d.shipping == ShippingStatus::Shipped).count();
            prop_assert_eq!(
                o.progress() == ShippingProgress::Partly,
                shipped > 0 && shipped < o.destinations.len()
            );
            // Money: never more back than was paid, nothing back that was not taken, and a
            // cancelled order shipped nothing and owes nothing.
            prop_assert!(0 <= o.refunded && o.refunded <= o.total);
            prop_assert!(o.refunded == 0 || o.money_taken() || o.status == OrderStatus::Cancelled);
            if o.status == OrderStatus::Cancelled {
                prop_assert!(o.destinations.iter().all(|d| d.shipping == ShippingStatus::Unshipped));
                prop_assert!(o.refunded == 0 || o.refunded == o.total);
                prop_assert!(o.card != Some(CardState::Authorized) && o.card != Some(CardState::Captured));
            }
        }
    }
}
