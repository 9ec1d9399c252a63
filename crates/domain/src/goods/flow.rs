//! The one rule for what may happen to a goods order. Every change — by hand, in bulk, by the
//! carrier import, by the payment company's notification — asks [`transition`], which answers
//! the order as it will be and the effects to carry out in the same transaction, or why not.
//!
//! The manual's trap is closed here: an order whose card payment is only authorized cannot be
//! marked 処理済み (it would drop out of the capture search and never be captured).

use super::points::{Earner, may_activate};
use super::{CardState, OrderStatus, PaymentConfirmation, PaymentStatus, ShippingProgress, ShippingStatus, confirmation_of};
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
    /// What the buyer pays (goods, shipping and COD fees), and how much of it was given back.
    pub total: i64,
    pub refunded: i64,
}

impl GoodsOrder {
    /// Whether money was taken: paid, or for cash on delivery once every parcel was delivered
    /// (the carrier collected).
    pub fn money_taken(&self) -> bool {
        match confirmation_of(self.method) {
            PaymentConfirmation::NotTracked => self.shipping() == ShippingStatus::Shipped,
            _ => self.payment == PaymentStatus::Paid,
        }
    }

    /// What can still be refunded.
    pub fn refundable(&self) -> i64 {
        if self.money_taken() { self.total - self.refunded } else { 0 }
    }

    /// 発送済み once every destination is.
    pub fn shipping(&self) -> ShippingStatus {
        if !self.destinations.is_empty() && self.destinations.iter().all(|d| d.shipping == ShippingStatus::Shipped) {
            ShippingStatus::Shipped
        } else {
            ShippingStatus::Unshipped
        }
    }

    /// 未発送, 一部発送 (some destinations shipped, others not) or 発送済み.
    pub fn progress(&self) -> ShippingProgress {
        let shipped = self.destinations.iter().filter(|d| d.shipping == ShippingStatus::Shipped).count();
        match shipped {
            0 => ShippingProgress::Unshipped,
            n if n == self.destinations.len() => ShippingProgress::Shipped,
            _ => ShippingProgress::Partly,
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
    /// 未発送に戻す: a destination marked shipped by mistake goes back to 未発送 (its ship
    /// date is cleared), while the order is still in progress.
    Unship { destination: usize },
    /// 処理済みにする.
    Process,
    /// 通常処理に戻す.
    Reopen,
    /// キャンセル before anything left: the goods go back to stock, the card authorization is
    /// voided or the captured amount refunded, what was paid otherwise is recorded as refunded,
    /// the points are cancelled.
    Cancel,
    /// 一部返金 (a return, a missing item, a goodwill gesture) of what was paid, at any status
    /// but キャンセル; a captured card is refunded at the gateway.
    Refund { amount: i64 },
}

/// What the use case does besides writing the new statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Capture the authorized amount at the gateway (before the write; a decline stops it).
    CaptureCard,
    /// The customer's points of this order become usable.
    ActivatePoints,
    /// Void the card authorization at the gateway.
    VoidCard,
    /// Refund this much of a captured card at the gateway.
    RefundCard { amount: i64 },
    /// Record a refund of this much (the money the merchant or the platform gives back).
    RecordRefund { amount: i64 },
    /// The order's goods go back to stock.
    ReturnStock,
    /// The order's points are cancelled (usable ones taken off the customer's balance).
    CancelPoints,
}

pub use super::refusal::Refusal;

/// The order after an action, and what else to do in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    pub order: GoodsOrder,
    pub effects: Vec<Effect>,
}

/// The one rule. `points` is the merchant's activation setting.
pub fn transition(o: &GoodsOrder, action: Action, points: PointsActivation) -> Result<Next, Refusal> {
    if o.status == OrderStatus::Cancelled {
        return Err(Refusal::Cancelled);
    }
    if o.status == OrderStatus::Processed && !matches!(action, Action::Reopen | Action::Refund { .. }) {
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
            activate_once_paid(&next, points, &mut effects);
        }
        Action::PaymentNotified => {
            if o.method != PaymentMethod::Konbini {
                return Err(Refusal::NotKonbini);
            }
            if o.payment == PaymentStatus::Paid {
                return Err(Refusal::AlreadyPaid);
            }
            next.payment = PaymentStatus::Paid;
            activate_once_paid(&next, points, &mut effects);
        }
        Action::Capture => {
            if o.method != PaymentMethod::CardAuth || o.card != Some(CardState::Authorized) {
                return Err(Refusal::NotAuthorized);
            }
            next.card = Some(CardState::Captured);
            next.payment = PaymentStatus::Paid;
            effects.push(Effect::CaptureCard);
            activate_once_paid(&next, points, &mut effects);
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
            // 発送済み時に有効, but never before the money is in (an unpaid prepaid order's
            // points wait for its payment: see `activate_once_paid`).
            if points == PointsActivation::WhenShipped
                && next.shipping() == ShippingStatus::Shipped
                && may_activate(Earner::Goods(&next)).is_ok()
            {
                effects.push(Effect::ActivatePoints);
            }
        }
        Action::Unship { destination } => {
            // Cash on delivery counts as paid once shipped: a refund of it cannot be undone.
            if o.method == PaymentMethod::Cod && o.refunded > 0 {
                return Err(Refusal::CodRefundedCannotUnship);
            }
            let d = next
                .destinations
                .get_mut(destination.wrapping_sub(1))
                .ok_or(Refusal::NoSuchDestination(destination))?;
            if d.shipping != ShippingStatus::Shipped {
                return Err(Refusal::NotShipped(destination));
            }
            d.shipping = ShippingStatus::Unshipped;
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
        Action::Cancel => {
            if o.destinations.iter().any(|d| d.shipping == ShippingStatus::Shipped) {
                return Err(Refusal::ShippedCannotCancel);
            }
            let left = o.refundable();
            match o.card {
                Some(CardState::Authorized) => {
                    next.card = Some(CardState::Voided);
                    effects.push(Effect::VoidCard);
                }
                Some(CardState::Captured) => {
                    next.card = Some(CardState::Refunded);
                    if left > 0 {
                        effects.push(Effect::RefundCard { amount: left });
                    }
                }
                _ => {}
            }
            if left > 0 {
                effects.push(Effect::RecordRefund { amount: left });
                next.refunded = o.total;
            }
            effects.extend([Effect::ReturnStock, Effect::CancelPoints]);
            next.status = OrderStatus::Cancelled;
        }
        Action::Refund { amount } => {
            if amount < 1 {
                return Err(Refusal::RefundNotPositive);
            }
            let left = o.refundable();
            if left == 0 && o.refunded == 0 {
                return Err(Refusal::NothingToRefund);
            }
            if amount > left {
                return Err(Refusal::RefundTooLarge { left });
            }
            if o.card == Some(CardState::Captured) {
                effects.push(Effect::RefundCard { amount });
            }
            effects.push(Effect::RecordRefund { amount });
            next.refunded += amount;
        }
    }
    Ok(Next { order: next, effects })
}

/// 発送済み時に有効 for an order shipped before its payment arrived: the points become usable
/// with the payment.
fn activate_once_paid(next: &GoodsOrder, points: PointsActivation, effects: &mut Vec<Effect>) {
    if points == PointsActivation::WhenShipped && next.shipping() == ShippingStatus::Shipped && may_activate(Earner::Goods(next)).is_ok() {
        effects.push(Effect::ActivatePoints);
    }
}

#[cfg(test)]
#[path = "flow_tests.rs"]
mod tests;
