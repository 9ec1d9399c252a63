//! 精算サイクル: how a programme cuts each month into settlement periods and when each period is
//! paid (the manual's 支払一覧: 2021/12/15-2021/12/31 → 支払予定日 2022/01/15).

use time::{Date, Month};

/// The day a period is paid: a day of the month (1–28, every month has it) or its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayDay {
    Day(u8),
    EndOfMonth,
}

/// When a period starting on `start_day` of each month is paid: `months_after` the period's
/// month, on `day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodRule {
    pub start_day: u8,
    pub months_after: u8,
    pub day: PayDay,
}

/// A checked cycle: periods start on 1 and on increasing days up to 28, each paid after it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    rules: Vec<PeriodRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CycleError {
    #[error("精算期間を1つ以上指定してください")]
    Empty,
    #[error("最初の精算期間は1日から始めてください")]
    FirstNotFirst,
    #[error("精算期間の開始日は2〜28日で、前の期間より後の日にしてください（{0}日）")]
    BadStart(u8),
    #[error("支払日は1〜28日か末日です（{0}日）")]
    BadPayDay(u8),
    #[error("支払は0〜3か月後です（{0}か月後）")]
    TooLate(u8),
    #[error("{0}日からの期間の支払予定日が期間の終わりより前になります")]
    PaidBeforeEnd(u8),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CycleParseError {
    #[error("精算サイクル「{0}」は「開始日:何か月後:支払日」（例 1:0:end,15:1:15）で指定してください")]
    Form(String),
    #[error(transparent)]
    Cycle(#[from] CycleError),
}

/// Whether a period can be settled on `today`: its last payment's 24-hour cancel window has
/// closed (the day after the period's last day has ended), so no merchant cancel can follow.
pub fn is_due(p: &Period, today: Date) -> bool {
    p.end.next_day().and_then(|d| d.next_day()).is_some_and(|d| today >= d)
}

/// One settlement period with its payout date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub start: Date,
    pub end: Date,
    pub payout: Date,
}

fn last_day(year: i32, month: Month) -> Date {
    let days = month.length(year);
    Date::from_calendar_date(year, month, days).expect("a month's last day is a date")
}

fn add_months(year: i32, month: Month, n: u8) -> (i32, Month) {
    let index = year * 12 + (month as i32 - 1) + i32::from(n);
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).expect("1..=12 is a month");
    (index.div_euclid(12), month)
}

impl Cycle {
    pub fn new(mut rules: Vec<PeriodRule>) -> Result<Cycle, CycleError> {
        rules.sort_by_key(|r| r.start_day);
        let first = rules.first().ok_or(CycleError::Empty)?;
        if first.start_day != 1 {
            return Err(CycleError::FirstNotFirst);
        }
        for pair in rules.windows(2) {
            if pair[1].start_day == pair[0].start_day || pair[1].start_day > 28 {
                return Err(CycleError::BadStart(pair[1].start_day));
            }
        }
        for r in &rules {
            if let PayDay::Day(d) = r.day
                && !(1..=28).contains(&d)
            {
                return Err(CycleError::BadPayDay(d));
            }
            if r.months_after > 3 {
                return Err(CycleError::TooLate(r.months_after));
            }
        }
        let cycle = Cycle { rules };
        // Every period of a leap year and of a common one is paid after it ends.
        for year in [2024, 2025] {
            for p in cycle.periods_of_year(year) {
                if p.payout <= p.end {
                    let day = p.start.day();
                    return Err(CycleError::PaidBeforeEnd(day));
                }
            }
        }
        Ok(cycle)
    }

