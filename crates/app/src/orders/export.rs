//! CSV export of exactly the current search (all pages), one row per ticket, streamed in
//! chunks so memory stays flat whatever the size; UTF-8 with BOM or CP932.

use super::view::scope;
use crate::{Actor, App, Result};
use kippu_domain::catalog::TicketType;
use kippu_domain::clock::{format_jst, from_millis};
use kippu_domain::order::{OrderType, PaymentMethod};
use kippu_domain::web_ticket::{Status, Usage};
use kippu_store::orders::{self, OrderFilter};
use tokio::sync::mpsc;

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
}

pub const HEADER: [&str; 24] = [
    "受注番号",
    "ご注文日時",
    "注文者名",
    "注文者カナ",
    "メールアドレス",
    "電話番号",
    "受注金額",
    "販促費",
    "決済種別",
    "暗証番号",
    "ステータス",
    "入金確認日時",
    "送信日時",
    "ウェブチケットタイプ",
    "注文種別",
    "ウェブチケット番号",
    "チケット価格",
    "使用者名",
    "商品名",
    "JAN/商品コード",
    "使用状況",
    "使用済み日時",
    "キャンセル申請手数料",
    "返金額",
];

/// Orders fetched per round trip; also the unit of streaming.
const CHUNK: i64 = 1000;

/// One cell CP932 could not hold: where, and which characters.
#[derive(Debug, Clone)]
pub struct Unencodable {
    pub line: usize,
    pub column: &'static str,
    pub chars: String,
}

/// Encodes one CSV line for the target encoding. CP932: characters it cannot hold are written
/// as 〓 (the customary "missing glyph") and reported.
fn encode_line(line: &str, enc: Encoding, line_no: usize, record: &[String], problems: &mut Vec<Unencodable>) -> Vec<u8> {
    match enc {
        Encoding::Utf8Bom => line.as_bytes().to_vec(),
        Encoding::Cp932 => {
            let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(line);
            if !had_errors {
                return bytes.into_owned();
            }
            let mut fixed = String::with_capacity(line.len());
            for c in line.chars() {
                let mut b = [0u8; 4];
                let (_, _, bad) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut b));
                fixed.push(if bad { '〓' } else { c });
            }
            for (i, cell) in record.iter().enumerate() {
                let bad: String = cell
                    .chars()
                    .filter(|c| {
                        let mut b = [0u8; 4];
                        encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut b)).2
                    })
                    .collect();
                if !bad.is_empty() {
                    problems.push(Unencodable {
                        line: line_no,
                        column: HEADER[i],
                        chars: bad,
                    });
                }
            }
            encoding_rs::SHIFT_JIS.encode(&fixed).0.into_owned()
        }
    }
}

fn csv_line(fields: &[String]) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let _ = w.write_record(fields);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn t(ms: Option<i64>) -> String {
    ms.map(|m| format_jst(from_millis(m))).unwrap_or_default()
}

