//! The columns of 対応履歴's CSV download as data: every column kippu can write, the set a
//! merchant starts with, and a merchant's chosen set (which columns, in which order) as typed
//! in the settings and as stored.

use crate::validate::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Id,
    At,
    CustomerNumber,
    CustomerName,
    Operator,
    OperatorName,
    Category,
    Summary,
    Content,
    OrderNumber,
    UpdatedAt,
}

/// Every column, in the order the settings offer them.
pub const ALL: [Column; 11] = [
    Column::Id,
    Column::At,
    Column::CustomerNumber,
    Column::CustomerName,
    Column::Operator,
    Column::OperatorName,
    Column::Category,
    Column::Summary,
    Column::Content,
    Column::OrderNumber,
    Column::UpdatedAt,
];

/// The set a merchant downloads until it chooses its own.
pub const DEFAULT: [Column; 9] = [
    Column::Id,
    Column::At,
    Column::CustomerNumber,
    Column::CustomerName,
    Column::Operator,
    Column::Category,
    Column::Summary,
    Column::Content,
    Column::OrderNumber,
];

impl Column {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::At => "at",
            Column::CustomerNumber => "customer_number",
            Column::CustomerName => "customer_name",
            Column::Operator => "operator",
            Column::OperatorName => "operator_name",
            Column::Category => "category",
            Column::Summary => "summary",
            Column::Content => "content",
            Column::OrderNumber => "order_number",
            Column::UpdatedAt => "updated_at",
        }
    }

    /// The CSV's header title (the import's headers use the same words).
    pub fn title(self) -> &'static str {
        match self {
            Column::Id => "対応履歴ID",
            Column::At => "対応日時",
            Column::CustomerNumber => "顧客番号",
            Column::CustomerName => "顧客名",
            Column::Operator => "対応者",
            Column::OperatorName => "対応者名",
            Column::Category => "対応区分",
            Column::Summary => "対応概要",
            Column::Content => "内容",
            Column::OrderNumber => "受注番号",
            Column::UpdatedAt => "更新日時",
        }
    }

    pub fn from_code(s: &str) -> Option<Column> {
        ALL.into_iter().find(|c| c.code() == s)
    }

    pub fn from_title(s: &str) -> Option<Column> {
        ALL.into_iter().find(|c| c.title() == s)
    }
}

/// A stored set (codes joined by `,`); a code kippu does not know is a loud error.
pub fn from_stored(s: &str) -> Result<Vec<Column>, String> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .map(|c| Column::from_code(c).ok_or_else(|| format!("unknown interaction CSV column {c:?}")))
        .collect()
}

pub fn to_stored(cols: &[Column]) -> String {
    cols.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
}

/// The set as typed in the settings: one title a line, in the order wanted; an unknown title or
/// one twice names its line; at least one column.
pub fn parse_titles(field: &'static str, typed: &str) -> Result<Vec<Column>, FieldError> {
    let mut out = Vec::new();
    for (i, raw) in typed.replace("\r\n", "\n").split('\n').enumerate() {
        let t = crate::normalize::text(raw).trim().to_string();
        if t.is_empty() {
            continue;
        }
        let line = i + 1;
        let Some(c) = Column::from_title(&t) else {
            let known = ALL.iter().map(|c| c.title()).collect::<Vec<_>>().join("、");
            return Err(FieldError::new(
                field,
                format!("{line}行目: 「{t}」という項目はありません（{known}）"),
            ));
        };
        if out.contains(&c) {
            return Err(FieldError::new(field, format!("{line}行目: 「{t}」が重複しています")));
        }
        out.push(c);
    }
    if out.is_empty() {
        return Err(FieldError::new(field, "1つ以上入力してください"));
    }
    Ok(out)
}

/// The set as the settings form shows it: one title a line.
pub fn titles(cols: &[Column]) -> String {
    cols.iter().map(|c| c.title()).collect::<Vec<_>>().join("\n")
}
