//! 有効化処理: 有効待ち and 有効 lists of order points (goods orders' and the online slip's),
//! 一括有効, one by one, 有効取消. A request with refused rows shows each row's reason above the
//! list; one that moved every row ends with a flash.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::pages::ok;
use askama::Template;
use axum::extract::{Query, RawForm, State};
use axum::response::Response;
use kippu_app::goods::points;
use kippu_app::orders::BulkReport;
use kippu_app::{App, AppError};
use kippu_domain::catalog::OrderKind;
use kippu_domain::goods::PointStatus;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct PointsQuery {
    #[serde(default)]
    status: String,
}

pub struct Row {
    id: i64,
    number: String,
    order_href: String,
    source: &'static str,
    name: String,
    customer_href: Option<String>,
    points: i64,
    at: String,
}

#[derive(Template)]
#[template(path = "goods_points.html")]
struct PointsPage {
    c: Chrome,
    pending: bool,
    rows: Vec<Row>,
    total: i64,
    report: Option<BulkReport>,
}

/// An order's own page: a goods order's under 出荷, a ticket's under 受注.
pub fn order_href(kind: OrderKind, number: &str) -> String {
    match kind {
        OrderKind::Goods => format!("/shipping/orders/{number}"),
        _ => format!("/orders/{number}"),
    }
}

pub async fn list(State(app): State<App>, s: SignedIn, Query(q): Query<PointsQuery>) -> Result<Response, WebError> {
    // Parsed once: the tab is a stored point status (or none, the first tab).
    let status = if q.status.is_empty() {
        PointStatus::Pending
    } else {
        PointStatus::parse(&q.status).ok_or(WebError::NotFound)?
    };
    list_page(&app, &s, status, None).await
}

async fn list_page(app: &App, s: &SignedIn, status: PointStatus, report: Option<BulkReport>) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let (rows, total) = points::list(app, &s.user.actor, status).await?;
    ok(PointsPage {
        c: Chrome::signed_in(&s.ctx, "goods.points_title"),
        pending: status == PointStatus::Pending,
        rows: rows
            .into_iter()
            .map(|p| Row {
                id: p.id,
                order_href: order_href(p.order_kind, &p.order_number),
                number: p.order_number,
                source: t.l(p.source.label()),
                name: p.customer_name,
                customer_href: p.customer_id.map(|c| format!("/proxy/customers/{c}/points")),
                points: p.points,
                at: t.datetime_ms(p.activated_at.unwrap_or(p.created_at)),
            })
            .collect(),
        total,
        report,
    })
}

/// 一括有効 / one row's 有効にする (`do=activate`) and 有効取消 (`do=cancel`), with the rows' ids.
pub async fn change(State(app): State<App>, s: SignedIn, RawForm(body): RawForm) -> Result<Response, WebError> {
    let form = crate::posted::Posted::parse(&body)?;
    let get = |k: &str| form.one(k);
    let ids: Vec<i64> = form.all("id").filter_map(|v| v.parse().ok()).collect();
    let activate = match get("do").as_str() {
        "activate" => true,
        "cancel" => false,
        _ => return Err(WebError::NotFound),
    };
    // From an order page's 「ポイントステータスの変更」, back to that order (an order number is
    // letters and digits; anything else is a request no page sends).
    let order = get("order");
    if !order.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(WebError::NotFound);
    }
    let back = if !order.is_empty() {
        format!("/shipping/orders/{order}")
    } else if activate {
        "/shipping/points".to_string()
    } else {
        "/shipping/points?status=active".to_string()
    };
    let t = s.ctx.t();
    let flash = match points::change(&app, &s.user.actor, &ids, activate).await {
        // One row refused from an order page: its reason.
        Ok(r) if !order.is_empty() && r.ok_count == 0 => {
            Flash::refused(r.rows.first().and_then(|row| row.reason.clone()).unwrap_or_default())
        }
        // From the list, some rows refused: every row's verdict above the list.
        Ok(r) if order.is_empty() && r.ok_count < r.rows.len() => {
            let tab = if activate { PointStatus::Pending } else { PointStatus::Active };
            return list_page(&app, &s, tab, Some(r)).await;
        }
        // On the order page: what changed in words, and the undo (the other option) beside it.
        Ok(_) if !order.is_empty() => {
            let (from, to, undo) = if activate {
                (PointStatus::Pending, PointStatus::Active, "goods.points_cancel")
            } else {
                (PointStatus::Active, PointStatus::Pending, "goods.points_activate")
            };
            Flash::done(format!(
                "{order}: {} {} → {}",
                t.s("goods.points_granted"),
                t.l(from.label()),
                t.l(to.label())
            ))
            .with_undo(format!("{back}#points"), t.s(undo))
        }
        Ok(r) => Flash::done(format!(
            "{}{}",
            r.done_count,
            t.s(if activate {
                "goods.points_activated"
            } else {
                "goods.points_cancelled"
            })
        )),
        Err(AppError::Invalid(e)) => Flash::refused(e.message.clone()),
        Err(e) => return Err(e.into()),
    };
    Ok(flash::redirect(s.ctx.secure_cookies, &back, flash))
}
