//! The platform operator's screens: 入金確認 (deposits into the platform's account, one by one,
//! in bulk, or by bank-statement CSV) and キャンセル申請 (completing card cancel requests).

use super::orders::{OrderLine, line};
use super::render;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::App;
use kippu_app::csv_import::LineError;
use kippu_app::deposits::{self, ImportReport};
use kippu_app::orders;
use kippu_domain::paging::Paging;

#[derive(Template)]
#[template(path = "platform_orders.html")]
struct PlatformOrders {
    c: Chrome,
    rows: Vec<(String, OrderLine)>,
    deposits: bool,
    report: Option<ImportReport>,
    errors: Vec<LineError>,
}

async fn page(app: &App, s: &SignedIn, deposits: bool, report: Option<ImportReport>, errors: Vec<LineError>) -> Result<Response, WebError> {
    s.user
        .actor
        .require_platform("deposits and cancel requests are the platform operator's")?;
    let filter = if deposits {
        kippu_app::work_queue::deposits_filter()
    } else {
        kippu_app::work_queue::cancel_requests_filter()
    };
    let p = orders::list(app, &s.user.actor, filter, Paging::first(Paging::MAX_PER_PAGE)).await?;
    let codes = kippu_app::merchants::list(app, &s.user.actor).await?;
    let rows = p
        .orders
        .iter()
        .map(|v| {
            let merchant = codes
                .iter()
                .find(|m| m.id == v.order.merchant_id)
                .map(|m| format!("{} {}", m.code, m.name))
                .unwrap_or_default();
            (merchant, line(v, &s.user.actor, app.clock.now(), s.ctx.t()))
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        PlatformOrders {
            c: Chrome::signed_in(&s.ctx, if deposits { "nav.deposits" } else { "nav.cancel_requests" }),
            rows,
            deposits,
            report,
            errors,
        },
    )
}

pub async fn deposits(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    page(&app, &s, true, None, vec![]).await
}

pub async fn cancel_requests(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    page(&app, &s, false, None, vec![]).await
}

/// Upload of a bank statement (multipart; the CSRF token travels in the query string).
pub async fn import(State(app): State<App>, s: SignedIn, mut form: Multipart) -> Result<Response, WebError> {
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|_| WebError::TooLarge)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("statement.csv").to_string();
            let bytes = field.bytes().await.map_err(|_| WebError::TooLarge)?;
            file = Some((name, bytes));
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return page(
            &app,
            &s,
            true,
            None,
            vec![LineError::new(0, "ファイル", "CSVファイルを選択してください")],
        )
        .await;
    };
    match deposits::import_bank_csv(&app, &s.user.actor, &name, &bytes).await? {
        Ok(report) => page(&app, &s, true, Some(report), vec![]).await,
        Err(errors) => page(&app, &s, true, None, errors).await,
    }
}
