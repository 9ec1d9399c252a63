//! お届け先・送り状番号編集: a destination's tracking number, carrier and 配達予定日, one by one
//! (the carrier import writes the same three through [`set_tracking`]).

use super::view::{self, GoodsView};
use crate::orders::OrderError;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::clock::to_millis;
use kippu_domain::goods::Carrier;
use kippu_domain::goods::tracking::TrackingNumber;
use kippu_domain::validate::{Collect, FieldError};
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, ShipmentRow};

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackingInput {
    #[serde(default)]
    pub tracking_number: String,
    /// `yamato`, `sagawa`, `japan_post`.
    #[serde(default)]
    pub carrier: String,
    /// 配達予定日 `YYYY-MM-DD`.
    #[serde(default)]
    pub delivery_date: String,
}

/// Why a destination of an order in `status` cannot take a tracking number.
pub fn refuse_tracking(status: kippu_domain::goods::OrderStatus, s: &ShipmentRow, tracking: &TrackingNumber) -> Option<String> {
    if status == kippu_domain::goods::OrderStatus::Cancelled {
        return Some(kippu_domain::goods::flow::Refusal::Cancelled.said().ja);
    }
    if s.is_pickup() {
        return Some(format!("お届け先{}は店舗受取のため送り状番号を登録できません", s.position));
    }
    if s.status == kippu_domain::goods::ShippingStatus::Shipped && !s.tracking_number.is_empty() && s.tracking_number != tracking.as_str() {
        return Some(format!(
            "お届け先{}は送り状番号 {} で発送済みです（別の番号 {} は登録できません）",
            s.position,
            s.tracking_number,
            tracking.as_str()
        ));
    }
    None
}

/// Writes a destination's tracking number, carrier and delivery date.
pub(crate) async fn set_tracking(
    tx: &mut AnyConnection,
    s: &ShipmentRow,
    tracking: &TrackingNumber,
    carrier: Option<Carrier>,
    delivery_date: Option<&str>,
    now: i64,
) -> Result<()> {
    let update = repo::TrackingUpdate {
        shipment_id: s.id,
        tracking: tracking.as_str(),
        carrier,
        delivery_date: delivery_date.map(str::to_string),
        ship_date: None,
    };
    Ok(repo::set_tracking_many(tx, std::slice::from_ref(&update), now).await?)
}

/// The merchant edits destination `position` of goods order `number`.
pub async fn edit(app: &App, actor: &Actor, number: &str, position: usize, input: &TrackingInput) -> Result<GoodsView> {
    let m = actor.merchant()?;
    let mut errs = Collect::default();
    let tracking = errs.take(TrackingNumber::parse(&input.tracking_number).map_err(|e| FieldError::new("tracking_number", e.to_string())));
    let carrier = match input.carrier.trim() {
        "" => Some(None),
        c => errs.take(
            Carrier::parse(c)
                .map(Some)
                .ok_or_else(|| FieldError::new("carrier", "yamato, sagawa, japan_post のいずれかを指定してください")),
        ),
    };
    let delivery_date = match input.delivery_date.trim() {
        "" => Some(None),
        d => errs.take(
            super::view::typed_date(d)
                .map(Some)
                .ok_or_else(|| FieldError::new("delivery_date", "配達予定日は YYYY-MM-DD で入力してください")),
        ),
    };
    errs.finish()?;
    let (Some(tracking), Some(carrier), Some(delivery_date)) = (tracking, carrier, delivery_date) else {
        return Err(AppError::Internal(
            "a destination field without a value but without an error".into(),
        ));
    };
    let now_ms = to_millis(app.clock.now());
    let mut tx = app.store.begin().await?;
    let o = repo::goods_order_by_number(&mut tx, app.store.backend(), Some(m), number, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let shipments = repo::shipments_of(&mut tx, &[o.id]).await?;
    let s = shipments
        .get(position.wrapping_sub(1))
        .ok_or(OrderError::Goods(kippu_domain::goods::flow::Refusal::NoSuchDestination(position)))?;
    if let Some(why) = refuse_tracking(o.status, s, &tracking) {
        return Err(FieldError::new("tracking_number", why).into());
    }
    set_tracking(&mut tx, s, &tracking, carrier, delivery_date.as_deref(), now_ms).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("お届け先・送り状番号編集", "order", number),
        Some(&serde_json::json!({"destination": position, "tracking_number": s.tracking_number})),
        Some(&serde_json::json!({"destination": position, "tracking_number": tracking.as_str(), "carrier": carrier.map(|c| c.as_str()), "delivery_date": delivery_date})),
        now_ms,
    )
    .await?;
    tx.commit().await?;
    view::load(app, Some(m), number).await
}
