//! 定期マスタ: reading masters (one, a merchant's list with search, the due ones for the job),
//! their items and history. Writes in [`write`], 頒布会 in [`courses`].

pub mod courses;
pub mod tickets;
pub mod write;

use crate::Result;
use crate::query::{Bind, Where, bind_all};
use kippu_domain::MerchantId;
use kippu_domain::order::PaymentMethod;
use kippu_domain::subscription::{Cycle, MasterStatus};
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct MasterRow {
    pub id: i64,
    pub merchant_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub customer_kana: String,
    pub customer_email: String,
    pub customer_phone: String,
    #[sqlx(try_from = "String")]
    pub status: MasterStatus,
    pub cycle_kind: String,
    pub cycle_every: i64,
    pub cycle_day: Option<i64>,
    pub cycle_weekday: Option<String>,
    pub next_date: String,
    #[sqlx(try_from = "String")]
    pub payment_method: PaymentMethod,
    pub stored_card_id: Option<i64>,
    pub coupon_id: Option<i64>,
    pub coupon_code: Option<String>,
    pub course_id: Option<i64>,
    pub course_code: Option<String>,
    pub deliveries: i64,
    pub origin_order_number: Option<String>,
    pub shipping_fee: Option<i64>,
    pub handling_fee: Option<i64>,
    pub ship_name: String,
    pub ship_kana: String,
    pub ship_postal_code: String,
    pub ship_address: String,
    pub ship_phone: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl MasterRow {
    /// The stored cycle; an unreadable one is a loud error (the checks never write it).
    pub fn cycle(&self) -> Result<Cycle> {
        Cycle::from_columns(&self.cycle_kind, self.cycle_every, self.cycle_day, self.cycle_weekday.as_deref())
            .ok_or_else(|| crate::StoreError::Invariant(format!("subscription {} has an unreadable cycle", self.id)))
    }
}

const COLS: &str = "s.id, s.merchant_id, s.customer_id, c.name AS customer_name, c.kana AS customer_kana, \
    c.email AS customer_email, c.phone AS customer_phone, s.status, s.cycle_kind, s.cycle_every, s.cycle_day, \
    s.cycle_weekday, s.next_date, s.payment_method, s.stored_card_id, s.coupon_id, cp.code AS coupon_code, s.course_id, \
    cr.code AS course_code, s.deliveries, o.order_number AS origin_order_number, s.shipping_fee, s.handling_fee, \
    s.ship_name, s.ship_kana, s.ship_postal_code, s.ship_address, s.ship_phone, s.created_at, s.updated_at";

const FROM: &str = "subscriptions s JOIN customers c ON c.id = s.customer_id \
    LEFT JOIN coupons cp ON cp.id = s.coupon_id LEFT JOIN courses cr ON cr.id = s.course_id \
    LEFT JOIN orders o ON o.id = s.origin_order_id";

/// One master of merchant `m`.
pub async fn get(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Option<MasterRow>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE s.id = $1 AND s.merchant_id = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(m.0)
        .fetch_optional(conn)
        .await?)
}

/// The list's filter: a customer, a status, part of the customer's name, furigana or email.
#[derive(Debug, Clone, Default)]
pub struct MasterFilter {
    pub customer_id: Option<i64>,
    pub status: Option<MasterStatus>,
    pub text: Option<String>,
}

/// A page of merchant `m`'s masters, newest first, and whether more follow.
pub async fn search(conn: &mut AnyConnection, m: MerchantId, f: &MasterFilter, offset: i64, limit: i64) -> Result<(Vec<MasterRow>, bool)> {
    let mut w = Where {
        conds: Vec::new(),
        binds: Vec::new(),
    };
    w.add("s.merchant_id = ?", Bind::I(m.0));
    if let Some(c) = f.customer_id {
        w.add("s.customer_id = ?", Bind::I(c));
    }
    if let Some(s) = f.status {
        w.add("s.status = ?", Bind::S(s.as_str().into()));
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let p = crate::dialect::contains_pattern(t);
        w.binds.push(Bind::S(p));
        let n = w.binds.len();
        w.conds.push(format!(
            "(c.name LIKE ${n} ESCAPE '\\' OR c.kana LIKE ${n} ESCAPE '\\' OR c.email LIKE ${n} ESCAPE '\\')"
        ));
    }
    let sql = format!(
        "SELECT {COLS} FROM {FROM} WHERE {} ORDER BY s.id DESC LIMIT {} OFFSET {}",
        w.conds.join(" AND "),
        limit + 1,
        offset.max(0)
    );
    let mut rows: Vec<MasterRow> = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds).fetch_all(conn).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

/// Up to `limit` active masters (any merchant) due on or before `today`, after id `after`: the
/// job's chunk.
pub async fn due(conn: &mut AnyConnection, today: &str, after: i64, limit: i64) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, merchant_id FROM subscriptions WHERE status = 'active' AND next_date <= $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(today)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct ItemRow {
    pub product_id: i64,
    pub product_code: String,
    pub product_name: String,
    pub price: i64,
    pub archived: i64,
    pub quantity: i64,
    pub is_main: i64,
}

/// A master's items, the main product first.
pub async fn items(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Vec<ItemRow>> {
    Ok(sqlx::query_as(
        "SELECT i.product_id, p.code AS product_code, p.name AS product_name, p.price, p.archived, i.quantity, i.is_main \
         FROM subscription_items i JOIN products p ON p.id = i.product_id \
         WHERE i.subscription_id = $1 AND i.merchant_id = $2 ORDER BY i.is_main DESC, i.id",
    )
    .bind(id)
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct HistoryRow {
    pub at: i64,
    pub user_name: Option<String>,
    pub action: String,
    pub note: String,
}

/// A master's history, oldest first (bounded: a master changes a few times a cycle).
pub async fn history(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Vec<HistoryRow>> {
    Ok(sqlx::query_as(
        "SELECT h.at, u.display_name AS user_name, h.action, h.note FROM subscription_history h LEFT JOIN users u ON u.id = h.user_id \
         WHERE h.subscription_id = $1 AND h.merchant_id = $2 ORDER BY h.at, h.id LIMIT 500",
    )
    .bind(id)
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}

/// The child orders' numbers and cycle dates, newest first (bounded).
pub async fn children(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT order_number, subscription_cycle_date FROM orders WHERE subscription_id = $1 AND merchant_id = $2 \
         AND subscription_cycle_date IS NOT NULL ORDER BY subscription_cycle_date DESC LIMIT 500",
    )
    .bind(id)
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}
