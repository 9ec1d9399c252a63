//! マスタ編集: swap the main product and change quantities, fees, the card (one of the customer's
//! stored cards), the coupon (only
//! after クーポン解除 of the applied one), the delivery address and the cycle. All checked at
//! once, written with one history line and one audit entry (before → after). A cancelled or
//! finished master is not edited (409, in words).

use super::{MasterView, get, merchant_of};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::catalog::ProductKind;
use kippu_domain::subscription::{CycleInput, Refusal};
use kippu_domain::validate::{self, Collect, FieldError};
use kippu_store::subscriptions::{self as repo, write};
use serde::Deserialize;

/// At most this many items on a master.
pub const MAX_ITEMS: usize = 20;
/// The largest fee a master may carry.
pub const MAX_FEE: i64 = 100_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    pub product_code: String,
    #[serde(default = "one")]
    pub quantity: i64,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressPatch {
    pub name: String,
    #[serde(default)]
    pub kana: String,
    #[serde(default)]
    pub postal_code: String,
    pub address: String,
    #[serde(default)]
    pub phone: String,
}

/// `PATCH /api/v1/subscriptions/{id}`: only what is given changes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MasterPatch {
    /// The items, the main product first (replaces them all).
    #[serde(default)]
    pub items: Option<Vec<ItemPatch>>,
    /// A coupon code to apply; refused while another is applied.
    #[serde(default)]
    pub coupon_code: Option<String>,
    /// クーポン解除: removes the applied coupon (first, when both are given).
    #[serde(default)]
    pub remove_coupon: bool,
    #[serde(default)]
    pub address: Option<AddressPatch>,
    /// A new cycle, as `subscription` of an order.
    #[serde(default)]
    pub subscription: Option<CycleInput>,
    /// The next delivery date (`YYYY-MM-DD`, after today).
    #[serde(default)]
    pub next_date: Option<String>,
    #[serde(default)]
    pub shipping_fee: Option<i64>,
    #[serde(default)]
    pub handling_fee: Option<i64>,
    /// The stored card each child charges from now on: the gateway's `card_id` of one of the
    /// customer's cards (登録クレジットカード), for a master paid by card.
    #[serde(default)]
    pub card_id: Option<String>,
}

fn fee(errs: &mut Collect, field: &'static str, v: Option<i64>) -> Option<Option<i64>> {
    let v = v?;
    if !(0..=MAX_FEE).contains(&v) {
        errs.push(FieldError::new(field, format!("0〜{MAX_FEE}円で入力してください（{v}）")));
        return None;
    }
    Some(Some(v))
}

