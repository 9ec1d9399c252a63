//! Code coupons (コード式クーポン): what a merchant sets up, when one applies to an order, and the
//! discount it gives. Pure: the caller brings today's date in Japan, the goods total and how
//! many times the coupon was used (in all and by this customer).
//!
//! Maxima (every amount has one): a fixed discount up to [`MAX_DISCOUNT_YEN`], a percentage 1 to
//! 100, a minimum goods total up to [`MAX_MIN_AMOUNT`], use limits up to [`MAX_USES`], a goods
//! total up to [`MAX_GOODS_TOTAL`] (a larger one is refused, never wrapped).

use crate::label::Said;
use time::Date;

mod form;
pub use form::{CouponFields, CouponInput, validate};

pub const MAX_DISCOUNT_YEN: i64 = 1_000_000;
pub const MAX_MIN_AMOUNT: i64 = 10_000_000;
pub const MAX_USES: i64 = 1_000_000;
pub const MAX_GOODS_TOTAL: i64 = 100_000_000_000;
pub const MAX_NAME: usize = 100;
pub const MAX_CODE: usize = 32;

/// What a coupon takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Discount {
    /// Fixed yen (1 to [`MAX_DISCOUNT_YEN`]).
    Yen(i64),
    /// A percentage of the goods total (1 to 100), rounded down to the yen.
    Percent(i64),
}

impl Discount {
    /// The two stored columns (`discount_yen`, `discount_percent`), one of them zero.
    pub fn columns(self) -> (i64, i64) {
        match self {
            Discount::Yen(y) => (y, 0),
            Discount::Percent(p) => (0, p),
        }
    }

    /// Back from the stored columns; anything but exactly one valid amount is a loud error.
    pub fn from_columns(yen: i64, percent: i64) -> Result<Discount, String> {
        match (yen, percent) {
            (y, 0) if (1..=MAX_DISCOUNT_YEN).contains(&y) => Ok(Discount::Yen(y)),
            (0, p) if (1..=100).contains(&p) => Ok(Discount::Percent(p)),
            _ => Err(format!("coupon discount columns out of rule: yen {yen}, percent {percent}")),
        }
    }

    /// The discount on a goods total: never negative, never more than the total. A total
    /// outside 0..=[`MAX_GOODS_TOTAL`] is clamped into it first (the caller refuses such a total
    /// before asking; clamping keeps the arithmetic exact whatever it is given).
    pub fn off(self, goods_total: i64) -> i64 {
        let total = goods_total.clamp(0, MAX_GOODS_TOTAL);
        let off = match self {
            Discount::Yen(y) => y.clamp(0, MAX_DISCOUNT_YEN),
            Discount::Percent(p) => total * p.clamp(0, 100) / 100,
        };
        off.min(total)
    }

    /// `500円引き` / `10%引き`.
    pub fn said(self) -> Said {
        match self {
            Discount::Yen(y) => Said::new(
                format!("{}円引き", crate::money::grouped(y)),
                format!("¥{} off", crate::money::grouped(y)),
            ),
            Discount::Percent(p) => Said::new(format!("{p}%引き"), format!("{p}% off")),
        }
    }
}

/// A coupon as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    pub discount: Discount,
    /// First and last day it can be used (Japan), both included; `None` is open-ended.
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    /// The goods total must be at least this.
    pub min_amount: i64,
    /// Uses per customer; `None` is unlimited.
    pub per_customer: Option<i64>,
    /// Uses in all; `None` is unlimited.
    pub total_limit: Option<i64>,
    pub enabled: bool,
}

/// The order a coupon is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Use {
    pub today: Date,
    pub goods_total: i64,
    /// How many times the coupon was used in all, and by this customer.
    pub used_in_all: i64,
    pub used_by_customer: i64,
}

