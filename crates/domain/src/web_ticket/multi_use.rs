//! 回数券: a ticket good for several uses. Each use is recorded with its time; the ticket is
//! 使用済み once every use is spent, and the last use can be undone. A ticket of any other type
//! is a 回数券 of one use, so one rule covers both.

use super::{Status, Usage, UsageRefusal};

/// How many uses a ticket has, and how many are spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uses {
    pub total: i64,
    pub spent: i64,
}

impl Uses {
    pub fn remaining(self) -> i64 {
        (self.total - self.spent).max(0)
    }

    /// One more use can be marked.
    pub fn can_use(self) -> bool {
        self.spent < self.total
    }

    /// A use can be undone (未使用に戻す, or a 回数券's last use).
    pub fn can_undo(self) -> bool {
        self.spent > 0
    }

    /// 使用済み once every use is spent.
    pub fn usage(self) -> Usage {
        if self.spent >= self.total { Usage::Used } else { Usage::Unused }
    }
}

/// The most uses a 回数券 may carry.
pub const MAX_USES: i64 = 100;

/// One more use (`true`) or the last use undone (`false`), on a ticket of an order in `order`.
pub fn change_uses(order: Status, uses: Uses, use_one: bool) -> Result<Uses, UsageRefusal> {
    if !order.is_paid() {
        return Err(UsageRefusal::NotPaid);
    }
    match use_one {
        true if uses.spent >= uses.total => Err(UsageRefusal::AlreadyUsed),
        true => Ok(Uses {
            spent: uses.spent + 1,
            ..uses
        }),
        false if uses.spent <= 0 => Err(UsageRefusal::NotUsed),
        false => Ok(Uses {
            spent: uses.spent - 1,
            ..uses
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_one_use_ticket_is_the_basic_rule() {
        let one = Uses { total: 1, spent: 0 };
        for status in Status::ALL {
            for (usage, used) in [
                (Usage::Unused, true),
                (Usage::Used, false),
                (Usage::Used, true),
                (Usage::Unused, false),
            ] {
                let spent = if usage == Usage::Used { 1 } else { 0 };
                let multi = change_uses(status, Uses { spent, ..one }, used).map(Uses::usage);
                assert_eq!(
                    multi,
                    crate::web_ticket::change_usage(status, usage, used),
                    "{status:?} {usage:?} {used}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn uses_never_go_below_zero_or_above_the_total(total in 1i64..=MAX_USES, steps in prop::collection::vec(any::<bool>(), 0..300)) {
            let mut u = Uses { total, spent: 0 };
            for use_one in steps {
                match change_uses(Status::Sent, u, use_one) {
                    Ok(next) => {
                        prop_assert_eq!((next.spent - u.spent).abs(), 1);
                        u = next;
                    }
                    Err(UsageRefusal::AlreadyUsed) => prop_assert_eq!(u.spent, total),
                    Err(UsageRefusal::NotUsed) => prop_assert_eq!(u.spent, 0),
                    Err(e) => prop_assert!(false, "{e:?}"),
                }
                prop_assert!((0..=total).contains(&u.spent));
                prop_assert_eq!(u.remaining(), total - u.spent);
                prop_assert_eq!(u.usage() == Usage::Used, u.spent == total);
            }
        }
    }
}
