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
