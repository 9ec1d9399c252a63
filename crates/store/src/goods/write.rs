//! Writing goods orders: destinations and their lines at intake, then the statuses, the
//! shipping of a destination and its tracking number.

use crate::Result;
use kippu_domain::goods::{Carrier, OrderStatus, PaymentStatus, TimeBand};
use kippu_domain::{MerchantId, OrderId};
use sqlx::AnyConnection;

pub struct NewShipment<'a> {
    pub merchant_id: MerchantId,
    pub order_id: OrderId,
    pub position: i64,
    pub pickup: bool,
    pub name: &'a str,
    pub kana: &'a str,
    pub postal_code: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
    pub requested_date: Option<&'a str>,
    pub time_band: Option<TimeBand>,
    pub shipping_fee: i64,
    /// 店舗受取: the store it is collected from.
    pub store_id: Option<i64>,
    pub now: i64,
}

pub async fn insert_shipment(conn: &mut AnyConnection, s: &NewShipment<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO shipments (merchant_id, order_id, position, method, recipient_name, recipient_kana, postal_code, address, phone, \
         requested_date, time_band, shipping_fee, status, created_at, updated_at, store_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'unshipped', $13, $13, $14) RETURNING id",
    )
    .bind(s.merchant_id.0)
    .bind(s.order_id.0)
    .bind(s.position)
    .bind(if s.pickup { "pickup" } else { "delivery" })
    .bind(s.name)
    .bind(s.kana)
    .bind(s.postal_code)
    .bind(s.address)
    .bind(s.phone)
    .bind(s.requested_date)
    .bind(s.time_band.map(|b| b.as_str()))
    .bind(s.shipping_fee)
    .bind(s.now)
    .bind(s.store_id)
    .fetch_one(conn)
    .await?)
}

pub struct NewGoodsLine<'a> {
    pub merchant_id: MerchantId,
    pub order_id: OrderId,
    pub shipment_id: i64,
    pub product_id: i64,
    pub product_name: &'a str,
    pub product_code: &'a str,
    pub jan: &'a str,
    pub unit_price: i64,
    pub tax_rate: i64,
    pub quantity: i64,
    pub stock_id: i64,
}

