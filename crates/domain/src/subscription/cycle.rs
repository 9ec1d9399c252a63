//! 定期サイクル: when a subscription's next child order is due. Three kinds — every N days, every
//! N months on day D, every N weeks on a weekday — each checked at the boundary into a [`Cycle`].
//!
//! Month-end rule: day D of a month that has fewer days is that month's last day (31 → 2月28日
//! or 29日, 4月30日). The day is kept on the master, not the clamped date, so a cycle on the 31st
//! returns to the 31st in the next long month instead of drifting to the 28th.

use crate::validate::{Collect, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, Weekday};

/// The largest spacing of each kind: more is a typing error.
pub const MAX_DAYS: u32 = 365;
pub const MAX_MONTHS: u32 = 12;
pub const MAX_WEEKS: u32 = 52;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Cycle {
    Days { every_days: u32 },
    Months { every_months: u32, day: u8 },
    Weeks { every_weeks: u32, weekday: Weekday },
}

/// A cycle as typed (the API's `subscription` object or the form): every field optional, so
/// each mistake is reported against its own field.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct CycleInput {
    pub every_days: Option<i64>,
    pub every_months: Option<i64>,
    pub day: Option<i64>,
    pub every_weeks: Option<i64>,
    pub weekday: Option<String>,
}

const WEEKDAYS: [(&str, Weekday, &str, &str); 7] = [
    ("mon", Weekday::Monday, "月", "Mon"),
    ("tue", Weekday::Tuesday, "火", "Tue"),
    ("wed", Weekday::Wednesday, "水", "Wed"),
    ("thu", Weekday::Thursday, "木", "Thu"),
    ("fri", Weekday::Friday, "金", "Fri"),
    ("sat", Weekday::Saturday, "土", "Sat"),
    ("sun", Weekday::Sunday, "日", "Sun"),
];

/// `mon` … `sun` as stored and typed.
pub fn weekday_code(w: Weekday) -> &'static str {
    WEEKDAYS.iter().find(|x| x.1 == w).map_or("mon", |x| x.0)
}

pub fn parse_weekday(s: &str) -> Option<Weekday> {
    let s = s.trim().to_ascii_lowercase();
    WEEKDAYS.iter().find(|x| x.0 == s).map(|x| x.1)
}

fn within(field: &'static str, v: i64, max: u32, what: &str) -> Result<u32, FieldError> {
    if v < 1 || v > i64::from(max) {
        return Err(FieldError::new(field, format!("{what}は1〜{max}で入力してください（{v}）")));
    }
    Ok(v as u32)
}

impl CycleInput {
    /// The cycle, or every field with a problem named.
    pub fn check(&self) -> Result<Cycle, FieldErrors> {
        let mut errs = Collect::default();
        let kinds = [self.every_days.is_some(), self.every_months.is_some(), self.every_weeks.is_some()];
        let cycle = match kinds {
            [true, false, false] => errs
                .take(within("subscription.every_days", self.every_days.unwrap_or(0), MAX_DAYS, "日数"))
                .map(|every_days| Cycle::Days { every_days }),
            [false, true, false] => {
                let every = errs.take(within(
                    "subscription.every_months",
                    self.every_months.unwrap_or(0),
                    MAX_MONTHS,
                    "月数",
                ));
                let day = match self.day {
                    None => {
                        errs.push(FieldError::new("subscription.day", "お届け日（1〜31日）を入力してください"));
                        None
                    }
                    Some(d) => errs.take(within("subscription.day", d, 31, "お届け日")),
                };
                every.zip(day).map(|(every_months, day)| Cycle::Months {
                    every_months,
                    day: day as u8,
                })
            }
            [false, false, true] => {
                let every = errs.take(within("subscription.every_weeks", self.every_weeks.unwrap_or(0), MAX_WEEKS, "週数"));
                let weekday = match self.weekday.as_deref().map(|w| (w, parse_weekday(w))) {
                    Some((_, Some(w))) => Some(w),
                    Some((typed, None)) => {
                        errs.push(FieldError::new(
                            "subscription.weekday",
                            format!("曜日は mon, tue, wed, thu, fri, sat, sun のいずれかです（{typed}）"),
                        ));
                        None
                    }
                    None => {
                        errs.push(FieldError::new("subscription.weekday", "曜日を入力してください"));
                        None
                    }
                };
                every
                    .zip(weekday)
                    .map(|(every_weeks, weekday)| Cycle::Weeks { every_weeks, weekday })
            }
            _ => {
                errs.push(FieldError::new(
                    "subscription",
                    "サイクルは every_days、every_months（day）、every_weeks（weekday）のいずれか一つを指定してください",
                ));
                None
            }
        };
        errs.finish()?;
        cycle.ok_or_else(|| FieldError::new("subscription", "サイクルが不正です").into())
    }
}