/// Why a coupon does not apply, in the operator's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    Disabled,
    NotYet(Date),
    Expired(Date),
    BelowMinimum(i64),
    UsedUp,
    UsedUpByCustomer(i64),
    TotalOutOfRange,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Unknown => "coupon_unknown",
            Refusal::Disabled => "coupon_disabled",
            Refusal::NotYet(_) => "coupon_not_yet",
            Refusal::Expired(_) => "coupon_expired",
            Refusal::BelowMinimum(_) => "coupon_below_minimum",
            Refusal::UsedUp => "coupon_used_up",
            Refusal::UsedUpByCustomer(_) => "coupon_used_up_by_customer",
            Refusal::TotalOutOfRange => "coupon_total_out_of_range",
        }
    }

    pub fn said(&self) -> Said {
        use crate::money::grouped;
        match self {
            Refusal::Unknown => Said::new("そのクーポンコードはありません", "There is no coupon with this code"),
            Refusal::Disabled => Said::new("このクーポンは現在停止中です", "This coupon is switched off"),
            Refusal::NotYet(d) => Said::new(
                format!("このクーポンは{d}から使えます"),
                format!("This coupon can be used from {d}"),
            ),
            Refusal::Expired(d) => Said::new(
                format!("このクーポンの有効期限（{d}まで）を過ぎています"),
                format!("This coupon expired (valid until {d})"),
            ),
            Refusal::BelowMinimum(min) => Said::new(
                format!("このクーポンは商品合計{}円以上で使えます", grouped(*min)),
                format!("This coupon needs goods worth at least ¥{}", grouped(*min)),
            ),
            Refusal::UsedUp => Said::new("このクーポンは利用回数の上限に達しています", "This coupon has been used up"),
            Refusal::UsedUpByCustomer(n) => Said::new(
                format!("このお客様はこのクーポンを上限の{n}回まで利用済みです"),
                format!("This customer has already used this coupon {n} times, the limit"),
            ),
            Refusal::TotalOutOfRange => Said::new("商品合計が範囲外です", "The goods total is out of range"),
        }
    }
}

crate::display_said!(Refusal);

