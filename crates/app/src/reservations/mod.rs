//! Reservations at the door (spec §5): redemption, cancellation, their emails, and the
//! monthly payouts. The rules are in `kippu_domain::reservation`.

pub mod cancel;
pub mod notices;
pub mod payouts;
pub mod redeem;

use kippu_domain::reservation::{CancellationPolicy, Tier};
use kippu_store::orders::OrderRow;

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
