//! The merchant's 利用実績 (payments with the manual's filters, 25/50/100 a page, today by
//! default, at most 3 months), 日別利用実績 (at most 31 days) and 月別利用実績 (at most 3 months).

use super::VoucherError;
use super::cancel::cancellable;
use crate::{Actor, App, Result};
use kippu_domain::MerchantId;
use kippu_domain::clock::{JST, day_start_ms, to_millis};
use kippu_domain::paging::Paging;
use kippu_domain::validate::{Collect, FieldError};
use kippu_domain::voucher::payment::PaymentNumber;
use kippu_domain::voucher::range;
use kippu_store::AnyConnection;
use kippu_store::vouchers::payments::PaymentRow;
use kippu_store::vouchers::records::{self as repo, DayTotal, RecordFilter};
use kippu_store::vouchers::{self as programs, VoucherType};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

/// The page sizes the manual offers.
pub const PAGE_SIZES: [i64; 3] = [25, 50, 100];

/// The search as typed (the form's fields and the API's query parameters).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct RecordQuery {
    /// `YYYY-MM-DDTHH:MM` (or a date: its first minute); empty for today 00:00.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from: String,
    /// Inclusive to the minute; a date alone means its last minute; empty for today 23:59.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub to: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub store_code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub store_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub terminal: String,
    /// A voucher type's code.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub product: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub payment_number: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub amount: String,
    /// 「取消実績を含めない」: `1`/`true`/`on`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub exclude_cancelled: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub per_page: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub page: String,
}

/// One row of 利用実績 and whether the reader may cancel it now.
pub struct RecordLine {
    pub payment: PaymentRow,
    pub may_cancel: bool,
}

pub struct Records {
    pub total: i64,
    pub lines: Vec<RecordLine>,
    pub paging: Paging,
    pub from: OffsetDateTime,
    pub to: OffsetDateTime,
    pub products: Vec<VoucherType>,
}

fn today(app: &App) -> Date {
    app.clock.today()
}

/// A minute in Japan as typed; `end` reads a bare date as its last minute.
fn parse_minute(field: &'static str, typed: &str, end: bool) -> std::result::Result<Option<OffsetDateTime>, FieldError> {
    let s = kippu_domain::normalize::text(typed).trim().replace('/', "-");
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || FieldError::new(field, "日時は YYYY-MM-DD HH:MM で入力してください");
    let (d, t) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d.to_string(), Some(t.trim().to_string())),
        None => (s.clone(), None),
    };
    let date = kippu_domain::clock::parse_date(&d).ok_or_else(bad)?;
    let time = match t {
        Some(t) => {
            let (h, m) = t.split_once(':').ok_or_else(bad)?;
            let (h, m): (u8, u8) = (h.parse().map_err(|_| bad())?, m.get(..2).unwrap_or(m).parse().map_err(|_| bad())?);
            Time::from_hms(h, m, 0).map_err(|_| bad())?
        }
        None if end => Time::from_hms(23, 59, 0).expect("a time"),
        None => Time::MIDNIGHT,
    };
    Ok(Some(PrimitiveDateTime::new(date, time).assume_offset(JST)))
}

fn flag(s: &str) -> bool {
    matches!(s.trim(), "1" | "true" | "on")
}

