//! データ出力: the 利用実績 of a range (at most 3 months) as CSV, CP932 or UTF-8, streamed.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::ok;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kippu_app::vouchers::export;
use kippu_app::vouchers::records::{self, RecordQuery};
use kippu_app::{App, AppError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "voucher_export.html")]
struct ExportPage {
    c: Chrome,
    from: String,
    to: String,
}

pub async fn page(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    // The form opens on today, as 利用実績 does.
    let c = records::check(&app, &s.user.actor, &RecordQuery::default()).await?;
    let day = |t: time::OffsetDateTime| t.to_offset(kippu_domain::clock::JST).date().to_string();
    ok(ExportPage {
        c: Chrome::signed_in(&s.ctx, "vouchers.export"),
        from: day(c.from),
        to: day(c.to),
    })
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(flatten)]
    q: RecordQuery,
    #[serde(default)]
    encoding: String,
}

pub async fn download(State(app): State<App>, s: SignedIn, Query(e): Query<ExportQuery>) -> Result<Response, WebError> {
    let enc = kippu_app::csv_out::Encoding::choose(&e.encoding, crate::csv_stream::default_for(s.ctx.lang)).map_err(AppError::from)?;
    // Checked before the download starts: a bad range is a page with the reason, not a short file.
    records::check(&app, &s.user.actor, &e.q).await?;
    let actor = s.user.actor.clone();
    let q = e.q;
    Ok(crate::csv_stream::stream(
        &app.clone(),
        "voucher-payments",
        enc,
        move |tx| async move { export::payments_csv(&app, &actor, &q, enc, tx).await },
    ))
}
