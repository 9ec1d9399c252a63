//! Field validation shared by forms, the API and imports. Errors name the field, so every
//! caller can say what is wrong and where.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

/// Every field error of one submission (never empty): a form shows each beside its field, all
/// at once; callers that know one answer read the first through `Deref`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn all(&self) -> &[FieldError] {
        &self.0
    }

    /// The message for `field`, if it has one.
    pub fn on(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

impl std::ops::Deref for FieldErrors {
    type Target = FieldError;
    fn deref(&self) -> &FieldError {
        &self.0[0]
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join(" / "))
    }
}

impl std::error::Error for FieldErrors {}

impl FieldErrors {
    /// Every message, without field names: a refusal shown in one line of a page.
    pub fn messages(&self) -> String {
        self.0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" / ")
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> FieldErrors {
        FieldErrors(vec![e])
    }
}

/// Gathers the errors of every field of a form before answering, so the user sees all of them.
#[derive(Debug, Default)]
pub struct Collect(Vec<FieldError>);

impl Collect {
    /// The checked value, or `None` with its error kept.
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// The value of a part checked on its own (a profile inside a larger form), keeping all of
    /// its errors.
    pub fn take_all<T>(&mut self, r: Result<T, FieldErrors>) -> Option<T> {
        r.map_err(|e| self.0.extend(e.0)).ok()
    }

    /// `Ok` when no field had an error; the first error per field otherwise.
    pub fn finish(self) -> Result<(), FieldErrors> {
        let mut seen: Vec<FieldError> = Vec::new();
        for e in self.0 {
            if !seen.iter().any(|s| s.field == e.field) {
                seen.push(e);
            }
        }
        if seen.is_empty() { Ok(()) } else { Err(FieldErrors(seen)) }
    }

    /// Every error as collected, none merged: for the repeated parts of a form (a goods
    /// order's destinations), whose messages name the part (「お届け先2: …」).
    pub fn finish_all(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(FieldErrors(self.0)) }
    }
}

impl FieldErrors {
    /// The errors of two checks of one form, in order.
    pub fn merge(a: Result<(), FieldErrors>, b: Result<(), FieldErrors>) -> Result<(), FieldErrors> {
        match (a, b) {
            (Ok(()), Ok(())) => Ok(()),
            (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
            (Err(FieldErrors(mut a)), Err(FieldErrors(b))) => {
                a.extend(b);
                Err(FieldErrors(a))
            }
        }
    }
}

/// Login IDs: 3–64 of `A-Z a-z 0-9 . _ @ -`, so they can be typed on any keyboard and used in
/// URLs and CSV files without escaping.
pub fn login_id(field: &'static str, s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    let ok_chars = s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'));
    if !(3..=64).contains(&s.len()) || !ok_chars {
        return Err(FieldError::new(field, "3〜64文字の半角英数字と . _ @ - で入力してください"));
    }
    Ok(s.to_string())
}

/// A deliberately plain check: one `@`, something on each side, a dot in the domain, no spaces.
/// Deliverability is proven by sending, not by a regex.
pub fn email(field: &'static str, s: &str) -> Result<String, FieldError> {
    let typed = crate::normalize::text(s);
    let s = typed.trim();
    if deliverable(s) {
        Ok(s.to_string())
    } else {
        Err(FieldError::new(field, "メールアドレスの形式が正しくありません"))
    }
}

/// An address the mailer can send to: a dot-atom local part (RFC 5322: letters, digits and
/// ``!#$%&'*+/=?^_`{|}~-``, dots only between them) and a domain of at least two labels of
/// letters, digits and inner hyphens. Stricter than the RFC (no quoted local parts, no address
/// literals), so that every address kept is one lettre parses and a real server takes; the app's
/// property test checks the first against lettre itself.
fn deliverable(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let atom = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c));
    let label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    s.len() <= 254 && local.len() <= 64 && local.split('.').all(atom) && domain.split('.').count() >= 2 && domain.split('.').all(label)
}

/// A required free-text field of at most `max` characters.
pub fn required_text(field: &'static str, s: &str, max: usize) -> Result<String, FieldError> {
    let typed = crate::normalize::text(s);
    let s = typed.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "入力してください"));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, format!("{max}文字以内で入力してください")));
    }
    if s.chars().any(|c| c.is_control()) {
        return Err(FieldError::new(field, "制御文字は使えません"));
    }
    Ok(s.to_string())
}

