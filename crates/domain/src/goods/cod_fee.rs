//! 代引手数料: the cash-on-delivery fee by the amount the carrier collects, as the carriers'
//! collect-on-delivery tables have it (〜10,000円 330円, 〜30,000円 440円, …).
//!
//! A row reads 「代引金額（税込、手数料を含む）が `up_to` 円まで → `fee` 円」. The amount is
//! what the driver collects: the goods and the shipping fee *and the fee itself*, so the row
//! chosen is the first whose limit holds the amount with its own fee added. Above the last row
//! the carrier does not collect: a cash-on-delivery order is refused (see `docs/decisions.md`).
//!
//! Maximums: at most [`CodFeeTable::MAX_ROWS`] rows, a limit up to [`CodFeeTable::LIMIT_MAX`]
//! yen, a fee up to [`CodFeeTable::FEE_MAX`] yen — so no order's 代引手数料 exceeds `FEE_MAX`.

use crate::validate::{Collect, FieldError, FieldErrors};

/// One row: up to `up_to` yen collected (fee included), the fee is `fee` yen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodFeeRow {
    pub up_to: i64,
    pub fee: i64,
}

/// A merchant's 代引手数料 table: at least one row, limits strictly ascending, fees never
/// falling, each within its cap. Only [`CodFeeTable::new`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodFeeTable(Vec<CodFeeRow>);

/// Why a cash-on-delivery amount takes no fee of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("代金引換でお支払いいただける金額は税込{}円までです", crate::money::grouped(*limit))]
pub struct OverLimit {
    /// The last row's limit: the most the carrier collects.
    pub limit: i64,
}

