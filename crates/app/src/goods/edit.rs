//! 受注編集: the merchant changes a goods order before 入金処理 — each destination's lines and
//! quantities, the 送料, the 代引手数料, the payment method and the points it spends — or, once
//! paid, only a destination's address, phone, date and time band (the rule:
//! `kippu_domain::goods::edit`). The total is recomputed with the order's own unit prices (a
//! product new to the order at its catalogue price), the 代引手数料 of the merchant's rule when the
//! order turns to cash on delivery; stock moves with the quantities; a 与信 card authorization is
//! replaced by one of the new total through the gateway before anything is written (its refusal
//! changes nothing); the コンビニ or bank instructions follow a method change; points are spent
//! from (or given back to) the customer's one ledger. One transaction writes the change, the
//! order's history entry in words and the audit row before → after.

use super::history::Step;
use super::request::{DestinationRequest, LineRequest, check_contact};
use super::view::{self, GoodsView};
use crate::orders::OrderError;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::catalog::ProductKind;
use kippu_domain::goods::edit::{self as rule, Amounts, CardChange, EditError, Line, Plan};
use kippu_domain::goods::fee::Parcel;
use kippu_domain::goods::ledger::LedgerReason;
use kippu_domain::money::Yen;
use kippu_domain::order::PaymentMethod;
use kippu_domain::validate::{Collect, FieldError, FieldErrors};
use kippu_domain::{MerchantId, OrderId};
use kippu_store::AnyConnection;
use kippu_store::goods::ledger::{self as points_repo, Entry};
use kippu_store::goods::{self as repo, ContactWrite, DestinationWrite, EditLineRow, GoodsEdit, LineWrite};
use serde::Deserialize;

/// One destination of `PATCH /api/v1/orders/{n}`: what changes of it (omitted: as it is).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationEdit {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kana: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// お届け希望日 `YYYY-MM-DD` ("" for none).
    #[serde(default)]
    pub requested_date: Option<String>,
    /// 配達時間帯 ("" for none).
    #[serde(default)]
    pub time_band: Option<String>,
    /// Every line the destination receives after the edit.
    #[serde(default)]
    pub lines: Option<Vec<LineRequest>>,
}

/// `PATCH /api/v1/orders/{n}` for a goods order: the fields of `POST` that an edit changes,
/// each optional. `destinations`, when given, has one entry per destination of the order, in
/// its order. `shipping_fee` is the order's 送料 (split over its shipped destinations).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodsEditRequest {
    #[serde(default)]
    pub destinations: Vec<DestinationEdit>,
    #[serde(default)]
    pub shipping_fee: Option<i64>,
    #[serde(default)]
    pub cod_fee: Option<i64>,
    #[serde(default)]
    pub payment_method: Option<String>,
    #[serde(default)]
    pub points_used: Option<i64>,
}

/// The payment methods an order may be changed to: its own, and those the merchant has on that
/// fit its delivery (not a card: the buyer's card cannot be typed by the merchant).
pub async fn methods(app: &App, actor: &Actor, view: &GoodsView) -> Result<Vec<PaymentMethod>> {
    let m = actor.merchant()?;
    let merchant = {
        let mut conn = app.store.conn().await?;
        kippu_store::merchants::get(&mut conn, m).await?.ok_or(AppError::NotFound)?
    };
    let pickup = view.shipments.iter().any(|s| s.is_pickup());
    let mut out = vec![view.order.payment_method];
    for c in crate::storefront::goods_choices(&merchant).into_iter().filter(|c| c.fits(pickup)) {
        let method = c.method(merchant.card_mode);
        if !out.contains(&method) && !matches!(method, PaymentMethod::CardAuth | PaymentMethod::CardCapture) {
            out.push(method);
        }
    }
    Ok(out)
}

/// What the edit form shows: whether the amounts may still change, the customer's usable
/// points (those the order already spends included), and the methods to choose from.
pub struct EditForm {
    pub view: GoodsView,
    pub amounts_editable: bool,
    pub points_available: i64,
    pub methods: Vec<PaymentMethod>,
}

