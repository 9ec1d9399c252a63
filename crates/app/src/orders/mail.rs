//! The emails and in-app messages of the order flows.

use crate::notify::{queue_email, templates};
use crate::{App, Result};
use kippu_domain::Yen;
use kippu_domain::clock::{format_jst, from_millis};
use kippu_domain::order::PaymentMethod;
use kippu_store::orders::{self, OrderRow, TicketRow};
use kippu_store::{AnyConnection, merchants};

pub(crate) fn tickets_url(app: &App, o: &OrderRow) -> String {
    format!("{}/my/tickets/{}", app.config.public_url, o.access_token.as_deref().unwrap_or(""))
}

pub(crate) fn slip_url(app: &App, o: &OrderRow) -> String {
    format!("{}/slip/{}", app.config.public_url, o.access_token.as_deref().unwrap_or(""))
}

pub(crate) fn receipt_url(app: &App, o: &OrderRow) -> String {
    format!("{}/orders/{}/receive", app.config.public_url, o.order_number)
}

/// The placeholders of every order email, filled from the order.
pub(crate) async fn vars(
    conn: &mut AnyConnection,
    app: &App,
    o: &OrderRow,
    tickets: &[TicketRow],
) -> Result<serde_json::Map<String, serde_json::Value>> {
    let merchant = merchants::get(conn, o.merchant_id).await?.map(|m| m.name).unwrap_or_default();
    Ok(vars_with(app, merchant, o, tickets))
}

/// [`vars`] with the merchant's name already known (bulk work looks it up once).
pub(crate) fn vars_with(app: &App, merchant: String, o: &OrderRow, tickets: &[TicketRow]) -> serde_json::Map<String, serde_json::Value> {
    let mut items: Vec<(String, i64)> = Vec::new();
    for t in tickets {
        match items.iter_mut().find(|(n, _)| *n == t.product_name) {
            Some((_, q)) => *q += 1,
            None => items.push((t.product_name.clone(), 1)),
        }
    }
    let items = items.iter().map(|(n, q)| format!("{n} × {q}")).collect::<Vec<_>>().join("、");
    let lines = tickets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                "{} {} {}様\n  チケット: {}#t{}\n  QRコード: {}/qr/{}.png",
                t.ticket_number,
                t.product_name,
                t.holder_name,
                tickets_url(app, o),
                i + 1,
                tickets_url(app, o),
                t.ticket_number
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let s = |v: String| serde_json::Value::String(v);
    let mut m = serde_json::Map::new();
    m.insert("merchant_name".into(), s(merchant));
    m.insert("order_number".into(), s(o.order_number.clone()));
    m.insert("customer_name".into(), s(o.customer_name.clone()));
    m.insert("ordered_at".into(), s(format_jst(from_millis(o.ordered_at))));
    m.insert("amount".into(), s(Yen(o.amount).display_ja()));
    // Buyers read the plain word; the merchant's card mode and account are the merchant's words.
    m.insert("payment_method".into(), s(o.payment_method.buyer_label().ja.to_string()));
    m.insert("payment_flow".into(), s(o.payment_method.label_ja().to_string()));
    m.insert("items".into(), s(items));
    let venue = o.payment_method == PaymentMethod::PayAtVenue;
    m.insert("receipt_url".into(), s(if venue { receipt_url(app, o) } else { String::new() }));
    m.insert("slip_url".into(), s(if venue { slip_url(app, o) } else { String::new() }));
    m.insert("tickets_url".into(), s(tickets_url(app, o)));
    m.insert("tickets".into(), s(lines));
    m.insert(
        "paid_at".into(),
        s(o.paid_at.map(|t| format_jst(from_millis(t))).unwrap_or_default()),
    );
    let reservation = o.kind == kippu_domain::catalog::ProductKind::Reservation;
    let eticket = tickets.first().and_then(|t| t.eticket_id.clone()).filter(|_| reservation);
    m.insert("visit_date".into(), s(o.visit_date.clone().unwrap_or_default()));
    m.insert("time_slot".into(), s(o.time_slot.clone().unwrap_or_default()));
    m.insert("party_size".into(), s(o.party_size.map(|n| format!("{n}名")).unwrap_or_default()));
    m.insert("eticket_id".into(), s(eticket.unwrap_or_default()));
    m.insert("visit".into(), s(super::visit_of(o).map(|v| v.describe(false)).unwrap_or_default()));
    m.insert("channel".into(), s(String::new()));
    // Filled by the intake and the reminder, which read the order's instructions.
    m.insert("payment_instructions".into(), s(String::new()));
    m.insert(
        "cancelled_by".into(),
        s(o.cancelled_by.map(|c| c.label_ja()).unwrap_or("").to_string()),
    );
    m.insert("cancel_reason".into(), s(o.cancel_reason.clone().unwrap_or_default()));
    m.insert(
        "cancellation_fee".into(),
        s(if o.cancellation_fee_kept > 0 {
            Yen(o.cancellation_fee_kept).display_ja()
        } else {
            String::new()
        }),
    );
    m.insert(
        "refund".into(),
        s(if o.refunded_amount > 0 {
            Yen(o.refunded_amount).display_ja()
        } else {
            String::new()
        }),
    );
    m
}