async fn products(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<VoucherType>> {
    let mut out = Vec::new();
    for id in programs::programs_of(conn, m).await? {
        if let Some(p) = programs::program_by_id(conn, id).await? {
            out.extend(p.types);
        }
    }
    Ok(out)
}

/// A search checked field by field: the filter the store runs, the page, the range.
pub struct Checked {
    pub m: MerchantId,
    pub filter: RecordFilter,
    pub paging: Paging,
    pub from: OffsetDateTime,
    pub to: OffsetDateTime,
    pub products: Vec<VoucherType>,
}

/// Checks a search: every bad field named at once, a range over 3 months refused with the
/// reason.
pub async fn check(app: &App, actor: &Actor, q: &RecordQuery) -> Result<Checked> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let products = products(&mut conn, m).await?;
    let mut errs = Collect::default();
    let day = today(app);
    let from = errs.take(parse_minute("from", &q.from, false));
    let to = errs.take(parse_minute("to", &q.to, true));
    let amount = match q.amount.trim() {
        "" => Some(None),
        a => errs.take(
            kippu_domain::voucher::payment::parse_amount(a)
                .map(Some)
                .map_err(|r| FieldError::new("amount", r.said().ja)),
        ),
    };
    let number = match q.payment_number.trim() {
        "" => Some(None),
        n => errs.take(
            PaymentNumber::parse(n)
                .map(|n| Some(n.as_str().to_string()))
                .ok_or_else(|| FieldError::new("payment_number", "決済番号は英数字16桁です")),
        ),
    };
    let product = match q.product.trim() {
        "" => Some(None),
        p => errs.take(
            products
                .iter()
                .find(|t| t.code == p)
                .map(|t| Some(t.id))
                .ok_or_else(|| FieldError::new("product", format!("商品「{p}」はありません"))),
        ),
    };
    let per_page = match q.per_page.trim() {
        "" => Some(PAGE_SIZES[0]),
        s => errs.take(
            s.parse::<i64>()
                .ok()
                .filter(|n| PAGE_SIZES.contains(n))
                .ok_or_else(|| FieldError::new("per_page", "表示件数は25・50・100のいずれかです")),
        ),
    };
    let page = match q.page.trim() {
        "" => Some(1),
        s => errs.take(
            s.parse::<i64>()
                .map_err(|_| FieldError::new("page", "ページは数字で指定してください")),
        ),
    };
    errs.finish()?;
    let (Some(from), Some(to), Some(amount), Some(number), Some(product), Some(per_page), Some(page)) =
        (from, to, amount, number, product, per_page, page)
    else {
        return Err(crate::AppError::Internal(
            "a search field without a value but without an error".into(),
        ));
    };
    let from = from.unwrap_or_else(|| PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_offset(JST));
    let to = to.unwrap_or_else(|| PrimitiveDateTime::new(day, Time::from_hms(23, 59, 0).expect("a time")).assume_offset(JST));
    range::three_months(from.date(), to.date()).map_err(VoucherError::Range)?;
    if to < from {
        return Err(VoucherError::Range(range::RangeError::Reversed).into());
    }
    let paging = Paging::new(Some(page), Some(per_page), PAGE_SIZES[0])?;
    let text = |s: &str| Some(kippu_domain::normalize::text(s).trim().to_string()).filter(|s| !s.is_empty());
    let filter = RecordFilter {
        from_ms: to_millis(from),
        to_ms: to_millis(to) + 60_000,
        store_code: text(&q.store_code).map(|s| s.to_ascii_uppercase()),
        store_name: text(&q.store_name),
        terminal: text(&q.terminal),
        product,
        payment_number: number,
        amount,
        exclude_cancelled: flag(&q.exclude_cancelled),
    };
    Ok(Checked {
        m,
        filter,
        paging,
        from,
        to,
        products,
    })
}

/// The merchant's payments for the search, a page of them with the count.
pub async fn search(app: &App, actor: &Actor, q: &RecordQuery) -> Result<Records> {
    let c = check(app, actor, q).await?;
    let mut conn = app.store.conn().await?;
    let total = repo::count(&mut conn, c.m, &c.filter).await?;
    let rows = repo::page(&mut conn, c.m, &c.filter, c.paging.per_page(), c.paging.offset()).await?;
    let lines = rows
        .into_iter()
        .map(|payment| RecordLine {
            may_cancel: cancellable(app, actor, &payment).is_ok(),
            payment,
        })
        .collect();
    Ok(Records {
        total,
        lines,
        paging: c.paging,
        from: c.from,
        to: c.to,
        products: c.products,
    })
}

/// One line of the daily or monthly totals: a day (`2026-11-24`) or month (`2026-11`) and a
/// product.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TotalLine {
    pub period: String,
    pub product: String,
    pub count: i64,
    pub amount: i64,
}

/// The lines, then the totals per product and over everything.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Totals {
    pub from: String,
    pub to: String,
    pub lines: Vec<TotalLine>,
    pub by_product: Vec<TotalLine>,
    pub count: i64,
    pub amount: i64,
}

fn day_of(index: i64) -> Date {
    Date::from_julian_day(2_440_588 + index as i32).expect("a day in range")
}