/// Why a table cannot be, naming the row (1-based) and the column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableError {
    Empty,
    TooManyRows,
    Limit { row: usize, why: &'static str },
    Fee { row: usize, why: &'static str },
}

impl CodFeeTable {
    pub const MAX_ROWS: usize = 8;
    /// The highest limit a row may have: 1,000,000 yen (the carriers stop at 300,000–500,000).
    pub const LIMIT_MAX: i64 = 1_000_000;
    /// The highest fee a row may have, hence the highest 代引手数料 of any order.
    pub const FEE_MAX: i64 = 10_000;

    /// The carriers' usual table (ヤマト運輸's コレクト, 2024): 〜1万円 330円, 〜3万円 440円,
    /// 〜10万円 660円, 〜30万円 1,100円; above 30万円 no cash on delivery.
    pub fn carriers_default() -> CodFeeTable {
        CodFeeTable(vec![
            CodFeeRow { up_to: 10_000, fee: 330 },
            CodFeeRow { up_to: 30_000, fee: 440 },
            CodFeeRow { up_to: 100_000, fee: 660 },
            CodFeeRow {
                up_to: 300_000,
                fee: 1_100,
            },
        ])
    }

    /// The table of `rows`, or the first reason it cannot be.
    pub fn new(rows: Vec<CodFeeRow>) -> Result<CodFeeTable, TableError> {
        if rows.is_empty() {
            return Err(TableError::Empty);
        }
        if rows.len() > Self::MAX_ROWS {
            return Err(TableError::TooManyRows);
        }
        for (i, r) in rows.iter().enumerate() {
            let row = i + 1;
            if !(1..=Self::LIMIT_MAX).contains(&r.up_to) {
                return Err(TableError::Limit {
                    row,
                    why: "金額は1〜1,000,000円です",
                });
            }
            if !(0..=Self::FEE_MAX).contains(&r.fee) {
                return Err(TableError::Fee {
                    row,
                    why: "手数料は0〜10,000円です",
                });
            }
            if r.fee >= r.up_to {
                return Err(TableError::Fee {
                    row,
                    why: "手数料はその行の金額より小さくしてください",
                });
            }
            if let Some(prev) = i.checked_sub(1).map(|p| rows[p]) {
                if r.up_to <= prev.up_to {
                    return Err(TableError::Limit {
                        row,
                        why: "金額は上の行より大きくしてください（小さい順）",
                    });
                }
                if r.fee < prev.fee {
                    return Err(TableError::Fee {
                        row,
                        why: "手数料は上の行以上にしてください",
                    });
                }
            }
        }
        Ok(CodFeeTable(rows))
    }

    pub fn rows(&self) -> &[CodFeeRow] {
        &self.0
    }

    /// The most the carrier collects (the last row's limit).
    pub fn limit(&self) -> i64 {
        self.0.last().map_or(0, |r| r.up_to)
    }

    /// The fee for an order whose goods and shipping come to `before_fee` yen: the first row
    /// whose limit holds `before_fee` plus that row's fee; none above the last row.
    pub fn fee_for(&self, before_fee: i64) -> Result<i64, OverLimit> {
        self.0
            .iter()
            .find(|r| before_fee.saturating_add(r.fee) <= r.up_to)
            .map(|r| r.fee)
            .ok_or(OverLimit { limit: self.limit() })
    }

    /// [`Self::fee_for`], the last row's fee above the last row: what a price shown before the
    /// refusal (a quote being edited) carries.
    pub fn fee_or_last(&self, before_fee: i64) -> i64 {
        self.fee_for(before_fee).unwrap_or_else(|_| self.0.last().map_or(0, |r| r.fee))
    }

    /// The table as a form types it: rows of (limit, fee) text, empty rows skipped, every bad
    /// cell named by its field (`cod_up_to_N`, `cod_fee_N`, N from 1) at once.
    pub fn parse_rows(typed: &[(String, String)]) -> Result<CodFeeTable, FieldErrors> {
        let mut c = Collect::default();
        let mut rows = Vec::new();
        let mut fields = Vec::new();
        for (i, (up_to, fee)) in typed.iter().enumerate() {
            if up_to.trim().is_empty() && fee.trim().is_empty() {
                continue;
            }
            let n = i + 1;
            let Some(n_field) = FIELDS.get(i) else {
                c.push(FieldError::new("cod_fees", "代引手数料は8行までです"));
                break;
            };
            let amount = |field: &'static str, s: &str, max: i64, what: &str| {
                crate::normalize::integer(s)
                    .filter(|v| (0..=max).contains(v))
                    .ok_or_else(|| FieldError::new(field, format!("{n}行目: {what}")))
            };
            let u = c.take(amount(n_field.0, up_to, Self::LIMIT_MAX, "金額は1〜1,000,000円の整数です"));
            let f = c.take(amount(n_field.1, fee, Self::FEE_MAX, "手数料は0〜10,000円の整数です"));
            if let (Some(up_to), Some(fee)) = (u, f) {
                rows.push(CodFeeRow { up_to, fee });
                fields.push((n, *n_field));
            }
        }
        c.finish()?;
        CodFeeTable::new(rows).map_err(|e| {
            let at = |row: usize| fields[row - 1];
            FieldErrors::from(match e {
                TableError::Empty => FieldError::new("cod_fees", "代引手数料を1行以上入力してください"),
                TableError::TooManyRows => FieldError::new("cod_fees", "代引手数料は8行までです"),
                TableError::Limit { row, why } => {
                    let (n, f) = at(row);
                    FieldError::new(f.0, format!("{n}行目: {why}"))
                }
                TableError::Fee { row, why } => {
                    let (n, f) = at(row);
                    FieldError::new(f.1, format!("{n}行目: {why}"))
                }
            })
        })
    }
}

