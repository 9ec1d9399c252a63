//! 精算 (入金): the monthly settlement of every merchant. In month M the platform pays, by the end
//! of M, for the sales of M−1: web tickets paid in M−1 (deposit matched, card captured, received
//! at the venue), reservations used or no-show with a visit date in M−1, cancellation fees kept
//! on bookings cancelled in M−1; minus the platform fee, card cancel-request fees, refunds,
//! promotion costs, and what the merchant took itself. One settlement per merchant and month,
//! itemized by kind and channel (statement: screen, CSV, PDF, API).

use crate::csv_out::{CsvEncoder, Encoding};
use crate::documents::pdf::{Item, MARGIN, render};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::clock::JST;
use kippu_domain::settlement::{LineKind, PayoutLine, PayoutTotals, payout, summary_rows};
use kippu_domain::validate::FieldError;
use kippu_domain::{Yen, clock::to_millis};
use kippu_store::settlements::{self as repo, NewSettlement, Period, SettlementRow, StatementLine};
use time::{Date, Month, PrimitiveDateTime, Time};

/// A calendar month in Japan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearMonth {
    pub year: i32,
    pub month: Month,
}

impl YearMonth {
    pub fn of(d: Date) -> YearMonth {
        YearMonth {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn previous(self) -> YearMonth {
        let m = self.month.previous();
        YearMonth {
            year: if m == Month::December { self.year - 1 } else { self.year },
            month: m,
        }
    }

    pub fn next(self) -> YearMonth {
        let m = self.month.next();
        YearMonth {
            year: if m == Month::January { self.year + 1 } else { self.year },
            month: m,
        }
    }

    pub fn first(self) -> Date {
        Date::from_calendar_date(self.year, self.month, 1).expect("day 1 exists")
    }

    pub fn last(self) -> Date {
        self.next().first().previous_day().expect("a day before")
    }

    /// `YYYY-MM`.
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.split_once('-')?;
        let year: i32 = y.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
        (y.len() == 4 && m.len() == 2).then_some(YearMonth { year, month })
    }

    fn start_ms(self) -> i64 {
        to_millis(PrimitiveDateTime::new(self.first(), Time::MIDNIGHT).assume_offset(JST))
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month as u8)
    }
}

/// Makes the payouts of `period` for every active merchant; merchants that already have one
/// are left alone (the job is safe to run again). Returns the payouts made.
pub async fn settle_month(app: &App, period: YearMonth) -> Result<u64> {
    let merchants = {
        let mut conn = app.store.conn().await?;
        repo::merchants_for_payout(&mut conn).await?
    };
    let from = period.first().to_string();
    let to = period.last().to_string();
    let payout_date = period.next().last().to_string();
    let p = Period {
        from_date: &from,
        to_date: &to,
        from_ms: period.start_ms(),
        to_ms: period.next().start_ms(),
    };
    let mut made = 0;
    for (id, fee_bp) in merchants {
        let m = MerchantId(id);
        let now = app.now_ms();
        let mut tx = app.store.begin().await?;
        let sources = repo::sources(&mut tx, m, p).await?;
        let lines: Vec<PayoutLine> = sources
            .iter()
            .map(|s| PayoutLine {
                channel: s.channel_id.unwrap_or(0).to_string(),
                kind: LineKind::parse(&s.line_kind).expect("the query writes known kinds"),
                amount: s.amount,
            })
            .collect();
        let (_, total) = payout(&lines, fee_bp);
        let Some(sid) = repo::insert_settlement(
            &mut tx,
            &NewSettlement {
                merchant_id: m,
                period_start: &from,
                period_end: &to,
                payout_date: &payout_date,
                gross: total.gross,
                platform_fee: total.platform_fee,
                cancel_request_fees: total.cancel_request_fees,
                refunds: total.refunds,
                cancellation_fees_kept: total.cancellation_fees_kept,
                ticket_sales: total.ticket_sales,
                promotion_costs: total.promotion_costs,
                net: total.net,
                fee_bp,
                now,
            },
        )
        .await?
        else {
            continue;
        };
        repo::insert_lines(&mut tx, m, sid, &sources).await?;
        audit::record(
            &mut tx,
            &Actor::system(),
            Some(m),
            audit::Subject::new("payout", "settlement", sid),
            audit::NONE,
            Some(&serde_json::json!({"period": period.to_string(), "net": total.net, "lines": sources.len(), "fee_bp": fee_bp})),
            now,
        )
        .await?;
        tx.commit().await?;
        made += 1;
    }
    Ok(made)
}

