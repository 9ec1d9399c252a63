//! Finding a carrier file's columns: by its header names (the merchant's saved choice first,
//! then the carrier's known spellings), or at the documented positions of a file without one.

use super::{FileType, Needed};
use serde::{Deserialize, Serialize};

/// A header name as compared: half-width letters and digits, no spaces, no trailing dot, and
/// （） as ().
fn comparable(name: &str) -> String {
    crate::normalize::text(name.trim())
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect::<String>()
        .trim_end_matches(['.', '．'])
        .to_lowercase()
}

/// The name of a column of a file without a header row: 「列3」.
pub fn position_name(i: usize) -> String {
    format!("列{}", i + 1)
}

/// What a merchant chose once for a file type: the header name (or 「列N」) of each column.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ColumnMap {
    pub management: String,
    pub tracking: String,
    /// Empty: the file has no 配達予定日.
    pub delivery_date: String,
}

impl ColumnMap {
    /// The choice as typed on an upload, trimmed; `None` when nothing was chosen.
    pub fn chosen(self) -> Option<ColumnMap> {
        let c = ColumnMap {
            management: self.management.trim().to_string(),
            tracking: self.tracking.trim().to_string(),
            delivery_date: self.delivery_date.trim().to_string(),
        };
        (!c.management.is_empty() || !c.tracking.is_empty()).then_some(c)
    }
}

/// Which of a file's columns hold what the import reads (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub management: usize,
    pub tracking: usize,
    pub delivery_date: Option<usize>,
    /// A file without a header row read at the documented positions has exactly this many
    /// columns on every line.
    pub count: Option<usize>,
}

impl Columns {
    pub(super) fn needed(&self) -> usize {
        self.management.max(self.tracking).max(self.delivery_date.unwrap_or(0)) + 1
    }
}

/// Why a file's columns cannot be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnsError {
    #[error("{file_type}の見出し行に{}の列が見つかりません{}。列を選んでください", names(missing), hint(*looks_like))]
    Missing {
        file_type: &'static str,
        missing: Vec<Needed>,
        looks_like: Option<FileType>,
    },
    #[error("選んだ列「{0}」はこのファイルにありません")]
    Chosen(String),
    #[error(
        "ゆうパックプリントRの出力レイアウトは利用者ごとに決まるため、見出し行のないファイルは列を選んでから読みます。列を選んでください"
    )]
    NoPositions,
}

fn names(missing: &[Needed]) -> String {
    missing
        .iter()
        .map(|n| format!("「{}」", n.label_ja()))
        .collect::<Vec<_>>()
        .join("と")
}

fn hint(t: Option<FileType>) -> String {
    t.map(|t| format!("（{}のファイルのようです）", t.label_ja())).unwrap_or_default()
}

/// Whether a file's first record is a header row: it holds one of the names any carrier writes,
/// or no field of it holds a number (an order number, a tracking number, a phone number or a
/// postal code: seven digits in a row).
pub fn looks_like_header(fields: &[String]) -> bool {
    let known = |f: &String| {
        let c = comparable(f);
        FileType::ALL
            .iter()
            .any(|t| Needed::ALL.iter().any(|n| t.spellings(*n).iter().any(|s| comparable(s) == c)))
    };
    let number = |f: &String| {
        let mut run = 0;
        crate::normalize::text(f).chars().any(|c| {
            run = if c.is_ascii_digit() { run + 1 } else { 0 };
            run >= 7
        })
    };
    fields.iter().any(known) || !fields.iter().any(number)
}

/// The names of a file's columns as the merchant chooses among them: its header's, or
/// 「列1」, 「列2」… for a file without one.
pub fn column_names(first: &[String], header: bool) -> Vec<String> {
    if header {
        first.iter().map(|f| f.trim().to_string()).collect()
    } else {
        (0..first.len()).map(position_name).collect()
    }
}

/// Finds the columns of a file of type `t` from its first record: by `chosen` names when the
/// merchant chose them (saved or on this upload), else by the carrier's known header names,
/// else — without a header row — at the documented positions.
pub fn find_columns(t: FileType, first: &[String], header: bool, chosen: Option<&ColumnMap>) -> Result<Columns, ColumnsError> {
    let names = column_names(first, header);
    if let Some(map) = chosen {
        let at = |name: &str| -> Result<Option<usize>, ColumnsError> {
            if name.trim().is_empty() {
                return Ok(None);
            }
            let c = comparable(name);
            names
                .iter()
                .position(|n| comparable(n) == c)
                .map(Some)
                .ok_or_else(|| ColumnsError::Chosen(name.trim().to_string()))
        };
        let management = at(&map.management)?;
        let tracking = at(&map.tracking)?;
        let delivery_date = at(&map.delivery_date)?;
        if let (Some(management), Some(tracking)) = (management, tracking) {
            return Ok(Columns {
                management,
                tracking,
                delivery_date,
                count: None,
            });
        }
        let mut missing = Vec::new();
        management.is_none().then(|| missing.push(Needed::Management));
        tracking.is_none().then(|| missing.push(Needed::Tracking));
        return Err(ColumnsError::Missing {
            file_type: t.label_ja(),
            missing,
            looks_like: None,
        });
    }
    if !header {
        let l = t.layout();
        if !l.positional {
            return Err(ColumnsError::NoPositions);
        }
        return Ok(Columns {
            management: l.management - 1,
            tracking: l.tracking - 1,
            delivery_date: Some(l.delivery_date - 1),
            count: Some(l.columns),
        });
    }
    by_spellings(t, &names).map_err(|missing| ColumnsError::Missing {
        file_type: t.label_ja(),
        missing,
        looks_like: FileType::ALL
            .iter()
            .copied()
            .find(|o| *o != t && o.layout().carrier != t.layout().carrier && by_spellings(*o, &names).is_ok()),
    })
}

fn by_spellings(t: FileType, names: &[String]) -> Result<Columns, Vec<Needed>> {
    let compared: Vec<String> = names.iter().map(|n| comparable(n)).collect();
    let find = |what: Needed| {
        t.spellings(what)
            .iter()
            .find_map(|s| compared.iter().position(|n| *n == comparable(s)))
    };
    match (find(Needed::Management), find(Needed::Tracking)) {
        (Some(management), Some(tracking)) => Ok(Columns {
            management,
            tracking,
            delivery_date: find(Needed::DeliveryDate),
            count: None,
        }),
        (m, k) => Err([(m, Needed::Management), (k, Needed::Tracking)]
            .into_iter()
            .filter(|(at, _)| at.is_none())
            .map(|(_, n)| n)
            .collect()),
    }
}
