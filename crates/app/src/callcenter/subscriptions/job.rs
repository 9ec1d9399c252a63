//! The child-order job: every active master due today (or earlier) gets its child order for the
//! due date, exactly once. The child is a goods order (a web-ticket master's a ticket order,
//! `ticket_child`) taken by the same intake as any other (stock, totals, points, the buyer's
//! emails, the card authorized, the master's fee overrides) and, in that order's own
//! transaction, linked to its master and cycle date (a unique key per master and date) while the
//! master's `next_date` steps by a guarded UPDATE — a second run, a restart or a second server
//! finds the master already stepped and its transaction rolls back. A child the intake refuses
//! (a declined card, sold out, a product gone) makes no order: the cycle is skipped with the
//! reason in the master's history and an email to the merchant, and the master is kept.

use super::plan::{Child, course_product};
use crate::customers::CustomerInput;
use crate::goods::{DestinationRequest, GoodsOrderRequest, LineRequest};
use crate::notify::subscription_templates::SUBSCRIPTION_CHILD_FAILED;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::account::Role;
use kippu_domain::clock::parse_date;
use kippu_domain::subscription::MasterStatus;
use kippu_store::StoreError;
use kippu_store::subscriptions::{self as repo, MasterRow, write};

/// Masters read per chunk: each child is its own transaction, so other writers pass between.
const CHUNK: i64 = 200;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SubsReport {
    /// Child orders made.
    pub children: u64,
    /// Cycles skipped because the intake refused the child (the merchant was told).
    pub refused: u64,
}

enum Outcome {
    Made,
    Refused,
    /// Not due any more: another run made it, or the master changed.
    Passed,
}

/// Every due master's child, once.
pub async fn run(app: &App) -> Result<SubsReport> {
    let today = app.clock.today().to_string();
    let mut report = SubsReport::default();
    let mut after = 0;
    loop {
        let due = {
            let mut conn = app.store.conn().await?;
            repo::due(&mut conn, &today, after, CHUNK).await?
        };
        let Some(last) = due.last() else { break };
        after = last.0;
        for (id, merchant) in due {
            match one(app, MerchantId(merchant), id).await {
                Ok(Outcome::Made) => report.children += 1,
                Ok(Outcome::Refused) => report.refused += 1,
                Ok(Outcome::Passed) => {}
                // One master's failure of the machinery does not hold up the others; the next
                // run tries it again (nothing was written).
                Err(e) => tracing::error!(subscription = id, error = %e, "subscription child failed; will retry"),
            }
        }
    }
    if report.children + report.refused > 0 {
        tracing::info!(children = report.children, refused = report.refused, "subscription children");
    }
    Ok(report)
}

async fn one(app: &App, m: MerchantId, id: i64) -> Result<Outcome> {
    let today = app.clock.today();
    let (master, items, customer, card) = {
        let mut conn = app.store.conn().await?;
        let Some(master) = repo::get(&mut conn, m, id).await? else {
            return Ok(Outcome::Passed);
        };
        let items = repo::items(&mut conn, m, id).await?;
        let customer = kippu_store::people::get_customer(&mut conn, m, kippu_domain::CustomerId(master.customer_id)).await?;
        // The stored card the master pays with; a card deleted since makes the child refused.
        let card = match master.stored_card_id {
            Some(row) => Some(
                kippu_store::cards::by_row(&mut conn, m, row)
                    .await?
                    .map(|c| c.card_id)
                    .unwrap_or_else(|| format!("deleted-card-{row}")),
            ),
            None => None,
        };
        (master, items, customer, card)
    };
    let due = parse_date(&master.next_date).ok_or_else(|| StoreError::Invariant(format!("subscription {id}: bad next_date")))?;
    if master.status != MasterStatus::Active || due > today {
        return Ok(Outcome::Passed);
    }
    let next = master.cycle()?.next_after(due, today).to_string();
    let actor = Actor::unattended(m, Role::MerchantAdmin, "定期受注");
    // A course ships its product of this delivery; a plain master its items.
    let (lines, finished) = match master.course_id {
        Some(course) => {
            let mut conn = app.store.conn().await?;
            let (product, finished) = course_product(&mut conn, m, course, master.deliveries as usize).await?;
            let Some(product) = product else {
                return finish_course(app, &actor, &master).await;
            };
            let code = kippu_store::products::code_of(&mut conn, m, product).await?.unwrap_or_default();
            let quantity = items.first().map_or(1, |i| i.quantity);
            (
                vec![LineRequest {
                    product_code: code,
                    quantity,
                }],
                finished,
            )
        }
        None => (
            items
                .iter()
                .map(|i| LineRequest {
                    product_code: i.product_code.clone(),
                    quantity: i.quantity,
                })
                .collect(),
            false,
        ),
    };
    let Some(customer) = customer else {
        return Err(StoreError::Invariant(format!("subscription {id}: customer missing")).into());
    };
    // A web-ticket master's child is a ticket order (`ticket_child`).
    if let Some(origin) = super::ticket_child::origin(app, m, id).await? {
        let child = Child {
            master_id: id,
            due: master.next_date.clone(),
            next: next.clone(),
            finished,
        };
        let c = super::ticket_child::ChildOf {
            master: &master,
            items: &items,
            customer: &customer,
            card,
            origin,
        };
        let made = super::ticket_child::make(app, &actor, &c, child).await;
        return outcome(app, &actor, &master, &next, made).await;
    }
    let r = GoodsOrderRequest {
        product_code: None,
        quantity: None,
        lines: Vec::new(),
        payment_method: master.payment_method.as_str().to_string(),
        card_token: None,
        customer: CustomerInput {
            name: customer.name.clone(),
            kana: customer.kana.clone(),
            email: customer.email.clone(),
            phone: customer.phone.clone(),
            postal_code: customer.postal_code.clone(),
            address: customer.address.clone(),
        },
        destinations: vec![DestinationRequest {
            name: master.ship_name.clone(),
            kana: master.ship_kana.clone(),
            postal_code: master.ship_postal_code.clone(),
            address: master.ship_address.clone(),
            phone: master.ship_phone.clone(),
            lines,
            requested_date: None,
            time_band: None,
        }],
        pickup: false,
        store_code: None,
        requested_date: None,
        time_band: None,
        coupon_code: master.coupon_code.clone(),
        ad_code: None,
        subscription: None,
        card_id: card,
        // マスタ編集's 送料 and 手数料 (an override, audited with each child like any order's).
        shipping_fee: master.shipping_fee,
        handling_fee: master.handling_fee,
        ..GoodsOrderRequest::default()
    };
    let child = Child {
        master_id: id,
        due: master.next_date.clone(),
        next: next.clone(),
        finished,
    };
    let made = crate::goods::create_linked(app, &actor, &r, None, Some(child)).await.map(|_| ());
    outcome(app, &actor, &master, &next, made).await
}