/// The job: the payouts of last month (Japan), once.
pub async fn settle_due(app: &App) -> Result<u64> {
    settle_month(app, YearMonth::of(app.clock.today()).previous()).await
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<SettlementRow>> {
    let mut conn = app.store.conn().await?;
    Ok(repo::settlements(&mut conn, actor.scope()?, None, 240).await?)
}

/// The statements of one month (or the latest, without a month): the merchant's own, or for the
/// platform every merchant's or the one with `merchant_code`. A merchant naming another merchant
/// finds nothing.
pub async fn statements(app: &App, actor: &Actor, month: Option<YearMonth>, merchant_code: Option<&str>) -> Result<Vec<Statement>> {
    let scope = match (actor.scope()?, merchant_code.map(str::trim).filter(|c| !c.is_empty())) {
        (None, Some(code)) => {
            let mut conn = app.store.conn().await?;
            Some(
                kippu_store::merchants::find_by_code(&mut conn, code)
                    .await?
                    .ok_or_else(|| FieldError::new("merchant", format!("加盟店コード {code} は存在しません")))?
                    .id,
            )
        }
        (scope, _) => scope,
    };
    let start = month.map(|m| m.first().to_string());
    let rows = {
        let mut conn = app.store.conn().await?;
        repo::settlements(&mut conn, scope, start.as_deref(), 1000).await?
    };
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(statement(app, actor, r.id).await?);
    }
    Ok(out)
}

/// A statement line as the API lists it: signed (+ what the merchant receives, − what is
/// deducted), the platform fee as lines of its own per kind of sale and channel, so the lines add
/// up to the payout to the yen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedLine {
    /// A line kind's code, or `platform_fee`.
    pub kind: &'static str,
    pub label: kippu_domain::label::Label,
    pub channel: String,
    pub order_number: Option<String>,
    pub amount: i64,
}

pub fn signed_lines(st: &Statement) -> Vec<SignedLine> {
    let mut out: Vec<SignedLine> = st
        .lines
        .iter()
        .map(|l| SignedLine {
            kind: l.line_kind.as_str(),
            label: l.line_kind.label(),
            channel: l.channel_code.clone(),
            order_number: Some(l.order_number.clone()),
            amount: l.line_kind.sign() * l.amount,
        })
        .collect();
    let mut fees: Vec<(LineKind, String, i64)> = Vec::new();
    for l in st.lines.iter().filter(|l| l.line_kind.is_revenue()) {
        let fee = kippu_domain::settlement::platform_fee(l.amount, st.fee_bp);
        match fees.iter_mut().find(|(k, c, _)| *k == l.line_kind && *c == l.channel_code) {
            Some(f) => f.2 += fee,
            None => fees.push((l.line_kind, l.channel_code.clone(), fee)),
        }
    }
    for (kind, channel, fee) in fees.into_iter().filter(|f| f.2 > 0) {
        out.push(SignedLine {
            kind: "platform_fee",
            label: kind.fee_label().unwrap_or(kind.label()),
            channel,
            order_number: None,
            amount: -fee,
        });
    }
    out
}

/// One channel's part of a statement.
#[derive(Debug, Clone)]
pub struct ChannelPart {
    pub code: String,
    pub name: String,
    pub totals: PayoutTotals,
}

pub struct Statement {
    pub settlement: SettlementRow,
    pub fee_bp: i64,
    pub channels: Vec<ChannelPart>,
    pub total: PayoutTotals,
    pub lines: Vec<StatementLine>,
}

