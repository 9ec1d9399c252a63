//! The goods order list (受注一覧・管理) with the manual's tabs, newest first.

use super::rows::GoodsOrderRow;
use crate::query::{Bind, Where, bind_all};
use crate::{Backend, Result};
use kippu_domain::MerchantId;
use kippu_domain::order::PaymentMethod;
use sqlx::AnyConnection;

/// The manual's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoodsTab {
    /// 全件
    All,
    /// 通常処理中・未入金 (cash on delivery has no payment to wait for)
    Unpaid,
    /// 通常処理中・未発送
    Unshipped,
    /// 処理済み
    Processed,
}

/// The orders of merchant `m` with a destination matching `cond` (on the shipments row `s`): a
/// set the database builds once from the shipments' index and probes per order, where a
/// correlated EXISTS would look up every order's destinations. The merchant is an integer,
/// written into the text.
fn with_destination(m: MerchantId, cond: &str) -> String {
    format!(
        "o.id IN (SELECT s.order_id FROM shipments s WHERE s.merchant_id = {} AND {cond})",
        m.0
    )
}

impl GoodsTab {
    fn condition(self, m: MerchantId) -> String {
        match self {
            GoodsTab::All => "1 = 1".into(),
            GoodsTab::Unpaid => "o.status = 'normal' AND o.payment_status = 'unpaid' AND o.payment_method <> 'cod'".into(),
            GoodsTab::Unshipped => format!("o.status = 'normal' AND {}", with_destination(m, "s.status = 'unshipped'")),
            GoodsTab::Processed => "o.status = 'processed'".into(),
        }
    }
}

pub struct GoodsFilter<'a> {
    pub merchant: MerchantId,
    pub tab: GoodsTab,
    /// An order number, or part of the orderer's name or furigana (やまだ finds ヤマダ).
    pub q: Option<&'a str>,
    pub method: Option<PaymentMethod>,
    /// ステータス, 入金状況 (cash on delivery, whose payment is not tracked, matches neither) and
    /// 発送状況 (発送済み once every destination is).
    pub status: Option<kippu_domain::goods::OrderStatus>,
    pub payment: Option<kippu_domain::goods::PaymentStatus>,
    pub shipping: Option<kippu_domain::goods::ShippingStatus>,
    /// Ordered at or after / before these instants.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// さらに絞り込み: a destination carried by this carrier.
    pub carrier: Option<kippu_domain::goods::Carrier>,
    /// さらに絞り込み: `true` every parcel has its tracking number, `false` one lacks it.
    pub tracked: Option<bool>,
    /// さらに絞り込み: `true` a store pickup, `false` shipped only.
    pub pickup: Option<bool>,
}

/// Where the previous page of a walk through a whole search ended: its last order's
/// `(ordered_at, id)`, so a download reads each page by index instead of skipping rows.
pub type After = (i64, kippu_domain::OrderId);

fn where_of(f: &GoodsFilter<'_>, backend: Backend) -> Where {
    let mut w = Where {
        conds: vec!["o.kind = 'goods'".into(), f.tab.condition(f.merchant)],
        binds: Vec::new(),
    };
    w.add("o.merchant_id = ?", Bind::I(f.merchant.0));
    if let Some(m) = f.method {
        w.add("o.payment_method = ?", Bind::S(m.as_str().into()));
    }
    if let Some(st) = f.status {
        w.add("o.status = ?", Bind::S(st.as_str().into()));
    }
    if let Some(p) = f.payment {
        w.add("o.payment_status = ?", Bind::S(p.as_str().into()));
        w.conds.push("o.payment_method <> 'cod'".into());
    }
    let unshipped = with_destination(f.merchant, "s.status = 'unshipped'");
    match f.shipping {
        Some(kippu_domain::goods::ShippingStatus::Unshipped) => w.conds.push(unshipped),
        Some(kippu_domain::goods::ShippingStatus::Shipped) => w.conds.push(format!("NOT {unshipped}")),
        None => {}
    }
    if let Some(v) = f.from_ms {
        w.add("o.ordered_at >= ?", Bind::I(v));
    }
    if let Some(v) = f.to_ms {
        w.add("o.ordered_at < ?", Bind::I(v));
    }
    if let Some(c) = f.carrier {
        w.add(
            "EXISTS (SELECT 1 FROM shipments sc WHERE sc.order_id = o.id AND sc.carrier = ?)",
            Bind::S(c.as_str().into()),
        );
    }
    let untracked = with_destination(f.merchant, "s.method = 'delivery' AND s.tracking_number = ''");
    match f.tracked {
        Some(true) => w.conds.push(format!("NOT {untracked}")),
        Some(false) => w.conds.push(untracked),
        None => {}
    }
    let pickup = with_destination(f.merchant, "s.method = 'pickup'");
    match f.pickup {
        Some(true) => w.conds.push(pickup),
        Some(false) => w.conds.push(format!("NOT {pickup}")),
        None => {}
    }
    if let Some(q) = f.q {
        if q.starts_with('T') && q.len() == 15 {
            w.add("o.order_number = ?", Bind::S(q.into()));
        } else {
            w.anything_or_number_end(backend.ilike(), q);
        }
    }
    w
}

/// The next `limit` orders of a search after `after` (from the newest when `None`), for a
/// download that walks the whole search; no count.
pub async fn goods_after(
    conn: &mut AnyConnection,
    backend: Backend,
    f: &GoodsFilter<'_>,
    after: Option<After>,
    limit: i64,
) -> Result<Vec<GoodsOrderRow>> {
    let mut w = where_of(f, backend);
    if let Some((at, id)) = after {
        // Integers only, written inline.
        w.conds.push(format!("(o.ordered_at, o.id) < ({at}, {})", id.0));
    }
    let sql = format!(
        "SELECT {} FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE {} ORDER BY o.ordered_at DESC, o.id DESC LIMIT {limit}",
        super::rows::GOODS_COLS,
        w.conds.join(" AND ")
    );
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds).fetch_all(conn).await?)
}

/// A page of the list and the matches' count (up to `cap`).
pub async fn search_goods(
    conn: &mut AnyConnection,
    backend: Backend,
    f: &GoodsFilter<'_>,
    limit: i64,
    offset: i64,
    cap: i64,
) -> Result<(Vec<GoodsOrderRow>, i64)> {
    let w = where_of(f, backend);
    let cond = w.conds.join(" AND ");
    let sql = format!(
        "SELECT {} FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE {cond} ORDER BY o.ordered_at DESC, o.id DESC LIMIT {limit} OFFSET {offset}",
        super::rows::GOODS_COLS
    );
    let rows = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds)
        .fetch_all(&mut *conn)
        .await?;
    let w = where_of(f, backend);
    let count_sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM orders o WHERE {} LIMIT {cap}) c",
        w.conds.join(" AND ")
    );
    let (total,): (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(count_sql)), w.binds)
        .fetch_one(conn)
        .await?;
    Ok((rows, total))
}
