//! The goods order list (受注一覧・管理) with the manual's tabs, newest first.

use super::rows::GoodsOrderRow;
use crate::Result;
use kippu_domain::MerchantId;
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

impl GoodsTab {
    fn condition(self) -> &'static str {
        match self {
            GoodsTab::All => "1 = 1",
            GoodsTab::Unpaid => "o.status = 'normal' AND o.payment_status = 'unpaid' AND o.payment_method <> 'cod'",
            GoodsTab::Unshipped => {
                "o.status = 'normal' AND EXISTS (SELECT 1 FROM shipments su WHERE su.order_id = o.id AND su.status = 'unshipped')"
            }
            GoodsTab::Processed => "o.status = 'processed'",
        }
    }
}

pub struct GoodsFilter<'a> {
    pub merchant: MerchantId,
    pub tab: GoodsTab,
    /// An order number, or part of the orderer's name or furigana.
    pub q: Option<&'a str>,
}

fn where_of(f: &GoodsFilter<'_>) -> String {
    let mut w = format!("o.merchant_id = $1 AND o.kind = 'goods' AND {}", f.tab.condition());
    if f.q.is_some() {
        w.push_str(" AND (o.order_number = $2 OR o.customer_name LIKE $3 OR o.customer_kana LIKE $3)");
    }
    w
}

/// A page of the list and the matches' count (up to `cap`).
pub async fn search_goods(
    conn: &mut AnyConnection,
    f: &GoodsFilter<'_>,
    limit: i64,
    offset: i64,
    cap: i64,
) -> Result<(Vec<GoodsOrderRow>, i64)> {
    let w = where_of(f);
    let like = f.q.map(|q| format!("%{}%", q.replace(['%', '_'], "")));
    let sql = format!(
        "SELECT {} FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE {w} ORDER BY o.ordered_at DESC, o.id DESC LIMIT {limit} OFFSET {offset}",
        super::rows::GOODS_COLS
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(f.merchant.0);
    if let Some(text) = f.q {
        q = q.bind(text.to_string()).bind(like.clone());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let count_sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM orders o WHERE {w} LIMIT {cap}) c");
    let mut c = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)).bind(f.merchant.0);
    if let Some(text) = f.q {
        c = c.bind(text.to_string()).bind(like);
    }
    let total: i64 = c.fetch_one(conn).await?;
    Ok((rows, total))
}
