//! Money is integer yen. There is no fractional yen anywhere in kippu.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Yen(pub i64);

/// The largest single bank transfer a statement line may carry: 1,000,000,000円 (more than any
/// order kippu can take; a larger figure is a misread column). Every amount's maximum is listed
/// in docs/decisions.md ("Every amount has a maximum").
pub const MAX_TRANSFER: i64 = 1_000_000_000;

/// Consumption-tax rates in force in Japan, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxRate {
    Standard10,
    Reduced8,
}

impl TaxRate {
    pub fn percent(self) -> i64 {
        match self {
            TaxRate::Standard10 => 10,
            TaxRate::Reduced8 => 8,
        }
    }

    pub fn from_percent(p: i64) -> Option<Self> {
        match p {
            10 => Some(TaxRate::Standard10),
            8 => Some(TaxRate::Reduced8),
            _ => None,
        }
    }
}

impl Yen {
    /// The tax contained in a tax-inclusive price, rounded down as Japanese receipts do
    /// (端数切り捨て).
    pub fn tax_included(self, rate: TaxRate) -> Yen {
        Yen(self.0 * rate.percent() / (100 + rate.percent()))
    }

    /// The tax-inclusive amount for a tax-exclusive one, rounded down.
    pub fn with_tax(self, rate: TaxRate) -> Yen {
        Yen(self.0 * (100 + rate.percent()) / 100)
    }

    /// `1234567` → `1,234,567円`.
    pub fn display_ja(self) -> String {
        format!("{}円", grouped(self.0))
    }
}

/// `1234567` → `1,234,567`: counts and amounts as every screen shows them.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate in basis points as a percentage with two decimals: 550 → "5.50".
pub fn percent_of_bp(bp: i64) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

/// One tax rate's part of a tax-inclusive total: what was charged at the rate and the tax in it,
/// rounded down once per rate (as a qualified invoice does, not once per line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateTotal {
    pub rate: TaxRate,
    pub amount: Yen,
    pub tax: Yen,
}

/// The tax-inclusive `amounts` summed per rate, 10 % first; a rate with nothing is left out.
pub fn taxes_by_rate(amounts: impl IntoIterator<Item = (TaxRate, Yen)>) -> Vec<RateTotal> {
    let (mut standard, mut reduced) = (0, 0);
    for (rate, Yen(a)) in amounts {
        match rate {
            TaxRate::Standard10 => standard += a,
            TaxRate::Reduced8 => reduced += a,
        }
    }
    [(TaxRate::Standard10, standard), (TaxRate::Reduced8, reduced)]
        .into_iter()
        .filter(|(_, a)| *a > 0)
        .map(|(rate, a)| RateTotal {
            rate,
            amount: Yen(a),
            tax: Yen(a).tax_included(rate),
        })
        .collect()
}

/// A coupon's discount on goods at several tax rates, split per rate in proportion to the goods
/// at that rate (the 8 % part rounded down, the 10 % part taking the rest), so the tax-included
/// totals per rate still add up to what the buyer pays. Returns (rate, −share) pairs to chain
/// into [`taxes_by_rate`]; a rate's share never exceeds its goods.
pub fn discount_by_rate(goods: impl IntoIterator<Item = (TaxRate, Yen)>, discount: Yen) -> [(TaxRate, Yen); 2] {
    let (mut standard, mut reduced) = (0, 0);
    for (rate, Yen(a)) in goods {
        match rate {
            TaxRate::Standard10 => standard += a,
            TaxRate::Reduced8 => reduced += a,
        }
    }
    let total = standard + reduced;
    let off = discount.0.clamp(0, total.max(0));
    let reduced_off = if total > 0 { off * reduced / total } else { 0 };
    [
        (TaxRate::Reduced8, Yen(-reduced_off)),
        (TaxRate::Standard10, Yen(-(off - reduced_off))),
    ]
}

#[cfg(test)]
mod discount_tests {
    use super::*;

    #[test]
    fn a_discount_is_split_by_the_goods_at_each_rate_and_adds_up() {
        let d = discount_by_rate([(TaxRate::Standard10, Yen(3000)), (TaxRate::Reduced8, Yen(1000))], Yen(501));
        assert_eq!(d, [(TaxRate::Reduced8, Yen(-125)), (TaxRate::Standard10, Yen(-376))]);
        let only10 = discount_by_rate([(TaxRate::Standard10, Yen(3000))], Yen(5000));
        assert_eq!(only10, [(TaxRate::Reduced8, Yen(0)), (TaxRate::Standard10, Yen(-3000))]);
    }

    #[test]
    fn the_shares_sum_to_the_discount_and_never_exceed_a_rates_goods() {
        for standard in [0, 1, 999, 3000] {
            for reduced in [0, 1, 864, 2000] {
                for off in [0, 1, 333, 10_000] {
                    let d = discount_by_rate([(TaxRate::Standard10, Yen(standard)), (TaxRate::Reduced8, Yen(reduced))], Yen(off));
                    let sum = -(d[0].1.0 + d[1].1.0);
                    assert_eq!(sum, off.min(standard + reduced));
                    assert!(-d[0].1.0 <= reduced && -d[1].1.0 <= standard, "{standard} {reduced} {off} {d:?}");
                }
            }
        }
    }
}

#[cfg(test)]
mod rate_tests {
    use super::*;

    #[test]
    fn each_rate_is_summed_and_its_tax_rounded_down_once() {
        let t = taxes_by_rate([
            (TaxRate::Standard10, Yen(3300)),
            (TaxRate::Reduced8, Yen(864)),
            (TaxRate::Reduced8, Yen(1728)),
            (TaxRate::Standard10, Yen(800)),
        ]);
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].rate, t[0].amount, t[0].tax), (TaxRate::Standard10, Yen(4100), Yen(372)));
        assert_eq!((t[1].rate, t[1].amount, t[1].tax), (TaxRate::Reduced8, Yen(2592), Yen(192)));
    }

    #[test]
    fn a_rate_without_goods_is_not_shown() {
        let t = taxes_by_rate([(TaxRate::Standard10, Yen(1650))]);
        assert_eq!(
            t,
            vec![RateTotal {
                rate: TaxRate::Standard10,
                amount: Yen(1650),
                tax: Yen(150)
            }]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cancel_request_fee_is_200_plus_tax() {
        assert_eq!(Yen(200).with_tax(TaxRate::Standard10), Yen(220));
    }

    #[test]
    fn display_groups_thousands() {
        assert_eq!(Yen(0).display_ja(), "0円");
        assert_eq!(Yen(1000).display_ja(), "1,000円");
        assert_eq!(Yen(-1234567).display_ja(), "-1,234,567円");
    }

    proptest! {
        #[test]
        fn included_tax_never_exceeds_price(p in 0i64..100_000_000, reduced in any::<bool>()) {
            let rate = if reduced { TaxRate::Reduced8 } else { TaxRate::Standard10 };
            let tax = Yen(p).tax_included(rate);
            prop_assert!(tax.0 >= 0 && tax.0 <= p);
            // Adding the tax back to the net price never overshoots the gross by a yen or more.
            let net = p - tax.0;
            prop_assert!(Yen(net).with_tax(rate).0 <= p + 1);
        }
    }
}