/// The order as the edit form starts from; refused (409) when it may not be edited at all.
pub async fn form(app: &App, actor: &Actor, number: &str) -> Result<EditForm> {
    let m = merchant_only(actor)?;
    let view = view::load(app, Some(m), number).await?;
    if let Some(r) = rule::refusal(&view.rule_view()) {
        return Err(OrderError::Edit(r).into());
    }
    let balance = balance_of(app, m, view.order.customer_id).await?;
    Ok(EditForm {
        amounts_editable: rule::amounts_editable(&view.rule_view()),
        points_available: balance + view.order.points_used,
        methods: methods(app, actor, &view).await?,
        view,
    })
}

fn merchant_only(actor: &Actor) -> Result<MerchantId> {
    if actor.is_platform() || actor.channel_id().is_some() {
        return Err(AppError::Forbidden("goods orders are edited by their merchant"));
    }
    actor.merchant()
}

async fn balance_of(app: &App, m: MerchantId, customer: Option<i64>) -> Result<i64> {
    let Some(c) = customer else { return Ok(0) };
    let mut conn = app.store.conn().await?;
    Ok(points_repo::ledger_of(&mut conn, m, c, 0).await?.map(|(b, _)| b).unwrap_or(0))
}

/// A line as the edit will write it: the rule's view and the product's words.
#[derive(Debug, Clone)]
struct Resolved {
    line: Line,
    code: String,
    name: String,
    jan: String,
    tax_percent: i64,
}

fn resolved(l: &EditLineRow) -> Resolved {
    Resolved {
        line: Line {
            product_id: l.product_id,
            unit_price: l.unit_price,
            tax_rate: super::quote::rate_of(l.tax_rate),
            quantity: l.quantity,
        },
        code: l.product_code.clone(),
        name: l.product_name.clone(),
        jan: l.jan.clone(),
        tax_percent: l.tax_rate,
    }
}

/// The order's amounts as stored, with each destination's lines.
fn amounts_of(view: &GoodsView, lines: &[EditLineRow]) -> (Amounts, Vec<Vec<Resolved>>) {
    let per: Vec<Vec<Resolved>> = view
        .shipments
        .iter()
        .map(|s| lines.iter().filter(|l| l.shipment_id == Some(s.id)).map(resolved).collect())
        .collect();
    let amounts = Amounts {
        destinations: per.iter().map(|ls| ls.iter().map(|r| r.line).collect()).collect(),
        shipping_fees: view.shipments.iter().map(|s| s.shipping_fee).collect(),
        cod_fee: view.order.handling_fee,
        method: view.order.payment_method,
        points_used: view.order.points_used,
    };
    (amounts, per)
}

/// The lines a destination receives after the edit: a product already on the order keeps the
/// order's unit price; one new to it is sold at its catalogue price, if it is on sale.
async fn lines_requested(
    conn: &mut AnyConnection,
    m: MerchantId,
    errs: &mut Collect,
    i: usize,
    requested: &[LineRequest],
    stored: &[EditLineRow],
) -> Result<Vec<Resolved>> {
    let at = format!("お届け先{}: ", i + 1);
    let field = |f: &'static str| super::request::destination_field(i, f);
    if requested.len() > super::MAX_LINES {
        errs.push(FieldError::new(field("lines"), format!("{at}商品は{}行までです", super::MAX_LINES)));
        return Ok(vec![]);
    }
    let mut out: Vec<Resolved> = Vec::new();
    for l in requested {
        let code = l.product_code.trim();
        if !(1..=rule::MAX_QUANTITY).contains(&l.quantity) {
            errs.push(FieldError::new(
                field("lines.quantity"),
                format!("{at}{code} の数量は1〜{}で指定してください", rule::MAX_QUANTITY),
            ));
            continue;
        }
        let mut r = match stored.iter().find(|s| s.product_code == code) {
            Some(s) => resolved(s),
            None => {
                let product = kippu_store::orders::product_by_code(conn, m, code)
                    .await?
                    .filter(|p| p.archived == 0 && p.kind == ProductKind::Goods);
                let Some(p) = product else {
                    errs.push(FieldError::new(
                        field("lines.product_code"),
                        format!("{at}商品コード {code} の販売中の物販商品はありません"),
                    ));
                    continue;
                };
                Resolved {
                    line: Line {
                        product_id: p.id,
                        unit_price: p.price,
                        tax_rate: super::quote::rate_of(p.tax_rate),
                        quantity: 0,
                    },
                    code: p.code,
                    name: p.name,
                    jan: p.jan,
                    tax_percent: p.tax_rate,
                }
            }
        };
        match out.iter_mut().find(|o| o.code == r.code) {
            // The same product twice on one destination is one line.
            Some(o) => o.line.quantity += l.quantity,
            None => {
                r.line.quantity = l.quantity;
                out.push(r);
            }
        }
    }
    Ok(out)
}

