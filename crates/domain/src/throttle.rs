//! Guessing limits: after [`MAX_FAILURES`] failures in a row the key is locked for
//! [`LOCK_MINUTES`] minutes. Used for login IDs (whether or not the ID exists, so the lock
//! reveals nothing) and later for order PINs and 6-digit e-ticket IDs.

use time::{Duration, OffsetDateTime};

pub const MAX_FAILURES: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleState {
    pub failures: i64,
    pub locked_until: Option<OffsetDateTime>,
}

impl ThrottleState {
    pub fn is_locked(&self, now: OffsetDateTime) -> bool {
        self.locked_until.is_some_and(|t| now < t)
    }

    /// The state after one more failure. The fifth failure locks; a failure after a lock
    /// expired starts counting afresh.
    pub fn after_failure(self, now: OffsetDateTime) -> ThrottleState {
        let base = if self.locked_until.is_some_and(|t| now >= t) {
            ThrottleState::default()
        } else {
            self
        };
        let failures = base.failures + 1;
        let locked_until = if failures >= MAX_FAILURES {
            Some(now + Duration::minutes(LOCK_MINUTES))
        } else {
            base.locked_until
        };
        ThrottleState { failures, locked_until }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    #[test]
    fn fifth_failure_locks_for_fifteen_minutes() {
        let now = datetime!(2026-11-24 10:00 UTC);
        let mut s = ThrottleState::default();
        for _ in 0..4 {
            s = s.after_failure(now);
            assert!(!s.is_locked(now));
        }
        s = s.after_failure(now);
        assert!(s.is_locked(now));
        assert!(s.is_locked(now + Duration::minutes(14) + Duration::seconds(59)));
        assert!(!s.is_locked(now + Duration::minutes(15)));
    }

    #[test]
    fn failure_after_expiry_starts_counting_again() {
        let now = datetime!(2026-11-24 10:00 UTC);
        let mut s = ThrottleState::default();
        for _ in 0..5 {
            s = s.after_failure(now);
        }
        let later = now + Duration::minutes(16);
        s = s.after_failure(later);
        assert_eq!(s.failures, 1);
        assert!(!s.is_locked(later));
    }

    proptest! {
        #[test]
        fn never_locked_before_five_failures(n in 0i64..5) {
            let now = datetime!(2026-11-24 10:00 UTC);
            let mut s = ThrottleState::default();
            for _ in 0..n { s = s.after_failure(now); }
            prop_assert!(!s.is_locked(now));
        }
    }
}
