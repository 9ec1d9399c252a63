//! 精算: each programme's periods settled per enrolled merchant by the job (once its last
//! cancel window has closed), the merchant's 精算管理 (cycle and 支払一覧 by year, with a
//! statement per period), and the platform's view of a programme's money.

use crate::csv_out::{CsvEncoder, Encoding};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::clock::{JST, day_start_ms, from_millis};
use kippu_domain::voucher::cycle::Period;
use kippu_store::vouchers::settlements::{self as repo, NewVoucherSettlement, ProgramMoney, VoucherSettlementRow};
use kippu_store::vouchers::{self as programs, ProgramRow};
use time::Date;

/// The period in milliseconds, `[start, day after end)`.
fn span(p: &Period) -> (i64, i64) {
    (day_start_ms(p.start), day_start_ms(p.end.next_day().unwrap_or(p.end)))
}

/// The first day a programme's settlements start from: its validity, or the day it was made.
fn first_day(p: &ProgramRow, created: Date) -> Date {
    kippu_domain::clock::parse_date(&p.valid_from).unwrap_or(created)
}

/// The job: every due period of every programme for every enrolled merchant, once. Returns
/// the settlements made.
pub async fn settle_due(app: &App) -> Result<u64> {
    let today = app.clock.today();
    let ids = {
        let mut conn = app.store.conn().await?;
        programs::program_ids(&mut conn).await?
    };
    let mut made = 0;
    for id in ids {
        let (p, created, merchants) = {
            let mut conn = app.store.conn().await?;
            let p = programs::program_by_id(&mut conn, id).await?.ok_or(AppError::NotFound)?;
            let created = programs::created_on(&mut conn, id).await?;
            let merchants = programs::enrolled_ids(&mut conn, id).await?;
            (p, created, merchants)
        };
        let created = from_millis(created).to_offset(JST).date();
        for period in p.cycle.due_periods(first_day(&p, created), today) {
            for m in &merchants {
                if settle_one(app, &p, *m, &period).await?.is_some() {
                    made += 1;
                }
            }
        }
    }
    Ok(made)
}

async fn settle_one(app: &App, p: &ProgramRow, m: MerchantId, period: &Period) -> Result<Option<VoucherSettlementRow>> {
    let (from_ms, to_ms) = span(period);
    let (start, end, payout) = (period.start.to_string(), period.end.to_string(), period.payout.to_string());
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let s = NewVoucherSettlement {
        program: p.id,
        merchant: m,
        period_start: &start,
        period_end: &end,
        payout_date: &payout,
        from_ms,
        to_ms,
    };
    let Some(row) = repo::settle(&mut tx, &s, now).await? else {
        return Ok(None);
    };
    let after = serde_json::json!({"program": p.code, "period": format!("{start}..{end}"), "payments": row.payments, "reversals": row.reversals, "amount": row.amount});
    audit::record(
        &mut tx,
        &Actor::system(),
        Some(m),
        audit::Subject::new("settle", "voucher_settlement", row.id),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(row))
}

/// One line of 支払一覧: the period, the payout date, the amount, and whether it is settled
/// (確定) or still counted from the payments (見込み).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PayoutLine {
    pub start: String,
    pub end: String,
    pub payout: String,
    pub amount: i64,
    pub payments: i64,
    pub settled: bool,
}

/// A programme as the merchant's 精算管理 shows it.
pub struct ProgramPayouts {
    pub code: String,
    pub name: String,
    pub cycle_text: String,
    pub lines: Vec<PayoutLine>,
}

