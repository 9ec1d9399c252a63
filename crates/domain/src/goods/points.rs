//! When an order's earned points may become usable (有効化): never before its money is in. A
//! prepaid order (bank transfer, コンビニ, 店頭払い) must be 入金済; a card in 与信モード must be
//! captured (売上確定), not only authorized; cash on delivery has no payment status (the
//! manual: 「入金ステータスをシステム上管理していないため」), so its money is in once every
//! parcel is shipped — the carrier collects on delivery. A pay-at-venue ticket's points are
//! issued when the slip's PIN receives the payment, so they may be (re)activated while the
//! order stays paid. One rule for 一括有効, one row's 有効にする, and the automatic activation of
//! the merchant's ポイント有効処理設定.

use super::flow::GoodsOrder;
use super::{CardState, OrderStatus, PaymentConfirmation, PaymentStatus, ShippingStatus, confirmation_of};
use crate::label::Said;
use crate::order::PaymentMethod;
use crate::web_ticket;

/// The order whose points would become usable, as the rule sees it.
#[derive(Debug, Clone, Copy)]
pub enum Earner<'a> {
    /// A goods order (付与 on activation).
    Goods(&'a GoodsOrder),
    /// A web ticket or reservation paid at the venue (the online slip issued its points).
    Ticket(web_ticket::Status),
}

/// Why an order's points cannot be made usable yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotYet {
    Cancelled,
    /// 与信モード: the card is only authorized.
    CardNotCaptured,
    /// A prepaid method not paid yet.
    Unpaid(PaymentMethod),
    /// 代金引換 before every parcel is shipped.
    CodNotShipped,
    /// A pay-at-venue ticket not received (or its payment given back).
    TicketNotPaid,
}

impl NotYet {
    pub fn said(&self) -> Said {
        match *self {
            NotYet::Cancelled => Said::new(
                "キャンセルされた注文のポイントは有効にできません",
                "The order is cancelled: its points cannot be activated",
            ),
            NotYet::CardNotCaptured => Said::new(
                "カード決済が与信のみで売上確定していないため、ポイントを有効にできません（売上確定してから有効にしてください）",
                "The card payment is only authorized, not captured: capture it before activating the points",
            ),
            NotYet::Unpaid(m) => Said::new(
                format!(
                    "{}が未入金のため、ポイントを有効にできません（入金を確認してから有効にしてください）",
                    m.label().ja
                ),
                format!("The {} payment has not arrived: activate the points once it is paid", m.label().en),
            ),
            NotYet::CodNotShipped => Said::new(
                "代金引換は発送済みになってからポイントを有効にできます（代金は配達時に集金されます）",
                "Cash on delivery: the points can be activated once the order is shipped (the carrier collects)",
            ),
            NotYet::TicketNotPaid => Said::new(
                "現地払いが領収されていないため、ポイントを有効にできません",
                "The pay-at-venue payment has not been received: the points cannot be activated",
            ),
        }
    }
}

crate::display_said!(NotYet);

/// Whether the points of `e` may become usable now.
pub fn may_activate(e: Earner<'_>) -> Result<(), NotYet> {
    match e {
        Earner::Goods(o) => {
            if o.status == OrderStatus::Cancelled {
                return Err(NotYet::Cancelled);
            }
            match confirmation_of(o.method) {
                PaymentConfirmation::NotTracked if o.shipping() == ShippingStatus::Shipped => Ok(()),
                PaymentConfirmation::NotTracked => Err(NotYet::CodNotShipped),
                _ if o.method == PaymentMethod::CardAuth && o.card != Some(CardState::Captured) => Err(NotYet::CardNotCaptured),
                _ if o.payment != PaymentStatus::Paid => Err(NotYet::Unpaid(o.method)),
                _ => Ok(()),
            }
        }
        Earner::Ticket(web_ticket::Status::Cancelled) => Err(NotYet::Cancelled),
        Earner::Ticket(s) if s.is_paid() => Ok(()),
        Earner::Ticket(_) => Err(NotYet::TicketNotPaid),
    }
}

#[cfg(test)]
mod tests {
    use super::super::flow::Destination;
    use super::*;
    use proptest::prelude::*;

    fn order(method: PaymentMethod, payment: PaymentStatus, card: Option<CardState>, shipped: bool) -> GoodsOrder {
        let shipping = if shipped {
            ShippingStatus::Shipped
        } else {
            ShippingStatus::Unshipped
        };
        GoodsOrder {
            method,
            status: OrderStatus::Normal,
            payment,
            card,
            destinations: vec![Destination { pickup: false, shipping }],
            total: 3000,
            refunded: 0,
        }
    }

