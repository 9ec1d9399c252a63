//! A stored import run read back: its counts and first NG lines, its whole report a page at a
//! time, and the orders it marked 発送済み (whose notices the page offers).

use super::{ImportLine, ImportReport, NG_SHOWN};
use crate::{Actor, App, AppError, Result};
use kippu_domain::MerchantId;
use kippu_domain::goods::carrier::FileType;
use kippu_domain::validate::FieldError;
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, ImportLineRow, LineFilter};

/// Lines per page of a report.
pub const PAGE_LINES: usize = 100;

/// One page of a run's report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LinesPage {
    pub id: i64,
    /// 1-based.
    pub page: usize,
    pub pages: usize,
    /// Lines in the whole report.
    pub total: usize,
    pub lines: Vec<ImportLine>,
}

fn line_of(r: ImportLineRow) -> ImportLine {
    ImportLine {
        line: r.line as u64,
        order_number: r.order_number,
        destination: r.destination.map(|d| d as usize),
        tracking_number: r.tracking_number,
        delivery_date: r.delivery_date,
        ok: r.ok == 1,
        unchanged: r.unchanged == 1,
        shipped: r.shipped == 1,
        reason: r.reason,
    }
}

pub(super) async fn report_of(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<ImportReport> {
    let r = repo::import_run(conn, m, id).await?.ok_or(AppError::NotFound)?;
    let file_type =
        FileType::parse(&r.file_type).ok_or_else(|| AppError::Internal(format!("import run {id}: file type {}", r.file_type)))?;
    let ng_lines = repo::import_lines(conn, id, LineFilter::Ng, 0, NG_SHOWN as i64).await?;
    Ok(ImportReport {
        id,
        file_type,
        encoding: if r.encoding == super::Encoding::Cp932.as_str() {
            super::Encoding::Cp932.as_str()
        } else {
            super::Encoding::Utf8.as_str()
        },
        mark_shipped: r.mark_shipped == 1,
        line_count: r.line_count as usize,
        ok_count: r.ok_count as usize,
        ng_count: r.ng_count as usize,
        unchanged_count: r.unchanged_count as usize,
        applied: r.applied == 1,
        applied_count: r.applied_count as usize,
        shipped_orders: r.shipped_orders as usize,
        ng_lines: ng_lines.into_iter().map(line_of).collect(),
        message: r.message,
    })
}

/// The counts and first NG lines of the actor's merchant's run `id`.
pub async fn report(app: &App, actor: &Actor, id: i64) -> Result<ImportReport> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    report_of(&mut conn, m, id).await
}

/// Page `page` (1-based) of run `id`'s report, [`PAGE_LINES`] lines in file order.
pub async fn lines(app: &App, actor: &Actor, id: i64, page: usize) -> Result<LinesPage> {
    let m = actor.merchant()?;
    if page == 0 || page > 1_000_000 {
        return Err(FieldError::new("page", "ページは1以上の数です").into());
    }
    let mut conn = app.store.conn().await?;
    let run = repo::import_run(&mut conn, m, id).await?.ok_or(AppError::NotFound)?;
    let total = run.line_count as usize;
    let rows = repo::import_lines_page(&mut conn, id, page as i64, PAGE_LINES as i64).await?;
    Ok(LinesPage {
        id,
        page,
        pages: total.div_ceil(PAGE_LINES).max(1),
        total,
        lines: rows.into_iter().map(line_of).collect(),
    })
}

/// The orders run `id` marked 発送済み, in file order: what 発送通知を送る is offered for (at most
/// a bulk action's rows).
pub async fn shipped_orders(app: &App, actor: &Actor, id: i64) -> Result<Vec<String>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    repo::import_run(&mut conn, m, id).await?.ok_or(AppError::NotFound)?;
    Ok(repo::import_shipped_orders(&mut conn, id, crate::orders::MAX_BULK_ROWS as i64).await?)
}
