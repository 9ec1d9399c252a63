//! Code coupons and their uses. A use is counted by one guarded `UPDATE` that never takes the
//! count above the coupon's total limit, so two orders racing for the last use cannot both
//! have it; the row lock it takes also orders the per-customer count that follows.

use crate::{Result, StoreError};
use kippu_domain::MerchantId;
use kippu_domain::coupon::CouponFields;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow, serde::Serialize, PartialEq)]
pub struct CouponRow {
    pub id: i64,
    pub merchant_id: i64,
    pub code: String,
    pub name: String,
    pub discount_yen: i64,
    pub discount_percent: i64,
    pub valid_from: String,
    pub valid_to: String,
    pub min_amount: i64,
    pub per_customer: Option<i64>,
    pub total_limit: Option<i64>,
    pub used_count: i64,
    pub enabled: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, merchant_id, code, name, discount_yen, discount_percent, valid_from, valid_to, min_amount, \
                    per_customer, total_limit, used_count, enabled, created_at, updated_at";

fn conflict(e: sqlx::Error, code: &str) -> StoreError {
    StoreError::conflict_on_unique(e, "coupon", format!("クーポンコード {code}"))
}

pub async fn insert(conn: &mut AnyConnection, m: MerchantId, f: &CouponFields, now: i64) -> Result<i64> {
    let (yen, percent) = f.discount.columns();
    sqlx::query_scalar(
        "INSERT INTO coupons (merchant_id, code, name, discount_yen, discount_percent, valid_from, valid_to, min_amount, \
         per_customer, total_limit, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(m.0)
    .bind(&f.code)
    .bind(&f.name)
    .bind(yen)
    .bind(percent)
    .bind(&f.valid_from)
    .bind(&f.valid_to)
    .bind(f.min_amount)
    .bind(f.per_customer)
    .bind(f.total_limit)
    .bind(f.enabled as i64)
    .bind(now)
    .fetch_one(conn)
    .await
    .map_err(|e| conflict(e, &f.code))
}

/// Changes a coupon of `m`; false when `m` has no such coupon.
pub async fn update(conn: &mut AnyConnection, m: MerchantId, id: i64, f: &CouponFields, now: i64) -> Result<bool> {
    let (yen, percent) = f.discount.columns();
    let r = sqlx::query(
        "UPDATE coupons SET code = $1, name = $2, discount_yen = $3, discount_percent = $4, valid_from = $5, valid_to = $6, \
         min_amount = $7, per_customer = $8, total_limit = $9, enabled = $10, updated_at = $11 WHERE merchant_id = $12 AND id = $13",
    )
    .bind(&f.code)
    .bind(&f.name)
    .bind(yen)
    .bind(percent)
    .bind(&f.valid_from)
    .bind(&f.valid_to)
    .bind(f.min_amount)
    .bind(f.per_customer)
    .bind(f.total_limit)
    .bind(f.enabled as i64)
    .bind(now)
    .bind(m.0)
    .bind(id)
    .execute(conn)
    .await
    .map_err(|e| conflict(e, &f.code))?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_enabled(conn: &mut AnyConnection, m: MerchantId, id: i64, on: bool, now: i64) -> Result<bool> {
    let r = sqlx::query("UPDATE coupons SET enabled = $1, updated_at = $2 WHERE merchant_id = $3 AND id = $4")
        .bind(on as i64)
        .bind(now)
        .bind(m.0)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn get(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Option<CouponRow>> {
    let sql = format!("SELECT {COLS} FROM coupons WHERE merchant_id = $1 AND id = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn by_code(conn: &mut AnyConnection, m: MerchantId, code: &str) -> Result<Option<CouponRow>> {
    let sql = format!("SELECT {COLS} FROM coupons WHERE merchant_id = $1 AND code = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(code)
        .fetch_optional(conn)
        .await?)
}

/// One page of `m`'s coupons, newest first.
pub async fn list(conn: &mut AnyConnection, m: MerchantId, limit: i64, offset: i64) -> Result<Vec<CouponRow>> {
    let sql = format!("SELECT {COLS} FROM coupons WHERE merchant_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?)
}

pub async fn count(conn: &mut AnyConnection, m: MerchantId) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM coupons WHERE merchant_id = $1")
        .bind(m.0)
        .fetch_one(conn)
        .await?)
}

/// How many times `customer` used coupon `id`.
pub async fn uses_by(conn: &mut AnyConnection, id: i64, customer: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM coupon_uses WHERE coupon_id = $1 AND customer_id = $2")
            .bind(id)
            .bind(customer)
            .fetch_one(conn)
            .await?,
    )
}

/// Counts one use of coupon `id` unless its total limit is reached: true when counted. Inside a
/// transaction this holds the coupon's row until the end, so a second use of the same coupon
/// waits and then sees this one.
pub async fn take_use(conn: &mut AnyConnection, m: MerchantId, id: i64, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE coupons SET used_count = used_count + 1, updated_at = $1 \
         WHERE merchant_id = $2 AND id = $3 AND (total_limit IS NULL OR used_count < total_limit)",
    )
    .bind(now)
    .bind(m.0)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub struct NewUse {
    pub coupon_id: i64,
    pub customer_id: Option<i64>,
    pub order_id: i64,
    pub discount: i64,
}

/// The use's row; an order that already has a coupon is a conflict (one coupon per order).
pub async fn insert_use(conn: &mut AnyConnection, m: MerchantId, u: &NewUse, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO coupon_uses (merchant_id, coupon_id, customer_id, order_id, discount, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(m.0)
    .bind(u.coupon_id)
    .bind(u.customer_id)
    .bind(u.order_id)
    .bind(u.discount)
    .bind(now)
    .fetch_one(conn)
    .await
    .map_err(|e| StoreError::conflict_on_unique(e, "coupon use", format!("order {}", u.order_id)))
}

/// Whether order `order_id` already has a coupon.
pub async fn order_has_use(conn: &mut AnyConnection, order_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM coupon_uses WHERE order_id = $1")
        .bind(order_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Gives back the coupon use of order `order_id` (a cancelled order): its use row goes and the
/// coupon's count drops by one. True when there was one.
pub async fn release_use(conn: &mut AnyConnection, m: MerchantId, order_id: i64, now: i64) -> Result<bool> {
    let coupon: Option<i64> = sqlx::query_scalar("DELETE FROM coupon_uses WHERE merchant_id = $1 AND order_id = $2 RETURNING coupon_id")
        .bind(m.0)
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(coupon) = coupon else {
        return Ok(false);
    };
    sqlx::query("UPDATE coupons SET used_count = used_count - 1, updated_at = $1 WHERE merchant_id = $2 AND id = $3 AND used_count > 0")
        .bind(now)
        .bind(m.0)
        .bind(coupon)
        .execute(conn)
        .await?;
    Ok(true)
}

/// Puts a coupon's discount and an AD code on order `order_id`.
pub async fn set_order_promotions(
    conn: &mut AnyConnection,
    order_id: i64,
    coupon_id: Option<i64>,
    discount: i64,
    ad_code_id: Option<i64>,
) -> Result<()> {
    sqlx::query("UPDATE orders SET coupon_id = $1, discount = $2, ad_code_id = $3 WHERE id = $4")
        .bind(coupon_id)
        .bind(discount)
        .bind(ad_code_id)
        .bind(order_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Attaches AD code `ad_code_id` (or none) to order `order_id` of merchant `m` after the order;
/// false when no such order is the merchant's.
pub async fn set_order_ad_code(conn: &mut AnyConnection, m: MerchantId, order_id: i64, ad_code_id: Option<i64>) -> Result<bool> {
    let r = sqlx::query("UPDATE orders SET ad_code_id = $1 WHERE merchant_id = $2 AND id = $3")
        .bind(ad_code_id)
        .bind(m.0)
        .bind(order_id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// One row of the promotions report: a code, its name, the orders that carried it and their
/// sales (what the buyers pay, after the discount).
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct PromotionRow {
    pub code: String,
    pub name: String,
    pub orders: i64,
    pub sales: i64,
}

/// Per coupon (`ad_codes` false) or per AD code of merchant `m`: the orders placed in
/// [`from_ms`, `to_ms`) that carried it, cancelled ones left out, by sales; at most `limit` rows.
pub async fn promotions_report(
    conn: &mut AnyConnection,
    m: MerchantId,
    ad_codes: bool,
    from_ms: i64,
    to_ms: i64,
    limit: i64,
) -> Result<Vec<PromotionRow>> {
    let (table, column) = if ad_codes {
        ("ad_codes", "ad_code_id")
    } else {
        ("coupons", "coupon_id")
    };
    let sql = format!(
        "SELECT x.code, x.name, COUNT(o.id) AS orders, CAST(COALESCE(SUM(o.amount), 0) AS BIGINT) AS sales \
         FROM orders o JOIN {table} x ON x.id = o.{column} \
         WHERE o.merchant_id = $1 AND x.merchant_id = $1 AND o.ordered_at >= $2 AND o.ordered_at < $3 AND o.status <> 'cancelled' \
         GROUP BY x.code, x.name ORDER BY 4 DESC, x.code LIMIT {limit}"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(conn)
        .await?)
}
