//! 出荷データ一括登録: the shipped-data files the carriers' software writes, and what one line of
//! them says. A file with a header row is read by its header names — each carrier's known
//! spellings, or the columns the merchant chose once and kippu saved by name — whatever their
//! number and order; a file without one falls back to the documented positions. Decoding, CSV
//! splitting and the orders the lines name are the importer's (app); this is the pure part:
//! which column is which and what makes a line NG. Where the spellings and positions come from:
//! docs/decisions.md, 「carrier files」.

use super::Carrier;
use super::tracking::{TrackingError, TrackingNumber};
use crate::catalog::code_enum;
use crate::order::OrderNumber;
use serde::{Deserialize, Serialize};
use time::Date;

mod columns;

pub use columns::{ColumnMap, Columns, ColumnsError, column_names, find_columns, looks_like_header, position_name};

code_enum!(
    /// The file types the import reads.
    FileType {
        B2 => "b2", "B2（発行済データ）", "Yamato B2 (issued data)";
        Ehiden2 => "ehiden2", "e飛伝Ⅱ（出荷実績）", "Sagawa e-Hiden II (shipped)";
        Ehiden3 => "ehiden3", "e飛伝Ⅲ（出荷実績）", "Sagawa e-Hiden III (shipped)";
        Yupri => "yupri", "ゆうパックプリントR（発送履歴）", "Japan Post Yu-Pack Print R (history)";
    }
);

/// Where a file type without a header row keeps what the import reads (1-based column
/// numbers, as the carriers' layout documents count them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub columns: usize,
    /// お客様管理番号: kippu's order number, or `order-N` for the N-th destination.
    pub management: usize,
    pub tracking: usize,
    /// 配達予定日 (or お届け予定日, 配達日).
    pub delivery_date: usize,
    pub carrier: Carrier,
    /// Whether a file without a header row may be read at these positions: ゆうパックプリントR's
    /// export layout is defined by each user, so it has none.
    pub positional: bool,
}

/// What the import reads of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Needed {
    Management,
    Tracking,
    DeliveryDate,
}

impl Needed {
    pub const ALL: [Needed; 3] = [Needed::Management, Needed::Tracking, Needed::DeliveryDate];

    pub fn label_ja(self) -> &'static str {
        match self {
            Needed::Management => "お客様管理番号",
            Needed::Tracking => "送り状番号（お問い合わせ番号）",
            Needed::DeliveryDate => "配達予定日",
        }
    }

    /// The form field and API multipart field that chooses this column.
    pub fn field(self) -> &'static str {
        match self {
            Needed::Management => "column_management",
            Needed::Tracking => "column_tracking",
            Needed::DeliveryDate => "column_delivery_date",
        }
    }
}

/// Header names every carrier's files use for the management number (お客様管理番号 in B2 and
/// e飛伝Ⅲ, お客様管理ナンバー in e飛伝Ⅱ's 出荷実績, お客様側管理番号 in ゆうパックプリントR).
const MANAGEMENT: &[&str] = &[
    "お客様管理番号",
    "お客様管理ナンバー",
    "お客様側管理番号",
    "お客様管理No",
    "お客様管理ＮＯ",
];

impl FileType {
    /// The positions of a file without a header row (docs/decisions.md, 「carrier files」): B2's
    /// published 97 columns (1 お客様管理番号, 4 伝票番号, 6 お届け予定日); e飛伝Ⅱ's 出荷実績
    /// as open-source readers parse it, 53 columns (1 お問合せ送り状No, 13 お客様管理ナンバー,
    /// 38 配達日); e飛伝Ⅲ's 74 columns as kippu read its vendor's document (its downloads come
    /// with a header row, which is what is read); ゆうパックプリントR has none.
    pub fn layout(self) -> Layout {
        match self {
            FileType::B2 => Layout {
                columns: 97,
                management: 1,
                tracking: 4,
                delivery_date: 6,
                carrier: Carrier::Yamato,
                positional: true,
            },
            FileType::Ehiden2 => Layout {
                columns: 53,
                management: 13,
                tracking: 1,
                delivery_date: 38,
                carrier: Carrier::Sagawa,
                positional: true,
            },
            FileType::Ehiden3 => Layout {
                columns: 74,
                management: 20,
                tracking: 2,
                delivery_date: 5,
                carrier: Carrier::Sagawa,
                positional: true,
            },
            FileType::Yupri => Layout {
                columns: 52,
                management: 3,
                tracking: 1,
                delivery_date: 8,
                carrier: Carrier::JapanPost,
                positional: false,
            },
        }
    }

