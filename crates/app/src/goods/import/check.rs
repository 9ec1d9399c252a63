//! Reading an upload: its columns found once from the first record, then every line decoded,
//! checked and written to the run's report a batch at a time (only a batch is held).

use super::decide::{by_order, order_numbers, verdict};
use super::{BATCH, Counts, Encoding, Options, file};
use crate::{App, Result};
use kippu_domain::MerchantId;
use kippu_domain::goods::carrier::{self, Columns, FileType, ShippedLine};
use kippu_domain::validate::FieldError;
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, ImportLineRow};
use std::collections::HashMap;

fn ng(line: u64, reason: impl Into<String>) -> ImportLineRow {
    ImportLineRow {
        line: line as i64,
        order_number: None,
        destination: None,
        tracking_number: None,
        delivery_date: None,
        ok: 0,
        unchanged: 0,
        shipped: 0,
        reason: reason.into(),
    }
}

/// A destination's key for finding the same destination twice in a file: the order number's
/// digits and the destination (a few bytes a line, not the line's report).
fn key_of(shipped: &ShippedLine) -> (u64, usize) {
    let digits = shipped.target.order.as_str()[1..].parse().unwrap_or(u64::MAX);
    (digits, shipped.target.destination)
}

/// The report lines waiting to be written, flushed a batch at a time.
pub(super) struct Pending {
    id: i64,
    rows: Vec<ImportLineRow>,
    counts: Counts,
}

impl Pending {
    fn push(&mut self, row: ImportLineRow) {
        self.counts.lines += 1;
        if row.ok == 1 {
            self.counts.ok += 1;
            self.counts.unchanged += row.unchanged as usize;
        } else {
            self.counts.ng += 1;
        }
        self.rows.push(row);
    }

    async fn flush(&mut self, conn: &mut AnyConnection, at_least: usize) -> Result<()> {
        if self.rows.len() >= at_least.max(1) {
            repo::insert_import_lines(conn, self.id, &self.rows).await?;
            self.rows.clear();
        }
        Ok(())
    }
}

/// One upload being read: whose, which run, what was asked.
pub(super) struct Reading<'a> {
    pub(super) app: &'a App,
    pub(super) m: MerchantId,
    pub(super) id: i64,
    pub(super) opts: &'a Options,
    pub(super) for_apply: bool,
}

/// The names of a file's columns as the merchant chooses among them (its header's, or 「列N」),
/// at most 200.
pub fn file_columns(bytes: &[u8]) -> Vec<String> {
    let Ok(encoding) = file::inspect(bytes) else {
        return vec![];
    };
    file::records(bytes, encoding)
        .filter_map(|(_, r)| r.ok())
        .find(|f| !f.iter().all(|x| x.trim().is_empty()))
        .map(|f| carrier::column_names(&f, carrier::looks_like_header(&f)))
        .unwrap_or_default()
        .into_iter()
        .take(200)
        .collect()
}

/// Why the columns cannot be found, with the file's own column names so the merchant can choose.
fn columns_refused(e: carrier::ColumnsError, first: &[String], header: bool) -> crate::AppError {
    let names = carrier::column_names(first, header);
    let shown: Vec<&str> = names.iter().take(60).map(String::as_str).collect();
    let more = if names.len() > shown.len() { "…" } else { "" };
    FieldError::new("columns", format!("{e}（このファイルの列: {}{more}）", shown.join("、"))).into()
}

/// Finds the columns from the file's first record (the merchant's choice on this upload, else
/// the one saved, else the carrier's known header names or positions); saves a choice that
/// found them.
async fn columns_of(conn: &mut AnyConnection, r: &Reading<'_>, first: &[String]) -> Result<(Columns, bool)> {
    let t = r.opts.file_type;
    let saved = match &r.opts.columns {
        Some(_) => None,
        None => repo::column_map(conn, r.m, t.as_str()).await?,
    };
    let chosen = r.opts.columns.as_ref().or(saved.as_ref());
    let header = carrier::looks_like_header(first);
    let columns = carrier::find_columns(t, first, header, chosen).map_err(|e| columns_refused(e, first, header))?;
    if let Some(map) = &r.opts.columns {
        repo::save_column_map(conn, r.m, t.as_str(), map, r.app.now_ms()).await?;
    }
    Ok((columns, header))
}

