//! 出荷データ一括登録: a carrier's shipped-data file brings tracking numbers and 配達予定日 back to
//! their destinations. Every line is reported (line number, order and destination, OK or NG with
//! the reason); applying is all-or-nothing unless the user asks for the OK lines only, happens in
//! one transaction that checks every line again, and a file imported twice changes nothing the
//! second time and says so.

mod apply;
mod file;

pub use file::{Encoding, FileRefusal, MAX_BYTES};

use crate::goods::view::rule_view_of_targets;
use crate::{Actor, App, Result};
use kippu_domain::MerchantId;
use kippu_domain::goods::carrier::{self, FileType, ShippedLine};
use kippu_domain::goods::flow::GoodsOrder;
use kippu_domain::goods::{OrderStatus, ShippingStatus};
use kippu_domain::validate::FieldError;
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, ImportTarget};
use std::collections::HashMap;

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
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub file_type: FileType,
    /// 「更新対象の受注データの発送ステータスを「発送済み」に更新する」
    pub mark_shipped: bool,
    pub apply: Apply,
}

/// One line of the file as the preview shows it.
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
    pub reason: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportReport {
    pub encoding: &'static str,
    pub lines: Vec<ImportLine>,
    pub ok_count: usize,
    pub ng_count: usize,
    pub unchanged_count: usize,
    pub applied: bool,
    pub applied_count: usize,
    /// What happened, in one sentence.
    pub message: String,
}

impl ImportReport {
    /// The orders this import marked shipped (once each, in file order): the merchant is
    /// offered to send their shipping notices, which the import itself does not send.
    pub fn newly_shipped_orders(&self, mark_shipped: bool) -> Vec<String> {
        if !(self.applied && mark_shipped) {
            return vec![];
        }
        let mut seen = std::collections::HashSet::new();
        self.lines
            .iter()
            .filter(|l| l.ok && !l.unchanged)
            .filter_map(|l| l.order_number.clone())
            .filter(|n| seen.insert(n.clone()))
            .collect()
    }
}

/// A line read and checked, with the destination it updates (its tracking number and 配達予定日
/// are the report line's own).
struct Checked {
    line: ImportLine,
    target: Option<Destination>,
}

/// What the apply needs of a line's destination: a few numbers, not the row (a file of
/// 100,000 lines holds 100,000 of these).
struct Destination {
    shipment_id: i64,
    order_id: kippu_domain::OrderId,
    position: usize,
    unshipped: bool,
}

/// A file checked: its lines in file order and, when it is to be applied marking destinations
/// shipped, each named order as the goods rule sees it (all its destinations, read once under
/// the write lock), so the apply ships them without reading the orders again.
struct Checks {
    lines: Vec<Checked>,
    orders: HashMap<String, GoodsOrder>,
}

/// Lines are looked up this many order numbers at a time.
const BATCH: usize = 500;

/// Reads the file, checks every line against the merchant's orders and, when asked, applies it.
pub async fn import(app: &App, actor: &Actor, bytes: &[u8], opts: Options) -> Result<ImportReport> {
    let m = actor.merchant()?;
    let encoding = file::inspect(bytes).map_err(|e| FieldError::new("file", e.to_string()))?;
    if opts.apply == Apply::None {
        let mut conn = app.store.conn().await?;
        let checked = check_file(&mut conn, app, m, bytes, encoding, opts, false).await?;
        return Ok(report(encoding, checked?.lines, false, 0, opts));
    }
    let mut tx = app.store.begin().await?;
    let checked = check_file(&mut tx, app, m, bytes, encoding, opts, true).await??;
    let ng = checked.lines.iter().filter(|c| !c.line.ok).count();
    if opts.apply == Apply::All && ng > 0 {
        drop(tx);
        return Ok(report(encoding, checked.lines, false, 0, opts));
    }
    let applied = apply::write(&mut tx, app, actor, m, &checked, opts).await?;
    tx.commit().await?;
    Ok(report(encoding, checked.lines, true, applied, opts))
}

