//! 宿泊タイプ: a stay is a check-in date and a number of nights. Each night takes its rooms
//! from that night's stock (a room sold for 12/24 and 12/25 is two stock rows), the price is
//! per room per night, and the ticket (one per room) is good for the whole stay.

use crate::clock::date_with_weekday;
use time::{Date, Duration};

/// The longest stay one order books. Longer stays are rare enough for a call to the venue and
/// a typing error (20 for 2) is not: our choice, the manual sets no limit.
pub const MAX_NIGHTS: i64 = 14;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StayError {
    #[error("泊数は1〜{MAX_NIGHTS}泊で指定してください")]
    Nights,
    #[error("チェックアウト日が暦の範囲を超えます")]
    OutOfCalendar,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    check_in: Date,
    nights: i64,
}

impl Stay {
    pub fn new(check_in: Date, nights: i64) -> Result<Stay, StayError> {
        if !(1..=MAX_NIGHTS).contains(&nights) {
            return Err(StayError::Nights);
        }
        check_in.checked_add(Duration::days(nights)).ok_or(StayError::OutOfCalendar)?;
        Ok(Stay { check_in, nights })
    }

    pub fn check_in(&self) -> Date {
        self.check_in
    }

    pub fn nights(&self) -> i64 {
        self.nights
    }

    /// The morning the guest leaves: the day after the last night.
    pub fn check_out(&self) -> Date {
        self.check_in + Duration::days(self.nights)
    }

    /// The dates whose stock the stay takes, one per night, check-in first.
    pub fn night_dates(&self) -> impl Iterator<Item = Date> + '_ {
        (0..self.nights).map(|n| self.check_in + Duration::days(n))
    }

    /// What the stay costs: `per_night` for each room each night.
    pub fn price(&self, per_night: i64, rooms: i64) -> i64 {
        per_night * rooms * self.nights
    }

    /// `2026/12/24(木)〜2026/12/26(土) 2泊`, or `2026/12/24 (Thu) – 2026/12/26 (Sat), 2 nights`.
    pub fn describe(&self, english: bool) -> String {
        let (a, b) = (
            date_with_weekday(self.check_in, english),
            date_with_weekday(self.check_out(), english),
        );
        if english {
            let n = if self.nights == 1 { "night" } else { "nights" };
            format!("{a} – {b}, {} {n}", self.nights)
        } else {
            format!("{a}〜{b} {}泊", self.nights)
        }
    }
}

/// When a dated web ticket is for: a day (and time slot) of a room or court rental, or a stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visit {
    Day { date: Date, slot: Option<String> },
    Stay(Stay),
}

impl Visit {
    /// `2026/12/01(火) 13:00`, or a stay as [`Stay::describe`] writes it.
    pub fn describe(&self, english: bool) -> String {
        match self {
            Visit::Day { date, slot: Some(slot) } => format!("{} {slot}", date_with_weekday(*date, english)),
            Visit::Day { date, slot: None } => date_with_weekday(*date, english),
            Visit::Stay(stay) => stay.describe(english),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn two_nights_from_christmas_eve_leave_on_the_26th() {
        let s = Stay::new(date!(2026 - 12 - 24), 2).unwrap();
        assert_eq!(s.check_out(), date!(2026 - 12 - 26));
        assert_eq!(
            s.night_dates().collect::<Vec<_>>(),
            vec![date!(2026 - 12 - 24), date!(2026 - 12 - 25)]
        );
        assert_eq!(s.describe(false), "2026/12/24(木)〜2026/12/26(土) 2泊");
        assert_eq!(s.describe(true), "2026/12/24 (Thu) – 2026/12/26 (Sat), 2 nights");
    }

    #[test]
    fn a_rental_reads_as_its_day_and_slot() {
        let v = Visit::Day {
            date: date!(2026 - 12 - 01),
            slot: Some("13:00".into()),
        };
        assert_eq!(v.describe(false), "2026/12/01(火) 13:00");
        assert_eq!(v.describe(true), "2026/12/01 (Tue) 13:00");
    }

    #[test]
    fn a_stay_crosses_the_year_end() {
        let s = Stay::new(date!(2026 - 12 - 31), 2).unwrap();
        assert_eq!(s.night_dates().last(), Some(date!(2027 - 01 - 01)));
        assert_eq!(s.check_out(), date!(2027 - 01 - 02));
    }

    #[test]
    fn zero_nights_and_too_many_are_refused() {
        assert_eq!(Stay::new(date!(2026 - 12 - 24), 0), Err(StayError::Nights));
        assert_eq!(Stay::new(date!(2026 - 12 - 24), MAX_NIGHTS + 1), Err(StayError::Nights));
        assert!(Stay::new(date!(2026 - 12 - 24), MAX_NIGHTS).is_ok());
    }

    proptest! {
        #[test]
        fn every_night_is_one_day_after_the_last_and_the_price_counts_each(
            day in 0i64..3000, nights in 1i64..=MAX_NIGHTS, rooms in 1i64..10, per_night in 0i64..100_000,
        ) {
            let s = Stay::new(date!(2026 - 01 - 01) + Duration::days(day), nights).unwrap();
            let dates: Vec<Date> = s.night_dates().collect();
            prop_assert_eq!(dates.len() as i64, nights);
            prop_assert_eq!(dates[0], s.check_in());
            for w in dates.windows(2) {
                prop_assert_eq!(w[1], w[0] + Duration::days(1));
            }
            prop_assert_eq!(*dates.last().unwrap() + Duration::days(1), s.check_out());
            prop_assert_eq!(s.price(per_night, rooms), dates.len() as i64 * rooms * per_night);
        }
    }
}
