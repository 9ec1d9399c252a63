//! Stock per date and time slot (spec §2): set a date range, special days (休日設定 → 0,
//! 特定日設定 → another number), a month calendar, and an availability import (CSV: product
//! code, date, slot, stock) standing for an external seat system. What is already sold stays
//! sold: a new capacity below it is refused with the number sold.

use crate::csv_import::{self, LineError};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::catalog::DayKind;
use kippu_domain::validate::{Collect, FieldError, FieldErrors};
use kippu_store::merchants::{self, StockCell};
use kippu_store::{AnyConnection, Backend};
use time::{Date, Duration};

fn date(field: &'static str, s: &str) -> std::result::Result<Date, FieldError> {
    let s = s.trim().replace('/', "-");
    Date::parse(&s, &time::format_description::well_known::Iso8601::DATE)
        .ok()
        .filter(|_| s.len() == 10)
        .ok_or_else(|| FieldError::new(field, format!("「{s}」は日付（YYYY-MM-DD）ではありません")))
}

use kippu_domain::validate::time_slot as slot;

fn quantity(field: &'static str, s: &str) -> std::result::Result<i64, FieldError> {
    match kippu_domain::normalize::integer(s) {
        Some(n) if (0..=100_000).contains(&n) => Ok(n),
        Some(n) if n < 0 => Err(FieldError::new(field, format!("在庫数 {n} は負の数です"))),
        _ => Err(FieldError::new(
            field,
            format!("在庫数「{}」は0〜100000の数字で入力してください", s.trim()),
        )),
    }
}

/// Writes one date/slot, keeping what is sold; `Err` says why not.
/// One date/slot of a product to set to `capacity`, marked as a normal, holiday or special day.
#[derive(Debug, Clone, Copy)]
struct StockPut<'a> {
    m: MerchantId,
    product_id: i64,
    d: &'a str,
    s: &'a str,
    capacity: i64,
    kind: &'a str,
}

async fn put(conn: &mut AnyConnection, backend: Backend, new: &StockPut<'_>, now: i64) -> Result<std::result::Result<(), String>> {
    let StockPut {
        m,
        product_id,
        d,
        s,
        capacity,
        kind,
    } = *new;
    let sold = merchants::stock_cell(conn, backend, product_id, d, s)
        .await?
        .map(|c| c.capacity - c.remaining)
        .unwrap_or(0);
    if capacity < sold {
        return Ok(Err(format!("{d} {s} はすでに{sold}件売れているため、在庫を{capacity}にできません")));
    }
    merchants::put_stock_cell(
        conn,
        &merchants::StockWrite {
            m,
            product_id,
            date: d,
            slot: s,
            capacity,
            remaining: capacity - sold,
            day_kind: kind,
        },
        now,
    )
    .await?;
    Ok(Ok(()))
}

async fn product_id(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<i64> {
    Ok(merchants::product_detail(conn, m, code).await?.ok_or(AppError::NotFound)?.id)
}

/// What the 在庫設定 form sends, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RangeInput {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Time slots separated by commas or spaces; empty for the whole day.
    #[serde(default)]
    pub slots: String,
    #[serde(default)]
    pub capacity: String,
}

/// At most this many time slots per range (every half hour of a day): with at most a year of
/// dates, one request writes at most 367 × 48 = 17,616 stock rows.
pub const MAX_SLOTS: usize = 48;

/// The range checked: every field's error at once.
pub(crate) fn check_range(input: &RangeInput) -> std::result::Result<(Date, Date, Vec<String>, i64), FieldErrors> {
    let mut c = Collect::default();
    let from = c.take(date("from", &input.from));
    let to = c.take(date("to", &input.to));
    if let (Some(from), Some(to)) = (from, to)
        && (to < from || (to - from).whole_days() > 366)
    {
        c.push(FieldError::new("to", "期間は開始日から1年以内の終了日を指定してください"));
    }
    let mut slots: Vec<String> = Vec::new();
    let typed: Vec<&str> = input.slots.split([',', '、', ' ', '，']).filter(|s| !s.trim().is_empty()).collect();
    if typed.len() > MAX_SLOTS {
        c.push(FieldError::new(
            "slots",
            format!("時間帯は{MAX_SLOTS}個までです（{}個指定されています）", typed.len()),
        ));
    } else {
        for typed in typed {
            if let Some(s) = c.take(slot("slots", typed)) {
                if slots.contains(&s) {
                    c.push(FieldError::new("slots", format!("時間帯 {s} が重複しています")));
                } else {
                    slots.push(s);
                }
            }
        }
    }
    let capacity = c.take(quantity("capacity", &input.capacity));
    c.finish()?;
    let (Some(from), Some(to), Some(capacity)) = (from, to, capacity) else {
        unreachable!("Collect::finish fails when a field failed");
    };
    let slots = if slots.is_empty() { vec![String::new()] } else { slots };
    Ok((from, to, slots, capacity))
}