/// Streams the export into `tx`, chunk by chunk. Returns (ticket rows written, problems).
pub async fn export(
    app: &App,
    actor: &Actor,
    mut filter: OrderFilter,
    enc: Encoding,
    tx: mpsc::Sender<Vec<u8>>,
) -> Result<(usize, Vec<Unencodable>)> {
    filter.merchant = scope(actor)?;
    let backend = app.store.backend();
    let mut problems = Vec::new();
    let mut rows = 0usize;
    let mut first = match enc {
        Encoding::Utf8Bom => vec![0xEF, 0xBB, 0xBF],
        Encoding::Cp932 => Vec::new(),
    };
    let header: Vec<String> = HEADER.iter().map(|s| s.to_string()).collect();
    first.extend(encode_line(&csv_line(&header), enc, 1, &header, &mut problems));
    if tx.send(first).await.is_err() {
        return Ok((0, problems));
    }
    let mut after = None;
    loop {
        let page = {
            let mut conn = app.store.conn().await?;
            orders::export_after(&mut conn, backend, &filter, after, CHUNK).await?
        };
        let Some(last) = page.last() else { break };
        after = Some((last.ordered_at, last.order_id));
        let distinct_orders = {
            let mut n = 0;
            let mut prev = None;
            for r in &page {
                if prev != Some(r.order_id) {
                    n += 1;
                    prev = Some(r.order_id);
                }
            }
            n
        };
        // The whole chunk goes through one CSV writer and one encoder call; only a chunk with a
        // character CP932 cannot hold is re-encoded line by line to say where.
        let records: Vec<Vec<String>> = page
            .iter()
            .map(|o| {
                vec![
                    o.order_number.clone(),
                    t(Some(o.ordered_at)),
                    o.customer_name.clone(),
                    o.customer_kana.clone(),
                    o.customer_email.clone(),
                    o.customer_phone.clone(),
                    o.amount.to_string(),
                    o.promotion_cost.to_string(),
                    PaymentMethod::parse(&o.payment_method)
                        .map(|m| m.label_ja())
                        .unwrap_or("")
                        .to_string(),
                    o.pin.clone().unwrap_or_default(),
                    Status::parse(&o.status).map(|s| s.label_ja()).unwrap_or("").to_string(),
                    t(o.paid_at),
                    if o.send_mode.as_deref() == Some("silent") {
                        "送信処理".to_string()
                    } else {
                        t(o.sent_at)
                    },
                    o.ticket_type
                        .as_deref()
                        .and_then(TicketType::parse)
                        .map(|x| x.label_ja())
                        .unwrap_or("")
                        .to_string(),
                    OrderType::parse(&o.order_type).map(|x| x.label_ja()).unwrap_or("").to_string(),
                    o.ticket_number.clone(),
                    o.price.to_string(),
                    o.holder_name.clone(),
                    o.product_name.clone(),
                    if o.jan.is_empty() { o.product_code.clone() } else { o.jan.clone() },
                    Usage::parse(&o.usage).map(|u| u.label_ja()).unwrap_or("").to_string(),
                    t(o.used_at),
                    o.cancel_fee.to_string(),
                    o.refunded_amount.to_string(),
                ]
            })
            .collect();
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::with_capacity(records.len() * 256));
        for r in &records {
            let _ = w.write_record(r);
        }
        let text = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
        let chunk = match enc {
            Encoding::Utf8Bom => text.into_bytes(),
            Encoding::Cp932 => {
                let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(&text);
                if had_errors {
                    let mut out = Vec::with_capacity(text.len());
                    for (i, r) in records.iter().enumerate() {
                        out.extend(encode_line(&csv_line(r), enc, rows + i + 2, r, &mut problems));
                    }
                    out
                } else {
                    bytes.into_owned()
                }
            }
        };
        rows += records.len();
        if tx.send(chunk).await.is_err() {
            return Ok((rows, problems));
        }
        if distinct_orders < CHUNK {
            break;
        }
    }
    if !problems.is_empty() {
        // Reported in the file itself, after the data, where a spreadsheet user sees it.
        let mut tail = Vec::new();
        for p in &problems {
            let codes = p.chars.chars().map(|c| format!("U+{:04X}", c as u32)).collect::<Vec<_>>().join(" ");
            let note = vec![format!(
                "# 注意: {}行目の「{}」にCP932で表せない文字（{codes}）があり、〓に置き換えました",
                p.line, p.column
            )];
            tail.extend(encode_line(&csv_line(&note), Encoding::Cp932, 0, &note, &mut Vec::new()));
        }
        let _ = tx.send(tail).await;
    }
    Ok((rows, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp932_aliases() {
        assert_eq!(Encoding::parse("CP932"), Some(Encoding::Cp932));
        assert_eq!(Encoding::parse("Shift_JIS"), Some(Encoding::Cp932));
        assert_eq!(Encoding::parse("utf-8"), Some(Encoding::Utf8Bom));
        assert_eq!(Encoding::parse("latin1"), None);
    }

    #[test]
    fn unencodable_characters_are_replaced_and_reported() {
        let record = vec!["T1".to_string(), "山田😀".to_string()];
        let mut problems = Vec::new();
        let bytes = encode_line(&csv_line(&record), Encoding::Cp932, 7, &record, &mut problems);
        let (back, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert_eq!(back, "T1,山田〓\r\n");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 7);
        assert_eq!(problems[0].column, "ご注文日時");
        assert_eq!(problems[0].chars, "😀");
    }

    #[test]
    fn nec_and_ibm_extensions_round_trip() {
        let record = vec!["髙橋 﨑 ①".to_string()];
        let mut problems = Vec::new();
        let bytes = encode_line(&csv_line(&record), Encoding::Cp932, 2, &record, &mut problems);
        assert!(problems.is_empty());
        assert_eq!(encoding_rs::SHIFT_JIS.decode(&bytes).0, "髙橋 﨑 ①\r\n");
    }
}
