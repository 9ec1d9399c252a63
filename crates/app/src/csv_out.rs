//! CSV files for download: UTF-8 with BOM or CP932 (what Excel in Japan opens), encoded chunk by
//! chunk so an export of a million rows streams in flat memory. Characters CP932 cannot hold
//! become 〓 and are reported (line and column) at the end of the file.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8Bom,
    Cp932,
}

impl Encoding {
    /// `cp932`, `shift_jis`, `sjis`, `windows-31j` or `utf-8` (encoding_rs does not know the
    /// label `cp932`, so the aliases live here).
    pub fn parse(s: &str) -> Option<Encoding> {
        match s.to_ascii_lowercase().as_str() {
            "cp932" | "shift_jis" | "shift-jis" | "sjis" | "windows-31j" | "ms932" => Some(Encoding::Cp932),
            "utf-8" | "utf8" => Some(Encoding::Utf8Bom),
            _ => None,
        }
    }

    /// The `encoding` parameter of a download: empty takes `default` (each caller says its
    /// own: the API documents CP932, a page follows its reader's language); an unknown name
    /// is refused.
    pub fn choose(asked: &str, default: Encoding) -> Result<Encoding, kippu_domain::validate::FieldError> {
        if asked.trim().is_empty() {
            return Ok(default);
        }
        Encoding::parse(asked.trim())
            .ok_or_else(|| kippu_domain::validate::FieldError::new("encoding", "cp932 か utf-8 を指定してください"))
    }

    /// The parameter value that names this encoding.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Cp932 => "cp932",
            Encoding::Utf8Bom => "utf-8",
        }
    }

    /// The `charset` of the download's content type.
    pub fn charset(self) -> &'static str {
        match self {
            Encoding::Cp932 => "Shift_JIS",
            Encoding::Utf8Bom => "utf-8",
        }
    }
}

/// One cell CP932 could not hold: where, and which characters.
#[derive(Debug, Clone)]
pub struct Unencodable {
    pub line: usize,
    pub column: &'static str,
    pub chars: String,
}

/// Encodes a CSV file's header, then its records chunk by chunk, then the report of cells
/// CP932 could not hold.
pub struct CsvEncoder {
    enc: Encoding,
    header: Vec<&'static str>,
    /// Lines written so far, the header included.
    lines: usize,
    pub problems: Vec<Unencodable>,
}

/// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A plain number (`-220`, `1.5`) is data, not a formula, and must stay a number in Excel.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Neutralises a text cell a spreadsheet would run as a formula by prefixing `'` (OWASP's
/// advice), so a buyer named `=HYPERLINK(…)` is shown, never run. Every CSV kippu writes goes
/// through here.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn csv_text(records: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(records.len() * 256));
    for r in records {
        let _ = w.write_record(r.iter().map(|c| neutralise(c).into_owned()));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn cp932_fails(c: char) -> bool {
    let mut b = [0u8; 4];
    encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut b)).2
}

impl CsvEncoder {
    /// `header` is the title line: a static list, or a layout's titles collected.
    pub fn new(enc: Encoding, header: impl Into<Vec<&'static str>>) -> CsvEncoder {
        CsvEncoder {
            enc,
            header: header.into(),
            lines: 0,
            problems: Vec::new(),
        }
    }

    /// The BOM (UTF-8) and the header line.
    pub fn start(&mut self) -> Vec<u8> {
        let mut out = match self.enc {
            Encoding::Utf8Bom => vec![0xEF, 0xBB, 0xBF],
            Encoding::Cp932 => Vec::new(),
        };
        let header: Vec<String> = self.header.iter().map(|s| s.to_string()).collect();
        out.extend(self.chunk(&[header]));
        out
    }