/// 精算管理 of `year` for the actor's merchant: every period begun by today.
pub async fn payouts(app: &App, actor: &Actor, year: i32) -> Result<Vec<ProgramPayouts>> {
    let m = actor.merchant()?;
    let today = app.clock.today();
    let mut conn = app.store.conn().await?;
    let mut out = Vec::new();
    for id in programs::programs_of(&mut conn, m).await? {
        let p = programs::program_by_id(&mut conn, id).await?.ok_or(AppError::NotFound)?;
        let settled = repo::of_merchant(&mut conn, id, m).await?;
        let mut lines = Vec::new();
        for period in p.cycle.periods_of_year(year).into_iter().filter(|x| x.start <= today) {
            let start = period.start.to_string();
            let line = match settled.iter().find(|s| s.period_start == start) {
                Some(s) => PayoutLine {
                    start,
                    end: s.period_end.clone(),
                    payout: s.payout_date.clone(),
                    amount: s.amount,
                    payments: s.payments,
                    settled: true,
                },
                None => {
                    let (from_ms, to_ms) = span(&period);
                    let rows = kippu_store::vouchers::records::day_totals(&mut conn, m, Some(id), from_ms, to_ms).await?;
                    PayoutLine {
                        start,
                        end: period.end.to_string(),
                        payout: period.payout.to_string(),
                        amount: rows.iter().map(|r| r.amount).sum(),
                        payments: rows.iter().map(|r| r.count).sum(),
                        settled: false,
                    }
                }
            };
            lines.push(line);
        }
        lines.reverse();
        out.push(ProgramPayouts {
            code: p.code.clone(),
            name: p.name.clone(),
            cycle_text: p.cycle.describe_ja(),
            lines,
        });
    }
    Ok(out)
}

/// A period's statement as CSV bytes: its uncancelled payments and the total, which is the
/// period's 支払金額 (for a settled period with reversals, they follow as negative lines).
pub async fn statement_csv(app: &App, actor: &Actor, program_code: &str, period_start: &str, enc: Encoding) -> Result<(String, Vec<u8>)> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let p = programs::program_by_code(&mut conn, program_code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    if !programs::is_enrolled(&mut conn, p.id, m).await? {
        return Err(AppError::NotFound);
    }
    let start = kippu_domain::clock::parse_date(period_start.trim()).ok_or(AppError::NotFound)?;
    let period = p.cycle.period_of(start);
    if period.start != start {
        return Err(AppError::NotFound);
    }
    let (from_ms, to_ms) = span(&period);
    let settled = repo::of_merchant(&mut conn, p.id, m)
        .await?
        .into_iter()
        .find(|s| s.period_start == period_start.trim());
    let payments = match &settled {
        Some(s) => repo::settled_payments(&mut conn, s.id).await?,
        None => repo::period_payments(&mut conn, p.id, m, from_ms, to_ms).await?,
    };
    let reversals = match &settled {
        Some(s) => repo::reversed_payments(&mut conn, s.id).await?,
        None => Vec::new(),
    };
    let mut csv = CsvEncoder::new(enc, super::export::HEADER.to_vec());
    let mut bytes = csv.start();
    let mut records: Vec<Vec<String>> = payments.iter().map(super::export::record).collect();
    for r in &reversals {
        let mut line = super::export::record(r);
        line[5] = (-r.amount).to_string();
        records.push(line);
    }
    let total: i64 = payments.iter().map(|x| x.amount).sum::<i64>() - reversals.iter().map(|x| x.amount).sum::<i64>();
    let mut total_line = vec![String::new(); super::export::HEADER.len()];
    total_line[0] = format!("合計（対象期間 {}〜{} 支払予定日 {}）", period.start, period.end, period.payout);
    total_line[5] = total.to_string();
    records.push(total_line);
    bytes.extend(csv.chunk(&records));
    if let Some(report) = csv.finish() {
        bytes.extend(report);
    }
    Ok((format!("voucher-{}-{}", p.code, period.start), bytes))
}

/// The platform's dashboard of a programme: its money and its latest settlements.
pub async fn dashboard(
    app: &App,
    actor: &Actor,
    program_code: &str,
) -> Result<(ProgramRow, ProgramMoney, Vec<(String, VoucherSettlementRow)>)> {
    actor.require_platform("the programme's dashboard is the platform operator's")?;
    let mut conn = app.store.conn().await?;
    let p = programs::program_by_code(&mut conn, program_code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let money = repo::money(&mut conn, p.id).await?;
    let settlements = repo::of_program(&mut conn, p.id, 200).await?;
    Ok((p, money, settlements))
}
