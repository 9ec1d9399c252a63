//! 出荷データ一括登録: a carrier's shipped-data file brings tracking numbers and 配達予定日 back to
//! their destinations. Every line is reported (line number, order and destination, OK or NG with
//! the reason) into a stored run, a batch at a time as the file is decoded, so the work and the
//! memory of one upload are bounded whatever the file: the answer carries the counts and the
//! first NG lines, and the whole report is read a page at a time ([`lines`]). Applying is
//! all-or-nothing unless the user asks for the OK lines only, happens in one transaction that
//! locks the destinations it checks and checks every line again as it writes, and a file
//! imported twice changes nothing the second time and says so.

mod apply;
mod check;
mod decide;
mod file;
mod run;

pub use check::file_columns;
pub use file::{Encoding, FileRefusal, MAX_BYTES};
pub use run::{LinesPage, PAGE_LINES, lines, report as stored_report, shipped_orders};

use crate::{Actor, App, Result};
use check::{Reading, check_file};
use kippu_domain::goods::carrier::{ColumnMap, FileType};
use kippu_domain::validate::FieldError;
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, ImportTotals, NewImportRun};

/// What to do with the file once it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    /// Preview only.
    None,
    /// Everything or nothing: one NG line and nothing is written.
    All,
    /// The OK lines only.
    Valid,
}

impl Apply {
    pub fn parse(s: &str) -> Option<Apply> {
        match s {
            "none" | "" => Some(Apply::None),
            "all" => Some(Apply::All),
            "valid" => Some(Apply::Valid),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Apply::None => "none",
            Apply::All => "all",
            Apply::Valid => "valid",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub file_type: FileType,
    /// 「更新対象の受注データの発送ステータスを「発送済み」に更新する」
    pub mark_shipped: bool,
    pub apply: Apply,
    /// The columns the merchant chose on this upload (saved by name for the next file).
    pub columns: Option<ColumnMap>,
}

/// One line of the file as the report shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportLine {
    /// The physical line in the file (the header is line 1).
    pub line: u64,
    pub order_number: Option<String>,
    pub destination: Option<usize>,
    pub tracking_number: Option<String>,
    pub delivery_date: Option<String>,
    pub ok: bool,
    /// OK, but the destination already has exactly this (a file imported twice).
    pub unchanged: bool,
    /// This import marked the destination 発送済み.
    pub shipped: bool,
    pub reason: String,
}

/// The NG lines an answer carries at most; the rest are read with [`lines`].
pub const NG_SHOWN: usize = 100;

/// An import's outcome: its counts and its first NG lines (never every line).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportReport {
    /// The stored run, whose lines [`lines`] reads a page at a time.
    pub id: i64,
    pub file_type: FileType,
    pub encoding: &'static str,
    pub mark_shipped: bool,
    /// Data lines reported (the header and blank lines are not).
    pub line_count: usize,
    pub ok_count: usize,
    pub ng_count: usize,
    pub unchanged_count: usize,
    pub applied: bool,
    pub applied_count: usize,
    /// Orders this import marked 発送済み: the merchant is offered to send their shipping
    /// notices, which the import itself does not send.
    pub shipped_orders: usize,
    /// The first [`NG_SHOWN`] NG lines in file order (`ng_count` says how many there are).
    pub ng_lines: Vec<ImportLine>,
    /// What happened, in one sentence.
    pub message: String,
}

/// Lines are looked up, written and applied this many at a time.
const BATCH: usize = 500;

/// What a run's reading counted.
#[derive(Debug, Default)]
struct Counts {
    lines: usize,
    ok: usize,
    ng: usize,
    unchanged: usize,
}

/// Reads the file, checks every line against the merchant's orders, stores the report and,
/// when asked, applies it.
pub async fn import(app: &App, actor: &Actor, bytes: &[u8], opts: Options) -> Result<ImportReport> {
    let m = actor.merchant()?;
    let encoding = file::inspect(bytes).map_err(|e| FieldError::new("file", e.to_string()))?;
    let new = NewImportRun {
        file_type: opts.file_type.as_str(),
        encoding: encoding.as_str(),
        mark_shipped: opts.mark_shipped,
        apply_mode: opts.apply.as_str(),
        created_by: &actor.label,
    };
    if opts.apply == Apply::None {
        // A preview writes only its report, each batch in its own short statement: other
        // writers pass between them.
        let mut conn = app.store.conn().await?;
        let id = repo::insert_import_run(&mut conn, m, &new, app.now_ms()).await?;
        let reading = Reading {
            app,
            m,
            id,
            opts: &opts,
            for_apply: false,
        };
        let counts = match check_file(&mut conn, &reading, bytes, encoding).await {
            Ok(c) => c,
            Err(e) => {
                repo::delete_import_run(&mut conn, id).await?;
                return Err(e);
            }
        };
        finish(&mut conn, id, &counts, false, 0, 0, &opts).await?;
        return run::report_of(&mut conn, m, id).await;
    }
    let mut tx = app.store.begin().await?;
    let id = repo::insert_import_run(&mut tx, m, &new, app.now_ms()).await?;
    // A refused file rolls back with its run.
    let reading = Reading {
        app,
        m,
        id,
        opts: &opts,
        for_apply: true,
    };
    let counts = check_file(&mut tx, &reading, bytes, encoding).await?;
    if opts.apply == Apply::All && counts.ng > 0 {
        // Nothing applied; the report is kept.
        finish(&mut tx, id, &counts, false, 0, 0, &opts).await?;
        let r = run::report_of(&mut tx, m, id).await?;
        tx.commit().await?;
        return Ok(r);
    }
    let applied = apply::write(&mut tx, app, actor, m, id, &opts).await?;
    let shipped_orders = repo::count_import_shipped_orders(&mut tx, id).await? as usize;
    finish(&mut tx, id, &counts, true, applied, shipped_orders, &opts).await?;
    let r = run::report_of(&mut tx, m, id).await?;
    tx.commit().await?;
    Ok(r)
}

async fn finish(
    conn: &mut AnyConnection,
    id: i64,
    c: &Counts,
    applied: bool,
    applied_count: usize,
    shipped_orders: usize,
    opts: &Options,
) -> Result<()> {
    let (ok_count, ng_count, unchanged_count) = (c.ok, c.ng, c.unchanged);
    let message = match (applied, opts.apply) {
        (false, Apply::None) => format!(
            "{}行を確認しました（OK {ok_count}行、NG {ng_count}行）。まだ登録していません",
            c.lines
        ),
        (false, _) => format!("NGの行が{ng_count}行あるため、何も登録していません（OKの行だけ登録することもできます）"),
        (true, _) if applied_count == 0 && unchanged_count > 0 => {
            format!("すべて登録済みの内容でした（変更なし {unchanged_count}行）。何も変わっていません")
        }
        (true, _) => {
            format!("{applied_count}件のお届け先を更新しました（変更なし {unchanged_count}行、NG {ng_count}行は登録していません）")
        }
    };
    let totals = ImportTotals {
        applied,
        line_count: c.lines as i64,
        ok_count: ok_count as i64,
        ng_count: ng_count as i64,
        unchanged_count: unchanged_count as i64,
        applied_count: applied_count as i64,
        shipped_orders: shipped_orders as i64,
        message,
    };
    repo::finish_import_run(conn, id, &totals).await?;
    Ok(())
}