/// What the request asks for: the amounts after the edit, each destination's lines, and the
/// destinations whose address changed (checked as at intake).
struct Asked {
    after: Amounts,
    lines: Vec<Vec<Resolved>>,
    contacts: Vec<Option<super::request::Contact>>,
}

async fn asked(app: &App, m: MerchantId, view: &GoodsView, stored: &[EditLineRow], r: &GoodsEditRequest) -> Result<Asked> {
    let (before, mut lines) = amounts_of(view, stored);
    let mut errs = Collect::default();
    let mut dest_errs = Collect::default();
    let n = view.shipments.len();
    let mut contacts: Vec<Option<super::request::Contact>> = (0..n).map(|_| None).collect();
    if !r.destinations.is_empty() && r.destinations.len() != n {
        errs.push(FieldError::new(
            "destinations",
            format!("お届け先は{n}件すべてを順に指定してください（お届け先の追加・削除はできません）"),
        ));
    }
    let today = app.clock.today();
    let mut conn = app.store.conn().await?;
    for (i, (d, s)) in r.destinations.iter().zip(&view.shipments).enumerate().take(n) {
        if let Some(requested) = &d.lines {
            let mine: Vec<EditLineRow> = stored.iter().filter(|l| l.shipment_id == Some(s.id)).cloned().collect();
            lines[i] = lines_requested(&mut conn, m, &mut dest_errs, i, requested, &mine).await?;
            if requested.is_empty() {
                dest_errs.push(FieldError::new(
                    super::request::destination_field(i, "lines"),
                    format!("お届け先{}: 商品を1つ以上指定してください", i + 1),
                ));
            }
        }
        let typed = [
            &d.name,
            &d.kana,
            &d.postal_code,
            &d.address,
            &d.phone,
            &d.requested_date,
            &d.time_band,
        ];
        if s.is_pickup() || typed.iter().all(|f| f.is_none()) {
            continue;
        }
        let or = |typed: &Option<String>, stored: &str| typed.clone().unwrap_or_else(|| stored.to_string());
        let merged = DestinationRequest {
            name: or(&d.name, &s.recipient_name),
            kana: or(&d.kana, &s.recipient_kana),
            postal_code: or(&d.postal_code, &s.postal_code),
            address: or(&d.address, &s.address),
            phone: or(&d.phone, &s.phone),
            lines: vec![],
            requested_date: d.requested_date.clone().or_else(|| s.requested_date.clone()),
            time_band: d.time_band.clone().or_else(|| s.time_band.map(|b| b.as_str().to_string())),
        };
        let unchanged_date = merged.requested_date == s.requested_date;
        let mut contact_errs = Collect::default();
        let mut c = check_contact(&mut contact_errs, i, &merged, today);
        if let Err(e) = contact_errs.finish_all() {
            // A date already on the order that has since passed stays as it is.
            let date_field = super::request::destination_field(i, "requested_date");
            let keep_date = |f: &FieldError| unchanged_date && f.field == date_field;
            for f in e.all().iter().filter(|f| !keep_date(f)) {
                dest_errs.push(f.clone());
            }
            if e.all().iter().all(keep_date) {
                let mut relaxed = merged.clone();
                relaxed.requested_date = None;
                c = check_contact(&mut Collect::default(), i, &relaxed, today).map(|mut c| {
                    c.requested_date = s.requested_date.clone();
                    c
                });
            }
        }
        contacts[i] = c.filter(|c| {
            (
                &c.name,
                &c.kana,
                &c.postal_code,
                &c.address,
                &c.phone,
                &c.requested_date,
                c.time_band,
            ) != (
                &s.recipient_name,
                &s.recipient_kana,
                &s.postal_code,
                &s.address,
                &s.phone,
                &s.requested_date,
                s.time_band,
            )
        });
    }
    let method = match r.payment_method.as_deref().map(str::trim) {
        None | Some("") => Some(before.method),
        Some(code) => errs.take(
            PaymentMethod::parse(code)
                .filter(|p| kippu_domain::goods::PAYMENT_METHODS.contains(p))
                .ok_or_else(|| {
                    FieldError::new(
                        "payment_method",
                        "card_auth, card_capture, bank_store, cod, konbini, store_pay のいずれかを指定してください",
                    )
                }),
        ),
    };
    let pickup: Vec<bool> = view.shipments.iter().map(|s| s.is_pickup()).collect();
    let shipping_fees = match r.shipping_fee {
        None => Some(before.shipping_fees.clone()),
        Some(total) if !(0..=rule::MAX_FEE).contains(&total) => {
            errs.push(FieldError::new(
                "shipping_fee",
                format!("送料は0〜{}で入力してください", Yen(rule::MAX_FEE).display_ja()),
            ));
            None
        }
        Some(total) => errs.take(
            rule::split_shipping(total, &pickup).ok_or_else(|| FieldError::new("shipping_fee", "店舗受取の注文に送料はかかりません")),
        ),
    };
    FieldErrors::merge(errs.finish(), dest_errs.finish_all())?;
    let (Some(method), Some(shipping_fees)) = (method, shipping_fees) else {
        return Err(AppError::Internal("an edit without a value but without an error".into()));
    };
    let destinations: Vec<Vec<Line>> = lines.iter().map(|ls| ls.iter().map(|r| r.line).collect()).collect();
    let goods_total: i64 = destinations.iter().flatten().map(Line::subtotal).sum();
    // 代引手数料: as typed; else the merchant's rule when the order turns to cash on delivery,
    // none when it leaves it, as it was otherwise.
    let cod_fee = match (r.cod_fee, method == before.method) {
        (Some(fee), _) => fee,
        (None, true) => before.cod_fee,
        (None, false) => {
            let rule = repo::shipping_rule(&mut conn, m).await?;
            let parcels: Vec<Parcel> = view
                .shipments
                .iter()
                .map(|s| Parcel {
                    pickup: s.is_pickup(),
                    address: &s.address,
                })
                .collect();
            rule.fees(goods_total, &parcels, method).cod
        }
    };
    Ok(Asked {
        after: Amounts {
            destinations,
            shipping_fees,
            cod_fee,
            method,
            points_used: r.points_used.unwrap_or(before.points_used),
        },
        lines,
        contacts,
    })
}