/// Sets every date from `from` to `to` (inclusive, at most a year) for each slot (or the whole
/// day when `slots` is empty) to `capacity`. All or nothing.
pub async fn set_range(app: &App, actor: &Actor, code: &str, input: &RangeInput) -> Result<usize> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let (from, to, slots, capacity) = check_range(input)?;
    let now = app.now_ms();
    let mut cells: Vec<(String, String)> = Vec::new();
    let mut d = from;
    while d <= to {
        for s in &slots {
            cells.push((d.to_string(), s.clone()));
        }
        d += Duration::days(1);
    }
    let n = cells.len();
    let mut tx = app.store.begin().await?;
    let pid = product_id(&mut tx, m, code).await?;
    // What is sold is read once for the whole range; a cell sold beyond the new number refuses
    // the whole range before anything is written.
    let sold: std::collections::HashMap<(String, String), i64> =
        merchants::stock_between(&mut tx, m, pid, &from.to_string(), &to.to_string())
            .await?
            .into_iter()
            .map(|c| ((c.stock_date, c.time_slot), c.capacity - c.remaining))
            .collect();
    if let Some(((d, s), n)) = cells
        .iter()
        .filter_map(|k| sold.get(k).map(|n| (k, *n)))
        .find(|(_, n)| *n > capacity)
    {
        return Err(FieldError::new(
            "capacity",
            format!("{d} {s} はすでに{n}件売れているため、在庫を{capacity}にできません"),
        )
        .into());
    }
    merchants::put_stock_cells(&mut tx, m, pid, &cells, capacity, DayKind::Normal.as_str(), now).await?;
    let after = serde_json::json!({"from": from.to_string(), "to": to.to_string(), "slots": slots, "capacity": capacity});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("stock_range", "product", code),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// What the 休日設定・特定日設定 form sends, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DayInput {
    #[serde(default)]
    pub date: String,
    /// `holiday` or `special`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub capacity: String,
}