/// Queues `key` to the customer and, for customer-facing flow mails, posts the same text as an
/// in-app message (the manual: "email + message"; the message has no subject).
pub(crate) async fn to_customer(
    conn: &mut AnyConnection,
    app: &App,
    o: &OrderRow,
    key: &str,
    vars: &serde_json::Map<String, serde_json::Value>,
    message: bool,
) -> Result<()> {
    let m = o.merchant_id;
    let vars = serde_json::Value::Object(vars.clone());
    queue_email(conn, app, Some(m), key, &o.customer_email, &vars, Some(o.id)).await?;
    if message {
        let tpl = templates::effective(conn, Some(m), key).await?;
        let (_, body) = templates::render(&tpl.subject, &tpl.body, &vars)?;
        orders::post_message(
            conn,
            &orders::NewMessage {
                m,
                order_id: o.id,
                sender: kippu_domain::order::MessageSender::Merchant,
                user: None,
                subject: "",
                body: &body,
            },
            app.now_ms(),
        )
        .await?;
    }
    Ok(())
}

/// Queues `key` to the merchant's contact address.
pub(crate) async fn to_merchant(
    conn: &mut AnyConnection,
    app: &App,
    o: &OrderRow,
    key: &str,
    vars: &serde_json::Map<String, serde_json::Value>,
) -> Result<()> {
    let m = o.merchant_id;
    let Some(merchant) = merchants::get(conn, m).await? else {
        return Ok(());
    };
    if merchant.email.is_empty() {
        return Ok(());
    }
    queue_email(
        conn,
        app,
        Some(m),
        key,
        &merchant.email,
        &serde_json::Value::Object(vars.clone()),
        Some(o.id),
    )
    .await?;
    Ok(())
}

/// The ticket email as it would go out now: what the send-confirmation screen shows.
pub async fn ticket_mail_preview(app: &App, v: &super::OrderView) -> Result<(String, String)> {
    let mut conn = app.store.conn().await?;
    let vars = vars(&mut conn, app, &v.order, &v.tickets).await?;
    let tpl = templates::effective(&mut conn, Some(v.order.merchant_id), templates::TICKET_SEND).await?;
    templates::render(&tpl.subject, &tpl.body, &serde_json::Value::Object(vars))
}

/// お振込み期限のお知らせ to the buyer of ticket order `number`, in the caller's transaction.
pub(crate) async fn queue_reminder(conn: &mut AnyConnection, app: &App, m: kippu_domain::MerchantId, number: &str) -> Result<()> {
    let o = orders::order_by_number(conn, app.store.backend(), Some(m), number, false)
        .await?
        .ok_or(crate::AppError::NotFound)?;
    let tickets = orders::tickets_of_orders(conn, &[o.id]).await?;
    let mut vars = vars(conn, app, &o, &tickets).await?;
    vars.insert(
        "payment_instructions".into(),
        serde_json::Value::String(crate::payment_company::text_of(conn, o.id).await?),
    );
    to_customer(conn, app, &o, templates::PAYMENT_REMINDER, &vars, false).await
}
