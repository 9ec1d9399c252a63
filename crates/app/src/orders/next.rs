//! What may happen next to an order, decided once for every caller: the action itself
//! (`act`, bulk), the order page's buttons and status steps, and the API. The web-ticket
//! transition table decides the flow; on top of it a reservation is cancelled only under its
//! policy (`reservations::cancel`), and a no-show is final.

use super::OrderError;
use crate::Actor;
use kippu_domain::catalog::ProductKind;
use kippu_domain::clock::from_millis;
use kippu_domain::label::Label;
use kippu_domain::reservation::DoorState;
use kippu_domain::web_ticket::{self, Action, Facts, Party, Status, Transition};
use kippu_store::orders::OrderRow;
use time::OffsetDateTime;

/// Who acts on an order: the platform operator, a merchant's staff, or the buyer on the slip.
pub fn party_of(actor: &Actor) -> Party {
    if actor.is_platform() { Party::Platform } else { Party::Merchant }
}

/// The facts of an order the transition table reads.
pub fn facts(o: &OrderRow, now: OffsetDateTime) -> Facts {
    Facts {
        method: o.payment_method,
        status: o.status,
        authorized_at: o.authorized_at.map(from_millis),
        captured_at: o.captured_at.map(from_millis),
        now,
    }
}

/// Whether `party` may take `action` on `o` now, and where it leads. The one rule: every
/// caller checks here.
pub fn check(o: &OrderRow, action: Action, party: Party, now: OffsetDateTime) -> Result<Transition, OrderError> {
    if o.kind == ProductKind::Reservation {
        if o.door_state == DoorState::NoShow {
            return Err(OrderError::NoShowFinal);
        }
        if action == Action::Cancel {
            return Err(OrderError::ReservationCancelElsewhere);
        }
    }
    Ok(web_ticket::transition(&facts(o, now), action, party)?)
}

/// Every action `actor` may take on `o` now, in the order of [`Action::ALL`].
pub fn available_actions(o: &OrderRow, actor: &Actor, now: OffsetDateTime) -> Vec<Action> {
    let party = party_of(actor);
    Action::ALL.into_iter().filter(|a| check(o, *a, party, now).is_ok()).collect()
}

/// The door's outcome where it says more than the status: a no-show always, a redemption
/// unless the order was cancelled (or is being) since.
fn door_shown(o: &OrderRow) -> Option<DoorState> {
    let closed = matches!(o.status, Status::Cancelled | Status::CancelRequested);
    match o.door_state {
        DoorState::NoShow => Some(DoorState::NoShow),
        DoorState::Redeemed if !closed => Some(DoorState::Redeemed),
        _ => None,
    }
}

/// The order's state in words, as the list, the detail page and the API say it: a
/// reservation's door outcome (ノーショー, 来店済み) where there is one, else the status.
pub fn status_label(o: &OrderRow) -> Label {
    match door_shown(o) {
        Some(DoorState::Redeemed) => Label::new("来店済み", "Came"),
        Some(door) => door.label(),
        None => o.status.label(),
    }
}

/// The same as a stable code for the API (`no_show`, `redeemed`, else the status).
pub fn status_code(o: &OrderRow) -> &'static str {
    door_shown(o).map_or(o.status.as_str(), DoorState::as_str)
}

/// A status-history entry's target in words: a web-ticket status, or the door's outcome. A code
/// of another flow has no words here (`None`: show it as it is stored).
pub fn history_label(code: &str) -> Option<Label> {
    if code == crate::authorizations::EXPIRED {
        return Some(Label::new("与信期限切れ", "Authorization expired"));
    }
    match (DoorState::parse(code), Status::parse(code)) {
        (Some(door), _) if door != DoorState::Open => Some(door.label()),
        (_, Some(status)) => Some(status.label()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kippu_domain::MerchantId;
    use kippu_domain::order::PaymentMethod;
    use proptest::prelude::*;

    fn order(kind: ProductKind, method: PaymentMethod, status: Status, door: DoorState, auth_days_ago: Option<i64>) -> OrderRow {
        let now = time::macros::datetime!(2026-11-30 03:00 UTC);
        let authorized = auth_days_ago.map(|d| kippu_domain::clock::to_millis(now - time::Duration::days(d)));
        super::super::fixture::order(kind, method, status, door, authorized)
    }

    fn kinds() -> impl Strategy<Value = ProductKind> {
        prop_oneof![Just(ProductKind::WebTicket), Just(ProductKind::Reservation)]
    }
    fn methods() -> impl Strategy<Value = PaymentMethod> {
        prop::sample::select(vec![
            PaymentMethod::BankPlatform,
            PaymentMethod::BankStore,
            PaymentMethod::PayAtVenue,
            PaymentMethod::CardAuth,
            PaymentMethod::CardCapture,
        ])
    }
    fn doors() -> impl Strategy<Value = DoorState> {
        prop::sample::select(DoorState::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn a_no_show_accepts_nothing(method in methods(), status in prop::sample::select(Status::ALL.to_vec()), days in prop::option::of(0i64..40)) {
            let o = order(ProductKind::Reservation, method, status, DoorState::NoShow, days);
            let now = time::macros::datetime!(2026-11-30 03:00 UTC);
            let staff = Actor::unattended(MerchantId(1), kippu_domain::account::Role::MerchantAdmin, "t");
            prop_assert!(available_actions(&o, &Actor::system(), now).is_empty());
            prop_assert!(available_actions(&o, &staff, now).is_empty());
        }

        #[test]
        fn available_actions_are_exactly_what_check_accepts(
            kind in kinds(), method in methods(), status in prop::sample::select(Status::ALL.to_vec()),
            door in doors(), days in prop::option::of(0i64..40), platform in any::<bool>(),
        ) {
            let o = order(kind, method, status, door, days);
            let now = time::macros::datetime!(2026-11-30 03:00 UTC);
            let actor = if platform { Actor::system() } else { Actor::unattended(MerchantId(1), kippu_domain::account::Role::MerchantAdmin, "t") };
            let offered = available_actions(&o, &actor, now);
            for a in Action::ALL {
                prop_assert_eq!(offered.contains(&a), check(&o, a, party_of(&actor), now).is_ok(), "{:?}", a);
            }
            if kind == ProductKind::Reservation {
                prop_assert!(!offered.contains(&Action::Cancel), "a reservation is cancelled under its policy");
            }
        }
    }
}