    /// Records in one CSV writer and one encoder call; only a chunk with a character CP932
    /// cannot hold is re-encoded record by record to say where.
    pub fn chunk(&mut self, records: &[Vec<String>]) -> Vec<u8> {
        let first_line = self.lines + 1;
        self.lines += records.len();
        let text = csv_text(records);
        match self.enc {
            Encoding::Utf8Bom => text.into_bytes(),
            Encoding::Cp932 => {
                let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(&text);
                if !had_errors {
                    return bytes.into_owned();
                }
                let fixed: String = text.chars().map(|c| if cp932_fails(c) { '〓' } else { c }).collect();
                for (i, r) in records.iter().enumerate() {
                    for (col, cell) in r.iter().enumerate() {
                        let bad: String = cell.chars().filter(|c| cp932_fails(*c)).collect();
                        if !bad.is_empty() {
                            self.problems.push(Unencodable {
                                line: first_line + i,
                                column: self.header.get(col).copied().unwrap_or(""),
                                chars: bad,
                            });
                        }
                    }
                }
                encoding_rs::SHIFT_JIS.encode(&fixed).0.into_owned()
            }
        }
    }

    /// The report of replaced characters, after the data where a spreadsheet user sees it;
    /// `None` when there is nothing to report.
    pub fn finish(&self) -> Option<Vec<u8>> {
        if self.problems.is_empty() {
            return None;
        }
        let notes: Vec<Vec<String>> = self
            .problems
            .iter()
            .map(|p| {
                let codes = p.chars.chars().map(|c| format!("U+{:04X}", c as u32)).collect::<Vec<_>>().join(" ");
                vec![format!(
                    "# 注意: {}行目の「{}」にCP932で表せない文字（{codes}）があり、〓に置き換えました",
                    p.line, p.column
                )]
            })
            .collect();
        let text = csv_text(&notes);
        Some(match self.enc {
            Encoding::Utf8Bom => text.into_bytes(),
            Encoding::Cp932 => encoding_rs::SHIFT_JIS.encode(&text).0.into_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[&str] = &["受注番号", "ご注文日時"];

    #[test]
    fn cp932_aliases() {
        assert_eq!(Encoding::parse("CP932"), Some(Encoding::Cp932));
        assert_eq!(Encoding::parse("Shift_JIS"), Some(Encoding::Cp932));
        assert_eq!(Encoding::parse("utf-8"), Some(Encoding::Utf8Bom));
        assert_eq!(Encoding::parse("latin1"), None);
    }

    #[test]
    fn unencodable_characters_are_replaced_and_reported() {
        let mut e = CsvEncoder::new(Encoding::Cp932, HEADER);
        e.start();
        let ok = vec!["T0".to_string(), "2026-11-25".to_string()];
        let bad = vec!["T1".to_string(), "山田😀".to_string()];
        let bytes = e.chunk(&[ok, bad]);
        let (back, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert_eq!(back, "T0,2026-11-25\r\nT1,山田〓\r\n");
        assert_eq!(e.problems.len(), 1);
        assert_eq!(e.problems[0].line, 3, "the header is line 1");
        assert_eq!(e.problems[0].column, "ご注文日時");
        assert_eq!(e.problems[0].chars, "😀");
        let tail = e.finish().unwrap();
        assert!(encoding_rs::SHIFT_JIS.decode(&tail).0.contains("3行目の「ご注文日時」"));
    }

    #[test]
    fn nec_and_ibm_extensions_round_trip() {
        let mut e = CsvEncoder::new(Encoding::Cp932, HEADER);
        let bytes = e.chunk(&[vec!["髙橋 﨑 ①".to_string()]]);
        assert!(e.problems.is_empty() && e.finish().is_none());
        assert_eq!(encoding_rs::SHIFT_JIS.decode(&bytes).0, "髙橋 﨑 ①\r\n");
    }

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for (cell, out) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+81 3", "'+81 3"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-220", "-220"),
            ("-1.5", "-1.5"),
            ("-", "'-"),
            ("山田=太郎", "山田=太郎"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), out, "cell {cell:?}");
        }
    }

    #[test]
    fn the_encoder_writes_neutralised_cells() {
        let mut e = CsvEncoder::new(Encoding::Utf8Bom, HEADER);
        let bytes = e.chunk(&[vec!["=1+1".to_string(), "-300".to_string()]]);
        assert_eq!(String::from_utf8(bytes).unwrap(), "'=1+1,-300\r\n");
    }

    #[test]
    fn utf8_starts_with_a_bom() {
        let mut e = CsvEncoder::new(Encoding::Utf8Bom, HEADER);
        let bytes = e.start();
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
        assert_eq!(std::str::from_utf8(&bytes[3..]).unwrap(), "受注番号,ご注文日時\r\n");
    }
}
