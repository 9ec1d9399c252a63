//! The merchant's 利用実績: payments in a time range with the manual's filters, a page of them
//! with the count, and per-day totals per voucher type (the daily and monthly pages and the
//! settlement read these).

use super::day_counts::{DAY_MS, JST_OFFSET_MS, day_of, day_start};
use super::payments::{PAYMENT, PaymentRow};
use crate::Result;
use crate::query::{Bind, Where, bind_all};
use kippu_domain::MerchantId;
use sqlx::AnyConnection;

/// What the merchant searches for; the range is `[from_ms, to_ms)`.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    pub from_ms: i64,
    pub to_ms: i64,
    /// Start of the store code (`AKT10001` finds every store of that merchant code).
    pub store_code: Option<String>,
    /// Part of the store name.
    pub store_name: Option<String>,
    /// Part of the terminal name.
    pub terminal: Option<String>,
    /// A voucher type's id.
    pub product: Option<i64>,
    pub payment_number: Option<String>,
    pub amount: Option<i64>,
    /// 「取消実績を含めない」
    pub exclude_cancelled: bool,
}

fn like_escaped(s: &str, prefix_only: bool) -> String {
    let esc = s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    if prefix_only { format!("{esc}%") } else { format!("%{esc}%") }
}

/// `column` is the id of one of merchant `m`'s rows of `table` whose `field` is LIKE `pattern`.
fn by_id_of(w: &mut Where, m: MerchantId, column: &str, table: &str, field: &str, pattern: String) {
    w.binds.push(Bind::I(m.0));
    let mi = w.binds.len();
    w.binds.push(Bind::S(pattern));
    let pi = w.binds.len();
    w.conds.push(format!(
        "{column} IN (SELECT id FROM {table} WHERE merchant_id = ${mi} AND {field} LIKE ${pi} ESCAPE '\\')"
    ));
}

fn conditions(m: MerchantId, f: &RecordFilter) -> Where {
    let mut w = Where {
        conds: Vec::new(),
        binds: Vec::new(),
    };
    w.add("p.merchant_id = ?", Bind::I(m.0));
    w.add("p.paid_at >= ?", Bind::I(f.from_ms));
    w.add("p.paid_at < ?", Bind::I(f.to_ms));
    // Stores and terminals are few: found first, then matched by id on the index.
    if let Some(c) = &f.store_code {
        by_id_of(&mut w, m, "p.store_id", "stores", "code", like_escaped(c, true));
    }
    if let Some(n) = &f.store_name {
        by_id_of(&mut w, m, "p.store_id", "stores", "name", like_escaped(n, false));
    }
    if let Some(t) = &f.terminal {
        by_id_of(&mut w, m, "p.terminal_id", "terminals", "name", like_escaped(t, false));
    }
    if let Some(p) = f.product {
        w.add("p.voucher_type_id = ?", Bind::I(p));
    }
    if let Some(n) = &f.payment_number {
        w.add("p.payment_number = ?", Bind::S(n.clone()));
    }
    if let Some(a) = f.amount {
        w.add("p.amount = ?", Bind::I(a));
    }
    if f.exclude_cancelled {
        w.conds.push("p.cancelled_at IS NULL".into());
    }
    w
}

/// One page of the merchant's payments, newest first.
pub async fn page(conn: &mut AnyConnection, m: MerchantId, f: &RecordFilter, limit: i64, offset: i64) -> Result<Vec<PaymentRow>> {
    let w = conditions(m, f);
    let sql = format!(
        "{PAYMENT} WHERE {} ORDER BY p.paid_at DESC, p.id DESC LIMIT {limit} OFFSET {offset}",
        w.conds.join(" AND ")
    );
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds).fetch_all(conn).await?)
}

/// How many payments the filter finds, exactly: the whole Japanese days of the range from the
/// kept counts (`day_counts`), the partial days at either end — and the filters the counts do
/// not keep (決済番号, 金額) — from the payments themselves.
pub async fn count(conn: &mut AnyConnection, m: MerchantId, f: &RecordFilter) -> Result<i64> {
    if f.payment_number.is_some() || f.amount.is_some() {
        return recount(conn, m, f).await;
    }
    // The first day starting at or after `from`, and the day `to` falls in (exclusive end).
    let (first, end) = (day_of(f.from_ms - 1) + 1, day_of(f.to_ms));
    if first >= end {
        return recount(conn, m, f).await;
    }
    let mut n = kept(conn, m, f, first, end).await?;
    if f.from_ms < day_start(first) {
        let head = RecordFilter {
            to_ms: day_start(first),
            ..f.clone()
        };
        n += recount(conn, m, &head).await?;
    }
    if day_start(end) < f.to_ms {
        let tail = RecordFilter {
            from_ms: day_start(end),
            ..f.clone()
        };
        n += recount(conn, m, &tail).await?;
    }
    Ok(n)
}

/// The payments of days `[first, end)` the filter's store, terminal, type and 取消 conditions
/// find, from the kept counts.
async fn kept(conn: &mut AnyConnection, m: MerchantId, f: &RecordFilter, first: i64, end: i64) -> Result<i64> {
    let mut w = Where {
        conds: Vec::new(),
        binds: Vec::new(),
    };
    w.add("c.merchant_id = ?", Bind::I(m.0));
    w.add("c.day >= ?", Bind::I(first));
    w.add("c.day < ?", Bind::I(end));
    if let Some(c) = &f.store_code {
        by_id_of(&mut w, m, "c.store_id", "stores", "code", like_escaped(c, true));
    }
    if let Some(n) = &f.store_name {
        by_id_of(&mut w, m, "c.store_id", "stores", "name", like_escaped(n, false));
    }
    if let Some(t) = &f.terminal {
        by_id_of(&mut w, m, "c.terminal_id", "terminals", "name", like_escaped(t, false));
    }
    if let Some(p) = f.product {
        w.add("c.voucher_type_id = ?", Bind::I(p));
    }
    let counted = if f.exclude_cancelled {
        "c.payments - c.cancelled"
    } else {
        "c.payments"
    };
    let sql = format!(
        "SELECT CAST(COALESCE(SUM({counted}), 0) AS BIGINT) FROM voucher_day_counts c WHERE {}",
        w.conds.join(" AND ")
    );
    let (n,): (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds).fetch_one(conn).await?;
    Ok(n)
}

