//! Reservations at the door (spec §5): redemption, cancellation, their emails, and the
//! monthly payouts. The rules are in `kippu_domain::reservation`.

pub mod bookings;
pub mod cancel;
pub mod notices;
/// The settlement covers every kind of sale now; reservations read it under its old name.
pub use crate::settlements as payouts;
pub mod redeem;

use kippu_domain::reservation::{CancellationPolicy, Tier};
use kippu_store::orders::{OrderRow, TicketRow};

/// What happened at the door to a reservation (its one e-ticket).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// Not (yet) at the door: booked, or cancelled before.
    Open,
    /// Redeemed, with when (ms) and how many came.
    Redeemed { at: i64, party: i64 },
    /// ノーショー: final.
    NoShow,
}

impl Door {
    /// The door outcome of an order; web tickets are always `Open`.
    pub fn of(o: &OrderRow, tickets: &[TicketRow]) -> Door {
        match tickets
            .first()
            .filter(|_| o.kind == kippu_domain::catalog::ProductKind::Reservation)
        {
            Some(t) if t.redeemed_at.is_some() => Door::Redeemed {
                at: t.redeemed_at.unwrap_or(0),
                party: t.party_size_actual.or(o.party_size).unwrap_or(1),
            },
            Some(t) if t.status == kippu_domain::reservation::TicketState::NoShow => Door::NoShow,
            _ => Door::Open,
        }
    }
}

/// 「2026-12-10 12:00」: the visit date and, when there is one, the slot.
pub fn visit_label(o: &OrderRow) -> String {
    visit_text(o.visit_date.as_deref().unwrap_or(""), o.time_slot.as_deref())
}

/// The same from a date and an optional slot.
pub fn visit_text(date: &str, slot: Option<&str>) -> String {
    format!("{date} {}", slot.unwrap_or("")).trim().to_string()
}

/// The reservation's 6-digit e-ticket ID ('' for web tickets).
pub fn eticket_of(tickets: &[TicketRow]) -> String {
    tickets.first().and_then(|t| t.eticket_id.clone()).unwrap_or_default()
}

/// The cancellation policy a booking was made under (its snapshot; an empty policy if none).
pub fn policy_of(o: &OrderRow) -> CancellationPolicy {
    parse_policy_json(o.cancellation_policy.as_deref().unwrap_or("[]"))
}

/// Stored tiers were validated when saved; anything unreadable counts as "no fee".
pub fn parse_policy_json(json: &str) -> CancellationPolicy {
    serde_json::from_str::<Vec<Tier>>(json)
        .ok()
        .and_then(|t| CancellationPolicy::new(t).ok())
        .unwrap_or_default()
}
