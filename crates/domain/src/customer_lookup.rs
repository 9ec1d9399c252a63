//! 顧客検索: one box that finds a customer by name, furigana, phone number, email address,
//! customer number or order number. What was typed is read once here into what to look for, so
//! the store searches only the columns the text can be in (each with its index).
//!
//! - with an `@`: an email address (as typed, full width read as half width);
//! - `T` and 14 digits: an order number;
//! - digits (hyphens, spaces, brackets, full width allowed): the start of a phone number, and a
//!   customer number (without a leading zero), and with 14 digits an order number;
//! - katakana, hiragana or half-width kana only: the start of the furigana (やまだ finds ヤマダ);
//! - anything else: the start of the name.

use crate::normalize;
use crate::validate::FieldError;

/// What a search box may hold.
pub const MAX_TYPED: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Nothing typed: every customer, in pages.
    All,
    Email(String),
    OrderNumber(String),
    Digits {
        /// The phone number's first digits.
        phone_prefix: String,
        customer_number: Option<i64>,
        order_number: Option<String>,
    },
    KanaPrefix(String),
    NamePrefix(String),
}

fn is_kana_text(s: &str) -> bool {
    s.chars()
        .all(|c| matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '・' | ' ' | '\u{3000}'))
}

/// Reads a search box. Longer than [`MAX_TYPED`] characters is refused, naming the field.
pub fn parse(field: &'static str, typed: &str) -> Result<Lookup, FieldError> {
    if typed.chars().count() > MAX_TYPED {
        return Err(FieldError::new(field, format!("{MAX_TYPED}文字以内で入力してください")));
    }
    let text = normalize::text(typed);
    let t = text.trim();
    if t.is_empty() {
        return Ok(Lookup::All);
    }
    if t.contains('@') {
        return Ok(Lookup::Email(t.to_string()));
    }
    let upper = t.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix('T')
        && rest.len() == 14
        && rest.chars().all(|c| c.is_ascii_digit())
    {
        return Ok(Lookup::OrderNumber(upper));
    }
    let phone_like = normalize::phone(t);
    if phone_like
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')' | '（' | '）' | '\u{3000}'))
    {
        let digits = normalize::digits(&phone_like);
        if !digits.is_empty() {
            return Ok(Lookup::Digits {
                customer_number: (digits.len() <= 12 && !digits.starts_with('0'))
                    .then(|| digits.parse().ok())
                    .flatten(),
                order_number: (digits.len() == 14).then(|| format!("T{digits}")),
                phone_prefix: digits,
            });
        }
    }
    let kana = normalize::kana(t);
    if is_kana_text(&kana) {
        return Ok(Lookup::KanaPrefix(kana));
    }
    Ok(Lookup::NamePrefix(t.to_string()))
}