pub async fn insert_goods_line(conn: &mut AnyConnection, l: &NewGoodsLine<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO order_lines (merchant_id, order_id, product_id, product_name, product_code, jan, unit_price, tax_rate, quantity, amount, stock_id, shipment_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(l.merchant_id.0)
    .bind(l.order_id.0)
    .bind(l.product_id)
    .bind(l.product_name)
    .bind(l.product_code)
    .bind(l.jan)
    .bind(l.unit_price)
    .bind(l.tax_rate)
    .bind(l.quantity)
    .bind(l.unit_price * l.quantity)
    .bind(l.stock_id)
    .bind(l.shipment_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// What intake writes on the order row besides the common columns.
pub async fn set_goods_columns(
    conn: &mut AnyConnection,
    order_id: OrderId,
    payment: PaymentStatus,
    shipping_fee: i64,
    handling_fee: i64,
    points: i64,
) -> Result<()> {
    sqlx::query("UPDATE orders SET payment_status = $1, shipping_fee = $2, handling_fee = $3, points = $4 WHERE id = $5")
        .bind(payment.as_str())
        .bind(shipping_fee)
        .bind(handling_fee)
        .bind(points)
        .bind(order_id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// The order's statuses after a transition (the payment date when it became paid).
pub struct GoodsStatusChange<'a> {
    pub status: OrderStatus,
    pub payment: PaymentStatus,
    pub payment_date: Option<&'a str>,
    pub paid_at: Option<i64>,
}

pub async fn set_goods_status(conn: &mut AnyConnection, order_id: OrderId, c: &GoodsStatusChange<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE orders SET status = $1, payment_status = $2, payment_date = COALESCE($3, payment_date), paid_at = COALESCE($4, paid_at), \
         cancelled_at = CASE WHEN $1 = 'cancelled' THEN COALESCE(cancelled_at, $5) ELSE cancelled_at END, updated_at = $5 WHERE id = $6",
    )
    .bind(c.status.as_str())
    .bind(c.payment.as_str())
    .bind(c.payment_date)
    .bind(c.paid_at)
    .bind(now)
    .bind(order_id.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// Points an order earns, pending until the merchant's policy (or an admin) activates them.
pub async fn insert_pending_points(
    conn: &mut AnyConnection,
    m: MerchantId,
    customer_id: i64,
    order_id: OrderId,
    points: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO points (merchant_id, customer_id, order_id, points, status, source, created_at) VALUES ($1, $2, $3, $4, 'pending', 'goods_order', $5)",
    )
    .bind(m.0)
    .bind(customer_id)
    .bind(order_id.0)
    .bind(points)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A destination's new tracking number, carrier and 配達予定日 (the carrier import, or one edit)
/// and, when the goods rule has let it ship, its 発送日.
pub struct TrackingUpdate<'a> {
    pub shipment_id: i64,
    pub tracking: &'a str,
    pub carrier: Option<Carrier>,
    pub delivery_date: Option<String>,
    pub ship_date: Option<&'a str>,
}

/// Writes many destinations' tracking numbers — and ships those given a ship date — 500 per
/// statement (an `UPDATE … FROM (VALUES …)`, which both databases run; their unnamed VALUES
/// columns are `column1`, `column2`, …). One write per destination: on PostgreSQL each UPDATE
/// of a row is a new row version.
pub async fn set_tracking_many(conn: &mut AnyConnection, updates: &[TrackingUpdate<'_>], now: i64) -> Result<()> {
    for chunk in updates.chunks(500) {
        let values = crate::batch::row_params(crate::Backend::of(conn), chunk.len(), 5);
        // `now` is an integer written into the text: every bound value is a VALUES cell.
        let sql = format!(
            "UPDATE shipments SET tracking_number = v.column2, carrier = v.column3, delivery_date = v.column4, \
             status = CASE WHEN v.column5 IS NULL THEN status ELSE 'shipped' END, ship_date = COALESCE(v.column5, ship_date), \
             shipped_at = CASE WHEN v.column5 IS NULL THEN shipped_at ELSE {now} END, updated_at = {now} \
             FROM (VALUES {values}) AS v WHERE shipments.id = v.column1"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for u in chunk {
            q = q
                .bind(u.shipment_id)
                .bind(u.tracking)
                .bind(u.carrier.map(|c| c.as_str()).unwrap_or(""))
                .bind(u.delivery_date.clone())
                .bind(u.ship_date);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Marks many destinations shipped on `ship_date`, 1,000 per statement.
pub async fn set_shipped_many(conn: &mut AnyConnection, shipment_ids: &[i64], ship_date: &str, now: i64) -> Result<()> {
    for chunk in shipment_ids.chunks(1000) {
        let ids = crate::batch::id_list(chunk.iter().copied());
        let sql = format!("UPDATE shipments SET status = 'shipped', ship_date = $1, shipped_at = $2, updated_at = $2 WHERE id IN ({ids})");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ship_date)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// 未発送に戻す: destination `shipment_id` is not shipped after all (its ship date cleared; the
/// tracking number stays, it was typed for this parcel).
pub async fn set_unshipped(conn: &mut AnyConnection, shipment_id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE shipments SET status = 'unshipped', ship_date = NULL, shipped_at = NULL, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(shipment_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Activates the pending points of many orders, 1,000 per statement.
pub async fn activate_points_many(conn: &mut AnyConnection, order_ids: &[OrderId], actor_label: &str, now: i64) -> Result<()> {
    use super::ledger::{Moved, post};
    use kippu_domain::goods::ledger::LedgerReason;
    for chunk in order_ids.chunks(1000) {
        let ids = crate::batch::id_list(chunk.iter().map(|o| o.0));
        let sql = format!(
            "UPDATE points SET status = 'active', activated_at = $1 WHERE status = 'pending' AND order_id IN ({ids}) \
             RETURNING merchant_id, customer_id, order_id, points, source"
        );
        let moved: Vec<Moved> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).fetch_all(&mut *conn).await?;
        let entries: Vec<_> = moved.iter().filter_map(|p| p.entry(1, LedgerReason::Earned, actor_label)).collect();
        // Only points coming in: an overdraft here is a bug.
        post(conn, &entries, now)
            .await?
            .map_err(|o| crate::StoreError::Invariant(o.to_string()))?;
    }
    Ok(())
}
