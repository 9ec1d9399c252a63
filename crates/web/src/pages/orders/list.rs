//! The order list (§4.3): search, status steps, bulk selection.

use super::line::{OrderLine, line};
use super::search::Search;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::pages::ok;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kippu_app::orders;
use kippu_app::{App, AppError};
use kippu_domain::catalog::TicketType;
use kippu_domain::order::{OrderType, PaymentMethod};
use kippu_domain::paging::Paging;
use kippu_domain::web_ticket::{Status, Usage};

#[derive(Template)]
#[template(path = "orders.html")]
struct ListPage {
    c: Chrome,
    s: Search,
    query: String,
    pairs: Vec<(&'static str, String)>,
    chips: Vec<super::search::Chip>,
    rows: Vec<OrderLine>,
    total: String,
    page: i64,
    pages: i64,
    methods: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    usages: Vec<(&'static str, &'static str)>,
    ticket_types: Vec<(&'static str, &'static str)>,
    order_types: Vec<(&'static str, &'static str)>,
    default_encoding: &'static str,
}

const PER_PAGE: i64 = 50;

pub async fn list(State(app): State<App>, s: SignedIn, Query(q): Query<Search>) -> Result<Response, WebError> {
    if s.user.actor.merchant_id.is_none() {
        return Err(WebError::NotFound);
    }
    let t = s.ctx.t();
    let paging = Paging::new(q.page, None, PER_PAGE).map_err(AppError::from)?;
    let page = paging.page();
    let p = orders::list(
        &app,
        &s.user.actor,
        q.filter(kippu_app::work_queue::auth_expiring_by(&app)).map_err(AppError::from)?,
        paging,
    )
    .await?;
    let methods = [
        PaymentMethod::BankPlatform,
        PaymentMethod::BankStore,
        PaymentMethod::PayAtVenue,
        PaymentMethod::CardAuth,
        PaymentMethod::CardCapture,
    ];
    ok(ListPage {
        c: Chrome::signed_in(&s.ctx, "orders.title"),
        query: q.query(),
        pairs: q.pairs(),
        chips: q.chips(s.ctx.t()),
        rows: p
            .orders
            .iter()
            .map(|v| line(v, &s.user.actor, app.clock.now(), s.ctx.t()))
            .collect(),
        total: if p.total > orders::COUNT_CAP {
            format!("{}+", kippu_domain::money::grouped(orders::COUNT_CAP))
        } else {
            kippu_domain::money::grouped(p.total)
        },
        page,
        pages: ((p.total.min(orders::COUNT_CAP) + PER_PAGE - 1) / PER_PAGE).max(1),
        methods: methods.iter().map(|m| (m.as_str(), t.l(m.label()))).collect(),
        statuses: Status::ALL.iter().map(|x| (x.as_str(), t.l(x.label()))).collect(),
        usages: Usage::ALL.iter().map(|x| (x.as_str(), t.l(x.label()))).collect(),
        ticket_types: TicketType::ALL.iter().map(|x| (x.as_str(), t.l(x.label()))).collect(),
        order_types: OrderType::ALL.iter().map(|x| (x.as_str(), t.l(x.label()))).collect(),
        default_encoding: crate::csv_stream::default_for(s.ctx.lang).label(),
        s: q,
    })
}