/// 休日設定 (`holiday`: stock 0) or 特定日設定 (`special`: another number) for one date, for
/// every slot the date has (or the whole day).
pub async fn set_day(app: &App, actor: &Actor, code: &str, input: &DayInput) -> Result<()> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let mut c = Collect::default();
    let d = c.take(date("date", &input.date)).map(|d| d.to_string());
    let kind = c.take(
        DayKind::parse(input.kind.trim())
            .filter(|k| *k != DayKind::Normal)
            .ok_or_else(|| FieldError::new("kind", "休日か特定日を選んでください")),
    );
    let capacity = match kind {
        Some(DayKind::Holiday) => Some(0),
        Some(DayKind::Special) => c.take(quantity("capacity", &input.capacity)),
        Some(DayKind::Normal) | None => None,
    };
    c.finish()?;
    let (Some(d), Some(kind), Some(capacity)) = (d, kind, capacity) else {
        unreachable!("Collect::finish fails when a field failed");
    };
    let kind = kind.as_str();
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let pid = product_id(&mut tx, m, code).await?;
    let cells = merchants::stock_between(&mut tx, m, pid, &d, &d).await?;
    let slots: Vec<String> = if cells.is_empty() {
        vec![String::new()]
    } else {
        cells.iter().map(|c| c.time_slot.clone()).collect()
    };
    for s in &slots {
        if let Err(why) = put(
            &mut tx,
            app.store.backend(),
            &StockPut {
                m,
                product_id: pid,
                d: &d,
                s,
                capacity,
                kind,
            },
            now,
        )
        .await?
        {
            return Err(FieldError::new("date", why).into());
        }
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(kind, "stock", format!("{code} {d}")),
        audit::NONE,
        Some(&serde_json::json!({"capacity": capacity})),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One day of the calendar: its stock per slot and what was sold.
pub struct Day {
    pub date: Date,
    pub cells: Vec<StockCell>,
    pub sales: Option<merchants::SalesCell>,
}

/// The stock (capacity, remaining, sold) of every day of a month.
pub async fn month(app: &App, actor: &Actor, code: &str, first: Date) -> Result<Vec<Day>> {
    let m = actor.merchant()?;
    let first = first.replace_day(1).map_err(|e| AppError::Internal(e.to_string()))?;
    let last = (first + Duration::days(31))
        .replace_day(1)
        .map_err(|e| AppError::Internal(e.to_string()))?
        - Duration::days(1);
    let mut conn = app.store.conn().await?;
    let pid = product_id(&mut conn, m, code).await?;
    let cells = merchants::stock_between(&mut conn, m, pid, &first.to_string(), &last.to_string()).await?;
    let sales = merchants::sales_between(&mut conn, m, pid, &first.to_string(), &last.to_string()).await?;
    let mut days = Vec::new();
    let mut d = first;
    while d <= last {
        let key = d.to_string();
        days.push(Day {
            date: d,
            cells: cells.iter().filter(|c| c.stock_date == key).cloned().collect(),
            sales: sales.iter().find(|s| s.visit_date == key).cloned(),
        });
        d += Duration::days(1);
    }
    Ok(days)
}

/// Imports availability lines `product code, date, slot, stock` (a header line is skipped;
/// UTF-8 or CP932). Every bad line is reported with its number; a file with any bad line
/// changes nothing.
pub async fn import(app: &App, actor: &Actor, bytes: &[u8]) -> Result<std::result::Result<usize, Vec<LineError>>> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let is_header = |rec: &csv::StringRecord| {
        date("date", rec.get(1).unwrap_or("")).is_err() && rec.get(3).is_some_and(|s| s.trim().parse::<i64>().is_err())
    };
    let (lines, mut errors) = csv_import::lines(bytes, 4, "商品コード,日付,時間枠,在庫数", is_header);
    let mut rows = Vec::new();
    for (line, rec) in lines {
        let parsed = (|| -> std::result::Result<(String, String, String, i64), FieldError> {
            Ok((
                rec[0].trim().to_uppercase(),
                date("日付", &rec[1])?.to_string(),
                slot("時間枠", &rec[2])?,
                quantity("在庫数", &rec[3])?,
            ))
        })();
        match parsed {
            Ok(r) => rows.push((line, r)),
            Err(e) => errors.push(LineError::new(line, e.field, e.message)),
        }
    }
    errors.sort_by_key(|e| e.line);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if rows.is_empty() {
        return Ok(Err(vec![LineError::new(1, "ファイル", "在庫の行がありません")]));
    }
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let mut ids: std::collections::HashMap<String, Option<i64>> = std::collections::HashMap::new();
    for (line, (code, d, s, n)) in &rows {
        let pid = match ids.get(code) {
            Some(id) => *id,
            None => {
                let id = merchants::product_detail(&mut tx, m, code).await?.map(|p| p.id);
                ids.insert(code.clone(), id);
                id
            }
        };
        let Some(pid) = pid else {
            errors.push(LineError::new(*line, "商品コード", format!("商品コード {code} の商品はありません")));
            continue;
        };
        if let Err(why) = put(
            &mut tx,
            app.store.backend(),
            &StockPut {
                m,
                product_id: pid,
                d,
                s,
                capacity: *n,
                kind: DayKind::Normal.as_str(),
            },
            now,
        )
        .await?
        {
            errors.push(LineError::new(*line, "在庫数", why));
        }
    }
    if !errors.is_empty() {
        // Dropping the transaction rolls every line back: nothing is half-applied.
        return Ok(Err(errors));
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("import", "availability", rows.len()),
        audit::NONE,
        Some(&serde_json::json!({"lines": rows.len()})),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(rows.len()))
}