/// How many payments the filter finds, counted one by one (the reference the kept counts must
/// equal; the partial days of [`count`]).
pub async fn recount(conn: &mut AnyConnection, m: MerchantId, f: &RecordFilter) -> Result<i64> {
    let w = conditions(m, f);
    // No join: every filter is on the index (stores and terminals by their ids).
    let sql = format!("SELECT COUNT(*) FROM voucher_payments p WHERE {}", w.conds.join(" AND "));
    let (n,): (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds).fetch_one(conn).await?;
    Ok(n)
}

/// Uncancelled payments of one day (Japan) and voucher type.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DayTotal {
    /// Days since 1970-01-01 in Japan time.
    pub day: i64,
    pub voucher_type_id: i64,
    pub type_name: String,
    pub count: i64,
    pub amount: i64,
}

/// Per day and voucher type, the uncancelled payments of merchant `m` in `[from_ms, to_ms)`;
/// `program` narrows to one programme. A range of whole Japanese days (the daily and monthly
/// pages, the settlement's periods) reads the kept counts; any other range the payments.
pub async fn day_totals(conn: &mut AnyConnection, m: MerchantId, program: Option<i64>, from_ms: i64, to_ms: i64) -> Result<Vec<DayTotal>> {
    let whole_days = day_start(day_of(from_ms)) == from_ms && day_start(day_of(to_ms)) == to_ms;
    if !whole_days {
        return day_totals_recounted(conn, m, program, from_ms, to_ms).await;
    }
    let mut w = Where {
        conds: Vec::new(),
        binds: Vec::new(),
    };
    w.add("c.merchant_id = ?", Bind::I(m.0));
    w.add("c.day >= ?", Bind::I(day_of(from_ms)));
    w.add("c.day < ?", Bind::I(day_of(to_ms)));
    if let Some(p) = program {
        w.add("c.program_id = ?", Bind::I(p));
    }
    let sql = format!(
        "SELECT d.day, d.voucher_type_id, vt.name AS type_name, d.count, d.amount FROM (\
           SELECT c.day, c.voucher_type_id, CAST(SUM(c.payments - c.cancelled) AS BIGINT) AS count, \
             CAST(SUM(c.amount - c.cancelled_amount) AS BIGINT) AS amount \
           FROM voucher_day_counts c WHERE {} \
           GROUP BY c.day, c.voucher_type_id HAVING SUM(c.payments - c.cancelled) > 0\
         ) d JOIN voucher_types vt ON vt.id = d.voucher_type_id ORDER BY d.day, d.voucher_type_id",
        w.conds.join(" AND ")
    );
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds).fetch_all(conn).await?)
}

/// [`day_totals`] counted from the payments one by one (the reference the kept counts must equal).
pub async fn day_totals_recounted(
    conn: &mut AnyConnection,
    m: MerchantId,
    program: Option<i64>,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<DayTotal>> {
    let mut w = Where {
        conds: Vec::new(),
        binds: Vec::new(),
    };
    w.add("p.merchant_id = ?", Bind::I(m.0));
    w.add("p.paid_at >= ?", Bind::I(from_ms));
    w.add("p.paid_at < ?", Bind::I(to_ms));
    if let Some(p) = program {
        w.add("p.program_id = ?", Bind::I(p));
    }
    w.conds.push("p.cancelled_at IS NULL".into());
    // Grouped on the index alone, named after: the join runs once per day and type, not per
    // payment.
    let sql = format!(
        "SELECT d.day, d.voucher_type_id, vt.name AS type_name, d.count, d.amount FROM (\
           SELECT (p.paid_at + {JST_OFFSET_MS}) / {DAY_MS} AS day, p.voucher_type_id, COUNT(*) AS count, \
             CAST(SUM(p.amount) AS BIGINT) AS amount \
           FROM voucher_payments p WHERE {} \
           GROUP BY (p.paid_at + {JST_OFFSET_MS}) / {DAY_MS}, p.voucher_type_id\
         ) d JOIN voucher_types vt ON vt.id = d.voucher_type_id ORDER BY d.day, d.voucher_type_id",
        w.conds.join(" AND ")
    );
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds).fetch_all(conn).await?)
}

/// The next `limit` payments of the filter after `(paid_at, id)`, oldest first: a whole range
/// walked for the data export without deep offsets.
pub async fn after(conn: &mut AnyConnection, m: MerchantId, f: &RecordFilter, after: (i64, i64), limit: i64) -> Result<Vec<PaymentRow>> {
    let mut w = conditions(m, f);
    w.binds.push(Bind::I(after.0));
    let at = w.binds.len();
    w.binds.push(Bind::I(after.1));
    let id = w.binds.len();
    w.conds.push(format!("(p.paid_at > ${at} OR (p.paid_at = ${at} AND p.id > ${id}))"));
    let sql = format!("{PAYMENT} WHERE {} ORDER BY p.paid_at, p.id LIMIT {limit}", w.conds.join(" AND "));
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds).fetch_all(conn).await?)
}