    #[test]
    fn an_unpaid_bank_transfer_is_refused_with_its_method_named() {
        let o = order(PaymentMethod::BankStore, PaymentStatus::Unpaid, None, true);
        let refused = may_activate(Earner::Goods(&o)).unwrap_err();
        assert_eq!(refused, NotYet::Unpaid(PaymentMethod::BankStore));
        assert!(
            refused.said().ja.contains("前払い銀行払い・店舗口座が未入金"),
            "{}",
            refused.said().ja
        );
    }

    #[test]
    fn an_unpaid_konbini_order_is_refused_and_a_paid_one_allowed() {
        let unpaid = order(PaymentMethod::Konbini, PaymentStatus::Unpaid, None, false);
        assert_eq!(may_activate(Earner::Goods(&unpaid)), Err(NotYet::Unpaid(PaymentMethod::Konbini)));
        let paid = order(PaymentMethod::Konbini, PaymentStatus::Paid, None, false);
        assert_eq!(may_activate(Earner::Goods(&paid)), Ok(()));
    }

    #[test]
    fn an_authorized_card_is_refused_until_it_is_captured() {
        let authorized = order(PaymentMethod::CardAuth, PaymentStatus::Unpaid, Some(CardState::Authorized), true);
        assert_eq!(may_activate(Earner::Goods(&authorized)), Err(NotYet::CardNotCaptured));
        let captured = order(PaymentMethod::CardAuth, PaymentStatus::Paid, Some(CardState::Captured), false);
        assert_eq!(may_activate(Earner::Goods(&captured)), Ok(()));
    }

    #[test]
    fn cash_on_delivery_is_allowed_once_every_parcel_is_shipped() {
        let waiting = order(PaymentMethod::Cod, PaymentStatus::Unpaid, None, false);
        assert_eq!(may_activate(Earner::Goods(&waiting)), Err(NotYet::CodNotShipped));
        let mut partly = order(PaymentMethod::Cod, PaymentStatus::Unpaid, None, true);
        partly.destinations.push(Destination {
            pickup: false,
            shipping: ShippingStatus::Unshipped,
        });
        assert_eq!(may_activate(Earner::Goods(&partly)), Err(NotYet::CodNotShipped));
        let shipped = order(PaymentMethod::Cod, PaymentStatus::Unpaid, None, true);
        assert_eq!(may_activate(Earner::Goods(&shipped)), Ok(()));
    }

    #[test]
    fn a_cancelled_order_is_refused_whatever_was_paid() {
        let mut o = order(PaymentMethod::CardCapture, PaymentStatus::Paid, Some(CardState::Captured), false);
        o.status = OrderStatus::Cancelled;
        assert_eq!(may_activate(Earner::Goods(&o)), Err(NotYet::Cancelled));
        assert_eq!(may_activate(Earner::Ticket(web_ticket::Status::Cancelled)), Err(NotYet::Cancelled));
    }

    #[test]
    fn a_venue_ticket_needs_its_payment_received() {
        assert_eq!(
            may_activate(Earner::Ticket(web_ticket::Status::Unreceived)),
            Err(NotYet::TicketNotPaid)
        );
        assert_eq!(may_activate(Earner::Ticket(web_ticket::Status::Sent)), Ok(()));
        assert_eq!(may_activate(Earner::Ticket(web_ticket::Status::AwaitingSend)), Ok(()));
    }

    fn any_method() -> impl Strategy<Value = PaymentMethod> {
        proptest::sample::select(super::super::PAYMENT_METHODS.to_vec())
    }

    proptest! {
        /// Allowed exactly when the money is in: paid (a 与信 card also captured), or cash on
        /// delivery with every parcel shipped.
        #[test]
        fn points_become_usable_only_once_the_money_is_in(
            method in any_method(), paid in any::<bool>(), captured in any::<bool>(), shipped in any::<bool>(), cancelled in any::<bool>()
        ) {
            let card = match method {
                PaymentMethod::CardAuth | PaymentMethod::CardCapture => Some(if captured { CardState::Captured } else { CardState::Authorized }),
                _ => None,
            };
            let mut o = order(method, if paid { PaymentStatus::Paid } else { PaymentStatus::Unpaid }, card, shipped);
            if cancelled {
                o.status = OrderStatus::Cancelled;
            }
            let money_in = match method {
                PaymentMethod::Cod => shipped,
                PaymentMethod::CardAuth => paid && captured,
                _ => paid,
            };
            prop_assert_eq!(may_activate(Earner::Goods(&o)).is_ok(), money_in && !cancelled);
        }
    }
}