/// An optional choice of a code list (a search's status, method…): empty is "any", a value
/// no option has is refused naming the field, never ignored.
pub fn choice<T: TryFrom<String>>(field: &'static str, s: &str) -> Result<Option<T>, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    T::try_from(s.to_string())
        .map(Some)
        .map_err(|_| FieldError::new(field, format!("「{s}」は選択肢にありません")))
}

/// A time slot `HH:MM` (00:00–23:59), or empty for "no slot".
pub fn time_slot(field: &'static str, s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    let ok = s.is_empty()
        || (s.len() == 5
            && s.as_bytes()[2] == b':'
            && s[..2].bytes().all(|b| b.is_ascii_digit())
            && s[3..].bytes().all(|b| b.is_ascii_digit())
            && s[..2].parse::<u8>().is_ok_and(|h| h < 24)
            && s[3..].parse::<u8>().is_ok_and(|m| m < 60));
    if ok {
        Ok(s.to_string())
    } else {
        Err(FieldError::new(field, format!("時間枠「{s}」は HH:MM で入力してください")))
    }
}

/// Furigana: katakana (full-width), the long-vowel mark and spaces.
pub fn kana(field: &'static str, s: &str) -> Result<String, FieldError> {
    let s = required_text(field, &crate::normalize::kana(s), 100)?;
    let ok = s
        .chars()
        .all(|c| matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '・' | ' ' | '\u{3000}'));
    if ok {
        Ok(s)
    } else {
        Err(FieldError::new(field, "全角カタカナで入力してください"))
    }
}

/// Japanese phone numbers: digits with optional hyphens, 10 or 11 digits.
pub fn phone(field: &'static str, s: &str) -> Result<String, FieldError> {
    let typed = crate::normalize::phone(s);
    let s = typed.trim();
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    let ok = s.chars().all(|c| c.is_ascii_digit() || c == '-') && (10..=11).contains(&digits);
    if ok {
        Ok(s.to_string())
    } else {
        Err(FieldError::new(field, "電話番号は10〜11桁の数字（ハイフン可）で入力してください"))
    }
}

/// Merchant and store codes: upper-case letters and digits, 2–20 long.
pub fn code(field: &'static str, s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    let ok = (2..=20).contains(&s.len()) && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(s.to_string())
    } else {
        Err(FieldError::new(field, "2〜20文字の半角英大文字・数字で入力してください"))
    }
}

