//! A customer's point balance as one ledger: every change, from every source (a goods order's
//! 付与 on activation, the online slip's 【暗証番号を入れてポイント発行】, 手動調整, spending on
//! an order), is an entry of a kind ([`LedgerReason`]) and a source ([`LedgerSource`]) with the
//! balance after it, and no entry may take the balance below zero. The kinds are this one enum:
//! a new way points move is a new variant here (its stored code and its words), nowhere else.

use crate::catalog::code_enum;
use serde::{Deserialize, Serialize};

code_enum!(
    /// Why a customer's usable points changed.
    LedgerReason {
        Earned => "earned", "付与（有効化）", "Earned (activated)";
        Revoked => "revoked", "有効取消", "Activation undone";
        Cancelled => "cancelled", "注文キャンセル", "Order cancelled";
        Adjusted => "adjusted", "手動調整", "Adjusted by the merchant";
        Opening => "opening", "移行時残高", "Opening balance";
        Spent => "spent", "ポイント利用", "Spent on an order";
    }
);

code_enum!(
    /// Where an entry's points came from (or went to).
    LedgerSource {
        GoodsOrder => "goods_order", "物販注文", "Goods order";
        VenueSlip => "venue_slip", "オンライン伝票（現地払い）", "Online slip (pay at venue)";
        Manual => "manual", "手動調整", "By hand";
        Migration => "migration", "移行", "Migration";
    }
);

impl LedgerSource {
    /// The source of an order's points: a goods order, or a ticket whose slip issued them.
    pub fn of_order(kind: crate::catalog::OrderKind) -> LedgerSource {
        match kind {
            crate::catalog::OrderKind::Goods => LedgerSource::GoodsOrder,
            _ => LedgerSource::VenueSlip,
        }
    }
}

/// A change that would take the balance below zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("ポイント残高 {balance} から {delta} はできません（残高はマイナスになりません）")]
pub struct Overdrawn {
    pub balance: i64,
    pub delta: i64,
}

/// The balance after `delta`; refused when it would go below zero.
pub fn apply(balance: i64, delta: i64) -> Result<i64, Overdrawn> {
    match balance.checked_add(delta) {
        Some(after) if after >= 0 => Ok(after),
        _ => Err(Overdrawn { balance, delta }),
    }
}

/// The balance after each of `deltas` in turn from `opening`; refused at the first that would
/// go below zero (nothing of the run applies).
pub fn run(opening: i64, deltas: &[i64]) -> Result<Vec<i64>, Overdrawn> {
    let mut balance = opening;
    deltas
        .iter()
        .map(|d| {
            balance = apply(balance, *d)?;
            Ok(balance)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_orders_points_come_from_its_kind() {
        use crate::catalog::OrderKind;
        assert_eq!(LedgerSource::of_order(OrderKind::Goods), LedgerSource::GoodsOrder);
        assert_eq!(LedgerSource::of_order(OrderKind::WebTicket), LedgerSource::VenueSlip);
        assert_eq!(LedgerReason::parse("spent"), Some(LedgerReason::Spent));
    }

    #[test]
    fn a_balance_never_goes_below_zero() {
        assert_eq!(apply(100, -100), Ok(0));
        assert_eq!(apply(100, -101), Err(Overdrawn { balance: 100, delta: -101 }));
        assert_eq!(apply(i64::MAX, 1).unwrap_err().delta, 1);
    }

    proptest! {
        #[test]
        fn the_last_balance_of_a_run_is_the_opening_plus_every_delta_and_none_is_negative(
            opening in 0i64..10_000, deltas in proptest::collection::vec(-500i64..500, 0..40)
        ) {
            match run(opening, &deltas) {
                Ok(balances) => {
                    prop_assert!(balances.iter().all(|b| *b >= 0));
                    prop_assert_eq!(balances.last().copied().unwrap_or(opening), opening + deltas.iter().sum::<i64>());
                }
                Err(_) => {
                    let mut b = opening;
                    let went_below = deltas.iter().any(|d| { b += d; b < 0 });
                    prop_assert!(went_below);
                }
            }
        }
    }
}
