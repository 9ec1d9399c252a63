//! The one rule for what may happen to a goods order. Every change — by hand, in bulk, by the
//! carrier import, by the payment company's notification — asks [`transition`], which answers
//! the order as it will be and the effects to carry out in the same transaction, or why not.
//!
//! The manual's trap is closed here: an order whose card payment is only authorized cannot be
//! marked 処理済み (it would drop out of the capture search and never be captured).

use super::{CardState, OrderStatus, PaymentConfirmation, PaymentStatus, ShippingStatus, confirmation_of};
use crate::label::Said;
use crate::order::PaymentMethod;
use serde::{Deserialize, Serialize};

/// One destination (お届け先) as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Destination {
    /// 店舗受取: handed over at the store, no tracking number, a pickup notice.
    pub pickup: bool,
    pub shipping: ShippingStatus,
}

/// A goods order as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoodsOrder {
    pub method: PaymentMethod,
    pub status: OrderStatus,
    pub payment: PaymentStatus,
    /// Card methods only.
    pub card: Option<CardState>,
    pub destinations: Vec<Destination>,
}

impl GoodsOrder {
    /// 発送済み once every destination is.
    pub fn shipping(&self) -> ShippingStatus {
        if !self.destinations.is_empty() && self.destinations.iter().all(|d| d.shipping == ShippingStatus::Shipped) {
            ShippingStatus::Shipped
        } else {
            ShippingStatus::Unshipped
        }
    }
}

crate::catalog::code_enum!(
    /// When a merchant's points become usable (ポイント有効処理設定); 発送済み: when the whole
    /// order is shipped.
    PointsActivation {
        ByAdmin => "by_admin", "管理者が、管理画面から有効", "Activated by an admin";
        WhenShipped => "when_shipped", "発送済み時に有効", "When shipped";
        WhenProcessed => "when_processed", "処理済み時に有効", "When processed";
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// 入金済みにする (by hand, with the payment date).
    MarkPaid,
    /// The payment company says a コンビニ支払い was paid.
    PaymentNotified,
    /// The authorized card amount is captured (売上確定).
    Capture,
    /// One destination is shipped (or, for a pickup, handed over).
    Ship { destination: usize },
    /// 処理済みにする.
    Process,
    /// 通常処理に戻す.
    Reopen,
}

/// What the use case does besides writing the new statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Capture the authorized amount at the gateway (before the write; a decline stops it).
    CaptureCard,
    /// The customer's points of this order become usable.
    ActivatePoints,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    AlreadyPaid,
    PaidByCard,
    KonbiniByNoticeOnly,
    CodNotTracked,
    NotKonbini,
    NotAuthorized,
    NoSuchDestination(usize),
    AlreadyShipped(usize),
    AlreadyProcessed,
    NotProcessed,
    Unshipped,
    Unpaid,
    NotCaptured,
}

impl Refusal {
    pub fn said(&self) -> Said {
        match *self {
            Refusal::AlreadyPaid => Said::new("すでに入金済みです", "Already paid"),
            Refusal::PaidByCard => Said::new(
                "カード決済は売上確定で入金済みになります（手作業では入金済みにできません）",
                "A card payment is paid by capturing it, not by hand",
            ),
            Refusal::KonbiniByNoticeOnly => Said::new(
                "コンビニ支払いは決済会社からの入金通知でのみ入金済みになります",
                "A convenience-store payment is confirmed only by the payment company's notice",
            ),
            Refusal::CodNotTracked => Said::new(
                "代金引換は入金状況を管理しません（配送業者が集金します）",
                "Cash on delivery has no payment status here (the carrier collects)",
            ),
            Refusal::NotKonbini => Said::new("コンビニ支払いの注文ではありません", "Not a convenience-store payment"),
            Refusal::NotAuthorized => Said::new(
                "与信済みのカード決済ではないため売上確定できません",
                "There is no card authorization to capture",
            ),
            Refusal::NoSuchDestination(n) => Said::new(format!("お届け先{n}はありません"), format!("There is no destination {n}")),
            Refusal::AlreadyShipped(n) => Said::new(
                format!("お届け先{n}はすでに発送済みです"),
                format!("Destination {n} is already shipped"),
            ),
            Refusal::AlreadyProcessed => Said::new(
                "処理済みの注文です（変更するには通常処理に戻してください）",
                "The order is processed (reopen it to change it)",
            ),
            Refusal::NotProcessed => Said::new("処理済みの注文ではありません", "The order is not processed"),
            Refusal::Unshipped => Said::new("未発送のお届け先があります", "A destination is not shipped yet"),
            Refusal::Unpaid => Said::new("未入金です", "The order is not paid"),
            Refusal::NotCaptured => Said::new(
                "カード決済が売上確定していません。先に売上確定してください（このまま処理済みにすると売上確定漏れになります）",
                "The card payment is not captured; capture it first (processing it now would miss the capture)",
            ),
        }
    }
}

