//! Settings fields as an admin types them, read as meant (full width, lower case, `/` for `-`):
//! codes, optional dates and counts, and a validity period. Shared by coupons, AD codes and the
//! customer's birthday.

use crate::validate::{Collect, FieldError, FieldErrors};
use time::Date;

/// A code as typed (full width, lower case, spaces around) in its stored form: upper-case
/// letters, digits, `-` and `_`, 2 to `max` long.
pub fn code(field: &'static str, noun: &str, typed: &str, max: usize) -> Result<String, FieldError> {
    crate::validate::upper_code(field, noun, &crate::normalize::text(typed), max)
}

/// An optional date (`YYYY-MM-DD`, full-width digits read as meant): empty is `None`.
pub fn optional_date(field: &'static str, typed: &str) -> Result<Option<Date>, FieldError> {
    let t = crate::normalize::text(typed).trim().replace('/', "-");
    if t.is_empty() {
        return Ok(None);
    }
    crate::clock::parse_date(&t)
        .map(Some)
        .ok_or_else(|| FieldError::new(field, "日付は YYYY-MM-DD の形式で入力してください"))
}

/// An optional whole number in `lo..=hi`: empty is `None`.
pub fn optional_count(field: &'static str, typed: &str, lo: i64, hi: i64) -> Result<Option<i64>, FieldError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    match crate::normalize::integer(typed) {
        Some(n) if (lo..=hi).contains(&n) => Ok(Some(n)),
        _ => Err(FieldError::new(field, format!("{lo}〜{hi}の整数で入力してください"))),
    }
}

/// A validity period: both optional, the first not after the last.
pub fn period(from: &str, to: &str) -> Result<(String, String), FieldErrors> {
    let mut errs = Collect::default();
    let f = errs.take(optional_date("valid_from", from));
    let t = errs.take(optional_date("valid_to", to));
    errs.finish()?;
    let (f, t) = (f.flatten(), t.flatten());
    if let (Some(a), Some(b)) = (f, t)
        && a > b
    {
        return Err(FieldError::new("valid_to", "終了日は開始日以降にしてください").into());
    }
    let show = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    Ok((show(f), show(t)))
}
