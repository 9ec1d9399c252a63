//! The write of a new order, as named steps in one transaction: stock, customer, number,
//! order row, line and tickets, payment, history, idempotency key, emails, audit. Everything
//! that can be read or decided before (validation, prices, the card gateway, templates) is done
//! by `create` first, so the write lock is held briefly.

use super::create::{Checked, Prefetched, request_hash};
use super::{OrderError, mail};
use crate::notify::templates;
use crate::{Actor, App, AppError, Result, audit, secrets};
use kippu_domain::catalog::ProductKind;
use kippu_domain::order::{OrderNumber, OrderType, PaymentMethod};
use kippu_domain::reservation::{DoorState, TicketState};
use kippu_domain::web_ticket::{AUTHORIZATION_DAYS, Status, Usage};
use kippu_domain::{CustomerId, MerchantId, OrderId, TicketId};
use kippu_store::AnyConnection;
use kippu_store::orders::{self, ChannelRow, NewLine, NewOrder, NewPayment, OrderRow, ProductForSale, TicketRow};
use kippu_store::people::{self, CustomerFields};

/// Everything the write needs, decided before the transaction starts.
pub(super) struct Intake<'a> {
    pub pre: &'a Prefetched,
    pub actor: &'a Actor,
    pub m: MerchantId,
    pub r: &'a super::OrderRequest,
    pub c: &'a Checked,
    pub product: &'a ProductForSale,
    pub channel: &'a ChannelRow,
    pub status: Status,
    /// What the buyer pays: the tickets' amount less the coupon's discount.
    pub amount: i64,
    /// The tickets' amount before the discount (the coupon was priced on it).
    pub list_amount: i64,
    pub promotions: &'a crate::promotions::Checked,
    /// 定期: the master this order starts, or the master and cycle of a child order.
    pub link: &'a crate::callcenter::subscriptions::plan::Link,
    pub card_ref: Option<&'a str>,
    pub now_ms: i64,
    pub idempotency_key: Option<&'a str>,
    /// What the buyer is told to pay by (bank transfers).
    pub issued: Option<&'a crate::payment_company::Issued>,
    /// お問い合わせメモ and SHOPメモ (代理注文).
    pub memos: &'a crate::entry::Memos,
}

impl Intake<'_> {
    fn reservation(&self) -> bool {
        self.product.kind == ProductKind::Reservation
    }

    /// Seats for a reservation's party, tickets otherwise.
    fn units(&self) -> i64 {
        if self.reservation() { self.c.party_size } else { self.r.quantity }
    }

    fn date(&self) -> Option<&str> {
        (!self.c.date.is_empty()).then_some(self.c.date.as_str())
    }

    fn slot(&self) -> Option<&str> {
        (!self.c.slot.is_empty()).then_some(self.c.slot.as_str())
    }

    /// The stock dates the order takes: each night of a stay, else the visit date ('' for
    /// undated tickets).
    fn stock_dates(&self) -> Vec<String> {
        match self.c.stay {
            Some(stay) => stay.night_dates().map(|d| d.to_string()).collect(),
            None => vec![self.c.date.clone()],
        }
    }

    /// What one ticket is worth: a reservation's whole party, a stay's room for every night,
    /// otherwise the product's price.
    fn ticket_price(&self) -> i64 {
        match (self.reservation(), self.c.stay) {
            (true, _) => self.list_amount,
            (false, Some(stay)) => stay.price(self.product.price, 1),
            (false, None) => self.product.price,
        }
    }

    fn paid_at(&self) -> Option<i64> {
        (self.c.method == PaymentMethod::CardCapture).then_some(self.now_ms)
    }
}

/// What the order row was written with that the emails and the answer need again.
struct Written {
    id: OrderId,
    number: String,
    customer: CustomerId,
    pin: Option<String>,
    token: String,
}