crate::display_said!(Refusal);

/// The order after an action, and what else to do in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    pub order: GoodsOrder,
    pub effects: Vec<Effect>,
}

/// The one rule. `points` is the merchant's activation setting.
pub fn transition(o: &GoodsOrder, action: Action, points: PointsActivation) -> Result<Next, Refusal> {
    if o.status == OrderStatus::Processed && action != Action::Reopen {
        return Err(Refusal::AlreadyProcessed);
    }
    let mut next = o.clone();
    let mut effects = Vec::new();
    match action {
        Action::MarkPaid => {
            match confirmation_of(o.method) {
                PaymentConfirmation::Gateway => return Err(Refusal::PaidByCard),
                PaymentConfirmation::NotificationOnly => return Err(Refusal::KonbiniByNoticeOnly),
                PaymentConfirmation::NotTracked => return Err(Refusal::CodNotTracked),
                PaymentConfirmation::ByHand => {}
            }
            if o.payment == PaymentStatus::Paid {
                return Err(Refusal::AlreadyPaid);
            }
            next.payment = PaymentStatus::Paid;
        }
        Action::PaymentNotified => {
            if o.method != PaymentMethod::Konbini {
                return Err(Refusal::NotKonbini);
            }
            if o.payment == PaymentStatus::Paid {
                return Err(Refusal::AlreadyPaid);
            }
            next.payment = PaymentStatus::Paid;
        }
        Action::Capture => {
            if o.method != PaymentMethod::CardAuth || o.card != Some(CardState::Authorized) {
                return Err(Refusal::NotAuthorized);
            }
            next.card = Some(CardState::Captured);
            next.payment = PaymentStatus::Paid;
            effects.push(Effect::CaptureCard);
        }
        Action::Ship { destination } => {
            let d = next
                .destinations
                .get_mut(destination.wrapping_sub(1))
                .ok_or(Refusal::NoSuchDestination(destination))?;
            if d.shipping == ShippingStatus::Shipped {
                return Err(Refusal::AlreadyShipped(destination));
            }
            d.shipping = ShippingStatus::Shipped;
            if points == PointsActivation::WhenShipped && next.shipping() == ShippingStatus::Shipped {
                effects.push(Effect::ActivatePoints);
            }
        }
        Action::Process => {
            if o.shipping() != ShippingStatus::Shipped {
                return Err(Refusal::Unshipped);
            }
            if o.method == PaymentMethod::CardAuth && o.card != Some(CardState::Captured) {
                return Err(Refusal::NotCaptured);
            }
            if confirmation_of(o.method) != PaymentConfirmation::NotTracked && o.payment != PaymentStatus::Paid {
                return Err(Refusal::Unpaid);
            }
            next.status = OrderStatus::Processed;
            if points == PointsActivation::WhenProcessed {
                effects.push(Effect::ActivatePoints);
            }
        }
        Action::Reopen => {
            if o.status != OrderStatus::Processed {
                return Err(Refusal::NotProcessed);
            }
            next.status = OrderStatus::Normal;
        }
    }
    Ok(Next { order: next, effects })
}

#[cfg(test)]
mod tests {
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
    fn the_order_is_shipped_when_every_destination_is_and_points_follow_the_policy() {
        let o = order(PaymentMethod::BankStore);
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

    fn any_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::MarkPaid),
            Just(Action::PaymentNotified),
            Just(Action::Capture),
            (0usize..4).prop_map(|destination| Action::Ship { destination }),
            Just(Action::Process),
            Just(Action::Reopen),
        ]
    }

    proptest! {
        /// Whatever happens, in any order: a processed order is shipped everywhere and, unless
        /// cash on delivery, paid; an authorized card is never left behind a processed order; a
        /// shipped destination stays shipped; only a processed order reopens.
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
                for (b, a) in before.destinations.iter().zip(&o.destinations) {
                    prop_assert!(!(b.shipping == ShippingStatus::Shipped && a.shipping == ShippingStatus::Unshipped));
                }
            }
        }
    }
}
