//! 精算 (入金): the monthly settlement of every merchant. In month M the platform pays, by the end
//! of M, for the sales of M−1: web tickets paid in M−1 (deposit matched, card captured, received
//! at the venue), reservations used or no-show with a visit date in M−1, cancellation fees kept
//! on bookings cancelled in M−1; minus the platform fee, card cancel-request fees, refunds,
//! promotion costs, and what the merchant took itself. One settlement per merchant and month,
//! itemized by kind and channel (statement: screen, CSV, PDF, API).

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::clock::JST;
use kippu_domain::settlement::{FeeRates, LineKind, PayoutLine, PayoutTotals, payout};

mod document;
mod rates;
pub use document::{CSV_HEADER, csv, pdf};
use kippu_domain::clock::to_millis;
use kippu_domain::validate::FieldError;
use kippu_store::settlements::{self as repo, NewSettlement, Period, SettlementRow, StatementLine};
pub use rates::{FeeRateInput, parse_percent, set_fee_rates};
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
    for (m, rates) in merchants {
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
        let (_, total) = payout(&lines, rates);
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
                goods_sales: total.goods_sales,
                promotion_costs: total.promotion_costs,
                points_used: total.points_used,
                coupon_discounts: total.coupon_discounts,
                net: total.net,
                fee_bp: rates.reservation_bp,
                ticket_fee_bp: rates.ticket_bp,
                goods_fee_bp: rates.goods_bp,
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
            Some(&serde_json::json!({"period": period.to_string(), "net": total.net, "lines": sources.len(), "fee_bp": rates.reservation_bp, "ticket_fee_bp": rates.ticket_bp, "goods_fee_bp": rates.goods_bp})),
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
        let fee = st.rates.fee(l.line_kind, l.amount);
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
    /// The rates the settlement was made with.
    pub rates: FeeRates,
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
    let rates = FeeRates {
        reservation_bp: s.fee_bp,
        ticket_bp: s.ticket_fee_bp,
        goods_bp: s.goods_fee_bp,
    };
    let (per, total) = payout(&domain_lines, rates);
    if total.net != s.net
        || total.gross != s.gross
        || total.ticket_sales != s.ticket_sales
        || total.goods_sales != s.goods_sales
        || total.platform_fee != s.platform_fee
        || total.points_used != s.points_used
        || total.coupon_discounts != s.coupon_discounts
    {
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
        rates,
        channels,
        total,
        lines,
    })
}

/// The platform records that it transferred a payout (お支払い済み). Once; never back.
pub async fn mark_paid(app: &App, actor: &Actor, id: i64) -> Result<()> {
    actor.require_platform("marking payouts paid is the platform operator's")?;
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
        assert_eq!(parse_percent("fee_percent", "5").unwrap(), 500);
        assert_eq!(parse_percent("fee_percent", "5.5").unwrap(), 550);
        assert_eq!(parse_percent("fee_percent", "12.25%").unwrap(), 1225);
        for bad in ["", "-1", "5.555", "abc", "101"] {
            assert!(parse_percent("fee_percent", bad).is_err(), "{bad}");
        }
    }
}
