//! 譲渡: a ticket given to another person — by the merchant (the order page, the API) or by the
//! buyer from "my web tickets". With an email address the new holder gets the ticket email with
//! a link of their own (`/my/ticket/{holder_token}`): their ticket and its QR code, nothing of the
//! orderer's. The orderer's page then names the holder instead of showing the QR code.

use super::view;
use crate::notify::{self, templates};
use crate::{Actor, App, AppError, Result, audit, secrets};
use kippu_domain::validate::{self, Collect, FieldError};
use kippu_domain::web_ticket::{Status, Usage};
use kippu_store::orders;

/// A transfer as asked.
pub struct Transfer<'a> {
    pub ticket_number: &'a str,
    pub to_name: &'a str,
    pub to_email: Option<&'a str>,
    /// Set when the buyer transfers from "my web tickets": the ticket must be of that order, and
    /// an email address is required (the new holder needs the link).
    pub order_token: Option<&'a str>,
}

/// Gives the ticket to `to_name`; with an email, sends them the ticket. Every field is checked
/// before answering.
pub async fn transfer(app: &App, actor: &Actor, tr: &Transfer<'_>) -> Result<view::OrderView> {
    let mut c = Collect::default();
    let name = c.take(validate::required_text("holder_name", tr.to_name, 100).and_then(|n| validate::cp932("holder_name", &n).map(|_| n)));
    let email = match tr.to_email.filter(|e| !e.trim().is_empty()) {
        Some(e) => c.take(validate::email("holder_email", e)).map(Some),
        None if tr.order_token.is_some() => {
            c.push(FieldError::new(
                "holder_email",
                "譲渡先のメールアドレスを入力してください（チケットをお送りします）",
            ));
            None
        }
        None => Some(None),
    };
    c.finish()?;
    let (Some(name), Some(email)) = (name, email) else {
        unreachable!("Collect::finish fails when a field failed");
    };
    let now_ms = app.now_ms();
    let mut tx = app.store.begin().await?;
    let (order, t) = super::act::ticket_of(&mut tx, app, actor, tr.ticket_number, tr.order_token).await?;
    let m = order.merchant_id;
    if order.status == Status::Cancelled {
        return Err(FieldError::new("ticket_number", "キャンセルされた受注のチケットは譲渡できません").into());
    }
    if t.usage == Usage::Used {
        return Err(FieldError::new("ticket_number", "使用済みのチケットは譲渡できません").into());
    }
    let to_customer = match &email {
        Some(e) => Some(match kippu_store::people::find_customer_by_email(&mut tx, m, e).await? {
            Some(c) => c.id,
            None => {
                kippu_store::people::insert_customer(
                    &mut tx,
                    m,
                    &kippu_store::people::CustomerFields {
                        name: name.clone(),
                        kana: String::new(),
                        email: e.clone(),
                        phone: String::new(),
                        postal_code: String::new(),
                        address: String::new(),
                    },
                    now_ms,
                )
                .await?
                .0
            }
        }),
        None => None,
    };
    // A new link for the new holder; a transfer without an email takes the old link back.
    let holder_token = email.as_ref().map(|_| secrets::random_token(24));
    orders::transfer_ticket(
        &mut tx,
        &orders::TicketTransfer {
            m,
            ticket_id: t.id,
            from_name: &t.holder_name,
            to_customer,
            to_name: &name,
            holder_token: holder_token.as_deref(),
        },
        now_ms,
    )
    .await?;
    orders::insert_history(
        &mut tx,
        &orders::HistoryEntry {
            merchant_id: m,
            order_id: order.id,
            ticket_id: Some(t.id),
            flow: "transfer",
            from_status: Some(&t.holder_name),
            to_status: &name,
            actor_user_id: actor.user_id.map(|u| u.0),
            actor_label: &actor.label,
            note: "譲渡",
            at: now_ms,
        },
    )
    .await?;
    if let (Some(to), Some(token)) = (&email, &holder_token) {
        let merchant = kippu_store::merchants::get(&mut tx, m).await?.map(|m| m.name).unwrap_or_default();
        let vars = serde_json::json!({
            "name": name,
            "from_name": t.holder_name,
            "merchant_name": merchant,
            "product_name": t.product_name,
            "ticket_number": t.ticket_number,
            "ticket_url": format!("{}/my/ticket/{token}", app.config.public_url.trim_end_matches('/')),
        });
        notify::queue_email(&mut tx, app, Some(m), templates::TICKET_TRANSFERRED, to, &vars, Some(order.id)).await?;
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("transfer", "ticket", tr.ticket_number),
        Some(&serde_json::json!({"holder_name": t.holder_name})),
        Some(&serde_json::json!({"holder_name": name, "emailed": email.is_some()})),
        now_ms,
    )
    .await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    view::load(app, Some(m), &order.order_number).await
}

/// The ticket behind a new holder's link, with what its page shows.
pub struct HeldTicket {
    pub ticket: orders::TicketRow,
    pub merchant_name: String,
    pub merchant_code: String,
    /// Paid (送信待ち/送信済み): the QR code is shown.
    pub paid: bool,
}

pub async fn held(app: &App, holder_token: &str) -> Result<HeldTicket> {
    let mut conn = app.store.conn().await?;
    let (ticket, status, m) = orders::ticket_by_holder_token(&mut conn, holder_token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let merchant = kippu_store::merchants::get(&mut conn, m).await?.ok_or(AppError::NotFound)?;
    Ok(HeldTicket {
        ticket,
        merchant_name: merchant.name,
        merchant_code: merchant.code,
        paid: status.is_paid(),
    })
}
