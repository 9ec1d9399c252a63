//! A holder's balance as a ledger: grants (+), payments (−) and cancelled payments given back
//! (+); the balance is what they add up to and never goes below zero.

use super::payment::{PayRefusal, pay};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Grant(i64),
    Payment(i64),
    /// A cancelled payment's amount back on the balance.
    Cancelled(i64),
}

impl Entry {
    pub fn delta(self) -> i64 {
        match self {
            Entry::Grant(a) | Entry::Cancelled(a) => a,
            Entry::Payment(a) => -a,
        }
    }
}

/// The balance after `e`; a payment beyond the balance is refused, nothing else can be.
pub fn apply(balance: i64, e: Entry) -> Result<i64, PayRefusal> {
    match e {
        Entry::Payment(a) => pay(balance, a),
        Entry::Grant(a) | Entry::Cancelled(a) if a >= 1 => Ok(balance + a),
        _ => Err(PayRefusal::NotPositive),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voucher::payment::{CANCEL_WINDOW_MS, Canceller, may_cancel};
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Grant(i64),
        Pay(i64),
        /// Cancel the n-th payment made so far, this long after it.
        Cancel {
            nth: usize,
            after_ms: i64,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1i64..20_000).prop_map(Op::Grant),
            (1i64..20_000).prop_map(Op::Pay),
            (0usize..10, 0i64..(2 * CANCEL_WINDOW_MS)).prop_map(|(nth, after_ms)| Op::Cancel { nth, after_ms }),
        ]
    }

    proptest! {
        /// Whatever the order of grants, payments and cancellations (in and out of the
        /// window): the balance is grants − payments + cancelled payments, never below zero,
        /// and a payment is given back at most once.
        #[test]
        fn the_balance_is_what_the_ledger_adds_up_to(ops in prop::collection::vec(op(), 0..40)) {
            let mut balance = 0i64;
            let (mut granted, mut paid, mut back) = (0i64, 0i64, 0i64);
            let mut payments: Vec<(i64, bool)> = Vec::new();
            for o in ops {
                match o {
                    Op::Grant(a) => {
                        balance = apply(balance, Entry::Grant(a)).unwrap();
                        granted += a;
                    }
                    Op::Pay(a) => match apply(balance, Entry::Payment(a)) {
                        Ok(b) => {
                            balance = b;
                            paid += a;
                            payments.push((a, false));
                        }
                        Err(r) => prop_assert_eq!(r, PayRefusal::Insufficient { balance }),
                    },
                    Op::Cancel { nth, after_ms } => {
                        if let Some((amount, cancelled)) = payments.get_mut(nth)
                            && may_cancel(0, *cancelled, after_ms, Canceller::Merchant).is_ok()
                        {
                            balance = apply(balance, Entry::Cancelled(*amount)).unwrap();
                            back += *amount;
                            *cancelled = true;
                        }
                    }
                }
                prop_assert!(balance >= 0);
                prop_assert_eq!(balance, granted - paid + back);
            }
            prop_assert!(back <= paid);
        }
    }
}
