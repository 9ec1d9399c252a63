//! 販促レポート: per AD code (媒体) and per coupon, the orders of a date range and their sales
//! after the discount (`kippu_app::promotions`). A bad range is said above the form.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::ok;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kippu_app::promotions::PromotionRow;
use kippu_app::{App, AppError};
use kippu_domain::money::Yen;
use serde::Deserialize;

pub struct Row {
    code: String,
    name: String,
    orders: i64,
    sales: String,
}

pub struct Table {
    title: &'static str,
    key: &'static str,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "promotions_report.html")]
struct ReportPage {
    c: Chrome,
    from: String,
    to: String,
    error: String,
    tables: Vec<Table>,
}

#[derive(Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
}

fn rows(r: Vec<PromotionRow>) -> Vec<Row> {
    r.into_iter()
        .map(|r| Row {
            code: r.code,
            name: r.name,
            orders: r.orders,
            sales: Yen(r.sales).display_ja(),
        })
        .collect()
}

/// `/proxy/report`: this month so far unless a range is asked for.
pub async fn page(State(app): State<App>, s: SignedIn, Query(q): Query<ReportQuery>) -> Result<Response, WebError> {
    let today = app.clock.today();
    let from = q.from.unwrap_or_else(|| today.replace_day(1).unwrap_or(today).to_string());
    let to = q.to.unwrap_or_else(|| today.to_string());
    let (error, ad_codes, coupons) = match kippu_app::promotions::report(&app, &s.user.actor, &from, &to).await {
        Ok(r) => (String::new(), rows(r.ad_codes), rows(r.coupons)),
        Err(AppError::Invalid(e)) => (e.messages(), Vec::new(), Vec::new()),
        Err(e) => return Err(e.into()),
    };
    ok(ReportPage {
        c: Chrome::signed_in(&s.ctx, "report.title"),
        from,
        to,
        error,
        tables: vec![
            Table {
                title: "report.by_ad_code",
                key: "ad",
                rows: ad_codes,
            },
            Table {
                title: "report.by_coupon",
                key: "coupon",
                rows: coupons,
            },
        ],
    })
}
