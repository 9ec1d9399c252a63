//! A delivery address a carrier can deliver to: it names its prefecture (都道府県) and a house
//! number (番地). What the buyer left out before the house number — prefecture, city, town — is
//! filled from the postal code's entry; a missing house number is the buyer's to type.

use super::fee::prefecture_of;
use crate::validate::FieldError;

/// What the postal table says a postal code stands for.
#[derive(Debug, Clone, Copy)]
pub struct PostalEntry<'a> {
    pub prefecture: &'a str,
    pub city: &'a str,
    pub town: &'a str,
}

/// What an address lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Prefecture,
    HouseNumber,
}

impl Missing {
    /// The message beside the address field.
    pub fn message(self) -> &'static str {
        match self {
            Missing::Prefecture => "住所に都道府県がありません。都道府県から入力するか、正しい郵便番号を入力してください",
            Missing::HouseNumber => "住所に番地がありません。番地まで入力してください（例 1-2-3。番地がない場合は「番地なし」）",
        }
    }

    pub fn error(self, field: &'static str) -> FieldError {
        FieldError::new(field, self.message())
    }
}

/// A house number: a digit (after normalisation every digit is half-width), a kanji number
/// followed by 丁目/番/号, or the words 「番地なし」.
fn has_house_number(rest: &str) -> bool {
    if rest.contains("番地なし") || rest.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    let kanji = |c: char| "〇一二三四五六七八九十百千".contains(c);
    let chars: Vec<char> = rest.chars().collect();
    chars.windows(2).any(|w| kanji(w[0]) && matches!(w[1], '丁' | '番' | '号'))
}

/// The address to deliver to: `typed` (already normalised) with what it left out before the
/// house number filled from `postal`; or what it still lacks.
pub fn complete(typed: &str, postal: Option<PostalEntry<'_>>) -> Result<String, Missing> {
    let typed = typed.trim();
    let (full, own) = match (prefecture_of(typed), postal) {
        (Some(_), _) => (typed.to_string(), typed),
        (None, Some(p)) => {
            let lead = if typed.starts_with(p.city) {
                p.prefecture.to_string()
            } else if !p.town.is_empty() && typed.starts_with(p.town) {
                format!("{}{}", p.prefecture, p.city)
            } else {
                format!("{}{}{}", p.prefecture, p.city, p.town)
            };
            (format!("{lead}{typed}"), typed)
        }
        (None, None) => return Err(Missing::Prefecture),
    };
    if prefecture_of(&full).is_none() {
        return Err(Missing::Prefecture);
    }
    // The house number must be the buyer's: a town name from the table does not count.
    let own_part = match postal {
        Some(p) if prefecture_of(typed).is_some() => typed.strip_prefix(&format!("{}{}{}", p.prefecture, p.city, p.town)).unwrap_or(own),
        _ => own,
    };
    if !has_house_number(own_part) {
        return Err(Missing::HouseNumber);
    }
    Ok(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASAKUSA: PostalEntry<'static> = PostalEntry {
        prefecture: "東京都",
        city: "台東区",
        town: "浅草",
    };

    #[test]
    fn a_whole_address_is_kept_as_typed() {
        assert_eq!(complete("東京都台東区浅草1-2-3", Some(ASAKUSA)).unwrap(), "東京都台東区浅草1-2-3");
        assert_eq!(
            complete("北海道札幌市中央区北1条西2-1", None).unwrap(),
            "北海道札幌市中央区北1条西2-1"
        );
    }

    #[test]
    fn the_postal_table_fills_what_comes_before_the_house_number() {
        assert_eq!(complete("1-2-3", Some(ASAKUSA)).unwrap(), "東京都台東区浅草1-2-3");
        assert_eq!(complete("浅草1-2-3", Some(ASAKUSA)).unwrap(), "東京都台東区浅草1-2-3");
        assert_eq!(
            complete("台東区浅草1-2-3 ハイツ101", Some(ASAKUSA)).unwrap(),
            "東京都台東区浅草1-2-3 ハイツ101"
        );
    }

    #[test]
    fn without_a_prefecture_nor_a_known_postal_code_it_is_refused() {
        assert_eq!(complete("台東区浅草1-2-3", None), Err(Missing::Prefecture));
        assert_eq!(complete("", None), Err(Missing::Prefecture));
    }

    #[test]
    fn without_a_house_number_it_is_refused() {
        assert_eq!(complete("", Some(ASAKUSA)), Err(Missing::HouseNumber));
        assert_eq!(complete("東京都台東区浅草", Some(ASAKUSA)), Err(Missing::HouseNumber));
        assert_eq!(complete("東京都台東区浅草", None), Err(Missing::HouseNumber));
    }

    #[test]
    fn kanji_numbers_and_no_number_at_all_are_house_numbers() {
        assert!(complete("京都府京都市中京区二条通三丁目", None).is_ok());
        assert!(complete("長野県下高井郡山ノ内町番地なし", None).is_ok());
    }
}
