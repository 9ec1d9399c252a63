//! Clocks that read the machine: the real one, and the shifted one behind `KIPPU_FAKE_NOW`.

use kippu_domain::clock::Clock;
use std::time::Instant;
use time::OffsetDateTime;

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// Starts at a given instant and runs on in real time from there: black-box tests can run a
/// whole `kippu serve` "tomorrow".
#[derive(Debug)]
pub struct ShiftedClock {
    start: OffsetDateTime,
    started: Instant,
}

impl ShiftedClock {
    pub fn starting_at(start: OffsetDateTime) -> ShiftedClock {
        ShiftedClock {
            start,
            started: Instant::now(),
        }
    }

    /// Parses `KIPPU_FAKE_NOW` (RFC 3339).
    pub fn parse(value: &str) -> Result<ShiftedClock, String> {
        OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
            .map(ShiftedClock::starting_at)
            .map_err(|e| format!("KIPPU_FAKE_NOW={value:?} is not an RFC 3339 time ({e}); example: 2026-12-01T09:00:00+09:00"))
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> OffsetDateTime {
        (self.start + self.started.elapsed()).to_offset(time::UtcOffset::UTC)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_clock_starts_where_told_and_moves_on() {
        let c = ShiftedClock::parse("2030-01-01T00:00:00+09:00").unwrap();
        let a = c.now();
        assert_eq!(a.year(), 2029); // 2030-01-01 00:00 JST is still 2029 in UTC
        assert!(c.now() >= a);
        assert!(ShiftedClock::parse("tomorrow").unwrap_err().contains("RFC 3339"));
    }
}
