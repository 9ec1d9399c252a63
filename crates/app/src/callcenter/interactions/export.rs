//! CSVダウンロード: the search's entries (every page) in the merchant's column set, streamed a
//! chunk at a time through `CsvEncoder`.

use super::{Search, console_merchant, filter_of, settings};
use crate::csv_out::{CsvEncoder, Encoding, Unencodable};
use crate::{Actor, App, Result};
use kippu_domain::clock::{format_jst, from_millis};
use kippu_domain::interaction::columns::Column;
use kippu_store::interactions::{self as store, InteractionRow};
use tokio::sync::mpsc;

/// Entries per chunk.
const CHUNK: i64 = 1_000;

/// One cell of `r`.
pub fn cell(c: Column, r: &InteractionRow) -> String {
    let time = |ms: i64| format_jst(from_millis(ms));
    match c {
        Column::Id => r.id.to_string(),
        Column::At => time(r.at),
        Column::CustomerNumber => r.customer_number.to_string(),
        Column::CustomerName => r.customer_name.clone(),
        Column::Operator => r.operator_login.clone().unwrap_or_default(),
        Column::OperatorName => r.operator_name.clone().unwrap_or_default(),
        Column::Category => r.category.clone(),
        Column::Summary => r.summary.clone(),
        Column::Content => r.content.clone(),
        Column::OrderNumber => r.order_number.clone().unwrap_or_default(),
        Column::UpdatedAt => time(r.updated_at),
    }
}

/// Checks the search before a download starts (a bad one is an error page, not a short file).
pub async fn check(app: &App, actor: &Actor, s: &Search) -> Result<()> {
    let m = console_merchant(actor)?;
    let mut conn = app.store.conn().await?;
    filter_of(&mut conn, m, s).await.map(|_| ())
}

/// Streams the search into `tx`: rows written and characters CP932 could not hold.
pub async fn csv(app: &App, actor: &Actor, s: &Search, enc: Encoding, tx: mpsc::Sender<Vec<u8>>) -> Result<(usize, Vec<Unencodable>)> {
    let m = console_merchant(actor)?;
    let (filter, columns) = {
        let mut conn = app.store.conn().await?;
        (filter_of(&mut conn, m, s).await?, settings::read(&mut conn, m).await?.columns)
    };
    let mut csv = CsvEncoder::new(enc, columns.iter().map(|c| c.title()).collect::<Vec<_>>());
    if tx.send(csv.start()).await.is_err() {
        return Ok((0, csv.problems));
    }
    let (mut rows, mut after) = (0, 0);
    loop {
        let chunk = {
            let mut conn = app.store.conn().await?;
            store::after(&mut conn, m, &filter, after, CHUNK).await?
        };
        let Some(last) = chunk.last() else { break };
        after = last.id;
        let records: Vec<Vec<String>> = chunk.iter().map(|r| columns.iter().map(|c| cell(*c, r)).collect()).collect();
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
