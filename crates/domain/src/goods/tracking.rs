//! 送り状番号: Yamato, Sagawa and ゆうパック numbers are 12 digits whose last digit is the
//! first eleven read as a number, mod 7. What people and spreadsheets do to them (hyphens,
//! spaces, full-width digits) is undone; what cannot be undone (Excel's `1.9E+11`, a wrong
//! length or check digit) is refused with the reason.

use crate::normalize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackingError {
    #[error("送り状番号が空です")]
    Empty,
    #[error("送り状番号「{0}」はExcelで指数表記（1.9E+11 など）に変わっています。セルを文字列にして出力し直してください")]
    Exponent(String),
    #[error("送り状番号「{0}」に数字以外の文字があります")]
    NotDigits(String),
    #[error("送り状番号「{0}」は{1}桁です（12桁）")]
    Length(String, usize),
    #[error("送り状番号「{0}」のチェックデジットが違います（末尾は{1}のはずです）")]
    CheckDigit(String, u64),
}

/// A checked 12-digit tracking number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct TrackingNumber(String);

impl TrackingNumber {
    pub fn parse(raw: &str) -> Result<TrackingNumber, TrackingError> {
        let typed = normalize::text(raw.trim());
        if typed.is_empty() {
            return Err(TrackingError::Empty);
        }
        let upper = typed.to_ascii_uppercase();
        if upper.contains("E+") || (upper.contains('.') && upper.contains('E')) {
            return Err(TrackingError::Exponent(raw.trim().to_string()));
        }
        let digits: String = typed.chars().filter(|c| !matches!(c, '-' | ' ' | '\u{3000}')).collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TrackingError::NotDigits(raw.trim().to_string()));
        }
        if digits.len() != 12 {
            return Err(TrackingError::Length(digits.clone(), digits.len()));
        }
        let expected = check_digit(&digits[..11]);
        if u64::from(digits.as_bytes()[11] - b'0') != expected {
            return Err(TrackingError::CheckDigit(digits, expected));
        }
        Ok(TrackingNumber(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check digit of the first eleven digits: their value mod 7.
pub fn check_digit(first_eleven: &str) -> u64 {
    first_eleven.parse::<u64>().map(|n| n % 7).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hyphens_spaces_and_full_width_digits_are_undone() {
        // 12345678901 mod 7 = 3.
        let n = TrackingNumber::parse("１２３４－５６７８－９０１３").unwrap();
        assert_eq!(n.as_str(), "123456789013");
        assert_eq!(TrackingNumber::parse(" 1234 5678 9013 ").unwrap(), n);
    }

    #[test]
    fn what_cannot_be_undone_is_refused_with_its_reason() {
        assert_eq!(TrackingNumber::parse(""), Err(TrackingError::Empty));
        assert!(matches!(TrackingNumber::parse("1.23457E+11"), Err(TrackingError::Exponent(_))));
        assert!(matches!(TrackingNumber::parse("12345678901"), Err(TrackingError::Length(_, 11))));
        assert!(matches!(TrackingNumber::parse("12345678901X"), Err(TrackingError::NotDigits(_))));
        assert_eq!(
            TrackingNumber::parse("123456789012"),
            Err(TrackingError::CheckDigit("123456789012".into(), 3))
        );
    }

    proptest! {
        #[test]
        fn every_eleven_digits_with_their_check_digit_parse_and_no_other_last_digit_does(n in 0u64..100_000_000_000, wrong in 0u64..10) {
            let base = format!("{n:011}");
            let good = format!("{base}{}", n % 7);
            let parsed = TrackingNumber::parse(&good).unwrap();
            prop_assert_eq!(parsed.as_str(), good.as_str());
            if wrong != n % 7 {
                let bad = format!("{base}{wrong}");
                prop_assert!(TrackingNumber::parse(&bad).is_err());
            }
        }
    }
}
