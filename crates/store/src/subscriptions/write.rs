//! Writing masters: the insert from an order, the guarded status change, the guarded step of
//! `next_date` that makes a child order exactly once, the edits of マスタ編集, the history line.

use crate::Result;
use kippu_domain::MerchantId;
use kippu_domain::order::PaymentMethod;
use kippu_domain::subscription::{Cycle, MasterStatus};
use sqlx::AnyConnection;

/// A master as the order that creates it gives it.
pub struct NewMaster<'a> {
    pub merchant_id: MerchantId,
    pub customer_id: i64,
    pub cycle: Cycle,
    pub next_date: &'a str,
    pub payment_method: PaymentMethod,
    pub stored_card_id: Option<i64>,
    pub coupon_id: Option<i64>,
    pub course_id: Option<i64>,
    pub origin_order_id: i64,
    pub ship: Ship<'a>,
    pub items: &'a [(i64, i64)],
    pub now: i64,
}

/// Where a master's children ship.
#[derive(Debug, Clone, Copy)]
pub struct Ship<'a> {
    pub name: &'a str,
    pub kana: &'a str,
    pub postal_code: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
}

/// Inserts the master and its items (the first is the main product); its id.
pub async fn insert(conn: &mut AnyConnection, n: &NewMaster<'_>) -> Result<i64> {
    let (kind, every, day, weekday) = n.cycle.columns();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO subscriptions (merchant_id, customer_id, cycle_every, cycle_kind, cycle_day, cycle_weekday, next_date, \
         payment_method, stored_card_id, coupon_id, course_id, origin_order_id, status, deliveries, ship_name, ship_kana, \
         ship_postal_code, ship_address, ship_phone, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'active', 1, $13, $14, $15, $16, $17, $18, $18) RETURNING id",
    )
    .bind(n.merchant_id.0)
    .bind(n.customer_id)
    .bind(every)
    .bind(kind)
    .bind(day)
    .bind(weekday)
    .bind(n.next_date)
    .bind(n.payment_method.as_str())
    .bind(n.stored_card_id)
    .bind(n.coupon_id)
    .bind(n.course_id)
    .bind(n.origin_order_id)
    .bind(n.ship.name)
    .bind(n.ship.kana)
    .bind(n.ship.postal_code)
    .bind(n.ship.address)
    .bind(n.ship.phone)
    .bind(n.now)
    .fetch_one(&mut *conn)
    .await?;
    replace_items(conn, n.merchant_id, id, n.items).await?;
    sqlx::query("UPDATE orders SET subscription_id = $1 WHERE id = $2 AND merchant_id = $3")
        .bind(id)
        .bind(n.origin_order_id)
        .bind(n.merchant_id.0)
        .execute(conn)
        .await?;
    Ok(id)
}