/// Writes the order; its number on success. Nothing is written when any step fails.
pub(super) async fn write(app: &App, i: &Intake<'_>) -> Result<String> {
    let mut tx = app.store.begin().await?;
    let taken = take_stock(&mut tx, i).await?;
    let customer = customer_of(&mut tx, i).await?;
    let written = insert_order(&mut tx, i, customer).await?;
    let tickets = insert_lines_and_tickets(&mut tx, i, &written, &taken).await?;
    let ids = (written.id.0, customer.0);
    let discount = crate::promotions::record_on_order(&mut tx, app, i.m, ids, i.promotions, i.list_amount).await?;
    let subscription_id =
        crate::callcenter::subscriptions::plan::after_write(&mut tx, i.actor, i.m, ids.0, ids.1, i.link, i.now_ms).await?;
    record_payment(&mut tx, app, i, written.id).await?;
    if let Some(issued) = i.issued {
        crate::payment_company::record(&mut tx, i.m, written.id, issued, i.now_ms).await?;
    }
    record_history(&mut tx, i, written.id).await?;
    crate::entry::record(&mut tx, i.actor, i.m, (written.id, &written.number), i.memos, &[], i.now_ms).await?;
    remember_idempotency_key(&mut tx, i, &written.number).await?;
    let order = as_written(i, &written, discount, subscription_id);
    queue_emails(&mut tx, app, i, &order, &tickets).await?;
    let after = serde_json::json!({"order_number": written.number, "status": i.status.as_str(), "amount": i.amount, "payment_method": i.c.method.as_str(), "quantity": i.r.quantity});
    audit::record(
        &mut tx,
        i.actor,
        Some(i.m),
        audit::Subject::new("create", "order", &written.number),
        audit::NONE,
        Some(&after),
        i.now_ms,
    )
    .await?;
    tx.commit().await?;
    Ok(written.number)
}

/// Takes the stock of each date in one conditional statement: sold out is a refusal, never an
/// oversell. A stay short of rooms on any night is refused whole (the transaction rolls back
/// the nights already taken). Answers each date with its stock row.
async fn take_stock(tx: &mut AnyConnection, i: &Intake<'_>) -> Result<Vec<(String, i64)>> {
    let (c, product) = (i.c, i.product);
    let mut taken = Vec::new();
    for date in i.stock_dates() {
        match orders::take_stock(tx, i.m, product.id, &date, &c.slot, i.units(), i.now_ms).await? {
            Some(stock_id) => taken.push((date, stock_id)),
            None => {
                let when = if date.is_empty() {
                    String::new()
                } else {
                    format!("{date} {}", c.slot)
                };
                return Err(OrderError::SoldOut(format!("{} {}", product.name, when).trim().to_string()).into());
            }
        }
    }
    Ok(taken)
}

/// The merchant's customer with this email, created on first order.
async fn customer_of(tx: &mut AnyConnection, i: &Intake<'_>) -> Result<CustomerId> {
    let c = i.c;
    if let Some(existing) = people::find_customer_by_email(tx, i.m, &c.email).await? {
        return Ok(CustomerId(existing.id));
    }
    let fields = CustomerFields {
        name: c.name.clone(),
        kana: c.kana.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        postal_code: String::new(),
        address: String::new(),
    };
    Ok(people::insert_customer(tx, i.m, &fields, i.now_ms).await?)
}

async fn insert_order(tx: &mut AnyConnection, i: &Intake<'_>, customer: CustomerId) -> Result<Written> {
    let c = i.c;
    let number = OrderNumber::from_sequence(orders::next_order_sequence(tx).await?).to_string();
    let pin = (c.method == PaymentMethod::PayAtVenue).then(|| secrets::random_digits(4));
    let token = secrets::random_token(24);
    let reservation = i.reservation();
    let id = orders::insert_order(
        tx,
        &NewOrder {
            merchant_id: i.m,
            order_number: &number,
            channel_id: Some(i.channel.id),
            customer_id: Some(customer.0),
            customer_name: &c.name,
            customer_kana: &c.kana,
            customer_email: &c.email,
            customer_phone: &c.phone,
            ordered_at: i.now_ms,
            kind: i.product.kind,
            payment_method: c.method,
            status: orders::InitialStatus::Ticket(i.status),
            amount: i.amount,
            pin: pin.as_deref(),
            paid_at: i.paid_at(),
            visit_date: i.date(),
            time_slot: i.slot(),
            party_size: reservation.then_some(c.party_size),
            nights: c.stay.map(|s| s.nights()),
            created_by: i.actor.user_id.map(|u| u.0),
            access_token: &token,
            cancellation_policy: reservation.then_some(i.product.cancellation_policy.as_str()),
        },
    )
    .await?;
    Ok(Written {
        id,
        number,
        customer,
        pin,
        token,
    })
}

