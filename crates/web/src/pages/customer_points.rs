//! ポイント残高 of one customer: the balance, each order's points with their source and status
//! (有効待ち, 有効, 取消), the one ledger of every change from every source with the balance after
//! it, and the admin's 手動調整 (refused whole when it would take the balance below zero).

use super::goods::order_href;
use super::render;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use kippu_app::goods::ledger::{self, Adjustment};
use kippu_app::{App, AppError};

pub struct Line {
    at: String,
    reason: &'static str,
    source: &'static str,
    order: Option<(String, String)>,
    note: String,
    status: &'static str,
    delta: String,
    balance: i64,
    by: String,
}

/// One order's points as the customer page lists them.
pub struct Grant {
    number: String,
    href: String,
    source: &'static str,
    points: i64,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "customer_points.html")]
struct PointsPage {
    c: Chrome,
    id: i64,
    balance: i64,
    grants: Vec<Grant>,
    lines: Vec<Line>,
    points: String,
    note: String,
    errors: FormErrors,
}

async fn page(app: &App, s: &SignedIn, id: i64, a: Adjustment, errors: FormErrors) -> Result<Response, WebError> {
    let ledger::CustomerPoints {
        name,
        customer_number,
        balance,
        entries: rows,
        earned,
    } = ledger::of_customer(app, &s.user.actor, id).await?;
    let t = s.ctx.t();
    let grants = earned
        .into_iter()
        .map(|p| Grant {
            href: order_href(p.order_kind, &p.order_number),
            number: p.order_number,
            source: t.l(p.source.label()),
            points: p.points,
            status: t.l(p.status.label()),
        })
        .collect();
    let lines = rows
        .into_iter()
        .map(|r| Line {
            at: t.datetime_ms(r.created_at),
            reason: t.l(r.reason.label()),
            source: t.l(r.source.label()),
            order: r.order_number.zip(r.order_kind).map(|(n, k)| (order_href(k, &n), n)),
            note: r.note,
            status: r.point_status.map(|p| t.l(p.label())).unwrap_or(""),
            delta: if r.delta > 0 {
                format!("+{}", r.delta)
            } else {
                r.delta.to_string()
            },
            balance: r.balance_after,
            by: r.actor_label,
        })
        .collect();
    let status = errors.status();
    render(
        status,
        PointsPage {
            c: {
                let mut c = Chrome::signed_in(&s.ctx, "points.title");
                // Whose points: 「ポイント残高・履歴 — 山田 花子（顧客番号 6）」.
                c.title = format!("{} — {name}（{} {customer_number}）", c.title, t.s("customers.number"));
                c
            },
            id,
            balance,
            grants,
            lines,
            points: a.points,
            note: a.note,
            errors,
        },
    )
}

pub async fn points_page(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    page(&app, &s, id, Adjustment::default(), FormErrors::default()).await
}

pub async fn adjust(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(a): Form<Adjustment>) -> Result<Response, WebError> {
    match ledger::adjust(&app, &s.user.actor, id, &a).await {
        Ok(balance) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/proxy/customers/{id}/points"),
            Flash::done(format!("{} {balance}", s.ctx.t().s("points.adjusted"))),
        )),
        Err(AppError::Invalid(e)) => page(&app, &s, id, a, FormErrors::by_field(&e)).await,
        Err(e) => Err(e.into()),
    }
}
