//! A WHERE clause built from optional conditions, each `?` numbered in the order of its bind,
//! and the binding of those values: the search builder of the order list, the reservation list
//! and their exports; the conditions every customer search shares (name or furigana, phone).

use crate::dialect::contains_pattern;
use kippu_domain::normalize;

pub(crate) enum Bind {
    I(i64),
    S(String),
}

/// Conditions joined by AND, each `?` numbered in order of its bind.
pub(crate) struct Where {
    pub(crate) conds: Vec<String>,
    pub(crate) binds: Vec<Bind>,
}

impl Where {
    pub(crate) fn add(&mut self, cond: &str, b: Bind) {
        self.binds.push(b);
        self.conds.push(cond.replace('?', &format!("${}", self.binds.len())));
    }
}

pub(crate) fn bind_all<'q, O>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    binds: Vec<Bind>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments> {
    for b in binds {
        q = match b {
            Bind::I(i) => q.bind(i),
            Bind::S(s) => q.bind(s),
        };
    }
    q
}

impl Where {
    /// A name search: part of the name as typed, or of the furigana with hiragana and
    /// half-width kana read as katakana (やまだ finds ヤマダ).
    pub(crate) fn name_or_kana(&mut self, like: &str, typed: &str) {
        let (name, kana) = self.name_binds(typed);
        self.conds.push(format!(
            "(o.customer_name {like} ${name} ESCAPE '\\' OR o.customer_kana {like} ${kana} ESCAPE '\\')"
        ));
    }

    /// A phone search compares digits alone: 07055556666 finds 070-5555-6666.
    pub(crate) fn phone(&mut self, typed: &str) {
        let n = self.phone_bind(typed);
        self.conds.push(format!("{PHONE_DIGITS} LIKE ${n} ESCAPE '\\'"));
    }

    /// One box that finds a name, furigana, phone number or email address. Only the columns
    /// the text can be in are searched (an email only for ASCII, a phone only for digits), so a
    /// furigana search costs what it did before the box searched more.
    pub(crate) fn anything(&mut self, like: &str, typed: &str) {
        self.anything_or(like, typed, None);
    }

    /// [`Where::anything`], or an order number ending in the digits typed (3 to 14 of them: the
    /// last digits read off a parcel or said on the phone).
    pub(crate) fn anything_or_number_end(&mut self, like: &str, typed: &str) {
        let digits = normalize::digits(typed);
        let only_digits = normalize::text(typed)
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
        let end = (only_digits && (3..=14).contains(&digits.len())).then(|| format!("%{digits}"));
        self.anything_or(like, typed, end);
    }

    fn anything_or(&mut self, like: &str, typed: &str, number_end: Option<String>) {
        let (name, kana) = self.name_binds(typed);
        let mut alts = vec![
            format!("o.customer_name {like} ${name} ESCAPE '\\'"),
            format!("o.customer_kana {like} ${kana} ESCAPE '\\'"),
        ];
        if normalize::text(typed).chars().any(|c| c.is_ascii_alphanumeric() || c == '@') {
            alts.push(format!("o.customer_email {like} ${name} ESCAPE '\\'"));
        }
        if !normalize::digits(typed).is_empty() {
            let n = self.phone_bind(typed);
            alts.push(format!("{PHONE_DIGITS} LIKE ${n} ESCAPE '\\'"));
        }
        if let Some(end) = number_end {
            // Digits only: nothing to escape.
            self.binds.push(Bind::S(end));
            alts.push(format!("o.order_number LIKE ${}", self.binds.len()));
        }
        self.conds.push(format!("({})", alts.join(" OR ")));
    }

    /// The name as typed and the furigana reading of it; one parameter when they are the same.
    fn name_binds(&mut self, typed: &str) -> (usize, usize) {
        let (text, kana) = (normalize::text(typed), normalize::kana(typed));
        self.binds.push(Bind::S(contains_pattern(text.trim())));
        let name = self.binds.len();
        if kana == text {
            return (name, name);
        }
        self.binds.push(Bind::S(contains_pattern(kana.trim())));
        (name, self.binds.len())
    }

    fn phone_bind(&mut self, typed: &str) -> usize {
        let digits = normalize::digits(typed);
        // Nothing numeric typed: match the text as it is (and find nothing unusual).
        let pattern = if digits.is_empty() { normalize::text(typed) } else { digits };
        self.binds.push(Bind::S(contains_pattern(&pattern)));
        self.binds.len()
    }
}

/// A customer's phone number as its digits, as phone searches compare it.
const PHONE_DIGITS: &str = "REPLACE(REPLACE(o.customer_phone, '-', ''), ' ', '')";