/// The order's lines and tickets: a line per stock date (a stay has one per night), tickets on
/// the first line: one per unit for web tickets (a stay's is good for every night), one
/// e-ticket for the whole party of a reservation, with a 6-digit ID to type at the door.
async fn insert_lines_and_tickets(tx: &mut AnyConnection, i: &Intake<'_>, w: &Written, taken: &[(String, i64)]) -> Result<Vec<TicketRow>> {
    let (c, product) = (i.c, i.product);
    let reservation = i.reservation();
    let mut line_id = None;
    for (date, stock_id) in taken {
        let line = NewLine {
            product,
            quantity: i.units(),
            stock_id: Some(*stock_id),
            visit_date: (!date.is_empty()).then_some(date.as_str()),
        };
        let id = orders::insert_line(tx, i.m, w.id, &line).await?;
        line_id.get_or_insert(id);
    }
    let line_id = line_id.ok_or(AppError::Internal("an order without a stock date".into()))?;
    let eticket_id = if reservation { Some(free_eticket_id(tx, i.m).await?) } else { None };
    let price = i.ticket_price();
    let prefix = if reservation { 'R' } else { 'W' };
    let mut tickets = Vec::with_capacity(i.r.quantity as usize);
    for n in 1..=i.r.quantity {
        let ticket_number = format!("{prefix}{}-{n:02}", &w.number[1..]);
        let code = secrets::random_token(18);
        let ticket = orders::NewTicket {
            m: i.m,
            order_id: w.id,
            line_id,
            number: &ticket_number,
            code: &code,
            price,
            holder_customer_id: Some(w.customer.0),
            holder_name: &c.name,
            eticket_id: eticket_id.as_deref(),
        };
        let id = orders::insert_ticket(tx, &ticket, i.now_ms).await?;
        tickets.push(TicketRow {
            id: TicketId(id),
            order_id: w.id,
            ticket_number,
            code,
            price,
            holder_customer_id: Some(w.customer.0),
            holder_name: c.name.clone(),
            usage: Usage::Unused,
            used_at: None,
            product_name: product.name.clone(),
            product_code: product.code.clone(),
            jan: product.jan.clone(),
            ticket_type: product.ticket_type,
            visit_date: i.date().map(str::to_string),
            eticket_id: eticket_id.clone(),
            status: TicketState::Active,
            redeemed_at: None,
            party_size_actual: None,
            holder_token: None,
            uses_total: product.uses_per_ticket,
            uses_spent: 0,
        });
    }
    Ok(tickets)
}

/// The card payment the gateway authorized (and captured, in 仮実同時モード) before the write.
async fn record_payment(tx: &mut AnyConnection, app: &App, i: &Intake<'_>, order_id: OrderId) -> Result<()> {
    let Some(reference) = i.card_ref else {
        return Ok(());
    };
    let captured = i.paid_at();
    let payment = NewPayment {
        method: i.c.method.as_str(),
        gateway: app.gateway.name(),
        gateway_ref: reference,
        state: if captured.is_some() { "captured" } else { "authorized" },
        amount: i.amount,
        authorized_at: Some(i.now_ms),
        expires_at: Some(i.now_ms + AUTHORIZATION_DAYS * 86_400_000),
        captured_at: captured,
    };
    orders::insert_payment(tx, i.m, order_id, &payment, i.now_ms).await?;
    Ok(())
}

async fn record_history(tx: &mut AnyConnection, i: &Intake<'_>, order_id: OrderId) -> Result<()> {
    let entry = orders::HistoryEntry {
        merchant_id: i.m,
        order_id,
        ticket_id: None,
        flow: "web_ticket",
        from_status: None,
        to_status: i.status.as_str(),
        actor_user_id: i.actor.user_id.map(|u| u.0),
        actor_label: &i.actor.label,
        note: "受注",
        at: i.now_ms,
    };
    Ok(orders::insert_history(tx, &entry).await?)
}

/// Stores the key's answer; a concurrent request that stored it first makes this one a
/// conflict, and `create` answers with that request's order.
async fn remember_idempotency_key(tx: &mut AnyConnection, i: &Intake<'_>, number: &str) -> Result<()> {
    let Some(key) = i.idempotency_key else {
        return Ok(());
    };
    if orders::store_idempotent_answer(tx, i.m, key, &request_hash(i.r), 201, number, i.now_ms).await? {
        return Ok(());
    }
    Err(AppError::Store(kippu_store::StoreError::Conflict {
        entity: "idempotency_key",
        detail: key.to_string(),
    }))
}