fn totals(from: String, to: String, lines: Vec<TotalLine>) -> Totals {
    let mut by_product: Vec<TotalLine> = Vec::new();
    for l in &lines {
        match by_product.iter_mut().find(|p| p.product == l.product) {
            Some(p) => {
                p.count += l.count;
                p.amount += l.amount;
            }
            None => by_product.push(TotalLine {
                period: "合計".into(),
                ..l.clone()
            }),
        }
    }
    Totals {
        from,
        to,
        count: lines.iter().map(|l| l.count).sum(),
        amount: lines.iter().map(|l| l.amount).sum(),
        lines,
        by_product,
    }
}

async fn day_totals(app: &App, m: MerchantId, from: Date, to: Date) -> Result<Vec<DayTotal>> {
    let (start, end) = (day_start_ms(from), day_start_ms(to.next_day().unwrap_or(to)));
    let mut conn = app.store.conn().await?;
    Ok(repo::day_totals(&mut conn, m, None, start, end).await?)
}

fn date_field(field: &'static str, typed: &str, default: Date) -> std::result::Result<Date, FieldError> {
    match typed.trim() {
        "" => Ok(default),
        s => kippu_domain::clock::parse_date(s).ok_or_else(|| FieldError::new(field, "日付は YYYY-MM-DD で入力してください")),
    }
}

/// 日別利用実績 from `from` to `to` (dates, inclusive; at most 31 days; default this month so
/// far), uncancelled payments only.
pub async fn daily(app: &App, actor: &Actor, from: &str, to: &str) -> Result<Totals> {
    let m = actor.merchant()?;
    let day = today(app);
    let mut errs = Collect::default();
    let f = errs.take(date_field("from", from, day.replace_day(1).expect("day 1")));
    let t = errs.take(date_field("to", to, day));
    errs.finish()?;
    let (Some(f), Some(t)) = (f, t) else {
        return Err(crate::AppError::Internal("a date without a value but without an error".into()));
    };
    range::thirty_one_days(f, t).map_err(VoucherError::Range)?;
    let lines = day_totals(app, m, f, t)
        .await?
        .into_iter()
        .map(|d| TotalLine {
            period: day_of(d.day).to_string(),
            product: d.type_name,
            count: d.count,
            amount: d.amount,
        })
        .collect();
    Ok(totals(f.to_string(), t.to_string(), lines))
}

fn month_field(field: &'static str, typed: &str, default: Date) -> std::result::Result<Date, FieldError> {
    let s = typed.trim();
    if s.is_empty() {
        return Ok(default.replace_day(1).expect("day 1"));
    }
    kippu_domain::clock::parse_date(&format!("{s}-01")).ok_or_else(|| FieldError::new(field, "月は YYYY-MM で入力してください"))
}

fn month_end(first: Date) -> Date {
    first.replace_day(first.month().length(first.year())).expect("the month's last day")
}

/// 月別利用実績 from month `from` to month `to` (`YYYY-MM`, inclusive; at most 3 months;
/// default this month), uncancelled payments only.
pub async fn monthly(app: &App, actor: &Actor, from: &str, to: &str) -> Result<Totals> {
    let m = actor.merchant()?;
    let day = today(app);
    let mut errs = Collect::default();
    let f = errs.take(month_field("from", from, day));
    let t = errs.take(month_field("to", to, day));
    errs.finish()?;
    let (Some(f), Some(t)) = (f, t) else {
        return Err(crate::AppError::Internal("a month without a value but without an error".into()));
    };
    let last = month_end(t);
    range::three_months(f, last).map_err(VoucherError::Range)?;
    let mut lines: Vec<TotalLine> = Vec::new();
    for d in day_totals(app, m, f, last).await? {
        let date = day_of(d.day);
        let period = format!("{:04}-{:02}", date.year(), date.month() as u8);
        match lines.iter_mut().find(|l| l.period == period && l.product == d.type_name) {
            Some(l) => {
                l.count += d.count;
                l.amount += d.amount;
            }
            None => lines.push(TotalLine {
                period,
                product: d.type_name,
                count: d.count,
                amount: d.amount,
            }),
        }
    }
    let label = |d: Date| format!("{:04}-{:02}", d.year(), d.month() as u8);
    Ok(totals(label(f), label(t), lines))
}