/// A payout with its per-channel parts, recomputed from its lines (and checked against the
/// stored totals: a statement that does not add up is an error, never a document).
pub async fn statement(app: &App, actor: &Actor, id: i64) -> Result<Statement> {
    let mut conn = app.store.conn().await?;
    let s = repo::settlement(&mut conn, actor.scope()?, id).await?.ok_or(AppError::NotFound)?;
    let lines = repo::statement_lines(&mut conn, id).await?;
    let domain_lines: Vec<PayoutLine> = lines
        .iter()
        .map(|l| PayoutLine {
            channel: format!("{}\t{}", l.channel_code, l.channel_name),
            kind: l.line_kind,
            amount: l.amount,
        })
        .collect();
    let rate = s.fee_bp;
    let (per, total) = payout(&domain_lines, rate);
    if total.net != s.net || total.gross != s.gross || total.ticket_sales != s.ticket_sales || total.platform_fee != s.platform_fee {
        return Err(AppError::Internal(format!("payout {id} does not add up to its lines")));
    }
    let channels = per
        .into_iter()
        .map(|(key, totals)| {
            let (code, name) = key.split_once('\t').unwrap_or((key.as_str(), ""));
            ChannelPart {
                code: code.to_string(),
                name: name.to_string(),
                totals,
            }
        })
        .collect();
    Ok(Statement {
        settlement: s,
        fee_bp: rate,
        channels,
        total,
        lines,
    })
}

pub const CSV_HEADER: [&str; 8] = ["区分", "チャネル", "チャネル名", "受注番号", "来店日", "種別", "金額", "手数料"];

fn yen(n: i64) -> String {
    Yen(n).display_ja()
}

/// The statement as CSV: a row per line (明細), then per channel the summary (小計), then the
/// total (合計).
pub fn csv(st: &Statement, enc: Encoding) -> Vec<u8> {
    let row = |cells: [&str; 8]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let mut records = Vec::with_capacity(st.lines.len() + 16);
    for l in &st.lines {
        let kind = l.line_kind;
        let fee = if kind.is_revenue() {
            kippu_domain::settlement::platform_fee(l.amount, st.fee_bp)
        } else {
            0
        };
        records.push(row([
            "明細",
            &l.channel_code,
            &l.channel_name,
            &l.order_number,
            l.visit_date.as_deref().unwrap_or(""),
            kind.label_ja(),
            &(kind.sign() * l.amount).to_string(),
            &fee.to_string(),
        ]));
    }
    for c in &st.channels {
        for (label, v) in summary_rows(&c.totals) {
            records.push(row(["小計", &c.code, &c.name, "", "", label.ja, &v.to_string(), ""]));
        }
    }
    for (label, v) in summary_rows(&st.total) {
        records.push(row(["合計", "", "", "", "", label.ja, &v.to_string(), ""]));
    }
    let mut csv = CsvEncoder::new(enc, &CSV_HEADER);
    let mut out = csv.start();
    out.extend(csv.chunk(&records));
    out.extend(csv.finish().unwrap_or_default());
    out
}

fn text(x: f32, size: f32, s: impl Into<String>) -> Item {
    Item::Text { x, size, text: s.into() }
}

/// The statement as PDF (Japanese, text extractable): the totals, each channel's part, and
/// every line.
pub fn pdf(st: &Statement, issued_at: &str) -> Result<Vec<u8>> {
    let s = &st.settlement;
    let mut lines: Vec<Vec<Item>> = vec![
        vec![text(MARGIN, 20.0, "精算明細書（入金明細）")],
        vec![text(
            MARGIN,
            11.0,
            format!("{} 様（加盟店コード {}）", s.merchant_name, s.merchant_code),
        )],
        vec![text(
            MARGIN,
            11.0,
            format!("対象期間 {} 〜 {}　お支払い予定日 {}", s.period_start, s.period_end, s.payout_date),
        )],
        vec![text(
            MARGIN,
            10.0,
            format!(
                "プラットフォーム手数料率 {}%　発行日時 {}",
                kippu_domain::money::percent_of_bp(st.fee_bp),
                issued_at
            ),
        )],
        vec![Item::Gap(6.0)],
        vec![text(MARGIN, 14.0, format!("入金額 {}", yen(st.total.net)))],
        vec![Item::Rule],
    ];
    let summary = |lines: &mut Vec<Vec<Item>>, t: &PayoutTotals| {
        for (label, v) in summary_rows(t) {
            lines.push(vec![text(MARGIN + 12.0, 10.0, label.ja), text(330.0, 10.0, yen(v))]);
        }
    };
    lines.push(vec![text(MARGIN, 12.0, "合計")]);
    summary(&mut lines, &st.total);
    for c in &st.channels {
        lines.push(vec![Item::Rule]);
        lines.push(vec![text(MARGIN, 12.0, format!("チャネル {} {}", c.code, c.name))]);
        summary(&mut lines, &c.totals);
    }
    lines.push(vec![Item::Rule]);
    lines.push(vec![text(MARGIN, 12.0, "明細")]);
    for l in &st.lines {
        let kind = l.line_kind;
        lines.push(vec![
            text(MARGIN, 9.0, l.channel_code.clone()),
            text(MARGIN + 50.0, 9.0, l.order_number.clone()),
            text(MARGIN + 150.0, 9.0, l.visit_date.clone().unwrap_or_default()),
            text(MARGIN + 220.0, 9.0, kind.label_ja()),
            text(MARGIN + 400.0, 9.0, yen(kind.sign() * l.amount)),
        ]);
    }
    render(lines, &format!("kippu 入金明細 {} {}", s.merchant_code, s.period_start)).map_err(AppError::Internal)
}

