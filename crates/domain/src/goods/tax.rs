//! 消費税 by rate on a goods order's receipt. Prices are tax included, so the tax is taken out
//! of each rate's total: tax = total × rate / (100 + rate), rounded down, once per rate group
//! (never per line — see docs/decisions.md, "Tax by rate").

/// One rate's part of an order: the tax-included total of its lines and the tax in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxByRate {
    /// Percent (10, 8, 0).
    pub rate: i64,
    /// The tax-included total of the lines at this rate, in yen.
    pub total: i64,
    /// The tax contained in `total`, rounded down.
    pub tax: i64,
}

/// The tax contained in `total` yen (tax included) at `rate` percent, rounded down.
pub fn tax_included(total: i64, rate: i64) -> i64 {
    if rate <= 0 || total <= 0 {
        return 0;
    }
    // i128: a total up to i64::MAX times a rate below 1,000 never overflows.
    (i128::from(total) * i128::from(rate) / i128::from(100 + rate)) as i64
}

/// The lines `(amount, rate)` grouped by rate, highest rate first, each with its tax.
pub fn by_rate(lines: impl IntoIterator<Item = (i64, i64)>) -> Vec<TaxByRate> {
    let mut groups: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
    for (amount, rate) in lines {
        *groups.entry(rate).or_default() += amount;
    }
    groups
        .into_iter()
        .rev()
        .map(|(rate, total)| TaxByRate {
            rate,
            total,
            tax: tax_included(total, rate),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ten_and_eight_percent_are_taken_out_of_their_own_totals() {
        // 3,000 yen towel ×2 at 10%, 1,080 yen tea at 8%.
        let t = by_rate([(6000, 10), (1080, 8)]);
        assert_eq!(
            t,
            vec![
                TaxByRate {
                    rate: 10,
                    total: 6000,
                    tax: 545
                },
                TaxByRate {
                    rate: 8,
                    total: 1080,
                    tax: 80
                }
            ]
        );
    }

    #[test]
    fn the_tax_is_rounded_down_once_per_rate_not_per_line() {
        // 105 yen at 10% holds 9.54… yen; three lines separately would give 27, the group 28.
        assert_eq!(
            by_rate([(105, 10), (105, 10), (105, 10)]),
            vec![TaxByRate {
                rate: 10,
                total: 315,
                tax: 28
            }]
        );
        assert_eq!(tax_included(0, 10), 0);
        assert_eq!(tax_included(500, 0), 0, "tax-free goods");
    }

    proptest! {
        /// The tax is never more than the exact share, and less than one yen below it.
        #[test]
        fn the_tax_is_the_exact_share_rounded_down(total in 0i64..10_000_000_000, rate in prop::sample::select(vec![0i64, 8, 10])) {
            let tax = tax_included(total, rate);
            prop_assert!(tax * (100 + rate) <= total * rate);
            prop_assert!(total * rate < (tax + 1) * (100 + rate) || rate == 0);
        }

        /// The groups add up to the lines' total.
        #[test]
        fn the_groups_add_up(lines in prop::collection::vec((0i64..1_000_000, prop::sample::select(vec![0i64, 8, 10])), 0..20)) {
            let sum: i64 = lines.iter().map(|l| l.0).sum();
            prop_assert_eq!(by_rate(lines).iter().map(|g| g.total).sum::<i64>(), sum);
        }
    }
}
