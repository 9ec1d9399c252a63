//! One normaliser for what people type, used by every form, search and importer: full-width
//! digits, letters and the signs of codes, phone numbers and addresses (－ ＠ ＿ ＋ ．) become
//! half-width; full-width brackets and punctuation of Japanese text stay. Half-width katakana becomes
//! full-width (ﾔﾏﾀﾞ → ヤマダ), and in kana fields and kana searches hiragana becomes katakana
//! (やまだ → ヤマダ). Phone numbers are compared as their digits alone.

/// Full-width digits, letters and the signs of codes and addresses to their half-width forms.
fn half_width_ascii(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '－' | '＠' | '＿' | '＋' | '．' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        // Dashes typed for a hyphen.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// Half-width katakana (U+FF61–U+FF9F) in full width, in order of their code points.
const HALF_KANA: [char; 63] = [
    '。', '「', '」', '、', '・', 'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ', 'ー', 'ア', 'イ', 'ウ', 'エ', 'オ', 'カ',
    'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ', 'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ',
    'ヘ', 'ホ', 'マ', 'ミ', 'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ', 'ン', '゛', '゜',
];

/// The katakana with a voiced (゛) or semi-voiced (゜) mark, if it takes one. In the code
/// points the voiced form follows its plain kana (カ ガ, … ト ド), the semi-voiced the voiced
/// (ハ バ パ).
fn with_mark(base: char, mark: char) -> Option<char> {
    let voiced = mark == '゛';
    let step = match base {
        'ウ' if voiced => return Some('ヴ'),
        'カ' | 'キ' | 'ク' | 'ケ' | 'コ' | 'サ' | 'シ' | 'ス' | 'セ' | 'ソ' | 'タ' | 'チ' | 'ツ' | 'テ' | 'ト' if voiced => {
            1
        }
        'ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ' => {
            if voiced {
                1
            } else {
                2
            }
        }
        _ => return None,
    };
    char::from_u32(base as u32 + step)
}

/// Width only: full-width ASCII to half-width, half-width katakana to full-width (with their
/// voiced marks joined). Everything else is kept.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = half_width_ascii(c);
        if ('\u{FF61}'..='\u{FF9F}').contains(&c) {
            let full = HALF_KANA[(c as u32 - 0xFF61) as usize];
            if matches!(full, '゛' | '゜')
                && let Some(prev) = out.pop()
            {
                match with_mark(prev, full) {
                    Some(joined) => out.push(joined),
                    None => {
                        out.push(prev);
                        out.push(full);
                    }
                }
                continue;
            }
            out.push(full);
        } else {
            out.push(c);
        }
    }
    out
}

/// For kana fields and kana searches: [`text`], then hiragana as katakana.
pub fn kana(s: &str) -> String {
    text(s)
        .chars()
        .map(|c| match c {
            '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A phone number as typed, in the form the phone rule reads: half-width, with a long-vowel
/// mark typed for a hyphen (０９０ー１２３４ー５６７８) read as one.
pub fn phone(s: &str) -> String {
    text(s).chars().map(|c| if c == 'ー' { '-' } else { c }).collect()
}

/// A whole number as typed (１，０００ → 1000): half-width, thousands separators dropped.
pub fn integer(s: &str) -> Option<i64> {
    let t: String = text(s).chars().filter(|c| !matches!(c, ',' | '，') && !c.is_whitespace()).collect();
    t.parse().ok()
}

/// The digits of a phone number or a code as typed (０９０ー１２３４ー５６７８ → 09012345678):
/// hyphens, long-vowel marks typed for hyphens, spaces and brackets dropped.
pub fn digits(s: &str) -> String {
    text(s).chars().filter(|c| c.is_ascii_digit()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn what_people_type_is_read_as_meant() {
        assert_eq!(text("１，０００円"), "1，000円", "Japanese punctuation stays");
        assert_eq!(text("じゃらん（ＯＴＡ）"), "じゃらん（OTA）");
        assert_eq!(text("ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ"), "yamada@example.jp");
        assert_eq!(text("ＡＢＣ－１２３"), "ABC-123");
        assert_eq!(text("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダ タロウ");
        assert_eq!(text("ﾊﾟﾝ ｳﾞｨﾗ ｶﾞｯｺｳ"), "パン ヴィラ ガッコウ");
        assert_eq!(kana("やまだ たろう"), "ヤマダ タロウ");
        assert_eq!(kana("ｽｽﾞｷ"), "スズキ");
        assert_eq!(phone("０９０ー１２３４ー５６７８"), "090-1234-5678");
        assert_eq!(digits("070-5555 6666"), "07055556666");
        assert_eq!(integer("１，０００"), Some(1000));
        assert_eq!(integer("1,5"), Some(15));
        assert_eq!(integer("abc"), None);
        assert_eq!(text("山田 花子"), "山田 花子", "kanji and spaces are kept");
    }

    fn typed() -> impl Strategy<Value = String> {
        // Any text, weighted towards what an IME produces.
        let c = prop_oneof![
            any::<char>(),
            prop::char::range('\u{FF01}', '\u{FF5E}'),
            prop::char::range('\u{FF61}', '\u{FF9F}'),
            prop::char::range('\u{3041}', '\u{3096}'),
            prop::char::range('\u{30A1}', '\u{30F6}'),
        ];
        prop::collection::vec(c, 0..24).prop_map(|v| v.into_iter().collect())
    }

    /// Full-width forms of ASCII text.
    fn full_width(s: &str) -> String {
        s.chars()
            .map(|c| {
                if ('!'..='~').contains(&c) {
                    char::from_u32(c as u32 + 0xFEE0).unwrap()
                } else {
                    c
                }
            })
            .collect()
    }

    proptest! {
        #[test]
        fn normalising_twice_is_normalising_once(s in typed()) {
            prop_assert_eq!(text(&text(&s)), text(&s));
            prop_assert_eq!(kana(&kana(&s)), kana(&s));
            prop_assert_eq!(digits(&digits(&s)), digits(&s));
        }

        #[test]
        fn numbers_and_codes_round_trip_from_full_width(s in "[0-9A-Za-z@_+.-]{0,20}", n in any::<i64>()) {
            prop_assert_eq!(text(&full_width(&s)), s);
            prop_assert_eq!(integer(&full_width(&n.to_string())), Some(n));
        }

        #[test]
        fn katakana_round_trips_from_hiragana(s in "[\u{30A1}-\u{30F6}]{0,12}") {
            let hira: String = s.chars().map(|c| char::from_u32(c as u32 - 0x60).unwrap()).collect();
            prop_assert_eq!(kana(&hira), s);
        }
    }
}
