//! A card authorization's life after it is given (与信モード): the merchant is warned 5 days and 1
//! day before its 25-day expiry, it is marked expired at the expiry (capture is refused from
//! then on), and a grace period later the order is cancelled — the authorization voided, the
//! stock back on sale — unless the merchant captured or cancelled it first.

use super::AUTHORIZATION_DAYS;
use time::{Duration, OffsetDateTime};

/// The days before the expiry at which the merchant is warned.
pub const AUTH_WARNINGS: [i64; 2] = [5, 1];
/// Days after the expiry before the job releases an authorization nobody cancelled, unless the
/// operator sets another (`KIPPU_AUTH_RELEASE_DAYS`).
pub const DEFAULT_RELEASE_GRACE_DAYS: i64 = 7;

/// What the daily job owes an authorization; each is done once per order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthStep {
    /// Tell the merchant it expires within `days` days.
    Warn { days: i64 },
    /// Record that it expired.
    Expire,
    /// Cancel the order: void the authorization, give the stock back.
    Release,
}

impl AuthStep {
    /// The step's part of the job's once-only key.
    pub fn key(self) -> String {
        match self {
            AuthStep::Warn { days } => format!("warn{days}"),
            AuthStep::Expire => "expire".into(),
            AuthStep::Release => "release".into(),
        }
    }
}

/// The steps due at `now` for an authorization made at `authorized_at`: the most urgent warning
/// whose moment has come (a job that did not run for days sends one warning, not two), or the
/// expiry, and the release once the grace period is over.
pub fn due_steps(authorized_at: OffsetDateTime, now: OffsetDateTime, grace_days: i64) -> Vec<AuthStep> {
    let expires = authorized_at + Duration::days(AUTHORIZATION_DAYS);
    if now >= expires {
        let mut steps = vec![AuthStep::Expire];
        if now >= expires + Duration::days(grace_days.max(0)) {
            steps.push(AuthStep::Release);
        }
        return steps;
    }
    AUTH_WARNINGS
        .iter()
        .copied()
        .filter(|d| now >= expires - Duration::days(*d))
        .min()
        .map(|days| vec![AuthStep::Warn { days }])
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    const AT: OffsetDateTime = datetime!(2026-11-24 10:00 +09:00);

    fn at_day(d: i64) -> OffsetDateTime {
        AT + Duration::days(d)
    }

    #[test]
    fn the_manuals_timeline() {
        assert_eq!(due_steps(AT, at_day(19), 7), vec![]);
        assert_eq!(due_steps(AT, at_day(20), 7), vec![AuthStep::Warn { days: 5 }]);
        assert_eq!(due_steps(AT, at_day(24), 7), vec![AuthStep::Warn { days: 1 }]);
        assert_eq!(due_steps(AT, at_day(25), 7), vec![AuthStep::Expire]);
        assert_eq!(due_steps(AT, at_day(32), 7), vec![AuthStep::Expire, AuthStep::Release]);
        assert_eq!(due_steps(AT, at_day(25), 0), vec![AuthStep::Expire, AuthStep::Release]);
    }

    proptest! {
        #[test]
        fn steps_follow_the_clock(minutes in 0i64..(40 * 24 * 60), grace in 0i64..30) {
            let now = AT + Duration::minutes(minutes);
            let steps = due_steps(AT, now, grace);
            let expires = AT + Duration::days(AUTHORIZATION_DAYS);
            let warns = steps.iter().filter(|s| matches!(s, AuthStep::Warn { .. })).count();
            prop_assert!(warns <= 1);
            prop_assert_eq!(steps.contains(&AuthStep::Expire), now >= expires);
            prop_assert_eq!(steps.contains(&AuthStep::Release), now >= expires + Duration::days(grace));
            prop_assert!(!(warns == 1 && now >= expires), "never warned once expired");
            // A warning is due exactly within its window before the expiry.
            prop_assert_eq!(warns == 1, now < expires && now >= expires - Duration::days(5));
        }
    }
}