    /// The header names this carrier's software writes for `what`, most specific first.
    pub fn spellings(self, what: Needed) -> &'static [&'static str] {
        match (what, self) {
            (Needed::Management, _) => MANAGEMENT,
            (Needed::Tracking, FileType::B2) => &["伝票番号", "送り状番号", "問合せ番号"],
            (Needed::Tracking, FileType::Ehiden2 | FileType::Ehiden3) => &[
                "お問合せ送り状No",
                "お問い合せ送り状No",
                "お問い合わせ送り状No",
                "お問合せ送り状番号",
                "お問合せ番号",
                "送り状番号",
            ],
            (Needed::Tracking, FileType::Yupri) => &["お問い合わせ番号", "お問合せ番号", "お問い合せ番号", "追跡番号", "送り状番号"],
            (Needed::DeliveryDate, FileType::B2) => &["お届け予定日", "お届け予定（指定）日", "配達予定日"],
            (Needed::DeliveryDate, FileType::Ehiden2 | FileType::Ehiden3) => &["配達日", "配達予定日", "お届け予定日", "配達指定日"],
            (Needed::DeliveryDate, FileType::Yupri) => &["お届け予定日", "配達予定日", "配達日"],
        }
    }

    /// The other file type whose column count a line has: "this looks like an e飛伝Ⅲ file".
    pub fn looks_like(self, columns: usize) -> Option<FileType> {
        FileType::ALL
            .iter()
            .copied()
            .find(|t| *t != self && t.layout().positional && t.layout().columns == columns)
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
    #[error("列の数が{found}です（見出し行の列が{needed}列目まで要ります）")]
    Short { found: usize, needed: usize },
    #[error("お客様管理番号「{0}」は受注番号（T＋14桁、複数のお届け先は -2 などの枝番）ではありません")]
    Management(String),
    #[error("{0}")]
    Tracking(TrackingError),
    #[error("配達予定日「{0}」は日付（YYYY/MM/DD）ではありません")]
    Date(String),
}

/// The order and destination a line names, when it has its management column (an NG line
/// still says which order it was for).
pub fn target_of(c: &Columns, fields: &[String]) -> Option<Target> {
    fields.get(c.management).and_then(|f| parse_management(f))
}

