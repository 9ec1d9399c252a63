//! What every CSV import shares: UTF-8 or CP932 input, line numbers, one error per bad line.

use csv::StringRecord;

/// A line an import refuses, with what is wrong where.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LineError {
    pub line: usize,
    pub field: &'static str,
    pub message: String,
}

impl LineError {
    pub fn new(line: usize, field: &'static str, message: impl Into<String>) -> LineError {
        LineError {
            line,
            field,
            message: message.into(),
        }
    }
}

/// Decodes UTF-8 (with or without BOM) or, failing that, CP932: Japanese tools export both.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
    }
}

/// The non-empty lines of a CSV file with their 1-based numbers. The first line is skipped when
/// `is_header` says it is one; a line that cannot be read or has fewer than `columns` columns
/// (`layout` names them for the message) becomes an error instead.
pub fn lines(
    bytes: &[u8],
    columns: usize,
    layout: &str,
    is_header: impl Fn(&StringRecord) -> bool,
) -> (Vec<(usize, StringRecord)>, Vec<LineError>) {
    let text = decode(bytes);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let line = i + 1;
        match rec {
            Err(e) => errors.push(LineError::new(line, "行", format!("CSVとして読めません: {e}"))),
            Ok(rec) if rec.iter().all(|f| f.trim().is_empty()) => {}
            Ok(rec) if line == 1 && is_header(&rec) => {}
            Ok(rec) if rec.len() < columns => errors.push(LineError::new(
                line,
                "行",
                format!("{columns}列（{layout}）が必要ですが{}列です", rec.len()),
            )),
            Ok(rec) => rows.push((line, rec)),
        }
    }
    (rows, errors)
}