/// A merchant's own codes (products, sales channels), stored in upper case: letters, digits,
/// `-` and `_`, 2 to `max` long. `noun` names the code in the message.
pub fn upper_code(field: &'static str, noun: &str, s: &str, max: usize) -> Result<String, FieldError> {
    let s = s.trim().to_uppercase();
    let ok = (2..=max).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(s)
    } else {
        Err(FieldError::new(field, format!("{noun}は2〜{max}文字の半角英数字・ハイフンです")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rules() {
        assert!(email("email", "hanako@example.jp").is_ok());
        assert!(email("email", "o'brien+tickets@mail.example.co.jp").is_ok());
        for bad in [
            "",
            "a",
            "a@b",
            "@b.jp",
            "a@.jp",
            "a b@c.jp",
            "a@b.jp.",
            "a..b@example.jp",
            ".a@example.jp",
            "a.@example.jp",
            "\"<svg/onload=alert(1)>\"@example.jp",
            "<svg/onload=x>@example.jp",
            "a@-example.jp",
            "a@exa_mple.jp",
            "山田@example.jp",
        ] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kana_accepts_katakana_only() {
        assert!(kana("kana", "ヤマダ ハナコ").is_ok());
        assert_eq!(kana("kana", "やまだ").unwrap(), "ヤマダ", "hiragana is read as katakana");
        assert_eq!(kana("kana", "ﾔﾏﾀﾞ").unwrap(), "ヤマダ");
        assert!(kana("kana", "山田").is_err());
        assert_eq!(kana("kana", "").unwrap_err().field, "kana");
    }

    #[test]
    fn a_choice_is_empty_a_known_code_or_refused() {
        use crate::web_ticket::Status;
        assert_eq!(choice::<Status>("status", " ").unwrap(), None);
        assert_eq!(choice::<Status>("status", "sent").unwrap(), Some(Status::Sent));
        assert_eq!(choice::<Status>("status", "lost").unwrap_err().field, "status");
    }

    #[test]
    fn time_slots_are_hours_and_minutes() {
        assert_eq!(time_slot("time_slot", " 10:00 ").unwrap(), "10:00");
        assert_eq!(time_slot("time_slot", "").unwrap(), "");
        for bad in ["25:99", "24:00", "9:00", "10:60", "+1:00", "ab:cd"] {
            assert_eq!(time_slot("time_slot", bad).unwrap_err().field, "time_slot", "{bad}");
        }
    }

    #[test]
    fn phone_and_codes() {
        assert!(phone("phone", "03-1234-5678").is_ok());
        assert!(phone("phone", "090-1234-5678").is_ok());
        assert!(phone("phone", "12345").is_err());
        assert_eq!(phone("phone", "０９０ー１２３４ー５６７８").unwrap(), "090-1234-5678");
        assert!(code("code", "DEMO1").is_ok());
        assert!(code("code", "demo1").is_err());
        assert!(login_id("login", "demo1-admin").is_ok());
        assert!(login_id("login", "a b").is_err());
    }
}

/// Text that must survive a CP932 (Windows-31J) CSV export and Japanese business systems.
/// Names the first character that cannot be written, e.g. an emoji or a rare variant.
pub fn cp932(field: &'static str, s: &str) -> Result<(), FieldError> {
    for c in s.chars() {
        let mut buf = [0u8; 4];
        let (_, _, had_errors) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf));
        if had_errors {
            return Err(FieldError::new(
                field,
                format!(
                    "「{c}」(U+{:04X}) はシフトJIS（CP932）で扱えない文字です。別の文字に置き換えてください",
                    c as u32
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod cp932_tests {
    use super::cp932;

    #[test]
    fn names_the_character_cp932_cannot_hold() {
        assert!(cp932("name", "髙橋 﨑人 ①").is_ok(), "NEC/IBM extensions are CP932");
        let e = cp932("name", "山田😀").unwrap_err();
        assert_eq!(e.field, "name");
        assert!(e.message.contains("😀"));
        assert!(cp932("name", "〜").is_err(), "WAVE DASH U+301C is not CP932");
    }
}

/// Free text over several lines (messages, memos): like [`required_text`] but line breaks and
/// tabs are allowed; Windows line breaks are normalised.
pub fn multiline_text(field: &'static str, s: &str, max: usize) -> Result<String, FieldError> {
    let s = s.replace("\r\n", "\n");
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "入力してください"));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, format!("{max}文字以内で入力してください")));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new(field, "制御文字は使えません"));
    }
    Ok(s.to_string())
}

/// What a request may carry in any text, before a field's own rule looks at it: no NUL and no
/// other control character, except tab and line breaks in `multiline` text (bodies). A NUL would
/// reach PostgreSQL as an error and SQLite as a silently cut string, so it is refused at the edge
/// on both alike. The error is the message; the caller knows the field's name.
pub fn transportable(s: &str, multiline: bool) -> Result<(), String> {
    let bad = s
        .chars()
        .find(|&c| c.is_control() && !(multiline && matches!(c, '\t' | '\n' | '\r')));
    match bad {
        None => Ok(()),
        Some(c) => Err(format!("制御文字 (U+{:04X}) は使えません", c as u32)),
    }
}

#[cfg(test)]
mod transport_tests {
    use super::transportable;

    #[test]
    fn nul_and_control_characters_are_refused() {
        assert!(transportable("op\0", false).unwrap_err().contains("U+0000"));
        assert!(transportable("/x\n", false).is_err());
        assert!(transportable("a\u{7f}", false).is_err());
    }

    #[test]
    fn multiline_bodies_keep_tabs_and_line_breaks() {
        assert!(transportable("一行目\r\n二行目\tです", true).is_ok());
        assert!(transportable("a\0b", true).is_err());
        assert!(transportable("やまだ 070-1234", false).is_ok());
    }
}

#[cfg(test)]
mod collect_tests {
    use super::*;

    #[test]
    fn every_field_with_an_error_is_reported_once() {
        let mut c = Collect::default();
        assert_eq!(c.take(email("email", "not-an-email")), None);
        assert_eq!(c.take(kana("kana", "abc")), None);
        assert!(c.take(required_text("name", "山田", 10)).is_some());
        c.push(FieldError::new("email", "a second complaint"));
        let e = c.finish().unwrap_err();
        let fields: Vec<&str> = e.all().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "kana"]);
        assert_eq!(e.field, "email", "the first through Deref");
        assert!(e.on("kana").is_some() && e.on("name").is_none());
    }

    #[test]
    fn no_error_is_ok() {
        assert_eq!(Collect::default().finish(), Ok(()));
    }
}