/// Applies `p` to master `id`; the master afterwards.
pub async fn edit(app: &App, actor: &Actor, id: i64, p: &MasterPatch) -> Result<MasterView> {
    let m = merchant_of(actor)?;
    let before = get(app, actor, id).await?;
    before.master.status.check_editable().map_err(|r| AppError::Conflict(r.said()))?;
    let mut errs = Collect::default();
    let mut notes: Vec<String> = Vec::new();
    let mut e = write::MasterEdit::default();

    let items = match &p.items {
        None => None,
        Some(list) if list.is_empty() || list.len() > MAX_ITEMS => {
            errs.push(FieldError::new("items", format!("商品は1〜{MAX_ITEMS}個で指定してください")));
            None
        }
        Some(list) => {
            let mut conn = app.store.conn().await?;
            let mut out = Vec::new();
            for it in list {
                if !(1..=99).contains(&it.quantity) {
                    errs.push(FieldError::new(
                        "items",
                        format!("{}: 数量は1〜99です（{}）", it.product_code, it.quantity),
                    ));
                    continue;
                }
                match kippu_store::products::product_detail(&mut conn, m, it.product_code.trim()).await? {
                    Some(d) if d.kind == ProductKind::Goods && d.archived == 0 => out.push((d.id, it.quantity, d.price)),
                    _ => errs.push(FieldError::new(
                        "items",
                        format!("商品コード {} の販売中の物販商品はありません", it.product_code),
                    )),
                }
            }
            notes.push("商品・数量".into());
            Some(out)
        }
    };
    let cycle = p.subscription.as_ref().and_then(|c| errs.take_all(c.check()));
    if let Some(c) = cycle {
        e.cycle = Some(c);
        notes.push(format!("サイクル {}", c.words(false)));
    }
    let today = app.clock.today();
    let next = match p.next_date.as_deref() {
        None => None,
        Some(d) => match kippu_domain::clock::parse_date(d.trim()) {
            Some(date) if date > today => Some(date.to_string()),
            _ => {
                errs.push(FieldError::new(
                    "next_date",
                    format!("次回お届け日は明日以降の日付（YYYY-MM-DD）で入力してください（{d}）"),
                ));
                None
            }
        },
    };
    e.shipping_fee = fee(&mut errs, "shipping_fee", p.shipping_fee);
    e.handling_fee = fee(&mut errs, "handling_fee", p.handling_fee);
    if e.shipping_fee.is_some() || e.handling_fee.is_some() {
        notes.push("手数料".into());
    }
    if let Some(card_id) = p.card_id.as_deref()
        && let Some((row, words)) = errs.take(card_of(app, m, &before, card_id).await?)
    {
        e.stored_card_id = Some(Some(row));
        notes.push(words);
    }
    let ship = p.address.as_ref().and_then(|a| {
        let name = errs.take(validate::required_text("address.name", &a.name, 100));
        let address = errs.take(validate::required_text("address.address", &a.address, 200));
        let postal = match a.postal_code.trim() {
            "" => Some(String::new()),
            t => errs.take(
                crate::postal::digits(t)
                    .map(|d| crate::postal::formatted(&d))
                    .ok_or_else(|| FieldError::new("address.postal_code", format!("郵便番号は7桁の数字です（{t}）"))),
            ),
        };
        let phone = if a.phone.trim().is_empty() {
            Some(String::new())
        } else {
            errs.take(validate::phone("address.phone", &a.phone))
        };
        Some([name?, a.kana.trim().to_string(), postal?, address?, phone?])
    });
    if ship.is_some() {
        notes.push("お届け先".into());
    }
    // The coupon: クーポン解除 first; a new one only when none is applied (after the removal).
    let mut coupon_applied = before.master.coupon_id.is_some();
    if p.remove_coupon {
        if !coupon_applied {
            return Err(AppError::Conflict(Refusal::NoCouponApplied.said()));
        }
        e.coupon_id = Some(None);
        coupon_applied = false;
        notes.push(format!("クーポン解除（{}）", before.master.coupon_code.as_deref().unwrap_or("")));
    }
    if let Some(code) = p.coupon_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        if coupon_applied {
            return Err(AppError::Conflict(Refusal::CouponApplied.said()));
        }
        let goods_total = match &items {
            Some(list) => list.iter().map(|(_, q, price)| q * price).sum(),
            None => before.items.iter().map(|i| i.quantity * i.price).sum(),
        };
        let o = crate::coupons::ForOrder {
            code,
            customer: Some(kippu_domain::CustomerId(before.master.customer_id)),
            goods_total,
        };
        match crate::coupons::check_for(app, m, &o).await? {
            Ok(applied) => {
                e.coupon_id = Some(Some(applied.coupon_id));
                notes.push(format!("クーポン適用（{}）", applied.code));
            }
            Err(refusal) => errs.push(FieldError::new("coupon_code", refusal.to_string())),
        }
    }
    errs.finish_all()?;
    if notes.is_empty() && next.is_none() {
        return Err(FieldError::new("body", "変更する項目を指定してください").into());
    }
    if let Some(d) = &next {
        notes.push(format!("次回お届け日 {d}"));
    }
    e.next_date = next.as_deref();
    let ship_ref = ship.as_ref().map(|s| write::Ship {
        name: &s[0],
        kana: &s[1],
        postal_code: &s[2],
        address: &s[3],
        phone: &s[4],
    });
    e.ship = ship_ref;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if !write::edit(&mut tx, m, id, &e, now).await? {
        return Err(AppError::Conflict(Refusal::Closed(before.master.status).said()));
    }
    if let Some(list) = &items {
        let pairs: Vec<(i64, i64)> = list.iter().map(|(p, q, _)| (*p, *q)).collect();
        write::replace_items(&mut tx, m, id, &pairs).await?;
    }
    let note = notes.join("、");
    write::add_history(&mut tx, m, id, actor.user_id.map(|u| u.0), "edit", &note, now).await?;
    let b = snapshot(&before);
    let after_items = repo::items(&mut tx, m, id).await?;
    let after_row = repo::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    let a = snapshot(&MasterView {
        master: after_row,
        items: after_items,
        ..before.clone()
    });
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("edit", "subscription", id),
        Some(&b),
        Some(&a),
        now,
    )
    .await?;
    tx.commit().await?;
    get(app, actor, id).await
}

/// The customer's stored card `card_id` as the master's new card: its row and the change in
/// words (「カード変更（VISA ****4242 → Mastercard ****4444）」); refused naming `card_id` when the
/// master is not paid by card or the card is not one of the customer's.
async fn card_of(
    app: &App,
    m: kippu_domain::MerchantId,
    before: &MasterView,
    card_id: &str,
) -> Result<std::result::Result<(i64, String), FieldError>> {
    use kippu_domain::order::PaymentMethod;
    let master = &before.master;
    if !matches!(master.payment_method, PaymentMethod::CardAuth | PaymentMethod::CardCapture) {
        return Ok(Err(FieldError::new(
            "card_id",
            "クレジットカード払いの定期ではないため、カードを変更できません",
        )));
    }
    let card_id = card_id.trim();
    let mut conn = app.store.conn().await?;
    let customer = kippu_domain::CustomerId(master.customer_id);
    let Some(card) = kippu_store::cards::get(&mut conn, m, customer, card_id).await? else {
        return Ok(Err(FieldError::new(
            "card_id",
            format!("このお客様の登録クレジットカードにありません（{card_id}）"),
        )));
    };
    let words = |c: &kippu_store::cards::StoredCardRow| format!("{} ****{}", c.brand, c.last4);
    let was = match master.stored_card_id {
        Some(row) => kippu_store::cards::by_row(&mut conn, m, row)
            .await?
            .map_or_else(|| "削除されたカード".to_string(), |c| words(&c)),
        None => "なし".to_string(),
    };
    Ok(Ok((card.id, format!("カード変更（{was} → {}）", words(&card)))))
}

/// What the audit log keeps of a master, before and after an edit.
fn snapshot(v: &MasterView) -> serde_json::Value {
    let m = &v.master;
    serde_json::json!({
        "cycle": [m.cycle_kind, m.cycle_every, m.cycle_day, m.cycle_weekday],
        "next_date": m.next_date,
        "items": v.items.iter().map(|i| (i.product_code.clone(), i.quantity)).collect::<Vec<_>>(),
        "coupon": m.coupon_code,
        "card": m.stored_card_id,
        "shipping_fee": m.shipping_fee,
        "handling_fee": m.handling_fee,
        "address": [m.ship_name.clone(), m.ship_postal_code.clone(), m.ship_address.clone()],
    })
}
