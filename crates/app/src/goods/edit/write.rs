//! 受注編集's one transaction: the change, the points, the card and payment instructions, the
//! history entry and the audit row, before → after in words.

use crate::goods::history::Step;
use crate::goods::view::{self, GoodsView};
use crate::orders::OrderError;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::goods::edit::{Amounts, CardChange, Plan};
use kippu_domain::goods::ledger::LedgerReason;
use kippu_domain::money::Yen;
use kippu_domain::validate::FieldError;
use kippu_store::goods::ledger::{self as points_repo, Entry};
use kippu_store::goods::{self as repo, ContactWrite, DestinationWrite, GoodsEdit, LineWrite};

use super::*;

pub(super) struct Write<'a> {
    pub(super) actor: &'a Actor,
    pub(super) m: MerchantId,
    pub(super) number: &'a str,
    pub(super) first: &'a GoodsView,
    pub(super) before: &'a Amounts,
    pub(super) before_lines: &'a [Vec<Resolved>],
    pub(super) asked: &'a Asked,
    pub(super) plan: &'a Plan,
    pub(super) new_ref: Option<&'a str>,
    pub(super) issued: Option<&'a crate::payment_company::Issued>,
}

/// Each destination's goods in words: 「お届け先1: 今治タオル × 2」.
pub(super) fn items_words(lines: &[Vec<Resolved>]) -> String {
    lines
        .iter()
        .enumerate()
        .map(|(i, ls)| {
            let items: Vec<String> = ls.iter().map(|r| format!("{} × {}", r.name, r.line.quantity)).collect();
            format!("お届け先{}: {}", i + 1, items.join("、"))
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The edit as before → after in words, for the order's history: only what changed.
pub(super) fn history_note(w: &Write<'_>) -> String {
    let (b, a) = (w.before, &w.plan.after);
    let mut parts: Vec<String> = Vec::new();
    let (items_b, items_a) = (items_words(w.before_lines), items_words(&w.asked.lines));
    if items_b != items_a {
        parts.push(format!("商品: {items_b} → {items_a}"));
    }
    let yen = |n: i64| Yen(n).display_ja();
    if b.shipping_total() != a.shipping_total() {
        parts.push(format!("送料: {} → {}", yen(b.shipping_total()), yen(a.shipping_total())));
    }
    if b.cod_fee != a.cod_fee {
        parts.push(format!("代引手数料: {} → {}", yen(b.cod_fee), yen(a.cod_fee)));
    }
    if b.method != a.method {
        parts.push(format!("支払方法: {} → {}", b.method.label().ja, a.method.label().ja));
    }
    if b.points_used != a.points_used {
        parts.push(format!("ポイント利用: {} → {}", b.points_used, a.points_used));
    }
    if b.total() != a.total() {
        parts.push(format!("合計: {} → {}", yen(b.total()), yen(a.total())));
    }
    for (i, c) in w.asked.contacts.iter().enumerate() {
        if let (Some(c), Some(s)) = (c, w.first.shipments.get(i)) {
            let band = |b: Option<kippu_domain::goods::TimeBand>| b.map(|b| b.label().ja).unwrap_or("指定なし");
            parts.push(format!(
                "お届け先{}: {} {} {}（{} {}） → {} {} {}（{} {}）",
                i + 1,
                s.recipient_name,
                s.postal_code,
                s.address,
                s.requested_date.as_deref().unwrap_or("日付指定なし"),
                band(s.time_band),
                c.name,
                c.postal_code,
                c.address,
                c.requested_date.as_deref().unwrap_or("日付指定なし"),
                band(c.time_band),
            ));
        }
    }
    format!("受注編集: {}", parts.join("、"))
}

/// What the audit row records of one side of the edit.
pub(super) fn audit_side(items: &str, a: &Amounts, addresses: &[String]) -> serde_json::Value {
    serde_json::json!({
        "items": items,
        "shipping_fee": a.shipping_total(),
        "cod_fee": a.cod_fee,
        "payment_method": a.method.as_str(),
        "points_used": a.points_used,
        "amount": a.total(),
        "address": addresses.join(" / "),
    })
}

pub(super) async fn write(app: &App, w: &Write<'_>) -> Result<()> {
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let o = repo::goods_order_by_number(&mut tx, app.store.backend(), Some(w.m), w.number, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let shipments = repo::shipments_of(&mut tx, &[o.id]).await?;
    let lines_now = repo::edit_lines_of(&mut tx, o.id).await?;
    // Nothing moved since the edit was checked (another tab, the payment notice).
    if view::rule_view(&o, &shipments) != w.first.rule_view()
        || o.points_used != w.before.points_used
        || o.amount != w.first.order.amount
        || lines_now.len() != w.before_lines.iter().map(Vec::len).sum::<usize>()
    {
        return Err(OrderError::Changed.into());
    }
    let p = w.plan;
    let destinations: Vec<DestinationWrite> = shipments
        .iter()
        .enumerate()
        .map(|(i, s)| DestinationWrite {
            shipment_id: s.id,
            shipping_fee: p.after.shipping_fees[i],
            contact: w.asked.contacts[i].as_ref().map(|c| ContactWrite {
                name: &c.name,
                kana: &c.kana,
                postal_code: &c.postal_code,
                address: &c.address,
                phone: &c.phone,
                requested_date: c.requested_date.as_deref(),
                time_band: c.time_band,
            }),
            lines: w.asked.lines[i]
                .iter()
                .map(|r| LineWrite {
                    product_id: r.line.product_id,
                    product_name: &r.name,
                    product_code: &r.code,
                    jan: &r.jan,
                    unit_price: r.line.unit_price,
                    tax_rate: r.tax_percent,
                    quantity: r.line.quantity,
                })
                .collect(),
        })
        .collect();
    let written = repo::write_edit(
        &mut tx,
        &GoodsEdit {
            merchant_id: w.m,
            order_id: o.id,
            destinations,
            amounts: p.amounts_changed,
            stock: &p.stock,
            method: p.after.method,
            shipping_fee: p.after.shipping_total(),
            cod_fee: p.after.cod_fee,
            points_used: p.after.points_used,
            discount: p.after.discount_applied(),
            amount: p.after.total(),
            now,
        },
    )
    .await?;
    if let Err(sold_out) = written {
        let name = w
            .asked
            .lines
            .iter()
            .flatten()
            .find(|r| r.line.product_id == sold_out.product_id)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        return Err(OrderError::SoldOut(name).into());
    }
    if p.points_delta != 0
        && let Some(customer) = o.customer_id
    {
        let note = format!("受注 {}（{} → {}ポイント）", w.number, w.before.points_used, p.after.points_used);
        let entry = Entry {
            merchant_id: w.m,
            customer_id: customer,
            order_id: Some(o.id.0),
            delta: -p.points_delta,
            reason: LedgerReason::Spent,
            source: kippu_domain::goods::ledger::LedgerSource::GoodsOrder,
            note: &note,
            actor_label: &w.actor.label,
        };
        if let Err(overdrawn) = points_repo::post(&mut tx, &[entry], now).await? {
            return Err(FieldError::new("points_used", overdrawn.to_string()).into());
        }
    }
    // The card authorization follows the total, or is released with the card.
    if let Some(reference) = w.new_ref {
        let expires = now + kippu_domain::web_ticket::AUTHORIZATION_DAYS * 86_400_000;
        repo::replace_authorization(&mut tx, o.id, reference, p.after.total(), expires, now).await?;
    }
    if p.card == CardChange::Release {
        kippu_store::orders::update_payment(&mut tx, o.id, "voided", None, None, now).await?;
    }
    // What the buyer is told to pay by follows the method, and a コンビニ number its amount.
    if p.after.method != w.before.method || w.issued.is_some() {
        repo::delete_instructions(&mut tx, o.id).await?;
        if let Some(issued) = w.issued {
            crate::payment_company::record(&mut tx, w.m, o.id, issued, now).await?;
        }
    }
    let note = history_note(w);
    kippu_store::orders::insert_history(
        &mut tx,
        &crate::goods::history::entry(
            w.actor,
            w.m,
            o.id,
            Step {
                from: Some(o.status.as_str()),
                to: o.status.as_str(),
                note: &note,
            },
            now,
        ),
    )
    .await?;
    let addresses_before: Vec<String> = shipments.iter().map(|s| format!("{} {}", s.postal_code, s.address)).collect();
    let addresses_after: Vec<String> = shipments
        .iter()
        .zip(&w.asked.contacts)
        .map(|(s, c)| match c {
            Some(c) => format!("{} {}", c.postal_code, c.address),
            None => format!("{} {}", s.postal_code, s.address),
        })
        .collect();
    audit::record(
        &mut tx,
        w.actor,
        Some(w.m),
        audit::Subject::new("goods_edit", "order", w.number),
        Some(&audit_side(&items_words(w.before_lines), w.before, &addresses_before)),
        Some(&audit_side(&items_words(&w.asked.lines), &p.after, &addresses_after)),
        now,
    )
    .await?;
    // A buyer who pays later is told the new amount (and the new number) with the change.
    if p.after.total() != w.before.total() || p.after.method != w.before.method {
        let changed = view::load_on(&mut tx, app, Some(w.m), w.number).await?;
        crate::goods::mail::queue(&mut tx, app, crate::notify::goods_templates::GOODS_ORDER_CHANGED, &changed, &[]).await?;
    }
    tx.commit().await?;
    Ok(())
}