/// The last day of a month.
fn month_length(year: i32, month: Month) -> u8 {
    month.length(year)
}

impl Cycle {
    /// The next delivery after the one on `after`: `after` + N days; day D (or the month's last
    /// day) N months after `after`'s month; the weekday strictly after `after` + 7(N−1) days.
    pub fn next_date(&self, after: Date) -> Date {
        match *self {
            Cycle::Days { every_days } => after + Duration::days(i64::from(every_days)),
            Cycle::Months { every_months, day } => {
                let index = after.year() * 12 + (after.month() as i32 - 1) + every_months as i32;
                let (year, month) = (
                    index.div_euclid(12),
                    Month::try_from((index.rem_euclid(12) + 1) as u8).unwrap_or(Month::January),
                );
                let d = day.min(month_length(year, month));
                Date::from_calendar_date(year, month, d).unwrap_or(after)
            }
            Cycle::Weeks { every_weeks, weekday } => {
                let base = after + Duration::weeks(i64::from(every_weeks) - 1);
                base.next_occurrence(weekday)
            }
        }
    }

    /// The first date of the cycle strictly after `today`, stepping from `from`: a job that was
    /// down for several cycles makes one child for the due date and skips the missed ones.
    pub fn next_after(&self, from: Date, today: Date) -> Date {
        let mut d = self.next_date(from);
        while d <= today {
            d = self.next_date(d);
        }
        d
    }

    /// The cycle in words (サイクル): 「30日ごと」「1ヶ月ごと 10日」「2週間ごと 月曜日」.
    pub fn words(&self, english: bool) -> String {
        match (*self, english) {
            (Cycle::Days { every_days }, false) => format!("{every_days}日ごと"),
            (Cycle::Days { every_days }, true) => format!("every {every_days} days"),
            (Cycle::Months { every_months, day }, false) => format!("{every_months}ヶ月ごと {day}日"),
            (Cycle::Months { every_months, day }, true) => format!("every {every_months} months on day {day}"),
            (Cycle::Weeks { every_weeks, weekday }, e) => {
                let w = WEEKDAYS.iter().find(|x| x.1 == weekday).map_or(("", ""), |x| (x.2, x.3));
                if e {
                    format!("every {every_weeks} weeks on {}", w.1)
                } else {
                    format!("{every_weeks}週間ごと {}曜日", w.0)
                }
            }
        }
    }

    /// The cycle in both languages.
    pub fn said(&self) -> crate::label::Said {
        crate::label::Said::new(self.words(false), self.words(true))
    }

    /// Stored columns: kind (`days`/`months`/`weeks`), every, day, weekday.
    pub fn columns(&self) -> (&'static str, i64, Option<i64>, Option<&'static str>) {
        match *self {
            Cycle::Days { every_days } => ("days", i64::from(every_days), None, None),
            Cycle::Months { every_months, day } => ("months", i64::from(every_months), Some(i64::from(day)), None),
            Cycle::Weeks { every_weeks, weekday } => ("weeks", i64::from(every_weeks), None, Some(weekday_code(weekday))),
        }
    }

