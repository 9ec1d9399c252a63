//! CSV export of exactly the current search (all pages), one row per ticket, streamed in
//! chunks so memory stays flat whatever the size; UTF-8 with BOM or CP932.

use crate::{Actor, App, Result};
use kippu_domain::clock::{format_jst, from_millis};
use kippu_store::orders::{self, OrderFilter};
use tokio::sync::mpsc;

use crate::csv_out::CsvEncoder;
use crate::csv_out::{Encoding, Unencodable};

pub const HEADER: [&str; 28] = [
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
    "割引額",
    "クーポンコード",
    "広告コード",
    "受注経路",
];

/// Orders fetched per round trip; also the unit of streaming.
const CHUNK: i64 = 1000;

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
    filter.merchant = actor.scope()?;
    let backend = app.store.backend();
    let mut csv = CsvEncoder::new(enc, HEADER);
    let mut rows = 0usize;
    if tx.send(csv.start()).await.is_err() {
        return Ok((0, csv.problems));
    }
    let mut after = None;
    loop {
        let page = {
            let mut conn = app.store.conn().await?;
            orders::export_after(&mut conn, backend, &filter, after, CHUNK).await?
        };
        let Some(last) = page.last() else { break };
        after = Some((last.ordered_at, last.order_id.0));
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
                    o.payment_method.label_ja().to_string(),
                    o.pin.clone().unwrap_or_default(),
                    o.status.label_ja().to_string(),
                    t(o.paid_at),
                    if o.send_mode == Some(kippu_domain::web_ticket::SendMode::Silent) {
                        "送信処理".to_string()
                    } else {
                        t(o.sent_at)
                    },
                    o.ticket_type.map(|x| x.label_ja()).unwrap_or("").to_string(),
                    o.order_type.label_ja().to_string(),
                    o.ticket_number.clone(),
                    o.price.to_string(),
                    o.holder_name.clone(),
                    o.product_name.clone(),
                    if o.jan.is_empty() { o.product_code.clone() } else { o.jan.clone() },
                    o.usage.label_ja().to_string(),
                    t(o.used_at),
                    o.cancel_fee.to_string(),
                    o.refunded_amount.to_string(),
                    o.discount.to_string(),
                    o.coupon_code.clone().unwrap_or_default(),
                    o.ad_code.clone().unwrap_or_default(),
                    o.entry_channel.label_ja().to_string(),
                ]
            })
            .collect();
        let chunk = csv.chunk(&records);
        rows += records.len();
        if tx.send(chunk).await.is_err() {
            return Ok((rows, csv.problems));
        }
        if distinct_orders < CHUNK {
            break;
        }
    }
    if let Some(tail) = csv.finish() {
        let _ = tx.send(tail).await;
    }
    Ok((rows, csv.problems))
}
