//! 出荷データ一括登録: the shipped-data files the carriers' label software writes, one layout per
//! file type, and what one line of them says. Columns are read by position (header text differs
//! between software versions); the first line is a header when its number columns hold no
//! digits. Decoding, CSV splitting and the orders the lines name are the importer's (app); this
//! is the pure part: which column is which and what makes a line NG.

use super::Carrier;
use super::tracking::{TrackingError, TrackingNumber};
use crate::catalog::code_enum;
use crate::order::OrderNumber;
use serde::{Deserialize, Serialize};
use time::Date;

code_enum!(
    /// The file types the import reads.
    FileType {
        B2 => "b2", "B2（発行済データ）", "Yamato B2 (issued data)";
        Ehiden2 => "ehiden2", "e飛伝Ⅱ（出荷実績）", "Sagawa e-Hiden II (shipped)";
        Ehiden3 => "ehiden3", "e飛伝Ⅲ（出荷実績）", "Sagawa e-Hiden III (shipped)";
        Yupri => "yupri", "ゆうパックプリントR（発送履歴）", "Japan Post Yu-Pack Print R (history)";
    }
);

/// Where a file type keeps what the import reads (1-based column numbers, as the carriers'
/// layout documents count them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub columns: usize,
    /// お客様管理番号: kippu's order number, or `order-N` for the N-th destination.
    pub management: usize,
    pub tracking: usize,
    /// 配達予定日 (or お届け予定日).
    pub delivery_date: usize,
    pub carrier: Carrier,
}

impl FileType {
    /// The layout table (see docs/decisions.md, 「出荷データのレイアウト」). B2 follows Yamato's
    /// published 送り状発行データレイアウト (1 お客様管理番号, 4 伝票番号, 6 お届け予定日); the other
    /// three are kippu's reading of their vendors' documents, kept here in one place.
    pub fn layout(self) -> Layout {
        match self {
            FileType::B2 => Layout {
                columns: 97,
                management: 1,
                tracking: 4,
                delivery_date: 6,
                carrier: Carrier::Yamato,
            },
            FileType::Ehiden2 => Layout {
                columns: 40,
                management: 9,
                tracking: 1,
                delivery_date: 3,
                carrier: Carrier::Sagawa,
            },
            FileType::Ehiden3 => Layout {
                columns: 74,
                management: 20,
                tracking: 2,
                delivery_date: 5,
                carrier: Carrier::Sagawa,
            },
            FileType::Yupri => Layout {
                columns: 52,
                management: 3,
                tracking: 1,
                delivery_date: 8,
                carrier: Carrier::JapanPost,
            },
        }
    }

    /// The other file type whose column count a line has: "this looks like an e飛伝Ⅲ file".
    pub fn looks_like(self, columns: usize) -> Option<FileType> {
        FileType::ALL.iter().copied().find(|t| *t != self && t.layout().columns == columns)
    }
}

/// The order and destination a management number names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub order: OrderNumber,
    /// 1-based.
    pub destination: usize,
}

/// `T00000000000123` (its first destination) or `T00000000000123-2`.
pub fn parse_management(raw: &str) -> Option<Target> {
    let s = crate::normalize::text(raw.trim());
    let (order, destination) = match s.split_once('-') {
        Some((o, n)) => (o, n.parse::<usize>().ok().filter(|n| *n >= 1)?),
        None => (s.as_str(), 1),
    };
    Some(Target {
        order: OrderNumber::parse(order).ok()?,
        destination,
    })
}

/// What a good line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippedLine {
    pub target: Target,
    pub tracking: TrackingNumber,
    pub delivery_date: Option<Date>,
    pub carrier: Carrier,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("列の数が{found}です（{expected_type}は{expected}列）{hint}")]
    Columns {
        found: usize,
        expected: usize,
        expected_type: &'static str,
        /// 「。e飛伝Ⅲ（出荷実績）のファイルのようです」 when another type has that many.
        hint: String,
    },
    #[error("お客様管理番号「{0}」は受注番号（T＋14桁、複数のお届け先は -2 などの枝番）ではありません")]
    Management(String),
    #[error("{0}")]
    Tracking(TrackingError),
    #[error("配達予定日「{0}」は日付（YYYY/MM/DD）ではありません")]
    Date(String),
}

/// Whether the first line is a header: its management and tracking columns hold no digit.
pub fn is_header(t: FileType, fields: &[String]) -> bool {
    let l = t.layout();
    let no_digit = |i: usize| {
        fields
            .get(i - 1)
            .is_none_or(|f| !crate::normalize::text(f).chars().any(|c| c.is_ascii_digit()))
    };
    no_digit(l.management) && no_digit(l.tracking)
}

