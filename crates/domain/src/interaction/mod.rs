//! 対応履歴 (seed 003): who did what for a customer, when, under which 対応区分 (category) and
//! 対応概要 (summary), with free content and an optional order. Categories and summaries are a
//! merchant's own lists ([`Choices`]); a merchant that never saved them has [`Choices::defaults`]
//! (so every merchant, existing or new, starts with them without any seeding). The CSV column set
//! of the download is [`columns`].

pub mod columns;

use crate::validate::{Collect, FieldError, FieldErrors};
use time::{Date, PrimitiveDateTime, Time};

/// What a merchant starts with: 電話, メール, 手紙, その他.
pub const DEFAULT_CATEGORIES: [&str; 4] = ["電話", "メール", "手紙", "その他"];
/// What a merchant starts with: 問い合わせ, 注文, 変更, 解約, クレーム.
pub const DEFAULT_SUMMARIES: [&str; 5] = ["問い合わせ", "注文", "変更", "解約", "クレーム"];
/// The category and summary an order entered in the console is recorded under.
pub const ORDER_CATEGORY: &str = "電話";
pub const ORDER_SUMMARY: &str = "注文";

/// The longest category or summary name.
pub const MAX_CHOICE: usize = 30;
/// The most categories (or summaries) a merchant may have.
pub const MAX_CHOICES: usize = 50;
/// The longest content of one entry.
pub const MAX_CONTENT: usize = 4000;

/// A merchant's 対応区分 and 対応概要, in their order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Choices {
    pub categories: Vec<String>,
    pub summaries: Vec<String>,
}

impl Choices {
    pub fn defaults() -> Choices {
        Choices {
            categories: DEFAULT_CATEGORIES.iter().map(|s| s.to_string()).collect(),
            summaries: DEFAULT_SUMMARIES.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The stored form: one name a line.
    pub fn from_stored(categories: &str, summaries: &str) -> Choices {
        let split = |s: &str| s.lines().filter(|l| !l.is_empty()).map(str::to_string).collect();
        Choices {
            categories: split(categories),
            summaries: split(summaries),
        }
    }

    pub fn has_category(&self, s: &str) -> bool {
        self.categories.iter().any(|c| c == s)
    }

    pub fn has_summary(&self, s: &str) -> bool {
        self.summaries.iter().any(|c| c == s)
    }
}

/// A list as typed in the settings (one name a line): trimmed, blank lines dropped, at least one,
/// at most [`MAX_CHOICES`], each at most [`MAX_CHOICE`] characters, no name twice. An error names
/// the line.
pub fn choice_list(field: &'static str, typed: &str) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for (i, raw) in typed.replace("\r\n", "\n").split('\n').enumerate() {
        let name = crate::normalize::text(raw).trim().to_string();
        if name.is_empty() {
            continue;
        }
        let line = i + 1;
        if name.chars().count() > MAX_CHOICE {
            return Err(FieldError::new(
                field,
                format!("{line}行目: {MAX_CHOICE}文字以内で入力してください"),
            ));
        }
        if name.chars().any(|c| c.is_control()) {
            return Err(FieldError::new(field, format!("{line}行目: 制御文字は使えません")));
        }
        if out.contains(&name) {
            return Err(FieldError::new(field, format!("{line}行目: 「{name}」が重複しています")));
        }
        out.push(name);
    }
    if out.is_empty() {
        return Err(FieldError::new(field, "1つ以上入力してください"));
    }
    if out.len() > MAX_CHOICES {
        return Err(FieldError::new(field, format!("{MAX_CHOICES}個以内にしてください")));
    }
    Ok(out)
}

/// Both lists of the settings form, every bad one named.
pub fn validate_choices(categories: &str, summaries: &str) -> Result<Choices, FieldErrors> {
    let mut errs = Collect::default();
    let c = errs.take(choice_list("categories", categories));
    let s = errs.take(choice_list("summaries", summaries));
    errs.finish()?;
    Ok(Choices {
        categories: c.unwrap_or_default(),
        summaries: s.unwrap_or_default(),
    })
}

/// An entry's category, summary and content as typed, against the merchant's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub category: String,
    pub summary: String,
    pub content: String,
}

/// Checks category and summary against `choices` and the content's length; every bad field named.
pub fn check(choices: &Choices, category: &str, summary: &str, content: &str) -> Result<Checked, FieldErrors> {
    let mut errs = Collect::default();
    let category = crate::normalize::text(category).trim().to_string();
    let summary = crate::normalize::text(summary).trim().to_string();
    if category.is_empty() {
        errs.push(FieldError::new("category", "対応区分を選んでください"));
    } else if !choices.has_category(&category) {
        errs.push(FieldError::new("category", format!("対応区分「{category}」はありません")));
    }
    if summary.is_empty() {
        errs.push(FieldError::new("summary", "対応概要を選んでください"));
    } else if !choices.has_summary(&summary) {
        errs.push(FieldError::new("summary", format!("対応概要「{summary}」はありません")));
    }
    let content = errs.take(crate::validate::multiline_text("content", content, MAX_CONTENT));
    errs.finish()?;
    Ok(Checked {
        category,
        summary,
        content: content.unwrap_or_default(),
    })
}

/// 対応日時 as typed: `YYYY-MM-DD HH:MM` (or `/` between the date's parts, `T` before the time,
/// seconds allowed), Japan time. Empty is `None` (now).
pub fn parse_at(field: &'static str, typed: &str) -> Result<Option<time::OffsetDateTime>, FieldError> {
    let t = crate::normalize::text(typed).trim().replace('/', "-").replace('T', " ");
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || FieldError::new(field, "日時は YYYY-MM-DD HH:MM の形式で入力してください");
    let (d, hm) = t.split_once(' ').ok_or_else(bad)?;
    let date = parse_loose_date(d).ok_or_else(bad)?;
    let parts: Vec<&str> = hm.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let num = |s: &str| s.parse::<u8>().ok();
    let (h, m) = (num(parts[0]).ok_or_else(bad)?, num(parts[1]).ok_or_else(bad)?);
    let s = match parts.get(2) {
        Some(s) => num(s).ok_or_else(bad)?,
        None => 0,
    };
    let time = Time::from_hms(h, m, s).map_err(|_| bad())?;
    Ok(Some(PrimitiveDateTime::new(date, time).assume_offset(crate::clock::JST)))
}

/// `2026-1-5` as well as `2026-01-05`.
fn parse_loose_date(s: &str) -> Option<Date> {
    let p: Vec<&str> = s.split('-').collect();
    if p.len() != 3 {
        return None;
    }
    let y = p[0].parse::<i32>().ok()?;
    let m = time::Month::try_from(p[1].parse::<u8>().ok()?).ok()?;
    let d = p[2].parse::<u8>().ok()?;
    Date::from_calendar_date(y, m, d).ok()
}

#[cfg(test)]
mod tests;
