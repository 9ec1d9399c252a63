//! 利用実績: the merchant's payments (today by default, at most 3 months) with the manual's
//! filters and page sizes, and 【取消】 within 24 hours through a confirmation with a memo.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::pages::{ok, render};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::App;
use kippu_app::vouchers::records::{self, PAGE_SIZES, RecordQuery};
use kippu_app::vouchers::{PaymentRow, cancel};
use serde::Deserialize;

pub struct Row {
    p: PaymentRow,
    paid_at: String,
    cancelled_at: String,
    may_cancel: bool,
}

#[derive(Template)]
#[template(path = "voucher_records.html")]
struct RecordsPage {
    c: Chrome,
    q: RecordQuery,
    /// The range as the form shows it (`YYYY-MM-DDTHH:MM`).
    from: String,
    to: String,
    products: Vec<(String, String)>,
    sizes: [i64; 3],
    per_page: i64,
    rows: Vec<Row>,
    total: i64,
    page: i64,
    pages: i64,
    search: String,
    error: String,
}

fn minute(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(kippu_domain::clock::JST);
    format!("{}T{:02}:{:02}", t.date(), t.hour(), t.minute())
}

pub async fn list(State(app): State<App>, s: SignedIn, Query(q): Query<RecordQuery>) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let mut pager = q.clone();
    pager.page = String::new();
    let search = serde_urlencoded::to_string(&pager).map_err(|e| WebError::Internal(e.to_string()))?;
    let page = |c, status, r: Option<records::Records>, error: String| {
        let (from, to) = r
            .as_ref()
            .map(|r| (minute(r.from), minute(r.to)))
            .unwrap_or((q.from.clone(), q.to.clone()));
        let (rows, total, page, pages, per_page, products) = match r {
            Some(r) => (
                r.lines
                    .into_iter()
                    .map(|l| Row {
                        paid_at: t.datetime_ms(l.payment.paid_at),
                        cancelled_at: l.payment.cancelled_at.map(|at| t.datetime_ms(at)).unwrap_or_default(),
                        may_cancel: l.may_cancel,
                        p: l.payment,
                    })
                    .collect(),
                r.total,
                r.paging.page(),
                r.paging.pages(r.total),
                r.paging.per_page(),
                r.products.into_iter().map(|p| (p.code, p.name)).collect(),
            ),
            None => (Vec::new(), 0, 1, 1, PAGE_SIZES[0], Vec::new()),
        };
        render(
            status,
            RecordsPage {
                c,
                q: q.clone(),
                from,
                to,
                products,
                sizes: PAGE_SIZES,
                per_page,
                rows,
                total,
                page,
                pages,
                search: search.clone(),
                error,
            },
        )
    };
    let c = Chrome::signed_in(&s.ctx, "vouchers.records");
    match records::search(&app, &s.user.actor, &q).await {
        Ok(r) => page(c, StatusCode::OK, Some(r), String::new()),
        Err(e) => {
            let (status, message) = crate::error::refusal(&t, e)?;
            page(c, status, None, message)
        }
    }
}

#[derive(Template)]
#[template(path = "voucher_cancel.html")]
struct CancelPage {
    c: Chrome,
    p: PaymentRow,
    paid_at: String,
    back: String,
    error: String,
}

#[derive(Deserialize, Default)]
pub struct Back {
    #[serde(default)]
    back: String,
}

fn back_to(b: &str) -> String {
    let b = crate::pages::safe_local(b);
    if b.starts_with("/vouchers/payments") {
        b.to_string()
    } else {
        "/vouchers/payments".into()
    }
}

/// 【取消】: the payment's time, number and amount, and the memo, before cancelling.
pub async fn cancel_screen(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Query(b): Query<Back>,
) -> Result<Response, WebError> {
    let p = cancel::payment(&app, &s.user.actor, &number).await?;
    let error = match cancel::cancellable(&app, &s.user.actor, &p) {
        Ok(()) => String::new(),
        Err(e) => s.ctx.t().said(&e.said()),
    };
    ok(CancelPage {
        c: Chrome::signed_in(&s.ctx, "vouchers.cancel_title"),
        paid_at: s.ctx.t().datetime_ms(p.paid_at),
        p,
        back: back_to(&b.back),
        error,
    })
}

#[derive(Deserialize, Default)]
pub struct CancelForm {
    #[serde(default)]
    memo: String,
    #[serde(default)]
    back: String,
}

pub async fn cancel_run(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Form(f): Form<CancelForm>,
) -> Result<Response, WebError> {
    let back = back_to(&f.back);
    match cancel::cancel(&app, &s.user.actor, &number, &f.memo).await {
        Ok(p) => {
            let message = format!(
                "{} {} {}",
                s.ctx.t().s("vouchers.cancel_done"),
                p.payment_number,
                kippu_domain::Yen(p.amount).display_ja()
            );
            Ok(flash::redirect(s.ctx.secure_cookies, &back, Flash::done(message)))
        }
        Err(e) => {
            let (_, message) = crate::error::refusal(&s.ctx.t(), e)?;
            Ok(flash::redirect(s.ctx.secure_cookies, &back, Flash::refused(message)))
        }
    }
}
