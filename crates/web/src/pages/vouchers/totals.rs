//! 月別利用実績 (per month and product, at most 3 months) and 日別利用実績 (per day and product,
//! at most 31 days): uncancelled payments, with the totals per product and over all.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::App;
use kippu_app::vouchers::records::{self, Totals};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "voucher_totals.html")]
struct TotalsPage {
    c: Chrome,
    /// `month` or `date`: the range inputs' type.
    input: &'static str,
    period_label: &'static str,
    note: &'static str,
    from: String,
    to: String,
    totals: Option<Totals>,
    error: String,
}

#[derive(Deserialize, Default)]
pub struct RangeQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

struct Kind {
    title: &'static str,
    input: &'static str,
    period: &'static str,
    note: &'static str,
}

async fn page(s: SignedIn, q: RangeQuery, k: Kind, r: kippu_app::Result<Totals>) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let (status, totals, error) = match r {
        Ok(totals) => (StatusCode::OK, Some(totals), String::new()),
        Err(e) => {
            let (status, message) = crate::error::refusal(&t, e)?;
            (status, None, message)
        }
    };
    let (from, to) = match &totals {
        Some(x) => (x.from.clone(), x.to.clone()),
        None => (q.from, q.to),
    };
    render(
        status,
        TotalsPage {
            c: Chrome::signed_in(&s.ctx, k.title),
            input: k.input,
            period_label: t.s(k.period),
            note: t.s(k.note),
            from,
            to,
            totals,
            error,
        },
    )
}

pub async fn monthly(State(app): State<App>, s: SignedIn, Query(q): Query<RangeQuery>) -> Result<Response, WebError> {
    let r = records::monthly(&app, &s.user.actor, &q.from, &q.to).await;
    let k = Kind {
        title: "vouchers.monthly",
        input: "month",
        period: "vouchers.month",
        note: "vouchers.range_note",
    };
    page(s, q, k, r).await
}

pub async fn daily(State(app): State<App>, s: SignedIn, Query(q): Query<RangeQuery>) -> Result<Response, WebError> {
    let r = records::daily(&app, &s.user.actor, &q.from, &q.to).await;
    let k = Kind {
        title: "vouchers.daily",
        input: "date",
        period: "vouchers.day",
        note: "vouchers.range31_note",
    };
    page(s, q, k, r).await
}