    /// Read back from the stored columns; `None` for a value the checks would never have let in.
    pub fn from_columns(kind: &str, every: i64, day: Option<i64>, weekday: Option<&str>) -> Option<Cycle> {
        let input = match kind {
            "days" => CycleInput {
                every_days: Some(every),
                ..Default::default()
            },
            "months" => CycleInput {
                every_months: Some(every),
                day,
                ..Default::default()
            },
            "weeks" => CycleInput {
                every_weeks: Some(every),
                weekday: weekday.map(str::to_string),
                ..Default::default()
            },
            _ => return None,
        };
        input.check().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn months(every_months: u32, day: u8) -> Cycle {
        Cycle::Months { every_months, day }
    }

    #[test]
    fn day_31_takes_the_last_day_of_a_short_month_and_returns_to_31() {
        let c = months(1, 31);
        assert_eq!(c.next_date(date!(2027 - 01 - 31)), date!(2027 - 02 - 28));
        assert_eq!(c.next_date(date!(2027 - 02 - 28)), date!(2027 - 03 - 31));
        assert_eq!(c.next_date(date!(2028 - 01 - 31)), date!(2028 - 02 - 29));
        assert_eq!(c.next_date(date!(2027 - 03 - 31)), date!(2027 - 04 - 30));
    }

    #[test]
    fn months_cross_the_year() {
        assert_eq!(months(2, 10).next_date(date!(2026 - 12 - 10)), date!(2027 - 02 - 10));
    }

    #[test]
    fn weeks_land_on_the_weekday() {
        let c = Cycle::Weeks {
            every_weeks: 2,
            weekday: Weekday::Monday,
        };
        // 2026-12-07 is a Monday: two weeks later.
        assert_eq!(c.next_date(date!(2026 - 12 - 07)), date!(2026 - 12 - 21));
        // From a Tuesday: the Monday in the second week after.
        assert_eq!(c.next_date(date!(2026 - 12 - 08)), date!(2026 - 12 - 21));
    }

    #[test]
    fn bad_cycles_name_their_field() {
        let zero = CycleInput {
            every_days: Some(0),
            ..Default::default()
        };
        assert!(zero.check().unwrap_err().on("subscription.every_days").is_some());
        let d32 = CycleInput {
            every_months: Some(1),
            day: Some(32),
            ..Default::default()
        };
        assert!(d32.check().unwrap_err().on("subscription.day").is_some());
        let wd = CycleInput {
            every_weeks: Some(1),
            weekday: Some("xyz".into()),
            ..Default::default()
        };
        assert!(wd.check().unwrap_err().on("subscription.weekday").is_some());
        assert!(CycleInput::default().check().unwrap_err().on("subscription").is_some());
    }

    #[test]
    fn columns_read_back() {
        for c in [
            Cycle::Days { every_days: 30 },
            months(1, 10),
            Cycle::Weeks {
                every_weeks: 2,
                weekday: Weekday::Friday,
            },
        ] {
            let (k, e, d, w) = c.columns();
            assert_eq!(Cycle::from_columns(k, e, d, w), Some(c));
        }
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (2000i32..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap())
    }

    proptest! {
        #[test]
        fn days_step_exactly(after in any_date(), n in 1u32..=MAX_DAYS) {
            let next = Cycle::Days { every_days: n }.next_date(after);
            prop_assert_eq!((next - after).whole_days(), i64::from(n));
        }

        #[test]
        fn months_keep_the_day_or_the_months_last(after in any_date(), n in 1u32..=MAX_MONTHS, day in 1u8..=31) {
            let next = months(n, day).next_date(after);
            let moved = (next.year() - after.year()) * 12 + next.month() as i32 - after.month() as i32;
            prop_assert_eq!(moved, n as i32);
            prop_assert_eq!(next.day(), day.min(month_length(next.year(), next.month())));
        }

        #[test]
        fn months_never_drift_from_the_day(start in any_date(), n in 1u32..=MAX_MONTHS, day in 1u8..=31, steps in 1usize..40) {
            let c = months(n, day);
            let mut d = start;
            for _ in 0..steps {
                d = c.next_date(d);
                prop_assert_eq!(d.day(), day.min(month_length(d.year(), d.month())));
            }
        }

        #[test]
        fn weeks_land_on_the_weekday_within_n_weeks(after in any_date(), n in 1u32..=MAX_WEEKS, w in 0usize..7) {
            let weekday = WEEKDAYS[w].1;
            let next = Cycle::Weeks { every_weeks: n, weekday }.next_date(after);
            prop_assert_eq!(next.weekday(), weekday);
            let gap = (next - after).whole_days();
            prop_assert!(gap > 7 * (i64::from(n) - 1) && gap <= 7 * i64::from(n));
        }

        #[test]
        fn next_after_is_the_first_date_past_today(from in any_date(), n in 1u32..=60, ahead in 0i64..400) {
            let c = Cycle::Days { every_days: n };
            let today = from + Duration::days(ahead);
            let next = c.next_after(from, today);
            prop_assert!(next > today);
            prop_assert!((next - today).whole_days() <= i64::from(n));
        }
    }
}
