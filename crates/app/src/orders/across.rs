//! Orders of every kind in one place: which flow an order request belongs to, and the orders
//! search across web tickets, reservations and goods (`GET /api/v1/orders`), each order in its
//! kind's own shape.

use crate::goods::GoodsView;
use crate::{Actor, App, Result};
use kippu_domain::OrderId;
use kippu_domain::action_names::{FlowAction, GoodsActionName, TicketActionName};
use kippu_domain::catalog::OrderKind;
use kippu_domain::paging::Paging;
use kippu_domain::validate::FieldError;
use kippu_store::orders::{self, OrderFilter};

use super::view::{COUNT_CAP, OrderView};

/// The product codes an order request names: a ticket's `product_code`, a goods order's lines
/// (`lines[]` or `destinations[].lines[]`).
fn product_codes(body: &serde_json::Value) -> Vec<&str> {
    let mut codes: Vec<&str> = body.get("product_code").and_then(|c| c.as_str()).into_iter().collect();
    fn lines(v: &serde_json::Value) -> Vec<&serde_json::Value> {
        v.as_array().map(|a| a.iter().collect()).unwrap_or_default()
    }
    let mut all_lines = body.get("lines").map(lines).unwrap_or_default();
    if let Some(dests) = body.get("destinations").and_then(|d| d.as_array()) {
        for d in dests.iter().take(crate::goods::MAX_DESTINATIONS + 1) {
            all_lines.extend(d.get("lines").map(lines).unwrap_or_default());
        }
    }
    codes.extend(
        all_lines
            .into_iter()
            .take(crate::goods::MAX_LINES + 1)
            .filter_map(|l| l.get("product_code").and_then(|c| c.as_str())),
    );
    codes
}

/// Which flow an order request (`POST /api/v1/orders`) belongs to: the kind of the products it
/// names. Goods-only fields (destinations, lines, pickup) make it a goods order even before its
/// products are known, so its errors are the goods shape's; ticket and goods products in one
/// request are refused.
pub async fn flow_of(app: &App, actor: &Actor, body: &serde_json::Value) -> Result<OrderKind> {
    let goods_shaped = ["destinations", "lines", "pickup"].iter().any(|k| body.get(k).is_some());
    let mut kinds = Vec::new();
    for code in product_codes(body) {
        if let Some(kind) = super::view::product_kind(app, actor, code).await?
            && !kinds.contains(&kind)
        {
            kinds.push(kind);
        }
    }
    let has_goods = kinds.contains(&OrderKind::Goods);
    if has_goods && kinds.len() > 1 {
        return Err(FieldError::new("product_code", "物販の商品とチケット・予約の商品は一つの注文にできません").into());
    }
    Ok(if has_goods || goods_shaped {
        OrderKind::Goods
    } else {
        kinds.first().copied().unwrap_or(OrderKind::WebTicket)
    })
}

/// An order of a search across kinds, in its kind's own shape.
pub enum AnyOrder {
    /// A web ticket or a reservation.
    Ticket(Box<OrderView>),
    Goods(Box<GoodsView>),
}

pub struct AnyOrderPage {
    pub orders: Vec<AnyOrder>,
    /// Matches, counted up to [`COUNT_CAP`] + 1.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The kinds an order search may ask for: every kind an order can be of.
pub const ORDER_KINDS: [OrderKind; 3] = [OrderKind::WebTicket, OrderKind::Reservation, OrderKind::Goods];

/// A page of the orders search across `filter.kinds` (every kind when none), newest first.
/// An OTA's token reads only its own channel's.
pub async fn list_any(app: &App, actor: &Actor, mut filter: OrderFilter, paging: Paging) -> Result<AnyOrderPage> {
    filter.merchant = actor.scope()?;
    filter.channel = actor.channel_id();
    if filter.kinds.is_empty() {
        filter.kinds = ORDER_KINDS.to_vec();
    }
    let (page, per_page) = (paging.page(), paging.per_page());
    let backend = app.store.backend();
    let mut conn = app.store.conn().await?;
    let refs = orders::search_refs(&mut conn, backend, &filter, per_page, paging.offset()).await?;
    let total = orders::count_capped(&mut conn, backend, &filter, COUNT_CAP + 1).await?;
    let goods_ids: Vec<OrderId> = refs.iter().filter(|r| r.kind == OrderKind::Goods).map(|r| r.id).collect();
    let ticket_ids: Vec<OrderId> = refs.iter().filter(|r| r.kind != OrderKind::Goods).map(|r| r.id).collect();
    let tickets_rows = orders::orders_by_ids(&mut conn, &ticket_ids).await?;
    let tickets = orders::tickets_of_orders(&mut conn, &ticket_ids).await?;
    let history = orders::history_of_orders(&mut conn, &ticket_ids).await?;
    let goods_rows = kippu_store::goods::goods_orders_by_ids(&mut conn, &goods_ids).await?;
    let mut goods = crate::goods::views_of(&mut conn, goods_rows, true).await?;
    let mut out = Vec::with_capacity(refs.len());
    for r in &refs {
        if r.kind == OrderKind::Goods {
            if let Some(i) = goods.iter().position(|g| g.order.id == r.id) {
                out.push(AnyOrder::Goods(Box::new(goods.swap_remove(i))));
            }
        } else if let Some(o) = tickets_rows.iter().find(|o| o.id == r.id) {
            out.push(AnyOrder::Ticket(Box::new(OrderView {
                tickets: tickets.iter().filter(|t| t.order_id == o.id).cloned().collect(),
                history: history.iter().filter(|(id, _)| *id == o.id).map(|(_, h)| h.clone()).collect(),
                order: o.clone(),
                instructions: None,
            })));
        }
    }
    Ok(AnyOrderPage {
        orders: out,
        total,
        page,
        per_page,
    })
}

/// The action `name` of the order numbered `number`, in its own flow's names: the app, not the
/// caller, decides the flow (a goods order's `ship`, a web ticket's `send`). A name the flow
/// does not have is not found; so is an order the actor cannot see (the act itself says so).
pub async fn action_named(app: &App, actor: &Actor, number: &str, name: &str) -> Result<FlowAction> {
    let goods = crate::goods::kind_of(app, actor, number).await? == Some(OrderKind::Goods);
    let found = if goods {
        GoodsActionName::parse(name).map(FlowAction::Goods)
    } else {
        TicketActionName::parse(name).map(FlowAction::Ticket)
    };
    found.ok_or(crate::AppError::NotFound)
}