    /// A cycle as stored and as typed: `start:months_after:day` per period, comma-separated,
    /// `day` a number or `end` (`1:0:end,15:1:15` is [`Cycle::twice_a_month`]).
    pub fn parse(s: &str) -> Result<Cycle, CycleParseError> {
        let mut rules = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || CycleParseError::Form(part.to_string());
            let mut f = part.split(':').map(str::trim);
            let (Some(start), Some(months), Some(day), None) = (f.next(), f.next(), f.next(), f.next()) else {
                return Err(bad());
            };
            let start_day = start.parse::<u8>().map_err(|_| bad())?;
            let months_after = months.parse::<u8>().map_err(|_| bad())?;
            let day = match day {
                "end" | "末日" => PayDay::EndOfMonth,
                d => PayDay::Day(d.parse::<u8>().map_err(|_| bad())?),
            };
            rules.push(PeriodRule {
                start_day,
                months_after,
                day,
            });
        }
        Ok(Cycle::new(rules)?)
    }

    /// The stored form [`Cycle::parse`] reads.
    pub fn to_stored(&self) -> String {
        self.rules
            .iter()
            .map(|r| {
                let day = match r.day {
                    PayDay::Day(d) => d.to_string(),
                    PayDay::EndOfMonth => "end".into(),
                };
                format!("{}:{}:{day}", r.start_day, r.months_after)
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The manual's usual cycle: 1–14 paid at the end of the month, 15–end paid on the 15th of
    /// the next.
    pub fn twice_a_month() -> Cycle {
        Cycle::new(vec![
            PeriodRule {
                start_day: 1,
                months_after: 0,
                day: PayDay::EndOfMonth,
            },
            PeriodRule {
                start_day: 15,
                months_after: 1,
                day: PayDay::Day(15),
            },
        ])
        .expect("the built-in cycle is valid")
    }

    pub fn rules(&self) -> &[PeriodRule] {
        &self.rules
    }

    fn period(&self, year: i32, month: Month, i: usize) -> Period {
        let r = self.rules[i];
        let start = Date::from_calendar_date(year, month, r.start_day).expect("start days are 1..=28");
        let end = match self.rules.get(i + 1) {
            Some(next) => Date::from_calendar_date(year, month, next.start_day - 1).expect("before a start day of 2..=28"),
            None => last_day(year, month),
        };
        let (py, pm) = add_months(year, month, r.months_after);
        let payout = match r.day {
            PayDay::Day(d) => Date::from_calendar_date(py, pm, d).expect("pay days are 1..=28"),
            PayDay::EndOfMonth => last_day(py, pm),
        };
        Period { start, end, payout }
    }

    /// The period a payment of `day` belongs to.
    pub fn period_of(&self, day: Date) -> Period {
        let i = self.rules.iter().rposition(|r| r.start_day <= day.day()).unwrap_or(0);
        self.period(day.year(), day.month(), i)
    }

    /// Every period from the one holding `first` to the last one due by `today`, in order: the
    /// periods the settlement job makes.
    pub fn due_periods(&self, first: Date, today: Date) -> Vec<Period> {
        let mut out = Vec::new();
        let mut p = self.period_of(first);
        while is_due(&p, today) {
            out.push(p);
            let Some(next) = p.end.next_day() else { break };
            p = self.period_of(next);
        }
        out
    }

    /// Every period starting in `year`, in order (支払一覧 by year).
    pub fn periods_of_year(&self, year: i32) -> Vec<Period> {
        let mut out = Vec::new();
        let mut month = Month::January;
        for _ in 0..12 {
            for i in 0..self.rules.len() {
                out.push(self.period(year, month, i));
            }
            month = month.next();
        }
        out
    }

    /// 精算サイクル as the merchant's screen says it: 「毎月1日〜14日分：当月末日払い／15日〜末日分：翌月15日払い」.
    pub fn describe_ja(&self) -> String {
        let parts: Vec<String> = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let end = match self.rules.get(i + 1) {
                    Some(n) => format!("{}日", n.start_day - 1),
                    None => "末日".to_string(),
                };
                let when = match r.months_after {
                    0 => "当月".to_string(),
                    1 => "翌月".to_string(),
                    2 => "翌々月".to_string(),
                    n => format!("{n}か月後の"),
                };
                let day = match r.day {
                    PayDay::Day(d) => format!("{d}日"),
                    PayDay::EndOfMonth => "末日".to_string(),
                };
                format!("{}日〜{end}分：{when}{day}払い", r.start_day)
            })
            .collect();
        format!("毎月{}", parts.join("／"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn the_manuals_period_is_paid_on_the_15th_of_the_next_month() {
        let c = Cycle::twice_a_month();
        let p = c.period_of(date!(2021 - 12 - 20));
        assert_eq!(
            (p.start, p.end, p.payout),
            (date!(2021 - 12 - 15), date!(2021 - 12 - 31), date!(2022 - 01 - 15))
        );
        let first = c.period_of(date!(2024 - 02 - 14));
        assert_eq!(
            (first.start, first.end, first.payout),
            (date!(2024 - 02 - 01), date!(2024 - 02 - 14), date!(2024 - 02 - 29))
        );
        assert_eq!(c.describe_ja(), "毎月1日〜14日分：当月末日払い／15日〜末日分：翌月15日払い");
        assert_eq!(c.periods_of_year(2022).len(), 24);
        assert_eq!(c.to_stored(), "1:0:end,15:1:15");
        assert_eq!(Cycle::parse("1:0:end, 15:1:15"), Ok(c));
        assert!(matches!(Cycle::parse("1-0-end"), Err(CycleParseError::Form(_))));
        assert_eq!(Cycle::parse("1:0:20"), Err(CycleParseError::Cycle(CycleError::PaidBeforeEnd(1))));
    }

    #[test]
    fn a_cycle_that_pays_before_the_period_ends_is_refused() {
        let rule = |start_day, months_after, day| PeriodRule {
            start_day,
            months_after,
            day,
        };
        assert_eq!(Cycle::new(vec![]), Err(CycleError::Empty));
        assert_eq!(Cycle::new(vec![rule(2, 1, PayDay::Day(1))]), Err(CycleError::FirstNotFirst));
        assert_eq!(
            Cycle::new(vec![rule(1, 1, PayDay::Day(1)), rule(29, 1, PayDay::Day(1))]),
            Err(CycleError::BadStart(29))
        );
        assert_eq!(Cycle::new(vec![rule(1, 0, PayDay::Day(20))]), Err(CycleError::PaidBeforeEnd(1)));
        assert_eq!(Cycle::new(vec![rule(1, 1, PayDay::Day(31))]), Err(CycleError::BadPayDay(31)));
    }

    fn any_cycle() -> impl Strategy<Value = Cycle> {
        (prop::collection::btree_set(2u8..=28, 0..4), 1u8..=3, prop::option::of(1u8..=28)).prop_map(|(starts, months, day)| {
            let day = day.map(PayDay::Day).unwrap_or(PayDay::EndOfMonth);
            let rules = std::iter::once(1)
                .chain(starts)
                .map(|start_day| PeriodRule {
                    start_day,
                    months_after: months,
                    day,
                })
                .collect();
            Cycle::new(rules).expect("paid a month or more later: always after the period")
        })
    }

    proptest! {
        /// The periods tile the calendar: every day is in exactly one period, the next period
        /// starts the day after, and each is paid after it ends.
        #[test]
        fn every_day_is_in_exactly_one_period_paid_after_it(c in any_cycle(), offset in 0i64..3000) {
            let day = date!(2024 - 01 - 01) + time::Duration::days(offset);
            let p = c.period_of(day);
            prop_assert!(p.start <= day && day <= p.end);
            prop_assert!(p.payout > p.end);
            let next = c.period_of(p.end.next_day().unwrap());
            prop_assert_eq!(next.start, p.end.next_day().unwrap());
            let of_year = c.periods_of_year(day.year());
            prop_assert_eq!(of_year.iter().filter(|q| q.start <= day && day <= q.end).count(), 1);
        }
    }

    #[test]
    fn a_period_is_settled_once_its_last_cancel_window_has_closed() {
        let c = Cycle::twice_a_month();
        let due = c.due_periods(time::macros::date!(2026 - 10 - 20), time::macros::date!(2026 - 11 - 16));
        let starts: Vec<String> = due.iter().map(|p| p.start.to_string()).collect();
        assert_eq!(starts, ["2026-10-15", "2026-11-01"], "1–14 Nov is due on the 16th, not before");
        assert!(
            c.due_periods(time::macros::date!(2026 - 11 - 01), time::macros::date!(2026 - 11 - 15))
                .is_empty()
        );
    }
}
