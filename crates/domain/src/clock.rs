//! Business time. Every rule (visit day, 24 h window, 25-day authorization, month boundaries)
//! is judged in Asia/Tokyo, and every "now" comes from a [`Clock`] so tests can travel in time.
//!
//! Japan has no daylight-saving time, so Asia/Tokyo is the fixed offset +09:00 and no tz
//! database is needed.

use std::sync::Mutex;
use time::{Date, Duration, OffsetDateTime, UtcOffset, macros::offset};

pub const JST: UtcOffset = offset!(+9);

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> OffsetDateTime;

    fn now_jst(&self) -> OffsetDateTime {
        self.now().to_offset(JST)
    }

    /// Today's business date in Japan.
    fn today(&self) -> Date {
        self.now_jst().date()
    }
}

/// A clock that only moves when told to: the clock of tests.
pub struct ManualClock(Mutex<OffsetDateTime>);

impl ManualClock {
    pub fn new(start: OffsetDateTime) -> Self {
        ManualClock(Mutex::new(start))
    }

    pub fn set(&self, t: OffsetDateTime) {
        *self.0.lock().expect("clock lock") = t;
    }

    pub fn advance(&self, d: Duration) {
        let mut t = self.0.lock().expect("clock lock");
        *t += d;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().expect("clock lock")
    }
}

/// Milliseconds since the Unix epoch: how instants are stored.
/// A business date as stored (`YYYY-MM-DD`, Japan), or `None`.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, &time::format_description::well_known::Iso8601::DATE).ok()
}

pub fn to_millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The first millisecond of day `d` in Japan: where a day's range of `*_at` columns starts.
pub fn day_start_ms(d: Date) -> i64 {
    to_millis(d.midnight().assume_offset(JST))
}

pub fn from_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `2026-11-24 20:05` in Japan time, the format of every list in the manuals.
pub fn format_jst(t: OffsetDateTime) -> String {
    let t = t.to_offset(JST);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// `20:05` in Japan time: when a lock of today ends.
pub fn format_jst_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(JST);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

const WEEKDAYS_JA: [&str; 7] = ["日", "月", "火", "水", "木", "金", "土"];
const WEEKDAYS_EN: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// A day with its weekday as every screen shows it: `2026/11/30(月)`, or `2026/11/30 (Mon)` in
/// English.
pub fn date_with_weekday(d: Date, english: bool) -> String {
    let i = d.weekday().number_days_from_sunday() as usize;
    if english {
        format!("{:04}/{:02}/{:02} ({})", d.year(), d.month() as u8, d.day(), WEEKDAYS_EN[i])
    } else {
        format!("{:04}/{:02}/{:02}({})", d.year(), d.month() as u8, d.day(), WEEKDAYS_JA[i])
    }
}

/// A moment in Japan time with its weekday: `2026/11/30(月) 23:36`.
pub fn datetime_with_weekday(t: OffsetDateTime, english: bool) -> String {
    let t = t.to_offset(JST);
    format!("{} {:02}:{:02}", date_with_weekday(t.date(), english), t.hour(), t.minute())
}

/// RFC 3339 with the +09:00 offset, the format of every time in the API.
pub fn rfc3339_jst(t: OffsetDateTime) -> String {
    t.to_offset(JST)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn business_date_turns_at_midnight_in_japan() {
        let c = ManualClock::new(datetime!(2026-11-24 14:59:59 UTC));
        assert_eq!(c.today().to_string(), "2026-11-24");
        c.advance(Duration::seconds(1));
        assert_eq!(c.today().to_string(), "2026-11-25");
    }

    #[test]
    fn millis_round_trip() {
        let t = datetime!(2026-11-24 01:02:03.456 UTC);
        assert_eq!(from_millis(to_millis(t)), t);
    }

    #[test]
    fn formats_in_japan_time() {
        let t = datetime!(2026-11-24 15:30 UTC);
        assert_eq!(format_jst(t), "2026-11-25 00:30");
        assert_eq!(rfc3339_jst(t), "2026-11-25T00:30:00+09:00");
    }
}