/// The order and destination a line names, when its columns are where `t` keeps them (an NG
/// line still says which order it was for).
pub fn target_of(t: FileType, fields: &[String]) -> Option<Target> {
    let l = t.layout();
    (fields.len() == l.columns)
        .then(|| parse_management(&fields[l.management - 1]))
        .flatten()
}

/// Reads one data line of a file of type `t`.
pub fn read_line(t: FileType, fields: &[String]) -> Result<ShippedLine, LineError> {
    let l = t.layout();
    if fields.len() != l.columns {
        return Err(LineError::Columns {
            found: fields.len(),
            expected: l.columns,
            expected_type: t.label_ja(),
            hint: t
                .looks_like(fields.len())
                .map(|o| format!("。{}のファイルのようです", o.label_ja()))
                .unwrap_or_default(),
        });
    }
    let field = |i: usize| fields[i - 1].trim();
    let target = parse_management(field(l.management)).ok_or_else(|| LineError::Management(field(l.management).to_string()))?;
    let tracking = TrackingNumber::parse(field(l.tracking)).map_err(LineError::Tracking)?;
    let delivery_date = parse_date(field(l.delivery_date)).map_err(|_| LineError::Date(field(l.delivery_date).to_string()))?;
    Ok(ShippedLine {
        target,
        tracking,
        delivery_date,
        carrier: l.carrier,
    })
}

/// `2026/12/03`, `2026-12-03` or `20261203`; empty is no date.
fn parse_date(raw: &str) -> Result<Option<Date>, ()> {
    let s = crate::normalize::text(raw);
    if s.is_empty() {
        return Ok(None);
    }
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let shaped = s.len() == 8 && digits.len() == 8 || s.len() == 10 && digits.len() == 8;
    if !shaped {
        return Err(());
    }
    let iso = format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]);
    crate::clock::parse_date(&iso).map(Some).ok_or(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of type `t` with the management number, tracking number and date in their columns.
    fn line(t: FileType, management: &str, tracking: &str, date: &str) -> Vec<String> {
        let l = t.layout();
        let mut f = vec![String::new(); l.columns];
        f[l.management - 1] = management.into();
        f[l.tracking - 1] = tracking.into();
        f[l.delivery_date - 1] = date.into();
        f
    }

    #[test]
    fn every_type_reads_its_own_columns() {
        for t in FileType::ALL.iter().copied() {
            let got = read_line(t, &line(t, "T00000000000123-2", "1234-5678-9013", "2026/12/03")).unwrap();
            assert_eq!(got.target.order.as_str(), "T00000000000123", "{t:?}");
            assert_eq!(got.target.destination, 2);
            assert_eq!(got.tracking.as_str(), "123456789013");
            assert_eq!(got.delivery_date.map(|d| d.to_string()).as_deref(), Some("2026-12-03"));
            assert_eq!(got.carrier, t.layout().carrier);
        }
    }

    #[test]
    fn a_line_of_another_carrier_says_which_type_it_looks_like() {
        let e = read_line(FileType::B2, &line(FileType::Ehiden3, "T00000000000123", "123456789013", "")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "列の数が74です（B2（発行済データ）は97列）。e飛伝Ⅲ（出荷実績）のファイルのようです"
        );
    }

    #[test]
    fn bad_fields_are_named() {
        let t = FileType::B2;
        assert!(matches!(
            read_line(t, &line(t, "12345", "123456789013", "")),
            Err(LineError::Management(_))
        ));
        assert!(matches!(
            read_line(t, &line(t, "T00000000000123", "1.23457E+11", "")),
            Err(LineError::Tracking(TrackingError::Exponent(_)))
        ));
        assert!(matches!(
            read_line(t, &line(t, "T00000000000123", "123456789013", "12/03")),
            Err(LineError::Date(_))
        ));
        assert!(matches!(
            read_line(t, &line(t, "T00000000000123", "123456789013", "2026/02/30")),
            Err(LineError::Date(_))
        ));
        assert_eq!(
            read_line(t, &line(t, "T00000000000123", "123456789013", "")).unwrap().delivery_date,
            None
        );
    }

    #[test]
    fn a_header_has_no_digits_where_the_numbers_go() {
        let t = FileType::B2;
        assert!(is_header(t, &line(t, "お客様管理番号", "伝票番号", "お届け予定日")));
        assert!(!is_header(t, &line(t, "T00000000000123", "123456789013", "")));
    }

    #[test]
    fn management_numbers_take_full_width_and_refuse_branch_zero() {
        assert_eq!(parse_management("Ｔ０００００００００００１２３").map(|t| t.destination), Some(1));
        assert_eq!(parse_management("T00000000000123-0"), None);
        assert_eq!(parse_management("T123"), None);
    }
}