/// The form's field names per row, 1-based: (`cod_up_to_N`, `cod_fee_N`).
pub const FIELDS: [(&str, &str); CodFeeTable::MAX_ROWS] = [
    ("cod_up_to_1", "cod_fee_1"),
    ("cod_up_to_2", "cod_fee_2"),
    ("cod_up_to_3", "cod_fee_3"),
    ("cod_up_to_4", "cod_fee_4"),
    ("cod_up_to_5", "cod_fee_5"),
    ("cod_up_to_6", "cod_fee_6"),
    ("cod_up_to_7", "cod_fee_7"),
    ("cod_up_to_8", "cod_fee_8"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn typed(rows: &[(&str, &str)]) -> Vec<(String, String)> {
        rows.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn the_carriers_table_charges_by_the_amount_collected_with_the_fee() {
        let t = CodFeeTable::carriers_default();
        assert_eq!(t.fee_for(1_000), Ok(330));
        assert_eq!(t.fee_for(9_670), Ok(330), "9,670 + 330 = 10,000: still the first row");
        assert_eq!(t.fee_for(9_671), Ok(440), "with its fee it passes 10,000");
        assert_eq!(t.fee_for(29_560), Ok(440));
        assert_eq!(t.fee_for(99_340), Ok(660));
        assert_eq!(t.fee_for(298_900), Ok(1_100));
        assert_eq!(t.fee_for(298_901), Err(OverLimit { limit: 300_000 }));
        assert_eq!(t.fee_or_last(500_000), 1_100);
        assert_eq!(
            OverLimit { limit: 300_000 }.to_string(),
            "代金引換でお支払いいただける金額は税込300,000円までです"
        );
    }

    #[test]
    fn a_typed_table_is_checked_row_by_row_with_each_error_beside_its_field() {
        let ok = CodFeeTable::parse_rows(&typed(&[("１０，０００", "330"), ("", ""), ("50000", "550")])).unwrap();
        assert_eq!(
            ok.rows(),
            [CodFeeRow { up_to: 10_000, fee: 330 }, CodFeeRow { up_to: 50_000, fee: 550 }]
        );
        let bad = CodFeeTable::parse_rows(&typed(&[("10000", "abc"), ("1.5", "330")])).unwrap_err();
        assert_eq!(bad.on("cod_fee_1"), Some("1行目: 手数料は0〜10,000円の整数です"));
        assert_eq!(bad.on("cod_up_to_2"), Some("2行目: 金額は1〜1,000,000円の整数です"));
        let descending = CodFeeTable::parse_rows(&typed(&[("30000", "440"), ("10000", "330")])).unwrap_err();
        assert_eq!(
            descending.on("cod_up_to_2"),
            Some("2行目: 金額は上の行より大きくしてください（小さい順）")
        );
        let falling = CodFeeTable::parse_rows(&typed(&[("10000", "440"), ("30000", "330")])).unwrap_err();
        assert_eq!(falling.on("cod_fee_2"), Some("2行目: 手数料は上の行以上にしてください"));
        let capped = CodFeeTable::parse_rows(&typed(&[("2000000", "20000")])).unwrap_err();
        assert_eq!(capped.all().len(), 2, "both cells over their caps: {capped}");
        assert_eq!(
            CodFeeTable::parse_rows(&typed(&[("", "")])).unwrap_err().on("cod_fees"),
            Some("代引手数料を1行以上入力してください")
        );
    }

    fn tables() -> impl Strategy<Value = CodFeeTable> {
        prop::collection::vec((1i64..200_000, 0i64..2_000), 1..=CodFeeTable::MAX_ROWS).prop_filter_map("an ascending table", |steps| {
            let (mut up_to, mut fee) = (0, 0);
            let rows = steps
                .into_iter()
                .map(|(du, df)| {
                    up_to += du;
                    fee += df;
                    CodFeeRow { up_to, fee }
                })
                .collect();
            CodFeeTable::new(rows).ok()
        })
    }

    proptest! {
        #[test]
        fn the_fee_never_falls_as_the_amount_grows(t in tables(), a in 0i64..1_200_000, d in 0i64..300_000) {
            let (lo, hi) = (t.fee_or_last(a), t.fee_or_last(a + d));
            prop_assert!(lo <= hi, "{a}: {lo}, {}: {hi}", a + d);
            if t.fee_for(a).is_err() {
                prop_assert!(t.fee_for(a + d).is_err(), "once over the limit, always over");
            }
        }

        #[test]
        fn the_fee_is_never_negative_nor_above_its_maximum_and_the_total_fits_its_row(t in tables(), a in 0i64..1_200_000) {
            let fee = t.fee_or_last(a);
            prop_assert!((0..=CodFeeTable::FEE_MAX).contains(&fee));
            match t.fee_for(a) {
                Ok(f) => prop_assert!(t.rows().iter().any(|r| r.fee == f && a + f <= r.up_to)),
                Err(e) => {
                    prop_assert_eq!(e.limit, t.limit());
                    prop_assert!(a + t.rows().last().unwrap().fee > t.limit());
                }
            }
        }
    }
}
