//! 精算管理: the programme's 精算サイクル and 支払一覧 by year (対象期間, 支払予定日, 支払金額), each
//! period's statement as CSV.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::ok;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use kippu_app::App;
use kippu_app::csv_out::Encoding;
use kippu_app::vouchers::settlement::{self, ProgramPayouts};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "voucher_settlement.html")]
struct SettlementPage {
    c: Chrome,
    year: i32,
    years: Vec<i32>,
    programs: Vec<ProgramPayouts>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

pub async fn payouts(State(app): State<App>, s: SignedIn, Query(q): Query<YearQuery>) -> Result<Response, WebError> {
    let this_year = app.clock.today().year();
    let year = q.year.unwrap_or(this_year);
    if !(2000..=this_year + 1).contains(&year) {
        return Err(WebError::NotFound);
    }
    let programs = settlement::payouts(&app, &s.user.actor, year).await?;
    ok(SettlementPage {
        c: Chrome::signed_in(&s.ctx, "vouchers.settlement"),
        year,
        years: ((this_year - 4)..=this_year).rev().collect(),
        programs,
    })
}

/// A period's statement: its payments and the total that is the period's 支払金額.
pub async fn statement(
    State(app): State<App>,
    s: SignedIn,
    Path((program, file)): Path<(String, String)>,
    Query(q): Query<crate::csv_stream::CsvQuery>,
) -> Result<Response, WebError> {
    let start = file.strip_suffix(".csv").ok_or(WebError::NotFound)?;
    let enc = crate::csv_stream::encoding(&q, Encoding::Utf8Bom)?;
    let (name, bytes) = settlement::statement_csv(&app, &s.user.actor, &program, start, enc).await?;
    Ok(crate::csv_stream::attachment(&format!("{name}.csv"), enc, bytes))
}
