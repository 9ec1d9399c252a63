//! The emails of reservations: cancellation notices to the customer and to every merchant
//! user, and the e-ticket resend (注文確認メール再送) for own-site bookings.

use crate::notify::{queue_email, templates};
use crate::orders::OrderError;
use crate::{Actor, App, AppError, Result, audit};
use kippu_store::AnyConnection;
use kippu_store::orders::{self, OrderRow, TicketRow};
use kippu_store::reservations as repo;

async fn vars(conn: &mut AnyConnection, app: &App, o: &OrderRow, tickets: &[TicketRow]) -> Result<serde_json::Value> {
    let mut v = crate::orders::mail_vars(conn, app, o, tickets).await?;
    if let Some(c) = o.channel_id {
        let name = repo::channel_name(conn, c).await?;
        v.insert("channel".into(), serde_json::Value::String(name.unwrap_or_default()));
    }
    Ok(serde_json::Value::Object(v))
}

/// Queued in the cancellation's transaction: the customer learns the reason, fee and refund;
/// every merchant user gets the cancellation notice.
pub(crate) async fn cancelled(conn: &mut AnyConnection, app: &App, o: &OrderRow, tickets: &[TicketRow]) -> Result<()> {
    let m = o.merchant_id;
    let v = vars(conn, app, o, tickets).await?;
    queue_email(
        conn,
        app,
        Some(m),
        templates::RESERVATION_CANCELLED,
        &o.customer_email,
        &v,
        Some(o.id),
    )
    .await?;
    for user in repo::merchant_user_emails(conn, m).await? {
        queue_email(conn, app, Some(m), templates::BOOKING_CANCELLED_NOTICE, &user, &v, Some(o.id)).await?;
    }
    Ok(())
}

/// 注文確認メール再送: the booking confirmation with the e-ticket goes to the customer again.
/// Own-site bookings only: an OTA sends its own e-tickets, and we hold no right to mail its
/// customers.
pub async fn resend(app: &App, actor: &Actor, number: &str) -> Result<String> {
    let m = actor.merchant()?;
    let mut tx = app.store.begin().await?;
    let o = orders::order_by_number(&mut tx, app.store.backend(), Some(m), number, false)
        .await?
        .filter(|o| o.kind == kippu_domain::catalog::ProductKind::Reservation || o.kind == kippu_domain::catalog::ProductKind::WebTicket)
        .ok_or(AppError::NotFound)?;
    if repo::channel_kind(&mut tx, o.id).await? != Some(kippu_domain::catalog::ChannelKind::OwnSite) {
        return Err(OrderError::ResendOwnSiteOnly.into());
    }
    let tickets = orders::tickets_of_orders(&mut tx, &[o.id]).await?;
    let v = vars(&mut tx, app, &o, &tickets).await?;
    queue_email(
        &mut tx,
        app,
        Some(m),
        templates::ORDER_CONFIRMATION,
        &o.customer_email,
        &v,
        Some(o.id),
    )
    .await?;
    let now = app.now_ms();
    orders::insert_history(
        &mut tx,
        &orders::HistoryEntry {
            merchant_id: m,
            order_id: o.id,
            ticket_id: None,
            flow: "mail",
            from_status: None,
            to_status: o.status.as_str(),
            actor_user_id: actor.user_id.map(|u| u.0),
            actor_label: &actor.label,
            note: "注文確認メール再送",
            at: now,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("resend_confirmation", "order", number),
        audit::NONE,
        Some(&serde_json::json!({"to": o.customer_email})),
        now,
    )
    .await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(o.customer_email)
}
