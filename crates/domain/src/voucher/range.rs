//! The merchant's search ranges: 利用実績 and 月別利用実績 up to 3 months, 日別利用実績 up to 31 days.

use time::{Date, Month};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("開始日が終了日より後です")]
    Reversed,
    #[error("期間は最大3ヶ月までです")]
    OverThreeMonths,
    #[error("期間は最大31日までです")]
    OverThirtyOneDays,
}

/// The same day `n` months later (the month's last day when it has no such day).
fn months_later(d: Date, n: i32) -> Date {
    let index = d.year() * 12 + (d.month() as i32 - 1) + n;
    let (year, month) = (
        index.div_euclid(12),
        Month::try_from((index.rem_euclid(12) + 1) as u8).expect("a month"),
    );
    let day = d.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).expect("a valid day")
}

/// 利用実績: from `from` to `to` inclusive, at most 3 months (2024-01-01 to 2024-04-01 is 3
/// months and a day: refused).
pub fn three_months(from: Date, to: Date) -> Result<(), RangeError> {
    if from > to {
        return Err(RangeError::Reversed);
    }
    if to >= months_later(from, 3) {
        return Err(RangeError::OverThreeMonths);
    }
    Ok(())
}

/// 日別利用実績: at most 31 days, both ends included.
pub fn thirty_one_days(from: Date, to: Date) -> Result<(), RangeError> {
    if from > to {
        return Err(RangeError::Reversed);
    }
    if (to - from).whole_days() >= 31 {
        return Err(RangeError::OverThirtyOneDays);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn three_months_and_a_day_is_refused() {
        assert_eq!(three_months(date!(2024 - 01 - 01), date!(2024 - 03 - 31)), Ok(()));
        assert_eq!(
            three_months(date!(2024 - 01 - 01), date!(2024 - 04 - 01)),
            Err(RangeError::OverThreeMonths)
        );
        assert_eq!(three_months(date!(2024 - 11 - 30), date!(2025 - 02 - 27)), Ok(()));
        assert_eq!(
            three_months(date!(2024 - 02 - 02), date!(2024 - 02 - 01)),
            Err(RangeError::Reversed)
        );
        assert_eq!(thirty_one_days(date!(2024 - 01 - 01), date!(2024 - 01 - 31)), Ok(()));
        assert_eq!(
            thirty_one_days(date!(2024 - 01 - 01), date!(2024 - 02 - 01)),
            Err(RangeError::OverThirtyOneDays)
        );
    }
}