impl Coupon {
    /// Whether it applies to this order, and its discount when it does. The rules are checked in
    /// the order an operator would fix them: switched off, the period, the minimum, the limits.
    pub fn check(&self, u: &Use) -> Result<i64, Refusal> {
        if !self.enabled {
            return Err(Refusal::Disabled);
        }
        if let Some(from) = self.valid_from
            && u.today < from
        {
            return Err(Refusal::NotYet(from));
        }
        if let Some(to) = self.valid_to
            && u.today > to
        {
            return Err(Refusal::Expired(to));
        }
        if !(0..=MAX_GOODS_TOTAL).contains(&u.goods_total) {
            return Err(Refusal::TotalOutOfRange);
        }
        if u.goods_total < self.min_amount {
            return Err(Refusal::BelowMinimum(self.min_amount));
        }
        if let Some(limit) = self.total_limit
            && u.used_in_all >= limit
        {
            return Err(Refusal::UsedUp);
        }
        if let Some(limit) = self.per_customer
            && u.used_by_customer >= limit
        {
            return Err(Refusal::UsedUpByCustomer(limit));
        }
        Ok(self.discount.off(u.goods_total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn coupon(discount: Discount) -> Coupon {
        Coupon {
            discount,
            valid_from: Some(date!(2026 - 12 - 01)),
            valid_to: Some(date!(2026 - 12 - 31)),
            min_amount: 3000,
            per_customer: Some(1),
            total_limit: Some(100),
            enabled: true,
        }
    }

    fn order(total: i64) -> Use {
        Use {
            today: date!(2026 - 12 - 10),
            goods_total: total,
            used_in_all: 0,
            used_by_customer: 0,
        }
    }

    #[test]
    fn a_percent_is_rounded_down_to_the_yen() {
        assert_eq!(coupon(Discount::Percent(10)).check(&order(3999)), Ok(399));
        assert_eq!(coupon(Discount::Percent(15)).check(&order(3333)), Ok(499));
    }

    #[test]
    fn a_fixed_discount_never_exceeds_the_goods_total() {
        let mut c = coupon(Discount::Yen(5000));
        c.min_amount = 0;
        assert_eq!(c.check(&order(1200)), Ok(1200));
        assert_eq!(c.check(&order(0)), Ok(0));
    }

    #[test]
    fn the_period_includes_its_first_and_last_day() {
        let c = coupon(Discount::Yen(500));
        for (day, ok) in [
            (date!(2026 - 11 - 30), false),
            (date!(2026 - 12 - 01), true),
            (date!(2026 - 12 - 31), true),
            (date!(2027 - 01 - 01), false),
        ] {
            let u = Use { today: day, ..order(5000) };
            assert_eq!(c.check(&u).is_ok(), ok, "{day}");
        }
        let before = Use {
            today: date!(2026 - 11 - 30),
            ..order(5000)
        };
        assert_eq!(c.check(&before), Err(Refusal::NotYet(date!(2026 - 12 - 01))));
        let after = Use {
            today: date!(2027 - 01 - 01),
            ..order(5000)
        };
        assert_eq!(c.check(&after), Err(Refusal::Expired(date!(2026 - 12 - 31))));
    }

    #[test]
    fn below_the_minimum_it_is_refused_in_words() {
        let r = coupon(Discount::Yen(500)).check(&order(2999)).unwrap_err();
        assert_eq!(r, Refusal::BelowMinimum(3000));
        assert_eq!(r.said().ja, "このクーポンは商品合計3,000円以上で使えます");
    }

    #[test]
    fn limits_in_all_and_per_customer_are_kept() {
        let c = coupon(Discount::Yen(500));
        let used_up = Use {
            used_in_all: 100,
            ..order(5000)
        };
        assert_eq!(c.check(&used_up), Err(Refusal::UsedUp));
        let theirs = Use {
            used_by_customer: 1,
            ..order(5000)
        };
        assert_eq!(c.check(&theirs), Err(Refusal::UsedUpByCustomer(1)));
        let off = Coupon { enabled: false, ..c };
        assert_eq!(off.check(&order(5000)), Err(Refusal::Disabled));
    }

    #[test]
    fn stored_columns_round_trip_and_nonsense_is_loud() {
        for d in [
            Discount::Yen(1),
            Discount::Yen(MAX_DISCOUNT_YEN),
            Discount::Percent(1),
            Discount::Percent(100),
        ] {
            let (y, p) = d.columns();
            assert_eq!(Discount::from_columns(y, p), Ok(d));
        }
        assert!(Discount::from_columns(0, 0).is_err());
        assert!(Discount::from_columns(100, 10).is_err());
        assert!(Discount::from_columns(0, 101).is_err());
    }

    fn any_discount() -> impl Strategy<Value = Discount> {
        prop_oneof![
            (1..=MAX_DISCOUNT_YEN).prop_map(Discount::Yen),
            (1i64..=100).prop_map(Discount::Percent)
        ]
    }

    proptest! {
        #[test]
        fn the_discount_is_between_zero_and_the_total(d in any_discount(), total in any::<i64>()) {
            let off = d.off(total);
            prop_assert!(off >= 0);
            prop_assert!(off <= total.max(0));
        }

        #[test]
        fn a_percent_is_the_floor_of_its_share(p in 1i64..=100, total in 0..=MAX_GOODS_TOTAL) {
            let off = Discount::Percent(p).off(total);
            prop_assert!(off * 100 <= total * p);
            prop_assert!((off + 1) * 100 > total * p);
        }

        #[test]
        fn an_applied_coupon_never_makes_the_total_negative(d in any_discount(), total in 0..=MAX_GOODS_TOTAL, min in 0..=MAX_MIN_AMOUNT) {
            let c = Coupon { discount: d, valid_from: None, valid_to: None, min_amount: min, per_customer: None, total_limit: None, enabled: true };
            let u = Use { today: date!(2026 - 12 - 10), goods_total: total, used_in_all: 0, used_by_customer: 0 };
            match c.check(&u) {
                Ok(off) => prop_assert!(total - off >= 0 && total >= min),
                Err(r) => prop_assert_eq!(r, Refusal::BelowMinimum(min)),
            }
        }
    }
}

/// The promotions report's longest range, in days (both ends included).
pub const REPORT_MAX_DAYS: i64 = 366;
/// The most rows of each kind (coupons, AD codes) the report lists.
pub const REPORT_MAX_ROWS: i64 = 500;

/// The promotions report's range from `from` and `to` (`YYYY-MM-DD`, both included): each a
/// date, `to` not before `from`, at most [`REPORT_MAX_DAYS`] days. Every problem is named.
pub fn report_period(from: &str, to: &str) -> Result<(time::Date, time::Date), crate::validate::FieldErrors> {
    use crate::validate::{Collect, FieldError};
    let mut errs = Collect::default();
    let date = |field: &'static str, s: &str| {
        crate::clock::parse_date(s.trim()).ok_or_else(|| FieldError::new(field, "日付は YYYY-MM-DD で指定してください"))
    };
    let f = errs.take(date("from", from));
    let t = errs.take(date("to", to));
    if let (Some(f), Some(t)) = (f, t) {
        if t < f {
            errs.push(FieldError::new("to", "終了日は開始日以降にしてください"));
        } else if (t - f).whole_days() + 1 > REPORT_MAX_DAYS {
            errs.push(FieldError::new("to", format!("期間は{REPORT_MAX_DAYS}日以内にしてください")));
        }
    }
    errs.finish()?;
    Ok((f.unwrap_or(time::Date::MIN), t.unwrap_or(time::Date::MIN)))
}

#[cfg(test)]
mod report_tests {
    use super::*;

    #[test]
    fn a_report_covers_at_most_366_days_forward() {
        assert!(report_period("2026-01-01", "2026-12-31").is_ok());
        assert!(report_period("2024-01-01", "2024-12-31").is_ok(), "a leap year is 366 days");
        let e = report_period("2026-01-01", "2027-01-02").unwrap_err();
        assert!(e.on("to").is_some());
        let e = report_period("2026-12-02", "2026-12-01").unwrap_err();
        assert!(e.on("to").is_some());
        let e = report_period("x", "").unwrap_err();
        assert!(e.on("from").is_some() && e.on("to").is_some());
    }
}
