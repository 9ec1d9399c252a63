//! Reading orders: one with everything about it, or a page of a search.

use crate::{Actor, App, AppError, Result};
use kippu_domain::MerchantId;
use kippu_domain::clock::parse_date;
use kippu_domain::web_ticket::stay::{Stay, Visit};
use kippu_store::orders::{self, HistoryRow, OrderFilter, OrderRow, TicketRow};

#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderView {
    pub order: OrderRow,
    pub tickets: Vec<TicketRow>,
    pub history: Vec<HistoryRow>,
    /// Bank transfers: the account and the 振込期限 the buyer was told (one order's read only;
    /// lists leave it out).
    #[serde(skip)]
    pub instructions: Option<Box<kippu_domain::payment_due::Instructions>>,
}

impl OrderView {
    /// The payment instructions while the buyer still has to transfer (未入金).
    pub fn instructions_pending(&self) -> Option<&kippu_domain::payment_due::Instructions> {
        let open = self.order.status == kippu_domain::web_ticket::Status::Unpaid;
        self.instructions.as_deref().filter(|_| open)
    }
}

/// The merchant scope of a reader: its own merchant, or every merchant for the platform.
pub(crate) async fn load(app: &App, scope: Option<MerchantId>, number: &str) -> Result<OrderView> {
    let mut conn = app.store.conn().await?;
    let order = orders::order_by_number(&mut conn, app.store.backend(), scope, number, false)
        .await?
        .filter(|o| o.kind == kippu_domain::catalog::ProductKind::WebTicket || o.kind == kippu_domain::catalog::ProductKind::Reservation)
        .ok_or(AppError::NotFound)?;
    let tickets = orders::tickets_of_orders(&mut conn, &[order.id]).await?;
    let history = orders::history(&mut conn, order.id).await?;
    let instructions = crate::payment_company::instructions_of(&mut conn, order.id).await?.map(Box::new);
    Ok(OrderView {
        order,
        tickets,
        history,
        instructions,
    })
}

/// One order with its tickets and status history; another merchant's order is not found.
pub async fn get(app: &App, actor: &Actor, number: &str) -> Result<OrderView> {
    let v = load(app, actor.scope()?, number).await?;
    if !actor.sees_channel(v.order.channel_id) {
        return Err(AppError::NotFound);
    }
    Ok(v)
}

/// The order behind a customer link.
pub async fn get_by_token(app: &App, token: &str) -> Result<OrderView> {
    let number = {
        let mut conn = app.store.conn().await?;
        orders::order_by_access_token(&mut conn, token)
            .await?
            .ok_or(AppError::NotFound)?
            .order_number
    };
    load(app, None, &number).await
}

/// When a room or court rental or a stay is for (other orders have no visit of their own: a
/// reservation's date is its booking, an undated ticket has none).
pub fn visit_of(o: &OrderRow) -> Option<Visit> {
    if o.kind != kippu_domain::catalog::ProductKind::WebTicket {
        return None;
    }
    let date = parse_date(o.visit_date.as_deref()?)?;
    match o.nights {
        Some(nights) => match Stay::new(date, nights) {
            Ok(stay) => Some(Visit::Stay(stay)),
            Err(e) => {
                // Written through the same check, so this is a damaged row: say so, show the day.
                tracing::error!(order = %o.order_number, nights, error = %e, "a stay's nights out of range");
                Some(Visit::Day { date, slot: None })
            }
        },
        None => Some(Visit::Day {
            date,
            slot: o.time_slot.clone().filter(|s| !s.is_empty()),
        }),
    }
}

/// Lists count at most this many matches exactly; beyond it the total reads "10,000+".
pub const COUNT_CAP: i64 = 10_000;

pub struct OrderPage {
    pub orders: Vec<OrderView>,
    /// Matches, counted up to [`COUNT_CAP`] + 1 (more than the cap means "more than 10,000").
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A page of the search, newest first, each order with its tickets.
pub async fn list(app: &App, actor: &Actor, mut filter: OrderFilter, paging: kippu_domain::paging::Paging) -> Result<OrderPage> {
    filter.merchant = actor.scope()?;
    filter.channel = actor.channel_id();
    let (page, per_page) = (paging.page(), paging.per_page());
    let mut conn = app.store.conn().await?;
    let backend = app.store.backend();
    let rows = orders::search(&mut conn, backend, &filter, per_page, paging.offset()).await?;
    let total = orders::count_capped(&mut conn, backend, &filter, COUNT_CAP + 1).await?;
    let ids: Vec<kippu_domain::OrderId> = rows.iter().map(|o| o.id).collect();
    let tickets = orders::tickets_of_orders(&mut conn, &ids).await?;
    let history = orders::history_of_orders(&mut conn, &ids).await?;
    let orders = rows
        .into_iter()
        .map(|o| OrderView {
            tickets: tickets.iter().filter(|t| t.order_id == o.id).cloned().collect(),
            history: history.iter().filter(|(id, _)| *id == o.id).map(|(_, h)| h.clone()).collect(),
            order: o,
            instructions: None,
        })
        .collect();
    Ok(OrderPage {
        orders,
        total,
        page,
        per_page,
    })
}

/// The sales channel an order came through, as the order page shows it.
pub struct ChannelOfOrder {
    pub name: String,
    /// Booked on the merchant's own site (not an OTA): e-tickets can be resent from here.
    pub own_site: bool,
}

/// The message thread of an order the caller has already loaded (so tenancy was checked).
pub async fn messages(app: &App, v: &OrderView) -> Result<Vec<orders::MessageRow>> {
    let mut conn = app.store.conn().await?;
    Ok(orders::messages(&mut conn, v.order.id).await?)
}

/// The times of every 回数券 use of the order's tickets, oldest first: (ticket id, used at).
pub async fn use_times(app: &App, v: &OrderView) -> Result<Vec<(i64, i64)>> {
    let multi: Vec<kippu_domain::TicketId> = v.tickets.iter().filter(|t| t.is_multi_use()).map(|t| t.id).collect();
    let mut conn = app.store.conn().await?;
    Ok(orders::uses_of(&mut conn, &multi).await?)
}

/// The channel of an order the caller has already loaded; `None` without one.
pub async fn channel(app: &App, v: &OrderView) -> Result<Option<ChannelOfOrder>> {
    let Some(c) = v.order.channel_id else {
        return Ok(None);
    };
    let mut conn = app.store.conn().await?;
    let name = kippu_store::reservations::channel_name(&mut conn, c).await?;
    let kind = kippu_store::reservations::channel_kind(&mut conn, v.order.id).await?;
    Ok(Some(ChannelOfOrder {
        name: name.unwrap_or_default(),
        own_site: kind == Some(kippu_domain::catalog::ChannelKind::OwnSite),
    }))
}

/// The kind of the merchant's product with this code (`None`: no such product). The API asks
/// it to read an order request in its kind's shape.
pub async fn product_kind(app: &App, actor: &Actor, code: &str) -> Result<Option<kippu_domain::catalog::ProductKind>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    Ok(orders::product_by_code(&mut conn, m, code.trim()).await?.map(|p| p.kind))
}
