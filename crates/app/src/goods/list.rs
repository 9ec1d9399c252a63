//! The goods order list and what the order page offers next — both read from the goods rule, so
//! the screen offers exactly what `act` accepts.

use super::act::{Command, plan};
use super::view::GoodsView;
use crate::{Actor, App, Result};
use kippu_domain::goods::flow::PointsActivation;
use kippu_domain::paging::Paging;
use kippu_store::goods::{self as repo, GoodsFilter, GoodsTab};

pub struct GoodsPage {
    pub orders: Vec<GoodsView>,
    /// Matches, counted up to [`crate::orders::COUNT_CAP`] + 1.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The search of the goods list besides its tab: order number or name, 決済種別, ordering days.
#[derive(Debug, Clone, Default)]
pub struct GoodsSearch {
    pub q: Option<String>,
    pub method: Option<kippu_domain::order::PaymentMethod>,
    /// First and last ordering day (Japan), inclusive.
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
    /// さらに絞り込み: 配送サービス, has (`true`) or lacks (`false`) tracking numbers, 店舗受取.
    pub carrier: Option<kippu_domain::goods::Carrier>,
    pub tracked: Option<bool>,
    pub pickup: Option<bool>,
}

fn day_start_ms(d: time::Date) -> i64 {
    kippu_domain::clock::to_millis(d.midnight().assume_offset(kippu_domain::clock::JST))
}

/// A page of the merchant's goods orders under one of the manual's tabs.
pub async fn list(app: &App, actor: &Actor, tab: GoodsTab, search: &GoodsSearch, paging: Paging) -> Result<GoodsPage> {
    let m = actor.merchant()?;
    let q = search
        .q
        .as_deref()
        .map(kippu_domain::normalize::text)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let mut conn = app.store.conn().await?;
    let filter = GoodsFilter {
        merchant: m,
        tab,
        q: q.as_deref(),
        method: search.method,
        from_ms: search.from.map(day_start_ms),
        to_ms: search.to.and_then(|d| d.next_day()).map(day_start_ms),
        carrier: search.carrier,
        tracked: search.tracked,
        pickup: search.pickup,
    };
    let (rows, total) = repo::search_goods(
        &mut conn,
        app.store.backend(),
        &filter,
        paging.per_page(),
        paging.offset(),
        crate::orders::COUNT_CAP + 1,
    )
    .await?;
    let ids: Vec<kippu_domain::OrderId> = rows.iter().map(|o| o.id).collect();
    let shipments = repo::shipments_of(&mut conn, &ids).await?;
    let orders = rows
        .into_iter()
        .map(|order| GoodsView {
            shipments: shipments.iter().filter(|s| s.order_id == order.id).cloned().collect(),
            lines: Vec::new(),
            order,
        })
        .collect();
    Ok(GoodsPage {
        orders,
        total,
        page: paging.page(),
        per_page: paging.per_page(),
    })
}

/// What the order page offers: each a command the rule accepts now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offered {
    pub mark_paid: bool,
    pub capture: bool,
    /// Destinations (1-based) that can be shipped one by one.
    pub ship: Vec<usize>,
    pub process: bool,
    pub reopen: bool,
}

pub fn offered(v: &GoodsView) -> Offered {
    let o = v.rule_view();
    let ok = |cmd: Command| plan(&o, &cmd, PointsActivation::ByAdmin).is_ok();
    Offered {
        mark_paid: ok(Command::MarkPaid { date: None }),
        capture: ok(Command::Capture),
        ship: (1..=o.destinations.len())
            .filter(|k| {
                ok(Command::Ship {
                    destination: *k,
                    date: None,
                })
            })
            .collect(),
        process: ok(Command::Process),
        reopen: ok(Command::Reopen),
    }
}