/// The platform records that it transferred a payout (お支払い済み). Once; never back.
pub async fn mark_paid(app: &App, actor: &Actor, id: i64) -> Result<()> {
    if !actor.is_platform() {
        return Err(AppError::NotFound);
    }
    let mut tx = app.store.begin().await?;
    let s = repo::settlement(&mut tx, None, id).await?.ok_or(AppError::NotFound)?;
    let from = s.status;
    let to = from.mark_paid().map_err(|e| AppError::Conflict(e.said()))?;
    if !repo::set_settlement_status(&mut tx, id, from.as_str(), to.as_str()).await? {
        return Err(AppError::Conflict(kippu_domain::label::Said::new(
            "この入金は処理中に変更されました",
            "This payout changed while the request ran",
        )));
    }
    audit::record(
        &mut tx,
        actor,
        Some(kippu_domain::MerchantId(s.merchant_id)),
        audit::Subject::new("payout_paid", "settlement", id),
        Some(&serde_json::json!({"status": from.as_str()})),
        Some(&serde_json::json!({"status": to.as_str(), "net": s.net})),
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The platform sets a merchant's fee rate (basis points: 500 = 5 %). It applies to payouts
/// made from now on.
pub async fn set_fee_rate(app: &App, actor: &Actor, merchant_code: &str, percent: &str) -> Result<()> {
    if !actor.is_platform() {
        return Err(AppError::Forbidden("fee rates are the platform's"));
    }
    let bp = parse_percent(percent)?;
    let mut tx = app.store.begin().await?;
    let m = kippu_store::merchants::find_by_code(&mut tx, merchant_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = m.platform_fee_bp;
    repo::set_fee_rate(&mut tx, m.id, bp).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m.id),
        audit::Subject::new("set_fee_rate", "merchant", merchant_code),
        Some(&serde_json::json!({"platform_fee_bp": before})),
        Some(&serde_json::json!({"platform_fee_bp": bp})),
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "5", "5.5", "12.25" (percent, at most two decimals, 0–100) → basis points.
pub fn parse_percent(s: &str) -> std::result::Result<i64, FieldError> {
    let bad = || FieldError::new("fee_percent", "手数料率は0〜100の数（小数点以下2桁まで、例 5.5）で入力してください");
    // A rate typed with the IME (６．５％) is the same rate.
    let typed = kippu_domain::normalize::text(s);
    let s = typed.trim().trim_end_matches('%');
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || int.len() > 3 || frac.len() > 2 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let bp = int.parse::<i64>().map_err(|_| bad())? * 100 + format!("{frac:0<2}").parse::<i64>().map_err(|_| bad())?;
    if bp > 10_000 {
        return Err(bad());
    }
    Ok(bp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_and_their_boundaries() {
        let m = YearMonth::of(date!(2026 - 01 - 15));
        assert_eq!(m.previous().to_string(), "2025-12");
        assert_eq!(m.last(), date!(2026 - 01 - 31));
        assert_eq!(YearMonth::parse("2026-02").unwrap().last(), date!(2026 - 02 - 28));
        assert_eq!(YearMonth::parse("2026-2"), None);
        // 2026-01-01 00:00 JST is 2025-12-31 15:00 UTC.
        assert_eq!(m.start_ms(), to_millis(time::macros::datetime!(2025-12-31 15:00 UTC)));
    }

    #[test]
    fn fee_percentages() {
        assert_eq!(parse_percent("5").unwrap(), 500);
        assert_eq!(parse_percent("5.5").unwrap(), 550);
        assert_eq!(parse_percent("12.25%").unwrap(), 1225);
        for bad in ["", "-1", "5.555", "abc", "101"] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
    }
}
