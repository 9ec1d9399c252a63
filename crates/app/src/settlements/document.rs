//! A settlement's statement as CSV and PDF: the same lines and the same summary
//! (`kippu_domain::settlement::summary_rows`) as the screen and the API.

use super::Statement;
use crate::csv_out::{CsvEncoder, Encoding};
use crate::documents::pdf::{Item, MARGIN, render};
use crate::{AppError, Result};
use kippu_domain::Yen;
use kippu_domain::settlement::{PayoutTotals, summary_rows};

pub const CSV_HEADER: [&str; 8] = ["区分", "チャネル", "チャネル名", "受注番号", "来店日", "種別", "金額", "手数料"];

fn yen(n: i64) -> String {
    Yen(n).display_ja()
}

/// The statement as CSV: a row per line (明細), then per channel the summary (小計), then the
/// total (合計).
pub fn csv(st: &Statement, enc: Encoding) -> Vec<u8> {
    let row = |cells: [&str; 8]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let mut records = Vec::with_capacity(st.lines.len() + 16);
    for l in &st.lines {
        let kind = l.line_kind;
        let fee = st.rates.fee(kind, l.amount);
        records.push(row([
            "明細",
            &l.channel_code,
            &l.channel_name,
            &l.order_number,
            l.visit_date.as_deref().unwrap_or(""),
            kind.label_ja(),
            &(kind.sign() * l.amount).to_string(),
            &fee.to_string(),
        ]));
    }
    for c in &st.channels {
        for (label, v) in summary_rows(&c.totals) {
            records.push(row(["小計", &c.code, &c.name, "", "", label.ja, &v.to_string(), ""]));
        }
    }
    for (label, v) in summary_rows(&st.total) {
        records.push(row(["合計", "", "", "", "", label.ja, &v.to_string(), ""]));
    }
    let mut csv = CsvEncoder::new(enc, CSV_HEADER);
    let mut out = csv.start();
    out.extend(csv.chunk(&records));
    out.extend(csv.finish().unwrap_or_default());
    out
}

fn text(x: f32, size: f32, s: impl Into<String>) -> Item {
    Item::Text { x, size, text: s.into() }
}

/// The statement as PDF (Japanese, text extractable): the totals, each channel's part, and
/// every line.
pub fn pdf(st: &Statement, issued_at: &str) -> Result<Vec<u8>> {
    let s = &st.settlement;
    let mut lines: Vec<Vec<Item>> = vec![
        vec![text(MARGIN, 20.0, "精算明細書（入金明細）")],
        vec![text(
            MARGIN,
            11.0,
            format!("{} 様（加盟店コード {}）", s.merchant_name, s.merchant_code),
        )],
        vec![text(
            MARGIN,
            11.0,
            format!("対象期間 {} 〜 {}　お支払い予定日 {}", s.period_start, s.period_end, s.payout_date),
        )],
        vec![text(
            MARGIN,
            10.0,
            format!(
                "プラットフォーム手数料率 予約 {}%・ウェブチケット {}%　発行日時 {}",
                kippu_domain::money::percent_of_bp(st.rates.reservation_bp),
                kippu_domain::money::percent_of_bp(st.rates.ticket_bp),
                issued_at
            ),
        )],
        vec![Item::Gap(6.0)],
        vec![text(MARGIN, 14.0, format!("入金額 {}", yen(st.total.net)))],
        vec![Item::Rule],
    ];
    let summary = |lines: &mut Vec<Vec<Item>>, t: &PayoutTotals| {
        for (label, v) in summary_rows(t) {
            lines.push(vec![text(MARGIN + 12.0, 10.0, label.ja), text(330.0, 10.0, yen(v))]);
        }
    };
    lines.push(vec![text(MARGIN, 12.0, "合計")]);
    summary(&mut lines, &st.total);
    for c in &st.channels {
        lines.push(vec![Item::Rule]);
        lines.push(vec![text(MARGIN, 12.0, format!("チャネル {} {}", c.code, c.name))]);
        summary(&mut lines, &c.totals);
    }
    lines.push(vec![Item::Rule]);
    lines.push(vec![text(MARGIN, 12.0, "明細")]);
    for l in &st.lines {
        let kind = l.line_kind;
        lines.push(vec![
            text(MARGIN, 9.0, l.channel_code.clone()),
            text(MARGIN + 50.0, 9.0, l.order_number.clone()),
            text(MARGIN + 150.0, 9.0, l.visit_date.clone().unwrap_or_default()),
            text(MARGIN + 220.0, 9.0, kind.label_ja()),
            text(MARGIN + 400.0, 9.0, yen(kind.sign() * l.amount)),
        ]);
    }
    render(lines, &format!("kippu 入金明細 {} {}", s.merchant_code, s.period_start)).map_err(AppError::Internal)
}
