//! A reservation's cancellation policy as typed on the product form: one tier per line.

use kippu_domain::reservation::{CancellationPolicy, Tier};
use kippu_domain::validate::FieldError;

/// Parses `0:100` / `3:50` lines into a validated policy.
pub fn parse_policy(text: &str) -> std::result::Result<CancellationPolicy, FieldError> {
    let mut tiers = Vec::new();
    for (i, line) in text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let (d, p) = line
            .split_once([':', '：'])
            .ok_or_else(|| FieldError::new("policy", format!("{}行目: 「日数:割合」（例 3:50）で入力してください", i + 1)))?;
        let days = d
            .trim()
            .trim_end_matches("日前")
            .parse::<u32>()
            .map_err(|_| FieldError::new("policy", format!("{}行目: 日数が数字ではありません", i + 1)))?;
        let percent = p
            .trim()
            .trim_end_matches('%')
            .parse::<u32>()
            .map_err(|_| FieldError::new("policy", format!("{}行目: 割合が数字ではありません", i + 1)))?;
        tiers.push(Tier {
            days_before: days,
            percent_kept: percent,
        });
    }
    CancellationPolicy::new(tiers).map_err(|e| FieldError::new("policy", e.to_string()))
}
