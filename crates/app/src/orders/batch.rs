//! Bulk execution of the order actions that need no card-gateway call (入金済みにする, 入金確認,
//! ウェブチケ送信 and its silent variant), a few hundred orders per transaction.
//!
//! Every row still goes through the flow's one rule (`next::check`, over the transition table)
//! which decides each row's target status and effects, exactly as for a single order. Only the
//! writing is set-based: one UPDATE per (from → to) group, and multi-row INSERTs for the status
//! history, the emails, the in-app messages and the audit log.

use super::mail;
use crate::notify::templates;
use crate::{Actor, App, Result};
use kippu_domain::clock::to_millis;
use kippu_domain::web_ticket::{self, Action, Effect, Party};
use kippu_domain::{MerchantId, OrderId};
use kippu_store::batch::{Value, insert_rows};
use kippu_store::orders::{self, OrderRow};
use std::collections::HashMap;

/// Orders per transaction: long enough to amortize, short enough not to starve other writers.
const CHUNK: usize = 250;

/// True for the actions [`act_many`] handles.
pub(crate) fn batchable(a: Action) -> bool {
    matches!(a, Action::MarkPaid | Action::ConfirmDeposit | Action::Send | Action::SendSilently)
}

/// Applies `action` to every key; returns each key's outcome (`Err` holds the NG reason).
pub(crate) async fn act_many(app: &App, actor: &Actor, keys: &[String], action: Action) -> Result<Vec<std::result::Result<(), String>>> {
    debug_assert!(batchable(action));
    let scope = actor.scope()?;
    let party = if actor.is_platform() { Party::Platform } else { Party::Merchant };
    let mut outcomes = Vec::with_capacity(keys.len());
    let mut merchant_names: HashMap<MerchantId, String> = HashMap::new();
    let mut template_cache: HashMap<(MerchantId, &'static str), (String, String)> = HashMap::new();
    for chunk in keys.chunks(CHUNK) {
        let now = app.clock.now();
        let now_ms = to_millis(now);
        let mut tx = app.store.begin().await?;
        let rows = orders::orders_by_numbers(&mut tx, app.store.backend(), scope, chunk).await?;
        let by_number: HashMap<&str, &OrderRow> = rows
            .iter()
            .filter(|o| {
                o.kind == kippu_domain::catalog::ProductKind::WebTicket || o.kind == kippu_domain::catalog::ProductKind::Reservation
            })
            .map(|o| (o.order_number.as_str(), o))
            .collect();
        // Decide each row with the transition table.
        let mut decided: Vec<(usize, &OrderRow, web_ticket::Transition)> = Vec::new();
        let mut chunk_outcomes: Vec<std::result::Result<(), String>> = vec![Ok(()); chunk.len()];
        for (i, key) in chunk.iter().enumerate() {
            let Some(o) = by_number.get(key.as_str()) else {
                chunk_outcomes[i] = Err("見つかりません".into());
                continue;
            };
            match super::next::check(o, action, party, now) {
                Ok(t) => decided.push((i, o, t)),
                Err(r) => chunk_outcomes[i] = Err(r.to_string()),
            }
        }
        // Write: one UPDATE per group of identical row writes.
        let mut groups: HashMap<web_ticket::StatusChange, Vec<i64>> = HashMap::new();
        for (_, o, t) in &decided {
            groups.entry(t.change()).or_default().push(o.id.0);
        }
        let mut moved: std::collections::HashSet<i64> = std::collections::HashSet::new();
        for (change, ids) in &groups {
            moved.extend(orders::set_status_many(&mut tx, ids, change, now_ms).await?);
        }
        let done: Vec<&(usize, &OrderRow, web_ticket::Transition)> = decided.iter().filter(|(_, o, _)| moved.contains(&o.id.0)).collect();
        for (i, o, _) in &decided {
            if !moved.contains(&o.id.0) {
                chunk_outcomes[*i] = Err(super::OrderError::Changed.to_string());
            }
        }
        let ids: Vec<OrderId> = done.iter().map(|(_, o, _)| o.id).collect();
        let raw_ids: Vec<i64> = ids.iter().map(|i| i.0).collect();
        let note = format!("{}（一括処理）", action.label_ja());
        let history: Vec<orders::HistoryEntry> = done
            .iter()
            .map(|(_, o, t)| orders::HistoryEntry {
                merchant_id: o.merchant_id,
                order_id: o.id,
                ticket_id: None,
                flow: "web_ticket",
                from_status: Some(t.from.as_str()),
                to_status: t.to.as_str(),
                actor_user_id: actor.user_id.map(|u| u.0),
                actor_label: &actor.label,
                note: &note,
                at: now_ms,
            })
            .collect();
        orders::insert_history_many(&mut tx, &history).await?;
        // Emails and messages, rendered per order from the same templates as single actions.
        let tickets = orders::tickets_of_orders(&mut tx, &ids).await?;
        let threads: HashMap<i64, i64> = orders::threads_for(&mut tx, &raw_ids, now_ms).await?.into_iter().collect();
        let mut mails = Vec::new();
        let mut messages = Vec::new();
        for (_, o, t) in &done {
            let mut after = (*o).clone();
            after.status = t.to;
            if t.effects.contains(&Effect::RecordPaid) {
                after.paid_at = Some(now_ms);
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = merchant_names.entry(o.merchant_id) {
                let name = kippu_store::merchants::get(&mut tx, o.merchant_id)
                    .await?
                    .map(|m| m.name)
                    .unwrap_or_default();
                slot.insert(name);
            }
            let mine: Vec<_> = tickets.iter().filter(|k| k.order_id == o.id).cloned().collect();
            let vars = serde_json::Value::Object(mail::vars_with(app, merchant_names[&o.merchant_id].clone(), &after, &mine));
            for e in &t.effects {
                let (key, to_merchant, message) = match e {
                    Effect::MailMerchantDeposit => (templates::DEPOSIT_NOTICE, true, false),
                    Effect::MailCustomerPaymentConfirmed => (templates::PAYMENT_CONFIRMED, false, true),
                    Effect::MailCustomerThanks => (templates::THANKS, false, true),
                    Effect::MailTickets => (templates::TICKET_SEND, false, true),
                    _ => continue,
                };
                let tpl = match template_cache.get(&(o.merchant_id, key)) {
                    Some(t) => t.clone(),
                    None => {
                        let eff = templates::effective(&mut tx, Some(o.merchant_id), key).await?;
                        template_cache.insert((o.merchant_id, key), (eff.subject.clone(), eff.body.clone()));
                        (eff.subject, eff.body)
                    }
                };
                let (subject, body) = templates::render(&tpl.0, &tpl.1, &vars)?;
                let to = if to_merchant {
                    let mut c = kippu_store::merchants::get(&mut tx, o.merchant_id)
                        .await?
                        .map(|m| m.email)
                        .unwrap_or_default();
                    if c.is_empty() {
                        continue;
                    }
                    std::mem::take(&mut c)
                } else {
                    o.customer_email.clone()
                };
                mails.push(kippu_store::outbox::QueuedMail {
                    merchant_id: o.merchant_id,
                    template_key: key,
                    to_addr: to.to_string(),
                    subject,
                    body: body.clone(),
                    order_id: o.id,
                });
                if message && let Some(thread) = threads.get(&o.id.0) {
                    messages.push(vec![
                        Value::I(o.merchant_id.0),
                        Value::I(*thread),
                        kippu_domain::order::MessageSender::Merchant.as_str().into(),
                        Value::NullI,
                        "".into(),
                        body.into(),
                        Value::I(now_ms),
                    ]);
                }
            }
        }
        kippu_store::outbox::enqueue_many(&mut tx, mails, now_ms).await?;
        insert_rows(
            &mut tx,
            "messages",
            &[
                "merchant_id",
                "thread_id",
                "sender",
                "sender_user_id",
                "subject",
                "body",
                "created_at",
            ],
            messages,
        )
        .await?;
        insert_rows(
            &mut tx,
            "audit_log",
            &[
                "merchant_id",
                "actor_user_id",
                "actor_label",
                "action",
                "entity",
                "entity_id",
                "before_json",
                "after_json",
                "at",
            ],
            done.iter()
                .map(|(_, o, t)| {
                    vec![
                        Value::I(o.merchant_id.0),
                        actor.user_id.map(|u| u.0).into(),
                        actor.label.as_str().into(),
                        action.as_str().into(),
                        "order".into(),
                        o.order_number.as_str().into(),
                        serde_json::json!({"status": t.from.as_str()}).to_string().into(),
                        serde_json::json!({"status": t.to.as_str(), "action": action.as_str(), "bulk": true})
                            .to_string()
                            .into(),
                        Value::I(now_ms),
                    ]
                })
                .collect::<Vec<_>>(),
        )
        .await?;
        tx.commit().await?;
        outcomes.extend(chunk_outcomes);
    }
    app.mail_wakeup.notify_one();
    Ok(outcomes)
}
