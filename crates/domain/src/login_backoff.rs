//! Sign-in throttling that costs the attacker, not the user (issue 25 item 5).
//!
//! Three counters, each with exponential backoff:
//! - one per client address *and* account: a stranger guessing one account from one address
//!   waits after five failures, while the owner signs in from anywhere else and anyone at the
//!   same address (an office behind one NAT, a test run on 127.0.0.1) still signs in to *other*
//!   accounts;
//! - one per client address over all accounts, with a higher threshold: spraying many login IDs
//!   from one address is stopped too;
//! - one per account over all addresses: only many addresses together trip it; then the owner is
//!   emailed a one-use link that lifts the lock.
//!
//! Unlike [`crate::throttle::ThrottleState`], failures are not forgotten when a lock ends: each
//! failure after the threshold doubles the wait, up to [`MAX_LOCK_MINUTES`]. A correct sign-in
//! (or the unlock link) clears the counter.

use crate::throttle::ThrottleState;
use time::{Duration, OffsetDateTime};

/// Which counter a rule is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// Failures from one client address against one login ID.
    AddressAccount,
    /// Failures from one client address, whatever the login IDs.
    Address,
    /// Failures against one login ID, from every address.
    Account,
}

/// Failures from one address against one login ID before that pair waits.
pub const ADDRESS_ACCOUNT_THRESHOLD: i64 = 5;
/// Failures from one address over all login IDs before the address waits.
pub const ADDRESS_THRESHOLD: i64 = 30;
/// Failures against one login ID (from all addresses) before the account locks.
pub const ACCOUNT_THRESHOLD: i64 = 20;
/// The first wait; each further failure doubles it.
pub const FIRST_LOCK_MINUTES: i64 = 15;
/// The longest wait: one day.
pub const MAX_LOCK_MINUTES: i64 = 24 * 60;

impl Counter {
    pub fn threshold(self) -> i64 {
        match self {
            Counter::AddressAccount => ADDRESS_ACCOUNT_THRESHOLD,
            Counter::Address => ADDRESS_THRESHOLD,
            Counter::Account => ACCOUNT_THRESHOLD,
        }
    }

    /// How long the `failures`-th failure locks for: nothing below the threshold, then 15, 30,
    /// 60 … minutes, capped at a day.
    pub fn lock_for(self, failures: i64) -> Option<Duration> {
        let over = failures - self.threshold();
        if over < 0 {
            return None;
        }
        let minutes = FIRST_LOCK_MINUTES.saturating_mul(1i64 << over.min(20));
        Some(Duration::minutes(minutes.min(MAX_LOCK_MINUTES)))
    }

    /// The state after one more failure at `now`.
    pub fn after_failure(self, s: ThrottleState, now: OffsetDateTime) -> ThrottleState {
        let failures = s.failures + 1;
        let locked_until = match self.lock_for(failures) {
            Some(d) => Some(now + d),
            None => s.locked_until,
        };
        ThrottleState { failures, locked_until }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-07 10:00 UTC);

    #[test]
    fn fifth_failure_from_an_address_at_one_account_waits_fifteen_minutes() {
        let mut s = ThrottleState::default();
        for _ in 0..4 {
            s = Counter::AddressAccount.after_failure(s, NOW);
            assert!(!s.is_locked(NOW));
        }
        s = Counter::AddressAccount.after_failure(s, NOW);
        assert_eq!(s.locked_until, Some(NOW + Duration::minutes(15)));
    }

    #[test]
    fn each_further_failure_doubles_the_wait() {
        assert_eq!(Counter::AddressAccount.lock_for(6), Some(Duration::minutes(30)));
        assert_eq!(Counter::AddressAccount.lock_for(7), Some(Duration::minutes(60)));
        assert_eq!(Counter::Address.lock_for(29), None);
        assert_eq!(Counter::Address.lock_for(30), Some(Duration::minutes(15)));
        assert_eq!(Counter::Account.lock_for(19), None);
        assert_eq!(Counter::Account.lock_for(21), Some(Duration::minutes(30)));
    }

    #[test]
    fn a_failure_after_the_lock_ended_is_not_forgotten() {
        let mut s = ThrottleState::default();
        for _ in 0..5 {
            s = Counter::AddressAccount.after_failure(s, NOW);
        }
        let later = NOW + Duration::minutes(16);
        s = Counter::AddressAccount.after_failure(s, later);
        assert_eq!(s.locked_until, Some(later + Duration::minutes(30)));
    }

    proptest! {
        #[test]
        fn the_wait_never_shrinks_and_is_capped_at_a_day(n in 0i64..10_000) {
            for c in [Counter::AddressAccount, Counter::Address, Counter::Account] {
                let a = c.lock_for(n).unwrap_or(Duration::ZERO);
                let b = c.lock_for(n + 1).unwrap_or(Duration::ZERO);
                prop_assert!(a <= b);
                prop_assert!(b <= Duration::minutes(MAX_LOCK_MINUTES));
            }
        }
    }
}