/// What the intake's answer to a child (goods or tickets) makes of the cycle.
async fn outcome(app: &App, actor: &Actor, master: &MasterRow, next: &str, made: Result<()>) -> Result<Outcome> {
    match made {
        Ok(()) => Ok(Outcome::Made),
        Err(AppError::Store(StoreError::Conflict {
            entity: "subscription_child",
            ..
        })) => Ok(Outcome::Passed),
        Err(e) if e.is_internal() => Err(e),
        Err(e) => refused(app, actor, master, next, &e).await,
    }
}

/// A cycle the intake refused: skipped (the master stays, stepped to its next date) with the
/// reason in its history, the audit log and an email to the merchant — once, by the same
/// guarded step.
async fn refused(app: &App, actor: &Actor, master: &MasterRow, next: &str, e: &AppError) -> Result<Outcome> {
    let m = MerchantId(master.merchant_id);
    let now = app.now_ms();
    let reason = e.said().ja;
    let mut tx = app.store.begin().await?;
    if !write::skip(&mut tx, master.id, &master.next_date, next, now).await? {
        return Ok(Outcome::Passed);
    }
    let note = format!("{} 分の子受注を作成できませんでした（{reason}）。次回 {next}", master.next_date);
    write::add_history(&mut tx, m, master.id, None, "refused", &note, now).await?;
    let after = serde_json::json!({"due": master.next_date, "reason": reason, "next_date": next});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("child_refused", "subscription", master.id),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    if let Some(merchant) = kippu_store::merchants::get(&mut tx, m).await?
        && !merchant.email.trim().is_empty()
    {
        let vars = serde_json::json!({
            "merchant_name": merchant.name,
            "subscription_id": master.id,
            "customer_name": master.customer_name,
            "due_date": master.next_date,
            "reason": reason,
            "next_date": next,
            "subscription_url": format!("{}/callcenter/subscriptions/{}", app.config.public_url, master.id),
        });
        crate::notify::queue_email(&mut tx, app, Some(m), SUBSCRIPTION_CHILD_FAILED, &merchant.email, &vars, None).await?;
    }
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(Outcome::Refused)
}

/// A course whose last delivery was made (its product list shortened since): finished.
async fn finish_course(app: &App, actor: &Actor, master: &MasterRow) -> Result<Outcome> {
    let m = MerchantId(master.merchant_id);
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if write::set_status(&mut tx, m, master.id, MasterStatus::Active, MasterStatus::Finished, None, now).await? {
        write::add_history(&mut tx, m, master.id, None, "finish", "頒布会の最後のお届けが済みました", now).await?;
        let after = serde_json::json!({"status": "finished"});
        audit::record(
            &mut tx,
            actor,
            Some(m),
            audit::Subject::new("finish", "subscription", master.id),
            audit::NONE,
            Some(&after),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Outcome::Passed)
}