fn report(encoding: Encoding, checked: Vec<Checked>, applied: bool, applied_count: usize, opts: Options) -> ImportReport {
    let lines: Vec<ImportLine> = checked.into_iter().map(|c| c.line).collect();
    let ok_count = lines.iter().filter(|l| l.ok).count();
    let ng_count = lines.len() - ok_count;
    let unchanged_count = lines.iter().filter(|l| l.unchanged).count();
    let message = match (applied, opts.apply) {
        (false, Apply::None) => format!(
            "{}行を確認しました（OK {ok_count}行、NG {ng_count}行）。まだ登録していません",
            lines.len()
        ),
        (false, _) => format!("NGの行が{ng_count}行あるため、何も登録していません（OKの行だけ登録することもできます）"),
        (true, _) if applied_count == 0 && unchanged_count > 0 => {
            format!("すべて登録済みの内容でした（変更なし {unchanged_count}行）。何も変わっていません")
        }
        (true, _) => {
            format!("{applied_count}件のお届け先を更新しました（変更なし {unchanged_count}行、NG {ng_count}行は登録していません）")
        }
    };
    ImportReport {
        encoding: encoding.as_str(),
        lines,
        ok_count,
        ng_count,
        unchanged_count,
        applied,
        applied_count,
        message,
    }
}

fn ng(line: u64, reason: impl Into<String>) -> Checked {
    Checked {
        line: ImportLine {
            line,
            order_number: None,
            destination: None,
            tracking_number: None,
            delivery_date: None,
            ok: false,
            unchanged: false,
            reason: reason.into(),
        },
        target: None,
    }
}

async fn check_file(
    conn: &mut AnyConnection,
    app: &App,
    m: MerchantId,
    bytes: &[u8],
    encoding: Encoding,
    opts: Options,
    for_apply: bool,
) -> Result<Result<Checks>> {
    let mut out = Checks {
        lines: Vec::new(),
        orders: HashMap::new(),
    };
    // Lines whose column count is another file type's: a whole file of them is the wrong type.
    let mut other_type: Option<FileType> = None;
    let mut other_lines = 0;
    let mut data_lines = 0;
    let mut pending: Vec<(u64, ShippedLine)> = Vec::new();
    let mut seen: HashMap<(String, usize), u64> = HashMap::new();
    for (i, (line, rec)) in file::records(bytes, encoding).enumerate() {
        let fields = match rec {
            Err(e) => {
                out.lines.push(ng(line, e));
                continue;
            }
            Ok(f) if f.iter().all(|x| x.trim().is_empty()) => continue,
            Ok(f) => f,
        };
        if i == 0 && carrier::is_header(opts.file_type, &fields) {
            continue;
        }
        if fields.iter().any(|f| f.contains('\u{FFFD}')) {
            out.lines
                .push(ng(line, format!("{}として読めない文字があります", encoding.as_str())));
            continue;
        }
        data_lines += 1;
        match carrier::read_line(opts.file_type, &fields) {
            Err(e) => {
                if let Some(t) = opts.file_type.looks_like(fields.len()) {
                    other_type = Some(t);
                    other_lines += 1;
                }
                let mut c = ng(line, e.to_string());
                if let Some(target) = carrier::target_of(opts.file_type, &fields) {
                    c.line.order_number = Some(target.order.as_str().to_string());
                    c.line.destination = Some(target.destination);
                }
                out.lines.push(c)
            }
            Ok(shipped) => {
                let key = (shipped.target.order.as_str().to_string(), shipped.target.destination);
                if let Some(first) = seen.get(&key) {
                    let mut c = ng(line, format!("同じお届け先（{}-{}）が{first}行目にもあります", key.0, key.1));
                    c.line.order_number = Some(key.0);
                    c.line.destination = Some(key.1);
                    out.lines.push(c);
                    continue;
                }
                seen.insert(key, line);
                pending.push((line, shipped));
                if pending.len() >= BATCH {
                    resolve(conn, app, m, std::mem::take(&mut pending), opts, for_apply, &mut out).await?;
                }
            }
        }
    }
    resolve(conn, app, m, pending, opts, for_apply, &mut out).await?;
    if let Some(t) = other_type.filter(|_| other_lines == data_lines) {
        return Ok(Err(FieldError::new(
            "format",
            format!(
                "選んだ種類は{}ですが、このファイルは{}のファイルのようです",
                opts.file_type.label_ja(),
                t.label_ja()
            ),
        )
        .into()));
    }
    if data_lines == 0 {
        return Ok(Err(
            FieldError::new("file", "データの行がありません（見出し行だけのファイルです）").into()
        ));
    }
    out.lines.sort_by_key(|c| c.line.line);
    Ok(Ok(out))
}

