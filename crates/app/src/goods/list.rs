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

/// The search of the goods list besides its tab: order number or name, 決済種別, the three
/// statuses, ordering days, さらに絞り込み.
#[derive(Debug, Clone, Default)]
pub struct GoodsSearch {
    pub q: Option<String>,
    pub method: Option<kippu_domain::order::PaymentMethod>,
    /// ステータス, 入金状況 and 発送状況, as the manual's search has them (the tabs are their
    /// usual combinations).
    pub status: Option<kippu_domain::goods::OrderStatus>,
    pub payment: Option<kippu_domain::goods::PaymentStatus>,
    pub shipping: Option<kippu_domain::goods::ShippingStatus>,
    /// First and last ordering day (Japan), inclusive.
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
    /// さらに絞り込み: 配送サービス, has (`true`) or lacks (`false`) tracking numbers, 店舗受取.
    pub carrier: Option<kippu_domain::goods::Carrier>,
    pub tracked: Option<bool>,
    pub pickup: Option<bool>,
}

/// The search's text as the store compares it (typed width and spacing folded), if any.
fn typed_query(search: &GoodsSearch) -> Option<String> {
    search
        .q
        .as_deref()
        .map(kippu_domain::normalize::text)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn filter_of<'a>(m: kippu_domain::MerchantId, tab: GoodsTab, search: &GoodsSearch, q: Option<&'a str>) -> GoodsFilter<'a> {
    GoodsFilter {
        merchant: m,
        tab,
        q,
        method: search.method,
        status: search.status,
        payment: search.payment,
        shipping: search.shipping,
        from_ms: search.from.map(kippu_domain::clock::day_start_ms),
        to_ms: search.to.and_then(|d| d.next_day()).map(kippu_domain::clock::day_start_ms),
        carrier: search.carrier,
        tracked: search.tracked,
        pickup: search.pickup,
    }
}

pub(crate) async fn views_of(
    conn: &mut kippu_store::AnyConnection,
    rows: Vec<kippu_store::goods::GoodsOrderRow>,
    with_lines: bool,
) -> Result<Vec<GoodsView>> {
    let ids: Vec<kippu_domain::OrderId> = rows.iter().map(|o| o.id).collect();
    let shipments = repo::shipments_of(conn, &ids).await?;
    let lines = if with_lines {
        repo::goods_lines_of_orders(conn, &ids).await?
    } else {
        Vec::new()
    };
    Ok(rows
        .into_iter()
        .map(|order| {
            let shipments: Vec<_> = shipments.iter().filter(|s| s.order_id == order.id).cloned().collect();
            GoodsView {
                lines: lines
                    .iter()
                    .filter(|l| shipments.iter().any(|s| l.shipment_id == Some(s.id)))
                    .cloned()
                    .collect(),
                shipments,
                order,
                instructions: None,
            }
        })
        .collect())
}

/// A page of the merchant's goods orders under one of the manual's tabs.
pub async fn list(app: &App, actor: &Actor, tab: GoodsTab, search: &GoodsSearch, paging: Paging) -> Result<GoodsPage> {
    let m = actor.merchant()?;
    let q = typed_query(search);
    let mut conn = app.store.conn().await?;
    let filter = filter_of(m, tab, search, q.as_deref());
    let (rows, total) = repo::search_goods(
        &mut conn,
        app.store.backend(),
        &filter,
        paging.per_page(),
        paging.offset(),
        crate::orders::COUNT_CAP + 1,
    )
    .await?;
    Ok(GoodsPage {
        orders: views_of(&mut conn, rows, false).await?,
        total,
        page: paging.page(),
        per_page: paging.per_page(),
    })
}

/// A walk through a whole search, newest first, a chunk of orders (with their lines) at a
/// time along the list's index: what the downloads stream from.
pub struct SearchWalk<'a> {
    app: &'a App,
    merchant: kippu_domain::MerchantId,
    tab: GoodsTab,
    search: &'a GoodsSearch,
    q: Option<String>,
    after: Option<repo::After>,
    done: bool,
}

impl<'a> SearchWalk<'a> {
    /// Orders read per round trip.
    const CHUNK: i64 = Paging::MAX_PER_PAGE;

    pub fn new(app: &'a App, actor: &Actor, tab: GoodsTab, search: &'a GoodsSearch) -> Result<SearchWalk<'a>> {
        Ok(SearchWalk {
            app,
            merchant: actor.merchant()?,
            tab,
            search,
            q: typed_query(search),
            after: None,
            done: false,
        })
    }

    /// The next chunk, or `None` once the search is read.
    pub async fn next(&mut self) -> Result<Option<Vec<GoodsView>>> {
        if self.done {
            return Ok(None);
        }
        let mut conn = self.app.store.conn().await?;
        let filter = filter_of(self.merchant, self.tab, self.search, self.q.as_deref());
        let rows = repo::goods_after(&mut conn, self.app.store.backend(), &filter, self.after, Self::CHUNK).await?;
        self.done = (rows.len() as i64) < Self::CHUNK;
        self.after = rows.last().map(|o| (o.ordered_at, o.id));
        if rows.is_empty() {
            return Ok(None);
        }
        Ok(Some(views_of(&mut conn, rows, true).await?))
    }
}

/// What the order page offers: each a command the rule accepts now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offered {
    pub mark_paid: bool,
    pub capture: bool,
    /// Destinations (1-based) that can be shipped one by one.
    pub ship: Vec<usize>,
    /// Destinations (1-based) that 未発送に戻す may set back (the undo of a shipment).
    pub unship: Vec<usize>,
    pub process: bool,
    pub reopen: bool,
    pub cancel: bool,
    /// What 一部返金 may still give back (0: not offered).
    pub refundable: i64,
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
        unship: (1..=o.destinations.len())
            .filter(|k| ok(Command::Unship { destination: *k }))
            .collect(),
        process: ok(Command::Process),
        reopen: ok(Command::Reopen),
        cancel: ok(Command::Cancel { reason: String::new() }),
        refundable: if ok(Command::Refund {
            amount: 1,
            reason: String::new(),
        }) {
            o.refundable()
        } else {
            0
        },
    }
}