/// Reads one data line of a file of type `t` whose columns are `c`.
pub fn read_line(t: FileType, c: &Columns, fields: &[String]) -> Result<ShippedLine, LineError> {
    if let Some(expected) = c.count.filter(|n| *n != fields.len()) {
        return Err(LineError::Columns {
            found: fields.len(),
            expected,
            expected_type: t.label_ja(),
            hint: t
                .looks_like(fields.len())
                .map(|o| format!("。{}のファイルのようです", o.label_ja()))
                .unwrap_or_default(),
        });
    }
    if fields.len() < c.needed() {
        return Err(LineError::Short {
            found: fields.len(),
            needed: c.needed(),
        });
    }
    let field = |i: usize| fields[i].trim();
    let target = parse_management(field(c.management)).ok_or_else(|| LineError::Management(field(c.management).to_string()))?;
    let tracking = TrackingNumber::parse(field(c.tracking)).map_err(LineError::Tracking)?;
    let date = c.delivery_date.map(field).unwrap_or("");
    let delivery_date = parse_date(date).map_err(|_| LineError::Date(date.to_string()))?;
    Ok(ShippedLine {
        target,
        tracking,
        delivery_date,
        carrier: t.layout().carrier,
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

    fn v(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|f| f.to_string()).collect()
    }

    /// A line of type `t` without a header, the three values at the documented positions.
    fn line(t: FileType, management: &str, tracking: &str, date: &str) -> Vec<String> {
        let l = t.layout();
        let mut f = vec![String::new(); l.columns];
        f[l.management - 1] = management.into();
        f[l.tracking - 1] = tracking.into();
        f[l.delivery_date - 1] = date.into();
        f
    }

    fn positions(t: FileType) -> Columns {
        find_columns(t, &line(t, "T00000000000123", "123456789013", ""), false, None).unwrap()
    }

    #[test]
    fn every_positional_type_reads_its_documented_columns() {
        for t in FileType::ALL.iter().copied().filter(|t| t.layout().positional) {
            let f = line(t, "T00000000000123-2", "1234-5678-9013", "2026/12/03");
            assert!(!looks_like_header(&f), "{t:?}");
            let got = read_line(t, &positions(t), &f).unwrap();
            assert_eq!(got.target.order.as_str(), "T00000000000123", "{t:?}");
            assert_eq!(got.target.destination, 2);
            assert_eq!(got.tracking.as_str(), "123456789013");
            assert_eq!(got.delivery_date.map(|d| d.to_string()).as_deref(), Some("2026-12-03"));
            assert_eq!(got.carrier, t.layout().carrier);
        }
    }

    #[test]
    fn a_header_is_read_by_its_names_in_any_order_with_any_other_columns() {
        let header = v(&[
            "出荷日時",
            "備考",
            "配達日",
            "お客様管理ナンバー",
            "荷送人名称１",
            "お問合せ送り状Ｎｏ．",
        ]);
        assert!(looks_like_header(&header));
        let c = find_columns(FileType::Ehiden2, &header, true, None).unwrap();
        assert_eq!((c.management, c.tracking, c.delivery_date, c.count), (3, 5, Some(2), None));
        let row = v(&["2026/12/01 10:00", "", "20261203", "T00000000000123", "さくら商店", "123456789013"]);
        let got = read_line(FileType::Ehiden2, &c, &row).unwrap();
        assert_eq!(got.tracking.as_str(), "123456789013");
        assert_eq!(got.delivery_date.map(|d| d.to_string()).as_deref(), Some("2026-12-03"));
    }

    #[test]
    fn a_header_without_a_date_column_reads_no_dates() {
        // ゆうパックプリントR's 発送履歴 as a user's layout writes it.
        let header = v(&["お客様側管理番号", "お問い合わせ番号", "仮引受確定作業年月日", "配送完了作業年月日"]);
        let c = find_columns(FileType::Yupri, &header, true, None).unwrap();
        assert_eq!(c.delivery_date, None);
        let got = read_line(FileType::Yupri, &c, &v(&["T00000000000123", "123456789013", "", ""])).unwrap();
        assert_eq!(got.delivery_date, None);
    }

    #[test]
    fn missing_columns_are_named_with_the_carrier_the_header_looks_like() {
        let b2 = v(&[
            "お客様管理番号",
            "送り状種類",
            "クール区分",
            "伝票番号",
            "出荷予定日",
            "お届け予定日",
        ]);
        let e = find_columns(FileType::Yupri, &b2, true, None).unwrap_err();
        assert!(
            matches!(&e, ColumnsError::Missing { missing, .. } if missing == &[Needed::Tracking]),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "ゆうパックプリントR（発送履歴）の見出し行に「送り状番号（お問い合わせ番号）」の列が見つかりません（B2（発行済データ）のファイルのようです）。列を選んでください"
        );
        let e = find_columns(FileType::B2, &v(&["品名", "個数"]), true, None).unwrap_err();
        assert!(
            e.to_string().contains("「お客様管理番号」と「送り状番号（お問い合わせ番号）」"),
            "{e}"
        );
    }

    #[test]
    fn chosen_columns_are_found_by_name_or_position() {
        let header = v(&["注文", "番号", "日付"]);
        let map = ColumnMap {
            management: "注文".into(),
            tracking: "番号".into(),
            delivery_date: String::new(),
        };
        let c = find_columns(FileType::Yupri, &header, true, Some(&map)).unwrap();
        assert_eq!((c.management, c.tracking, c.delivery_date), (0, 1, None));
        let wrong = ColumnMap {
            tracking: "伝票".into(),
            ..map.clone()
        };
        assert_eq!(
            find_columns(FileType::Yupri, &header, true, Some(&wrong)),
            Err(ColumnsError::Chosen("伝票".into()))
        );
        let headerless = v(&["x", "T00000000000123", "123456789013"]);
        assert_eq!(
            find_columns(FileType::Yupri, &headerless, false, None),
            Err(ColumnsError::NoPositions)
        );
        let by_position = ColumnMap {
            management: "列2".into(),
            tracking: "列3".into(),
            delivery_date: String::new(),
        };
        let c = find_columns(FileType::Yupri, &headerless, false, Some(&by_position)).unwrap();
        assert_eq!((c.management, c.tracking), (1, 2));
    }

    #[test]
    fn a_line_of_another_carrier_says_which_type_it_looks_like() {
        let e = read_line(
            FileType::B2,
            &positions(FileType::B2),
            &line(FileType::Ehiden3, "T00000000000123", "123456789013", ""),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "列の数が74です（B2（発行済データ）は97列）。e飛伝Ⅲ（出荷実績）のファイルのようです"
        );
    }

    #[test]
    fn bad_fields_are_named() {
        let t = FileType::B2;
        let c = positions(t);
        assert!(matches!(
            read_line(t, &c, &line(t, "12345", "123456789013", "")),
            Err(LineError::Management(_))
        ));
        assert!(matches!(
            read_line(t, &c, &line(t, "T00000000000123", "1.23457E+11", "")),
            Err(LineError::Tracking(TrackingError::Exponent(_)))
        ));
        assert!(matches!(
            read_line(t, &c, &line(t, "T00000000000123", "123456789013", "12/03")),
            Err(LineError::Date(_))
        ));
        assert!(matches!(
            read_line(t, &c, &line(t, "T00000000000123", "123456789013", "2026/02/30")),
            Err(LineError::Date(_))
        ));
        assert_eq!(
            read_line(t, &c, &line(t, "T00000000000123", "123456789013", ""))
                .unwrap()
                .delivery_date,
            None
        );
    }

    #[test]
    fn a_header_has_names_or_no_numbers() {
        let t = FileType::B2;
        assert!(looks_like_header(&line(t, "お客様管理番号", "伝票番号", "お届け予定日")));
        assert!(looks_like_header(&v(&["項目1", "項目2"])));
        assert!(!looks_like_header(&line(t, "T00000000000123", "123456789013", "")));
    }

    #[test]
    fn management_numbers_take_full_width_and_refuse_branch_zero() {
        assert_eq!(parse_management("Ｔ０００００００００００１２３").map(|t| t.destination), Some(1));
        assert_eq!(parse_management("T00000000000123-0"), None);
        assert_eq!(parse_management("T123"), None);
    }
}