/// Looks up a batch of lines' destinations and decides each line.
async fn resolve(
    conn: &mut AnyConnection,
    app: &App,
    m: MerchantId,
    lines: Vec<(u64, ShippedLine)>,
    opts: Options,
    for_apply: bool,
    out: &mut Checks,
) -> Result<()> {
    let mut numbers: Vec<String> = lines.iter().map(|(_, l)| l.target.order.as_str().to_string()).collect();
    numbers.sort();
    numbers.dedup();
    let targets = repo::import_targets(conn, app.store.backend(), m, &numbers, for_apply).await?;
    // Each order's destinations in position order (the query sorts by order and position).
    let mut of_orders: HashMap<&str, Vec<&ImportTarget>> = HashMap::new();
    for t in &targets {
        of_orders.entry(t.order_number.as_str()).or_default().push(t);
    }
    // Only shipping needs the whole order as the rule sees it.
    if for_apply && opts.mark_shipped {
        for (number, of_order) in &of_orders {
            out.orders.insert(number.to_string(), rule_view_of_targets(of_order));
        }
    }
    for (line, shipped) in lines {
        let number = shipped.target.order.as_str().to_string();
        let k = shipped.target.destination;
        let mut row = ImportLine {
            line,
            order_number: Some(number.clone()),
            destination: Some(k),
            tracking_number: Some(shipped.tracking.as_str().to_string()),
            delivery_date: shipped.delivery_date.map(|d| d.to_string()),
            ok: false,
            unchanged: false,
            reason: String::new(),
        };
        let of_order: &[&ImportTarget] = of_orders.get(number.as_str()).map(Vec::as_slice).unwrap_or_default();
        let found = of_order.iter().find(|t| t.shipment.position == k as i64);
        let verdict = match (of_order.is_empty(), found) {
            (true, _) => Err(format!("受注番号 {number} の物販の注文はありません")),
            (false, None) => Err(format!("受注 {number} にお届け先{k}はありません")),
            (false, Some(t)) => decide(t, &shipped, opts),
        };
        match verdict {
            Err(reason) => row.reason = reason,
            Ok(unchanged) => {
                row.ok = true;
                row.unchanged = unchanged;
                row.reason = if unchanged {
                    "変更なし（登録済みの内容です）".into()
                } else {
                    String::new()
                };
            }
        }
        let target = found.filter(|_| row.ok).map(|t| Destination {
            shipment_id: t.shipment.id,
            order_id: t.shipment.order_id,
            position: t.shipment.position as usize,
            unshipped: t.shipment.status == ShippingStatus::Unshipped,
        });
        out.lines.push(Checked { line: row, target });
    }
    Ok(())
}

/// OK (and whether nothing would change) or NG with the reason.
fn decide(t: &ImportTarget, shipped: &ShippedLine, opts: Options) -> std::result::Result<bool, String> {
    if let Some(why) = crate::goods::destination::refuse_tracking(t.order_status, &t.shipment, &shipped.tracking) {
        return Err(why);
    }
    let s = &t.shipment;
    let same = s.tracking_number == shipped.tracking.as_str()
        && s.carrier == Some(shipped.carrier)
        && s.delivery_date.as_deref() == shipped.delivery_date.map(|d| d.to_string()).as_deref()
        && (!opts.mark_shipped || s.status == ShippingStatus::Shipped);
    if t.order_status == OrderStatus::Processed && !same {
        return Err(format!(
            "受注 {} は処理済みです（通常処理に戻してから登録してください）",
            t.order_number
        ));
    }
    Ok(same)
}