/// Reads the file record by record, checks its lines a batch at a time and writes their report
/// lines; a file whose columns cannot be found, a whole file of another carrier's layout, or
/// one without data lines, is refused.
pub(super) async fn check_file(conn: &mut AnyConnection, r: &Reading<'_>, bytes: &[u8], encoding: Encoding) -> Result<Counts> {
    let t = r.opts.file_type;
    let mut out = Pending {
        id: r.id,
        rows: Vec::new(),
        counts: Counts::default(),
    };
    // Lines whose column count is another file type's: a whole file of them is the wrong type.
    let mut other_type: Option<FileType> = None;
    let mut other_lines = 0;
    let mut data_lines = 0;
    let mut pending: Vec<(u64, ShippedLine)> = Vec::new();
    let mut seen: HashMap<(u64, usize), u64> = HashMap::new();
    let mut columns: Option<Columns> = None;
    for (line, rec) in file::records(bytes, encoding) {
        let fields = match rec {
            Err(e) => {
                out.push(ng(line, e));
                continue;
            }
            Ok(f) if f.iter().all(|x| x.trim().is_empty()) => continue,
            Ok(f) => f,
        };
        let cols = match columns {
            Some(c) => c,
            None => {
                let (c, header) = columns_of(conn, r, &fields).await?;
                columns = Some(c);
                if header {
                    continue;
                }
                c
            }
        };
        if fields.iter().any(|f| f.contains('\u{FFFD}')) {
            out.push(ng(line, format!("{}として読めない文字があります", encoding.as_str())));
            continue;
        }
        data_lines += 1;
        match carrier::read_line(t, &cols, &fields) {
            Err(e) => {
                if let Some(o) = t.looks_like(fields.len()).filter(|_| cols.count.is_some()) {
                    other_type = Some(o);
                    other_lines += 1;
                }
                let mut c = ng(line, e.to_string());
                if let Some(target) = carrier::target_of(&cols, &fields) {
                    c.order_number = Some(target.order.as_str().to_string());
                    c.destination = Some(target.destination as i64);
                }
                out.push(c)
            }
            Ok(shipped) => {
                let key = key_of(&shipped);
                if let Some(first) = seen.get(&key) {
                    let (number, k) = (shipped.target.order.as_str(), shipped.target.destination);
                    let mut c = ng(line, format!("同じお届け先（{number}-{k}）が{first}行目にもあります"));
                    c.order_number = Some(number.to_string());
                    c.destination = Some(k as i64);
                    out.push(c);
                    continue;
                }
                seen.insert(key, line);
                pending.push((line, shipped));
                if pending.len() >= BATCH {
                    resolve(conn, r, std::mem::take(&mut pending), &mut out).await?;
                }
            }
        }
        out.flush(conn, BATCH).await?;
    }
    resolve(conn, r, pending, &mut out).await?;
    out.flush(conn, 1).await?;
    if let Some(o) = other_type.filter(|_| other_lines == data_lines) {
        return Err(FieldError::new(
            "format",
            format!(
                "選んだ種類は{}ですが、このファイルは{}のファイルのようです",
                t.label_ja(),
                o.label_ja()
            ),
        )
        .into());
    }
    if data_lines == 0 {
        return Err(FieldError::new("file", "データの行がありません（見出し行だけのファイルです）").into());
    }
    Ok(out.counts)
}

/// Looks up a batch of lines' destinations (locked when they are to be applied) and decides
/// each line.
async fn resolve(conn: &mut AnyConnection, r: &Reading<'_>, lines: Vec<(u64, ShippedLine)>, out: &mut Pending) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let (app, m, opts, for_apply) = (r.app, r.m, r.opts, r.for_apply);
    let numbers = order_numbers(lines.iter().map(|(_, l)| l.target.order.as_str()));
    let targets = repo::import_targets(conn, app.store.backend(), m, &numbers, for_apply).await?;
    let of_orders = by_order(&targets);
    for (line, shipped) in lines {
        let number = shipped.target.order.as_str().to_string();
        let k = shipped.target.destination;
        let mut row = ImportLineRow {
            line: line as i64,
            order_number: Some(number.clone()),
            destination: Some(k as i64),
            tracking_number: Some(shipped.tracking.as_str().to_string()),
            delivery_date: shipped.delivery_date.map(|d| d.to_string()),
            ok: 0,
            unchanged: 0,
            shipped: 0,
            reason: String::new(),
        };
        match verdict(
            &of_orders,
            &number,
            k,
            &shipped.tracking,
            shipped.carrier,
            row.delivery_date.as_deref(),
            opts,
        ) {
            Err(reason) => row.reason = reason,
            Ok((_, unchanged)) => {
                row.ok = 1;
                row.unchanged = i64::from(unchanged);
                if unchanged {
                    row.reason = "変更なし（登録済みの内容です）".into();
                }
            }
        }
        out.push(row);
    }
    Ok(())
}