/// The least string greater than every string that starts with `prefix` (in code-point order,
/// which is SQLite's and PostgreSQL's `C` collation's byte order): `col >= prefix AND col <
/// bound` is a prefix search an ordinary index answers. `None` when no such string exists (the
/// prefix is all U+10FFFF), and then `col >= prefix` alone is the search.
pub fn prefix_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = last as u32 + 1;
        if (0xD800..=0xDFFF).contains(&next) {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Lookup {
        parse("q", s).unwrap()
    }

    #[test]
    fn each_kind_of_text_is_looked_for_where_it_can_be() {
        assert_eq!(p("  "), Lookup::All);
        assert_eq!(p("Hanako@Example.jp"), Lookup::Email("Hanako@Example.jp".into()));
        assert_eq!(p("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ"), Lookup::Email("hanako@example.jp".into()));
        assert_eq!(p("t20261124000001"), Lookup::OrderNumber("T20261124000001".into()));
        assert_eq!(p("やまだ"), Lookup::KanaPrefix("ヤマダ".into()));
        assert_eq!(p("ﾔﾏﾀﾞ ﾊ"), Lookup::KanaPrefix("ヤマダ ハ".into()));
        assert_eq!(p("山田"), Lookup::NamePrefix("山田".into()));
    }

    #[test]
    fn a_phone_is_its_digits_however_typed() {
        for typed in ["090-1234-5678", "09012345678", "０９０ー１２３４ー５６７８", "(090) 1234 5678"] {
            match p(typed) {
                Lookup::Digits {
                    phone_prefix,
                    customer_number,
                    ..
                } => {
                    assert_eq!(phone_prefix, "09012345678", "{typed}");
                    assert_eq!(customer_number, None, "a customer number has no leading zero");
                }
                other => panic!("{typed}: {other:?}"),
            }
        }
        assert_eq!(
            p("１２"),
            Lookup::Digits {
                phone_prefix: "12".into(),
                customer_number: Some(12),
                order_number: None
            }
        );
        match p("20261124000001") {
            Lookup::Digits { order_number, .. } => assert_eq!(order_number.as_deref(), Some("T20261124000001")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_overlong_box_is_refused_by_name() {
        assert_eq!(parse("q", &"あ".repeat(101)).unwrap_err().field, "q");
    }

    /// Katakana with their half-width spelling (a voiced one in two characters).
    const KANA: &[(&str, &str)] = &[
        ("ア", "ｱ"),
        ("イ", "ｲ"),
        ("ウ", "ｳ"),
        ("カ", "ｶ"),
        ("ガ", "ｶﾞ"),
        ("サ", "ｻ"),
        ("ズ", "ｽﾞ"),
        ("タ", "ﾀ"),
        ("ダ", "ﾀﾞ"),
        ("ナ", "ﾅ"),
        ("ハ", "ﾊ"),
        ("バ", "ﾊﾞ"),
        ("パ", "ﾊﾟ"),
        ("マ", "ﾏ"),
        ("ヤ", "ﾔ"),
        ("ラ", "ﾗ"),
        ("ワ", "ﾜ"),
        ("ン", "ﾝ"),
        ("ッ", "ｯ"),
        ("ー", "ｰ"),
        ("ヴ", "ｳﾞ"),
        (" ", " "),
    ];

    proptest! {
        #[test]
        fn furigana_typed_in_hiragana_or_half_width_is_stored_and_found_as_katakana(
            picks in prop::collection::vec(0..KANA.len(), 1..12)
        ) {
            let full: String = picks.iter().map(|i| KANA[*i].0).collect();
            let half: String = picks.iter().map(|i| KANA[*i].1).collect();
            let hira: String = full
                .chars()
                .map(|c| if ('\u{30A1}'..='\u{30F6}').contains(&c) && c != 'ヴ' { char::from_u32(c as u32 - 0x60).unwrap() } else { c })
                .collect();
            prop_assert_eq!(normalize::kana(&half), full.clone());
            prop_assert_eq!(normalize::kana(&hira), full.clone());
            if !full.trim().is_empty() {
                prop_assert_eq!(parse("q", &half).unwrap(), Lookup::KanaPrefix(full.trim().to_string()));
                prop_assert_eq!(crate::validate::kana("kana", &hira).unwrap(), full.trim().to_string());
            }
        }

        #[test]
        fn the_bound_follows_every_extension_and_nothing_before(prefix in "\\PC{0,6}", tail in "\\PC{0,6}", other in "\\PC{0,8}") {
            let bound = prefix_bound(&prefix);
            let extended = format!("{prefix}{tail}");
            if let Some(b) = &bound {
                prop_assert!(extended.as_str() >= prefix.as_str() && extended.as_str() < b.as_str());
                // A string in the range starts with the prefix.
                if other.as_str() >= prefix.as_str() && other.as_str() < b.as_str() {
                    prop_assert!(other.starts_with(&prefix), "{other:?} in [{prefix:?}, {b:?})");
                }
            }
        }

        #[test]
        fn parsing_never_fails_below_the_cap(s in "\\PC{0,100}") {
            prop_assert!(parse("q", &s).is_ok());
        }
    }
}