fn plan_of(e: EditError) -> AppError {
    match e {
        EditError::Refused(r) => OrderError::Edit(r).into(),
        EditError::Invalid(f) => f.into(),
    }
}

/// 受注編集 of goods order `number` by its merchant; the order as it is after.
pub async fn edit(app: &App, actor: &Actor, number: &str, r: &GoodsEditRequest) -> Result<GoodsView> {
    let m = merchant_only(actor)?;
    let first = view::load(app, Some(m), number).await?;
    if let Some(refusal) = rule::refusal(&first.rule_view()) {
        return Err(OrderError::Edit(refusal).into());
    }
    let stored = {
        let mut conn = app.store.conn().await?;
        repo::edit_lines_of(&mut conn, first.order.id).await?
    };
    let asked = asked(app, m, &first, &stored, r).await?;
    let (before, before_lines) = amounts_of(&first, &stored);
    let balance = balance_of(app, m, first.order.customer_id).await?;
    let contact_changed: Vec<bool> = asked.contacts.iter().map(Option::is_some).collect();
    let plan = rule::check(rule::Edit {
        order: &first.rule_view(),
        before: &before,
        after: asked.after.clone(),
        contact_changed: &contact_changed,
        balance,
    })
    .map_err(plan_of)?;
    if plan.points_delta != 0 && first.order.customer_id.is_none() {
        return Err(FieldError::new("points_used", "お客様の分からない注文ではポイントを使えません").into());
    }
    let merchant = {
        let mut conn = app.store.conn().await?;
        kippu_store::merchants::get(&mut conn, m).await?.ok_or(AppError::NotFound)?
    };
    let method_changed = plan.after.method != before.method;
    if method_changed {
        kippu_domain::order::check_method(&merchant.offered_payments, merchant.card_mode, plan.after.method)?;
    }
    // The payment company's number or the account to transfer to, for a method that has them.
    let issued = if method_changed {
        crate::payment_company::issue(app, &merchant, plan.after.method, app.clock.now()).await?
    } else {
        None
    };
    // The card company first: its refusal leaves the order as it was.
    let old_ref = first.order.gateway_ref.clone().unwrap_or_default();
    let new_ref = match plan.card {
        CardChange::Adjust(amount) => Some(app.gateway.reauthorize(&old_ref, amount).await.map_err(OrderError::from)?),
        _ => None,
    };
    let w = Write {
        actor,
        m,
        number,
        first: &first,
        before: &before,
        before_lines: &before_lines,
        asked: &asked,
        plan: &plan,
        new_ref: new_ref.as_deref(),
        issued: issued.as_ref(),
    };
    match write(app, &w).await {
        Ok(()) => {
            if plan.card == CardChange::Release
                && let Err(e) = app.gateway.void(&old_ref).await
            {
                tracing::error!(reference = old_ref, error = %e, "could not release the card authorization of an edited goods order");
            }
            view::load(app, Some(m), number).await
        }
        Err(e) => {
            if let Some(reference) = &new_ref {
                // Back to the amount the order still holds.
                match app.gateway.reauthorize(reference, before.total()).await {
                    Ok(back) => {
                        if let Err(s) = restore_reference(app, first.order.id, &back, before.total()).await {
                            tracing::error!(error = %s, "could not record the card authorization restored after a failed edit");
                        }
                    }
                    Err(g) => tracing::error!(reference, error = %g, "could not restore the card authorization of a failed edit"),
                }
            }
            Err(e)
        }
    }
}

