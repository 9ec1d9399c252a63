//! UI labels, Japanese first, English by the toggle. Japanese labels are the spec's exactly.

use kippu_domain::clock::from_millis;
use kippu_domain::label::Label;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }
}

/// The translator templates call as `t.s("key")`.
#[derive(Debug, Clone, Copy)]
pub struct T {
    pub lang: Lang,
}

impl T {
    pub fn s(&self, key: &str) -> &'static str {
        match labels::all().find(|(k, _, _)| *k == key) {
            Some((_, ja, en)) => match self.lang {
                Lang::Ja => ja,
                Lang::En => en,
            },
            None => {
                tracing::error!(key, "missing UI label");
                "?"
            }
        }
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// A domain label (status, payment method, usage…) in the page's language.
    pub fn l(&self, label: Label) -> &'static str {
        match self.lang {
            Lang::Ja => label.ja,
            Lang::En => label.en,
        }
    }

    /// A 回数券's uses: `2/3回 使用（残り1回）`; empty for a ticket of one use.
    pub fn uses(&self, u: kippu_domain::web_ticket::multi_use::Uses) -> String {
        if u.total <= 1 {
            return String::new();
        }
        self.s("orders.uses_of")
            .replace("{spent}", &u.spent.to_string())
            .replace("{total}", &u.total.to_string())
            .replace("{left}", &u.remaining().to_string())
    }

    /// A refusal's sentence in the page's language.
    pub fn said(&self, said: &kippu_domain::label::Said) -> String {
        said.in_english(self.lang == Lang::En).to_string()
    }

    /// A moment as every screen shows it: `2026/11/30(月) 23:36` in Japan time
    /// (`2026/11/30 (Mon) 23:36` in English).
    pub fn datetime_ms(&self, ms: i64) -> String {
        kippu_domain::clock::datetime_with_weekday(from_millis(ms), self.lang == Lang::En)
    }

    /// A day with its weekday: `2026/11/30(月)`.
    pub fn date(&self, d: time::Date) -> String {
        kippu_domain::clock::date_with_weekday(d, self.lang == Lang::En)
    }

    /// A stored `YYYY-MM-DD` with its weekday; anything else as it is.
    pub fn date_str(&self, s: &str) -> String {
        kippu_domain::clock::parse_date(s).map_or_else(|| s.to_string(), |d| self.date(d))
    }
}

mod labels;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_carry_their_weekday() {
        let ja = T { lang: Lang::Ja };
        let en = T { lang: Lang::En };
        // 2026-11-30 14:36 UTC is 23:36 on Monday in Japan.
        let ms = kippu_domain::clock::to_millis(time::macros::datetime!(2026-11-30 14:36 UTC));
        assert_eq!(ja.datetime_ms(ms), "2026/11/30(月) 23:36");
        assert_eq!(en.datetime_ms(ms), "2026/11/30 (Mon) 23:36");
        assert_eq!(ja.date_str("2026-12-06"), "2026/12/06(日)");
    }

    /// Every count of the work queue has its label (the home page builds the key).
    #[test]
    fn every_work_queue_count_has_a_label() {
        for w in kippu_app::work_queue::Work::ALL {
            let key = format!("queue.{}", w.code());
            assert!(labels::all().any(|(k, _, _)| *k == key), "label missing: {key}");
        }
    }

    /// Every `.s("…")` in the web layer's Rust code names a label too (a missing one shows "?").
    #[test]
    fn every_label_used_in_code_exists() {
        fn walk(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        let mut files = Vec::new();
        walk(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")), &mut files);
        let mut missing = Vec::new();
        for (path, text) in files {
            for part in text.split(".s(\"").skip(1) {
                let key = &part[..part.find('"').unwrap_or(0)];
                let is_key = key.contains('.') && key.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
                if is_key && !labels::all().any(|(k, _, _)| *k == key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "labels missing: {missing:?}");
    }

    /// Every `t.s("…")` in a template must have a label, or the page would show "?".
    #[test]
    fn every_label_used_in_templates_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split("t.s(\"").skip(1) {
                let key = &part[..part.find('"').unwrap()];
                if !labels::all().any(|(k, _, _)| *k == key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "labels missing: {missing:?}");
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = labels::all().map(|(k, _, _)| *k).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }

    #[test]
    fn spec_labels_are_exact() {
        let t = T { lang: Lang::Ja };
        for (k, v) in [
            ("nav.orders", "ウェブチケット受注管理"),
            ("nav.reservations", "予約・引き換え"),
            ("nav.shipping", "出荷"),
            ("nav.proxy", "代理注文管理"),
            ("nav.vouchers", "電子チケット利用実績"),
            ("nav.settlements", "精算管理"),
            ("nav.settings", "設定"),
        ] {
            assert_eq!(t.s(k), v);
        }
    }
}
