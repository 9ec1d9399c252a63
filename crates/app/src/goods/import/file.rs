//! Reading a carrier's file: refuse what is not a CSV at all, detect UTF-8 (with or without
//! BOM) or CP932, and hand out records with their physical line number as the file is decoded,
//! chunk by chunk, so a large file is never held twice.

use std::io::Read;

/// The largest file taken (a 100,000-line B2 file is about 30 MB).
pub const MAX_BYTES: usize = 40 * 1024 * 1024;

/// Why a whole file is refused before any line is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileRefusal {
    #[error("ファイルが空です")]
    Empty,
    #[error("ファイルが大きすぎます（{size_mb}MB、上限は40MB）。分けてアップロードしてください")]
    TooLarge { size_mb: usize },
    #[error("CSVファイルではありません（バイナリデータを含んでいます）")]
    Binary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Encoding {
    #[serde(rename = "UTF-8")]
    Utf8,
    #[serde(rename = "CP932")]
    Cp932,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Cp932 => "CP932",
        }
    }
}

/// Checks the file as a whole and says how it is encoded.
pub fn inspect(bytes: &[u8]) -> Result<Encoding, FileRefusal> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileRefusal::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(FileRefusal::TooLarge {
            size_mb: bytes.len().div_ceil(1024 * 1024),
        });
    }
    // Text files never hold NUL; spreadsheets, archives and images do within their first bytes.
    if bytes.iter().take(64 * 1024).any(|b| *b == 0) {
        return Err(FileRefusal::Binary);
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    Ok(if bytes.len() != body.len() || std::str::from_utf8(body).is_ok() {
        Encoding::Utf8
    } else {
        Encoding::Cp932
    })
}

/// Decodes `src` to UTF-8 as it is read.
struct Decoding<'a> {
    src: &'a [u8],
    decoder: encoding_rs::Decoder,
    out: Vec<u8>,
    at: usize,
    done: bool,
}

const CHUNK: usize = 64 * 1024;

impl Read for Decoding<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.out.len() && !self.done {
            let take = self.src.len().min(CHUNK);
            let last = take == self.src.len();
            let cap = self.decoder.max_utf8_buffer_length(take).unwrap_or(take * 3 + 16);
            self.out.clear();
            self.out.resize(cap, 0);
            self.at = 0;
            let (_, read, written, _) = self.decoder.decode_to_utf8(&self.src[..take], &mut self.out, last);
            self.out.truncate(written);
            self.src = &self.src[read..];
            self.done = last && self.src.is_empty();
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// One record of the file: its physical line (the header is line 1) and its fields, or why it
/// cannot be read.
pub type Record = (u64, Result<Vec<String>, String>);

/// The records of a file, decoded as they are read.
pub fn records(bytes: &[u8], encoding: Encoding) -> impl Iterator<Item = Record> + '_ {
    let decoder = match encoding {
        Encoding::Utf8 => encoding_rs::UTF_8.new_decoder_with_bom_removal(),
        Encoding::Cp932 => encoding_rs::SHIFT_JIS.new_decoder(),
    };
    let reader = Decoding {
        src: bytes,
        decoder,
        out: Vec::new(),
        at: 0,
        done: false,
    };
    // The csv crate starts a record after a CRLF on the line of the CR (it has not consumed the
    // LF yet): CRLF files count one more. CR and LF never occur inside a CP932 character.
    let crlf = bytes
        .iter()
        .position(|b| *b == b'\n')
        .is_some_and(|i| i > 0 && bytes[i - 1] == b'\r');
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
    let mut record = csv::StringRecord::new();
    std::iter::from_fn(move || {
        let line = csv.position().line();
        match csv.read_record(&mut record) {
            Ok(false) => None,
            Ok(true) => {
                let line = match record.position() {
                    Some(p) if crlf && p.byte() > 0 => p.line() + 1,
                    Some(p) => p.line(),
                    None => line,
                };
                Some((line, Ok(record.iter().map(str::to_string).collect())))
            }
            Err(e) => Some((line, Err(format!("CSVとして読めません: {e}")))),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp932_with_nec_and_ibm_extensions_decodes() {
        // Windows writes 〜 as 0x8160, which encoding_rs reads as U+FF5E (U+301C cannot be
        // written back to CP932 at all).
        let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode("髙橋,①,～,ﾔﾏﾀﾞ\r\n2行目,x,y,z\r\n\"3,\r\n4\",x,y,z\r\n5行目\r\n");
        assert!(!bad);
        assert_eq!(inspect(&bytes), Ok(Encoding::Cp932));
        let got: Vec<Record> = records(&bytes, Encoding::Cp932).collect();
        assert_eq!(got[0], (1, Ok(vec!["髙橋".into(), "①".into(), "～".into(), "ﾔﾏﾀﾞ".into()])));
        assert_eq!(
            got.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            [1, 2, 3, 5],
            "physical lines of a CRLF file"
        );
    }

    #[test]
    fn utf8_with_a_bom_and_lf_and_quoted_fields_with_newlines_keep_physical_lines() {
        let text = "\u{feff}a,\"b\nc\",d\nnext,1,2\n";
        assert_eq!(inspect(text.as_bytes()), Ok(Encoding::Utf8));
        let got: Vec<Record> = records(text.as_bytes(), Encoding::Utf8).collect();
        assert_eq!(got[0], (1, Ok(vec!["a".into(), "b\nc".into(), "d".into()])));
        assert_eq!(got[1].0, 3, "the second record starts on the third physical line");
    }

    #[test]
    fn empty_binary_and_huge_files_are_refused_whole() {
        assert_eq!(inspect(b"\r\n  \n"), Err(FileRefusal::Empty));
        assert_eq!(inspect(b"PK\x03\x04\x00\x00zip"), Err(FileRefusal::Binary));
        let huge = vec![b'a'; MAX_BYTES + 1];
        assert!(matches!(inspect(&huge), Err(FileRefusal::TooLarge { size_mb: 41 })));
    }

    #[test]
    fn records_cross_chunk_boundaries_intact() {
        let line = "T00000000000001,髙島屋,123456789013\r\n";
        let text: String = line.repeat(CHUNK / line.len() * 3);
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        let got: Vec<Record> = records(&bytes, Encoding::Cp932).collect();
        assert_eq!(got.len(), CHUNK / line.len() * 3);
        assert!(got.iter().all(|(_, r)| r.as_ref().unwrap()[1] == "髙島屋"));
    }
}