/// The master's items replaced: `(product_id, quantity)`, the first the main product.
pub async fn replace_items(conn: &mut AnyConnection, m: MerchantId, id: i64, items: &[(i64, i64)]) -> Result<()> {
    sqlx::query("DELETE FROM subscription_items WHERE subscription_id = $1 AND merchant_id = $2")
        .bind(id)
        .bind(m.0)
        .execute(&mut *conn)
        .await?;
    for (i, (product, quantity)) in items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO subscription_items (merchant_id, subscription_id, product_id, quantity, is_main) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(m.0)
        .bind(id)
        .bind(*product)
        .bind(*quantity)
        .bind(i64::from(i == 0))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The status moved from `from` to `to`, only if it is still `from` (false otherwise: another
/// writer moved it first).
pub async fn set_status(
    conn: &mut AnyConnection,
    m: MerchantId,
    id: i64,
    from: MasterStatus,
    to: MasterStatus,
    next_date: Option<&str>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE subscriptions SET status = $1, next_date = COALESCE($2, next_date), updated_at = $3 \
         WHERE id = $4 AND merchant_id = $5 AND status = $6",
    )
    .bind(to.as_str())
    .bind(next_date)
    .bind(now)
    .bind(id)
    .bind(m.0)
    .bind(from.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A cycle's child made: `next_date` steps from `due` to `next` and one more delivery is
/// counted, only while the master is active and still due on `due`. False when another run
/// stepped it first: the caller's transaction (with its child order) must then roll back.
pub async fn step(conn: &mut AnyConnection, id: i64, due: &str, next: &str, finished: bool, now: i64) -> Result<bool> {
    let status = if finished { MasterStatus::Finished } else { MasterStatus::Active };
    let done = sqlx::query(
        "UPDATE subscriptions SET next_date = $1, deliveries = deliveries + 1, status = $2, updated_at = $3 \
         WHERE id = $4 AND next_date = $5 AND status = 'active'",
    )
    .bind(next)
    .bind(status.as_str())
    .bind(now)
    .bind(id)
    .bind(due)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A child order linked to its master and cycle date (unique per master and date).
pub async fn link_child(conn: &mut AnyConnection, order_id: i64, id: i64, due: &str) -> Result<()> {
    sqlx::query("UPDATE orders SET subscription_id = $1, subscription_cycle_date = $2, order_type = 'subscription_child' WHERE id = $3")
        .bind(id)
        .bind(due)
        .bind(order_id)
        .execute(conn)
        .await
        .map_err(|e| crate::StoreError::conflict_on_unique(e, "subscription_child", format!("{id}/{due}")))?;
    Ok(())
}

/// What マスタ編集 changes, all at once (`None`: unchanged; the fee and coupon/card columns take
/// their new value, `None` inside meaning cleared).
#[derive(Debug, Default)]
pub struct MasterEdit<'a> {
    pub cycle: Option<Cycle>,
    pub next_date: Option<&'a str>,
    pub stored_card_id: Option<Option<i64>>,
    pub coupon_id: Option<Option<i64>>,
    pub shipping_fee: Option<Option<i64>>,
    pub handling_fee: Option<Option<i64>>,
    pub ship: Option<Ship<'a>>,
}

/// Applies an edit to an active or paused master; false when it is neither (any more).
pub async fn edit(conn: &mut AnyConnection, m: MerchantId, id: i64, e: &MasterEdit<'_>, now: i64) -> Result<bool> {
    let mut sets: Vec<String> = vec!["updated_at = $1".into()];
    enum V<'v> {
        I(Option<i64>),
        S(Option<&'v str>),
    }
    let mut vals: Vec<V> = Vec::new();
    let mut pending: Vec<(&str, V)> = Vec::new();
    if let Some(c) = e.cycle {
        let (kind, every, day, weekday) = c.columns();
        pending.push(("cycle_kind", V::S(Some(kind))));
        pending.push(("cycle_every", V::I(Some(every))));
        pending.push(("cycle_day", V::I(day)));
        pending.push(("cycle_weekday", V::S(weekday)));
    }
    if let Some(d) = e.next_date {
        pending.push(("next_date", V::S(Some(d))));
    }
    if let Some(c) = e.stored_card_id {
        pending.push(("stored_card_id", V::I(c)));
    }
    if let Some(c) = e.coupon_id {
        pending.push(("coupon_id", V::I(c)));
    }
    if let Some(f) = e.shipping_fee {
        pending.push(("shipping_fee", V::I(f)));
    }
    if let Some(f) = e.handling_fee {
        pending.push(("handling_fee", V::I(f)));
    }
    if let Some(s) = e.ship {
        pending.push(("ship_name", V::S(Some(s.name))));
        pending.push(("ship_kana", V::S(Some(s.kana))));
        pending.push(("ship_postal_code", V::S(Some(s.postal_code))));
        pending.push(("ship_address", V::S(Some(s.address))));
        pending.push(("ship_phone", V::S(Some(s.phone))));
    }
    for (col, v) in pending {
        sets.push(format!("{col} = ${}", vals.len() + 2));
        vals.push(v);
    }
    let n = vals.len() + 2;
    let sql = format!(
        "UPDATE subscriptions SET {} WHERE id = ${n} AND merchant_id = ${} AND status IN ('active', 'paused')",
        sets.join(", "),
        n + 1
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now);
    for v in vals {
        q = match v {
            V::I(i) => q.bind(i),
            V::S(s) => q.bind(s.map(str::to_string)),
        };
    }
    let done = q.bind(id).bind(m.0).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

/// One line of a master's history.
pub async fn add_history(
    conn: &mut AnyConnection,
    m: MerchantId,
    id: i64,
    user_id: Option<i64>,
    action: &str,
    note: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO subscription_history (merchant_id, subscription_id, at, user_id, action, note) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(m.0)
    .bind(id)
    .bind(now)
    .bind(user_id)
    .bind(action)
    .bind(note)
    .execute(conn)
    .await?;
    Ok(())
}

/// A refused cycle: `next_date` steps from `due` to `next` without a delivery, only while the
/// master is active and still due on `due`.
pub async fn skip(conn: &mut AnyConnection, id: i64, due: &str, next: &str, now: i64) -> Result<bool> {
    let done =
        sqlx::query("UPDATE subscriptions SET next_date = $1, updated_at = $2 WHERE id = $3 AND next_date = $4 AND status = 'active'")
            .bind(next)
            .bind(now)
            .bind(id)
            .bind(due)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}