async fn restore_reference(app: &App, order: OrderId, reference: &str, amount: i64) -> Result<()> {
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let expires = now + kippu_domain::web_ticket::AUTHORIZATION_DAYS * 86_400_000;
    repo::replace_authorization(&mut tx, order, reference, amount, expires, now).await?;
    tx.commit().await?;
    Ok(())
}

struct Write<'a> {
    actor: &'a Actor,
    m: MerchantId,
    number: &'a str,
    first: &'a GoodsView,
    before: &'a Amounts,
    before_lines: &'a [Vec<Resolved>],
    asked: &'a Asked,
    plan: &'a Plan,
    new_ref: Option<&'a str>,
    issued: Option<&'a crate::payment_company::Issued>,
}

/// Each destination's goods in words: 「お届け先1: 今治タオル × 2」.
fn items_words(lines: &[Vec<Resolved>]) -> String {
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
fn history_note(w: &Write<'_>) -> String {
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
fn audit_side(items: &str, a: &Amounts, addresses: &[String]) -> serde_json::Value {
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

async fn write(app: &App, w: &Write<'_>) -> Result<()> {
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
    // What the buyer is told to pay by follows the method (its amount is the order's).
    if p.after.method != w.before.method {
        repo::delete_instructions(&mut tx, o.id).await?;
        if let Some(issued) = w.issued {
            crate::payment_company::record(&mut tx, w.m, o.id, issued, now).await?;
        }
    }
    let note = history_note(w);
    kippu_store::orders::insert_history(
        &mut tx,
        &super::history::entry(
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
    tx.commit().await?;
    Ok(())
}

/// A cancelled order gives back the points it spent (in the cancellation's transaction).
pub(super) async fn give_back_points(tx: &mut AnyConnection, o: &repo::GoodsOrderRow, actor_label: &str, now: i64) -> Result<()> {
    let (Some(customer), true) = (o.customer_id, o.points_used > 0) else {
        return Ok(());
    };
    let note = format!("受注 {} のキャンセルによるポイント利用の返還", o.order_number);
    let entry = Entry {
        merchant_id: o.merchant_id,
        customer_id: customer,
        order_id: Some(o.id.0),
        delta: o.points_used,
        reason: LedgerReason::Spent,
        note: &note,
        actor_label,
    };
    points_repo::post(tx, &[entry], now)
        .await?
        .map_err(|e| AppError::Internal(format!("giving points back overdrew a balance: {e}")))
}

/// Whether the order may be edited at all (the order page's 「受注編集」 link).
pub fn can_edit(view: &GoodsView) -> bool {
    rule::refusal(&view.rule_view()).is_none()
}
