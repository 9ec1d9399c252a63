//! 入金: the monthly reservation payouts. A merchant sees its own; the platform sees every
//! merchant's and sets each merchant's fee rate. Each statement as screen, CSV and PDF.

use super::render;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::csv_out::Encoding;
use kippu_app::reservations::payouts::{self, Statement};
use kippu_app::{App, AppError};
use kippu_domain::Yen;
use kippu_domain::settlement::summary_rows;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "payouts.html")]
struct ListPage {
    c: Chrome,
    platform: bool,
    /// (id, merchant, period, payout date, net, status)
    rows: Vec<(i64, String, String, String, String, String)>,
    merchants: Vec<(String, String, String)>,
    error: String,
    notice: String,
}

async fn list_page(app: &App, s: &SignedIn, status: StatusCode, error: String, notice: String) -> Result<Response, WebError> {
    let rows = payouts::list(app, &s.user.actor)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                format!("{} {}", r.merchant_code, r.merchant_name),
                format!("{} 〜 {}", r.period_start, r.period_end),
                r.payout_date,
                Yen(r.net).display_ja(),
                r.status.label_ja().to_string(),
            )
        })
        .collect();
    let platform = s.user.actor.is_platform();
    let merchants = if platform {
        kippu_app::merchants::list(app, &s.user.actor)
            .await?
            .into_iter()
            .map(|m| {
                let pct = kippu_domain::money::percent_of_bp(m.platform_fee_bp);
                (m.code, m.name, pct)
            })
            .collect()
    } else {
        Vec::new()
    };
    render(
        status,
        ListPage {
            c: Chrome::signed_in(&s.ctx, "payouts.title"),
            platform,
            rows,
            merchants,
            error,
            notice,
        },
    )
}

pub async fn list(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    list_page(&app, &s, StatusCode::OK, String::new(), String::new()).await
}

#[derive(Deserialize)]
pub struct FeeForm {
    merchant: String,
    fee_percent: String,
}

/// The platform sets a merchant's fee rate.
pub async fn set_fee(State(app): State<App>, s: SignedIn, Form(f): Form<FeeForm>) -> Result<Response, WebError> {
    let input = payouts::FeeRateInput {
        reservation: &f.fee_percent,
        ticket: None,
        goods: None,
    };
    match payouts::set_fee_rates(&app, &s.user.actor, &f.merchant, &input).await {
        Ok(()) => {
            let message = format!("{}: {} {}%", f.merchant, s.ctx.t().s("merchants.fee_set"), f.fee_percent.trim());
            Ok(flash::redirect(s.ctx.secure_cookies, "/reservations/payouts", Flash::done(message)))
        }
        Err(AppError::Invalid(e)) => {
            list_page(
                &app,
                &s,
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{}: {}", f.merchant, e.message),
                String::new(),
            )
            .await
        }
        Err(AppError::Forbidden(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "payout.html")]
struct DetailPage {
    c: Chrome,
    id: i64,
    merchant: String,
    period: String,
    payout_date: String,
    fee_rate: String,
    net: String,
    status: String,
    can_mark_paid: bool,
    error: String,
    total: Vec<(&'static str, String)>,
    /// (channel, rows of the summary)
    channels: Vec<(String, Vec<(&'static str, String)>)>,
    /// (channel, order number, visit date, kind, amount)
    lines: Vec<(String, String, String, &'static str, String)>,
}

fn rows(t: &crate::i18n::T, totals: &kippu_domain::settlement::PayoutTotals) -> Vec<(&'static str, String)> {
    summary_rows(totals)
        .into_iter()
        .map(|(l, v)| (t.l(l), Yen(v).display_ja()))
        .collect()
}

fn id_of(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

async fn load(app: &App, s: &SignedIn, id: &str) -> Result<Statement, WebError> {
    Ok(payouts::statement(app, &s.user.actor, id_of(id)?).await?)
}

pub async fn detail(State(app): State<App>, s: SignedIn, Path(id): Path<String>) -> Result<Response, WebError> {
    detail_page(&app, &s, &id, StatusCode::OK, String::new()).await
}

async fn detail_page(app: &App, s: &SignedIn, id: &str, status: StatusCode, error: String) -> Result<Response, WebError> {
    let st = load(app, s, id).await?;
    let x = &st.settlement;
    let t = s.ctx.t();
    render(
        status,
        DetailPage {
            c: Chrome::signed_in(&s.ctx, "payouts.statement"),
            id: x.id,
            merchant: format!("{} {}", x.merchant_code, x.merchant_name),
            period: format!("{} 〜 {}", x.period_start, x.period_end),
            payout_date: x.payout_date.clone(),
            fee_rate: format!(
                "{} {}% ・ {} {}%",
                t.s("payouts.rate_reservation"),
                kippu_domain::money::percent_of_bp(st.rates.reservation_bp),
                t.s("payouts.rate_ticket"),
                kippu_domain::money::percent_of_bp(st.rates.ticket_bp)
            ),
            net: Yen(st.total.net).display_ja(),
            status: t.l(x.status.label()).to_string(),
            can_mark_paid: s.user.actor.is_platform() && x.status.mark_paid().is_ok(),
            error,
            total: rows(&t, &st.total),
            channels: st
                .channels
                .iter()
                .map(|c| (format!("{} {}", c.code, c.name), rows(&t, &c.totals)))
                .collect(),
            lines: st
                .lines
                .iter()
                .map(|l| {
                    (
                        l.channel_code.clone(),
                        l.order_number.clone(),
                        l.visit_date.clone().unwrap_or_default(),
                        t.l(l.line_kind.label()),
                        Yen(l.line_kind.sign() * l.amount).display_ja(),
                    )
                })
                .collect(),
        },
    )
}

pub async fn csv(
    State(app): State<App>,
    s: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<crate::csv_stream::CsvQuery>,
) -> Result<Response, WebError> {
    // The statement opens as UTF-8 unless CP932 is asked for (the screen offers both).
    let enc = crate::csv_stream::encoding(&q, Encoding::Utf8Bom)?;
    let st = load(&app, &s, &id).await?;
    let name = format!("payout-{}-{}.csv", st.settlement.merchant_code, &st.settlement.period_start[..7]);
    Ok(crate::csv_stream::attachment(&name, enc, payouts::csv(&st, enc)))
}

pub async fn pdf(State(app): State<App>, s: SignedIn, Path(id): Path<String>) -> Result<Response, WebError> {
    let st = load(&app, &s, &id).await?;
    let issued = kippu_domain::clock::format_jst(app.clock.now());
    let bytes = payouts::pdf(&st, &issued)?;
    let name = format!("payout-{}-{}", st.settlement.merchant_code, &st.settlement.period_start[..7]);
    Ok(crate::pdf_response(&name, bytes))
}

/// 事務局: お支払い済みにする.
pub async fn mark_paid(State(app): State<App>, s: SignedIn, Path(id): Path<String>) -> Result<Response, WebError> {
    match payouts::mark_paid(&app, &s.user.actor, id_of(&id)?).await {
        Ok(()) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/reservations/payouts/{id}"),
            Flash::done(s.ctx.t().s("flash.payout_paid")),
        )),
        Err(AppError::Conflict(m)) => detail_page(&app, &s, &id, StatusCode::CONFLICT, s.ctx.t().said(&m)).await,
        Err(e) => Err(e.into()),
    }
}
