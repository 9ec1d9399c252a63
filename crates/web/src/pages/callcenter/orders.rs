//! 受注情報 (`/callcenter/orders?customer={id}`): the picked customer's orders of every kind —
//! normal and 定期 children — newest first, a page at a time. Each opens on its own order page
//! (goods on the shipping page, with 受注編集 behind 「編集」; tickets on the order page), where
//! its status changes are.

use super::{ConsoleBar, Panel, Picked};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::ok;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kippu_app::entry::history::{self, CustomerOrder};
use kippu_app::{App, AppError};
use kippu_domain::paging::Paging;
use serde::Deserialize;

const PER_PAGE: i64 = 20;

#[derive(Template)]
#[template(path = "callcenter_orders.html")]
struct OrdersPage {
    c: Chrome,
    bar: ConsoleBar,
    customer: i64,
    rows: Vec<CustomerOrder>,
    total: i64,
    page: i64,
    pages: i64,
}

#[derive(Deserialize)]
pub struct OrdersQuery {
    customer: Option<i64>,
    page: Option<i64>,
}

pub async fn page(State(app): State<App>, s: SignedIn, Query(q): Query<OrdersQuery>) -> Result<Response, WebError> {
    let Some(customer) = q.customer else {
        return Ok(Redirect::to("/callcenter").into_response());
    };
    let bar = ConsoleBar::new(&app, &s, Panel::Orders, &Picked { customer: Some(customer) }).await?;
    let paging = Paging::new(q.page, None, PER_PAGE).map_err(AppError::from)?;
    let found = history::list(&app, &s.user.actor, customer, paging).await?;
    ok(OrdersPage {
        c: Chrome::signed_in(&s.ctx, "console.title"),
        bar,
        customer,
        pages: ((found.total + PER_PAGE - 1) / PER_PAGE).max(1),
        page: paging.page(),
        total: found.total,
        rows: found.rows,
    })
}