/// The order as the emails see it, built from what was just written (no read-back inside the
/// write lock).
fn as_written(i: &Intake<'_>, w: &Written, discount: i64, subscription_id: Option<i64>) -> OrderRow {
    let (c, reservation) = (i.c, i.reservation());
    OrderRow {
        id: w.id,
        merchant_id: i.m,
        order_number: w.number.clone(),
        channel_id: Some(i.channel.id),
        customer_id: Some(w.customer.0),
        customer_name: c.name.clone(),
        customer_kana: c.kana.clone(),
        customer_email: c.email.clone(),
        customer_phone: c.phone.clone(),
        ordered_at: i.now_ms,
        order_type: match i.link {
            crate::callcenter::subscriptions::plan::Link::Child(_) => OrderType::SubscriptionChild,
            _ => OrderType::Normal,
        },
        kind: i.product.kind,
        payment_method: c.method,
        status: i.status,
        amount: i.amount,
        promotion_cost: 0,
        discount,
        coupon_code: i.promotions.coupon.as_ref().map(|(c, _)| c.code.clone()),
        ad_code: None,
        subscription_id,
        pin: w.pin.clone(),
        pin_failures: 0,
        pin_locked_until: None,
        paid_at: i.paid_at(),
        sent_at: None,
        send_mode: None,
        cancelled_at: None,
        cancel_fee: 0,
        refunded_amount: 0,
        visit_date: i.date().map(str::to_string),
        authorized_at: i.card_ref.map(|_| i.now_ms),
        captured_at: None,
        gateway_ref: i.card_ref.map(str::to_string),
        payment_state: None,
        access_token: Some(w.token.clone()),
        time_slot: i.slot().map(str::to_string),
        party_size: reservation.then_some(c.party_size),
        nights: c.stay.map(|s| s.nights()),
        cancellation_fee_kept: 0,
        cancel_reason: None,
        cancelled_by: None,
        cancellation_policy: reservation.then(|| i.product.cancellation_policy.clone()),
        door_state: DoorState::Open,
    }
}

/// 受注通知 to the merchant, 注文確認 to the buyer and, for a reservation, the new-booking notice
/// to every merchant user, queued in the same transaction.
async fn queue_emails(tx: &mut AnyConnection, app: &App, i: &Intake<'_>, order: &OrderRow, tickets: &[TicketRow]) -> Result<()> {
    let pre = i.pre;
    let mut vars = mail::vars_with(app, pre.merchant_name.clone(), order, tickets);
    vars.insert("channel".into(), serde_json::Value::String(i.channel.name.clone()));
    if let Some(issued) = i.issued {
        vars.insert(
            "payment_instructions".into(),
            serde_json::Value::String(issued.instructions.text_ja()),
        );
    }
    let vars = serde_json::Value::Object(vars);
    let mut recipients = vec![(templates::ORDER_NOTIFICATION, pre.merchant_email.as_str(), &pre.notification)];
    if i.r.send_mail != Some(false) {
        recipients.push((templates::ORDER_CONFIRMATION, i.c.email.as_str(), &pre.confirmation));
    }
    if i.reservation() {
        for user in &pre.user_emails {
            recipients.push((templates::NEW_BOOKING, user.as_str(), &pre.new_booking));
        }
    }
    let mut mails = Vec::new();
    for (key, to, tpl) in recipients {
        if to.is_empty() {
            continue;
        }
        let (subject, body) = templates::render(&tpl.0, &tpl.1, &vars)?;
        mails.push(kippu_store::outbox::QueuedMail {
            merchant_id: i.m,
            template_key: key,
            to_addr: to.to_string(),
            subject,
            body,
            order_id: order.id,
        });
    }
    kippu_store::outbox::enqueue_many(tx, mails, i.now_ms).await?;
    Ok(())
}

/// A 6-digit e-ticket ID not held by another open reservation of the merchant. Random, so IDs
/// are not guessable in sequence.
async fn free_eticket_id(conn: &mut AnyConnection, m: MerchantId) -> Result<String> {
    for _ in 0..50 {
        let id = secrets::random_digits(6);
        if orders::eticket_id_free(conn, m, &id).await? {
            return Ok(id);
        }
    }
    Err(AppError::Internal("no free 6-digit e-ticket ID after 50 tries".into()))
}
