//! A label in both languages of the UI. The manual's Japanese is the default and the only
//! language of emails, CSV and PDF; English is for staff who switch the UI.

/// Japanese and English words for one code (a status, a payment method, an action).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub ja: &'static str,
    pub en: &'static str,
}

impl Label {
    pub const fn new(ja: &'static str, en: &'static str) -> Label {
        Label { ja, en }
    }
}

/// A sentence in both languages: why something was refused. The Japanese is what emails, CSV,
/// the API's `message` and the error's `Display` carry; the English is for a UI switched to
/// English. Written once per refusal, beside its code, so the two never drift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub ja: String,
    pub en: String,
}

impl Said {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Said {
        Said {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The sentence in English (`true`) or Japanese.
    pub fn in_english(&self, english: bool) -> &str {
        if english { &self.en } else { &self.ja }
    }
}

impl From<Label> for Said {
    fn from(l: Label) -> Said {
        Said::new(l.ja, l.en)
    }
}

/// `Display` (and `std::error::Error`) of a refusal from its [`Said`]: the Japanese sentence,
/// so logs, the API and CSV read as before and the text exists in one place.
#[macro_export]
macro_rules! display_said {
    ($($t:ty),* $(,)?) => {$(
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.said().ja)
            }
        }
        impl ::std::error::Error for $t {}
    )*};
}
