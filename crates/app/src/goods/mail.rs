//! The goods emails' placeholders, filled from the order as the transaction sees it, and queued
//! in that transaction.

use super::view::GoodsView;
use crate::notify::{self, goods_templates};
use crate::{App, Result};
use kippu_domain::Yen;
use kippu_domain::clock::{date_with_weekday, format_jst, from_millis, parse_date};
use kippu_store::AnyConnection;

fn destinations(v: &GoodsView) -> String {
    v.shipments
        .iter()
        .map(|s| {
            let items = v.items_of(s).into_iter().map(|i| format!("  {i}"));
            let head = if s.is_pickup() {
                format!("お届け先{}: 店舗受取（{} 様）", s.position, s.recipient_name)
            } else {
                format!("お届け先{}: {} 様 〒{} {}", s.position, s.recipient_name, s.postal_code, s.address)
            };
            std::iter::once(head).chain(items).collect::<Vec<_>>().join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The parcels among `positions`: carrier, tracking number and link, ship date.
fn parcels(v: &GoodsView, positions: &[usize]) -> String {
    v.shipments
        .iter()
        .filter(|s| positions.contains(&(s.position as usize)) && !s.is_pickup())
        .map(|s| {
            let date = s
                .ship_date
                .as_deref()
                .and_then(parse_date)
                .map(|d| date_with_weekday(d, false))
                .unwrap_or_default();
            let tracking = match (s.carrier, s.tracking_number.as_str()) {
                (_, "") => "送り状番号は後ほどお知らせします".to_string(),
                (Some(c), n) => format!("{} {n} {}", c.label_ja(), c.tracking_url(n)),
                (None, n) => n.to_string(),
            };
            format!("お届け先{}: {tracking}（発送日 {date}）", s.position)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// 「商品合計 9,000円 / 送料 800円 / 代引手数料 330円」: the parts of the total that are not zero.
pub fn breakdown(v: &GoodsView) -> String {
    let o = &v.order;
    let mut parts = vec![format!("商品合計 {}", Yen(v.goods_total()).display_ja())];
    if o.shipping_fee > 0 {
        parts.push(format!("送料 {}", Yen(o.shipping_fee).display_ja()));
    }
    if o.handling_fee > 0 {
        parts.push(format!("代引手数料 {}", Yen(o.handling_fee).display_ja()));
    }
    if o.points_used > 0 {
        parts.push(format!("ポイント利用 -{}", Yen(o.points_used).display_ja()));
    }
    parts.join(" / ")
}

fn vars(app: &App, merchant: &str, v: &GoodsView, positions: &[usize], instructions: &str) -> serde_json::Value {
    let o = &v.order;
    serde_json::json!({
        "order_url": format!("{}/my/orders/{}", app.config.public_url, o.access_token.as_deref().unwrap_or("")),
        "admin_url": format!("{}/shipping/orders/{}", app.config.public_url, o.order_number),
        "merchant_name": merchant,
        "order_number": o.order_number,
        "customer_name": o.customer_name,
        "ordered_at": format_jst(from_millis(o.ordered_at)),
        "amount": Yen(o.amount).display_ja(),
        "amount_breakdown": breakdown(v),
        "payment_instructions": instructions,
        "payment_method": o.payment_method.buyer_label().ja,
        "payment_date": o.payment_date.clone().unwrap_or_default(),
        "refunded": Yen(o.refunded_amount).display_ja(),
        "destinations": destinations(v),
        "parcels": parcels(v, positions),
    })
}

/// Queues email `key` about order `v` to its buyer, in the caller's transaction.
pub(crate) async fn queue(tx: &mut AnyConnection, app: &App, key: &str, v: &GoodsView, positions: &[usize]) -> Result<()> {
    let merchant = kippu_store::merchants::get(tx, v.order.merchant_id)
        .await?
        .map(|m| m.name)
        .unwrap_or_default();
    let instructions = crate::payment_company::text_of(tx, v.order.id).await?;
    let vars = vars(app, &merchant, v, positions, &instructions);
    notify::queue_email(
        tx,
        app,
        Some(v.order.merchant_id),
        key,
        &v.order.customer_email,
        &vars,
        Some(v.order.id),
    )
    .await?;
    Ok(())
}

/// 受注通知: the new goods order, to the merchant's contact address, in the caller's transaction
/// (as a web-ticket order's is).
pub(super) async fn queue_order_notification(tx: &mut AnyConnection, app: &App, v: &GoodsView) -> Result<()> {
    let Some(merchant) = kippu_store::merchants::get(tx, v.order.merchant_id).await? else {
        return Ok(());
    };
    if merchant.email.trim().is_empty() {
        return Ok(());
    }
    let instructions = crate::payment_company::text_of(tx, v.order.id).await?;
    let vars = vars(app, &merchant.name, v, &[], &instructions);
    notify::queue_email(
        tx,
        app,
        Some(v.order.merchant_id),
        goods_templates::GOODS_ORDER_NOTIFICATION,
        &merchant.email,
        &vars,
        Some(v.order.id),
    )
    .await?;
    Ok(())
}

/// The notices of shipping `positions`: a shipping notice for parcels, a pickup notice for
/// store pickups handed over.
pub(super) async fn queue_shipping(tx: &mut AnyConnection, app: &App, v: &GoodsView, positions: &[usize]) -> Result<()> {
    let shipped: Vec<&kippu_store::goods::ShipmentRow> =
        v.shipments.iter().filter(|s| positions.contains(&(s.position as usize))).collect();
    if shipped.iter().any(|s| !s.is_pickup()) {
        queue(tx, app, goods_templates::SHIPPING_NOTICE, v, positions).await?;
    }
    if shipped.iter().any(|s| s.is_pickup()) {
        queue(tx, app, goods_templates::PICKUP_NOTICE, v, positions).await?;
    }
    Ok(())
}

/// The goods emails a merchant may send by hand from the order page.
pub const MANUAL: [&str; 6] = [
    goods_templates::GOODS_THANKS,
    goods_templates::GOODS_PAYMENT_CONFIRMED,
    goods_templates::SHIPPING_NOTICE,
    goods_templates::PICKUP_NOTICE,
    goods_templates::GOODS_CANCELLED,
    goods_templates::GOODS_REFUNDED,
];

fn manual_key(key: &str) -> Result<&'static str> {
    MANUAL
        .iter()
        .copied()
        .find(|k| *k == key)
        .ok_or_else(|| kippu_domain::validate::FieldError::new("template", "送信するメールを選択肢から選んでください").into())
}

/// A goods email of order `number` as it would go now (every shipped parcel listed), for the
/// merchant to edit before sending.
pub async fn draft(app: &App, actor: &crate::Actor, number: &str, key: &str) -> Result<(String, String)> {
    let key = manual_key(key)?;
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let v = super::view::load_on(&mut conn, app, Some(m), number).await?;
    let merchant = kippu_store::merchants::get(&mut conn, m).await?.map(|x| x.name).unwrap_or_default();
    let shipped: Vec<usize> = v
        .shipments
        .iter()
        .filter(|s| s.status == kippu_domain::goods::ShippingStatus::Shipped)
        .map(|s| s.position as usize)
        .collect();
    let tpl = notify::templates::effective(&mut conn, Some(m), key).await?;
    let instructions = crate::payment_company::text_of(&mut conn, v.order.id).await?;
    notify::templates::render(&tpl.subject, &tpl.body, &vars(app, &merchant, &v, &shipped, &instructions))
}

/// Sends the merchant's edited text of a goods email to the order's buyer (手動送信), with its
/// history entry and audit record in the same transaction.
pub async fn send_edited(app: &App, actor: &crate::Actor, number: &str, key: &str, subject: &str, body: &str) -> Result<()> {
    use kippu_domain::validate::{self, Collect};
    let key = manual_key(key)?;
    let m = actor.merchant()?;
    let mut errs = Collect::default();
    let subject = errs.take(validate::required_text("subject", subject, 200));
    let body = errs.take(validate::multiline_text("body", body, 10_000));
    errs.finish()?;
    let (Some(subject), Some(body)) = (subject, body) else {
        return Err(crate::AppError::Internal(
            "a mail field without a value but without an error".into(),
        ));
    };
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let v = super::view::load_on(&mut tx, app, Some(m), number).await?;
    kippu_store::outbox::enqueue(
        &mut tx,
        &kippu_store::outbox::NewMessage {
            merchant_id: Some(m),
            template_key: key,
            to_addr: &v.order.customer_email,
            subject: &subject,
            body: &body,
            order_id: Some(v.order.id),
        },
        now,
    )
    .await?;
    let label = notify::templates::def(key).map(|d| d.label_ja).unwrap_or(key);
    let sent = Sent {
        note: &format!("手動送信: {label}"),
        what: "手動送信",
        after: serde_json::json!({"template": key, "to": v.order.customer_email}),
    };
    record_sent(&mut tx, actor, &v, &sent, now).await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(())
}

/// What an order's history and the audit log say of emails sent about it.
pub(super) struct Sent<'a> {
    /// The history entry's note.
    pub(super) note: &'a str,
    /// The audit record's verb.
    pub(super) what: &'a str,
    pub(super) after: serde_json::Value,
}

/// The history entry and audit record of emails queued about order `v` (by hand or in bulk),
/// in the caller's transaction.
pub(super) async fn record_sent(tx: &mut AnyConnection, actor: &crate::Actor, v: &GoodsView, sent: &Sent<'_>, now: i64) -> Result<()> {
    let o = &v.order;
    let step = super::history::Step {
        from: None,
        to: o.status.as_str(),
        note: sent.note,
    };
    kippu_store::orders::insert_history(tx, &super::history::entry(actor, o.merchant_id, o.id, step, now)).await?;
    crate::audit::record(
        tx,
        actor,
        Some(o.merchant_id),
        crate::audit::Subject::new(sent.what, "order", &o.order_number),
        crate::audit::NONE,
        Some(&sent.after),
        now,
    )
    .await?;
    Ok(())
}
