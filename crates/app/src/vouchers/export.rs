//! データ出力: the merchant's payments of a range (the 利用実績 search, at most 3 months) as
//! CSV, CP932 or UTF-8, streamed a chunk at a time; and a settlement period's statement.

use super::records::{self, RecordQuery};
use crate::csv_out::{CsvEncoder, Encoding, Unencodable};
use crate::{Actor, App, Result};
use kippu_domain::clock::{format_jst, from_millis};
use kippu_store::vouchers::payments::PaymentRow;
use kippu_store::vouchers::records as repo;
use tokio::sync::mpsc;

/// Payments per chunk of the export.
const CHUNK: i64 = 2_000;

pub const HEADER: [&str; 10] = [
    "利用日時",
    "店舗コード",
    "店舗名",
    "端末名",
    "決済番号",
    "利用金額",
    "商品",
    "取消日時",
    "取消メモ",
    "取消者",
];

pub fn record(p: &PaymentRow) -> Vec<String> {
    vec![
        format_jst(from_millis(p.paid_at)),
        p.store_code.clone(),
        p.store_name.clone(),
        p.terminal_name.clone(),
        p.payment_number.clone(),
        p.amount.to_string(),
        p.type_name.clone(),
        p.cancelled_at.map(|t| format_jst(from_millis(t))).unwrap_or_default(),
        p.cancel_memo.clone(),
        p.cancelled_by_label.clone(),
    ]
}

/// Streams the search into `tx`: rows written and characters CP932 could not hold.
pub async fn payments_csv(
    app: &App,
    actor: &Actor,
    q: &RecordQuery,
    enc: Encoding,
    tx: mpsc::Sender<Vec<u8>>,
) -> Result<(usize, Vec<Unencodable>)> {
    let c = records::check(app, actor, q).await?;
    let mut csv = CsvEncoder::new(enc, HEADER.to_vec());
    if tx.send(csv.start()).await.is_err() {
        return Ok((0, csv.problems));
    }
    let (mut rows, mut after) = (0, (i64::MIN, i64::MIN));
    loop {
        let chunk = {
            let mut conn = app.store.conn().await?;
            repo::after(&mut conn, c.m, &c.filter, after, CHUNK).await?
        };
        let Some(last) = chunk.last() else { break };
        after = (last.paid_at, last.id);
        let records: Vec<Vec<String>> = chunk.iter().map(record).collect();
        rows += records.len();
        if tx.send(csv.chunk(&records)).await.is_err() {
            return Ok((rows, csv.problems));
        }
    }
    if let Some(report) = csv.finish() {
        let _ = tx.send(report).await;
    }
    Ok((rows, csv.problems))
}
