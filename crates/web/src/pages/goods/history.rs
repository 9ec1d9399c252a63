//! 受注詳細's history in words: when, who, what, 変更前 → 変更後.

use crate::i18n::T;
use kippu_app::orders::HistoryRow;

/// One history entry in words.
pub struct HistoryLine {
    pub at: String,
    pub by: String,
    pub what: String,
    pub change: String,
}

/// An entry as the page shows it. One that moves no status (受注編集) says its change after its
/// name: 「受注編集: 送料: 0円 → 800円」 reads 受注編集 | 送料: 0円 → 800円.
pub fn line(t: &T, h: HistoryRow) -> HistoryLine {
    let words = |code: &str| kippu_domain::goods::history_label(code).map_or_else(|| code.to_string(), |l| t.l(l).to_string());
    let moved = h.from_status.as_deref().filter(|from| *from != h.to_status);
    let (what, change) = match (moved, h.note.split_once(": ")) {
        (Some(from), _) => (h.note.clone(), format!("{} → {}", words(from), words(&h.to_status))),
        (None, Some((what, change))) => (what.to_string(), change.to_string()),
        (None, None) => (h.note.clone(), words(&h.to_status)),
    };
    HistoryLine {
        at: t.datetime_ms(h.at),
        by: kippu_app::audit_words::who(&h.actor_label, t.code() == "en"),
        what,
        change,
    }
}
