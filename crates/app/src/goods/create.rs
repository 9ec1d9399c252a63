//! A goods order: lines per destination (お届け先) or a store pickup, the shipping fee of the
//! merchant's rule, the card authorized before the write, stock taken line by line in the same
//! transaction as the order, its destinations, payment and first history step.

use super::history::Step;
use super::request::{Checked, GoodsOrderRequest, check};
use super::view::{self, GoodsView};
use crate::{Actor, App, AppError, Result, audit, secrets};
use kippu_domain::catalog::ProductKind;
use kippu_domain::clock::to_millis;
use kippu_domain::goods::fee::Parcel;
use kippu_domain::goods::{self, OrderStatus, PaymentStatus};
use kippu_domain::order::{OrderNumber, PaymentMethod};
use kippu_domain::{MerchantId, OrderId};
use kippu_store::AnyConnection;
use kippu_store::goods::{self as repo, NewGoodsLine, NewShipment};
use kippu_store::orders::{self, InitialStatus, NewOrder, NewPayment};

/// A goods order checked and priced, before any money moves.
pub(super) struct Priced {
    pub(super) method: PaymentMethod,
    pub(super) customer: kippu_store::people::CustomerFields,
    pub(super) destinations: Vec<Checked>,
    pub(super) fees: goods::fee::Fees,
    pub(super) goods_total: i64,
    pub(super) amount: i64,
    pub(super) points: i64,
    /// The coupon that applies (its discount is out of `amount`) and the AD code.
    pub(super) promotions: crate::promotions::Checked,
    /// The fees an override replaced (代理注文), for the audit entry.
    pub(super) overridden: Vec<crate::entry::Overridden>,
    channel: Option<i64>,
    merchant: kippu_store::merchants::MerchantRow,
}

/// Checks the request against the merchant's rules and prices it: goods, the shipping fee of
/// the merchant's rule per destination, the COD fee, the points it earns.
pub(super) async fn price(app: &App, m: MerchantId, r: &GoodsOrderRequest) -> Result<Priced> {
    let r = &*crate::entry::goods_request(app, m, r).await?;
    let (method, customer, destinations) = check(app, m, r).await?;
    let (rule, merchant, points_policy, channel) = {
        let mut conn = app.store.conn().await?;
        let merchant = kippu_store::merchants::get(&mut conn, m).await?.ok_or(AppError::NotFound)?;
        // Goods are sold on the merchant's own site: the settlement itemizes them there.
        let channel = orders::channel_by_code(&mut conn, m, "OWN").await?.map(|c| c.id);
        (
            repo::shipping_rule(&mut conn, m).await?,
            merchant,
            repo::points_policy(&mut conn, m).await?,
            channel,
        )
    };
    kippu_domain::order::check_method(&merchant.offered_payments, merchant.card_mode, method)?;
    let goods_total: i64 = destinations.iter().map(Checked::goods_total).sum();
    let parcels: Vec<Parcel> = destinations
        .iter()
        .map(|d| Parcel {
            pickup: d.pickup,
            address: &d.address,
        })
        .collect();
    let fees = rule.fees(goods_total, &parcels, method);
    // Above the 代引手数料 table's last row the carrier does not collect.
    rule.check_cod(goods_total, &fees, method)
        .map_err(|e| kippu_domain::validate::FieldError::new("payment_method", e.to_string()))?;
    let (fees, overridden) = crate::entry::form::override_fees(fees, r.shipping_fee, r.handling_fee);
    let asked = crate::promotions::Asked {
        coupon_code: r.coupon_code.as_deref(),
        ad_code: r.ad_code.as_deref(),
    };
    let promotions = crate::promotions::check_order(app, m, asked, &customer.email, goods_total).await?;
    let discount = promotions.discount(goods_total);
    let amount = goods_total - discount + fees.total();
    let points = (goods_total - discount) * points_policy.rate_bp / 10_000;
    Ok(Priced {
        overridden,
        promotions,
        method,
        customer,
        destinations,
        fees,
        goods_total,
        amount,
        points,
        channel,
        merchant,
    })
}

/// What [`create`] answers: the order, and whether it is the one an earlier request with the
/// same idempotency key made.
pub struct Created {
    pub view: GoodsView,
    pub replayed: bool,
}

fn request_hash(r: &GoodsOrderRequest) -> String {
    secrets::sha256_hex(&format!("{r:?}"))
}

/// The order an earlier request with `key` made, if any; a different request under the same
/// key is refused.
async fn replay(app: &App, m: MerchantId, key: &str, r: &GoodsOrderRequest) -> Result<Option<Created>> {
    let mut conn = app.store.conn().await?;
    let Some(prev) = orders::idempotent_answer(&mut conn, m, key).await? else {
        return Ok(None);
    };
    drop(conn);
    if prev.request_hash != request_hash(r) {
        return Err(crate::orders::OrderError::KeyReused.into());
    }
    Ok(Some(Created {
        view: view::load(app, Some(m), &prev.response_body).await?,
        replayed: true,
    }))
}

/// Takes a goods order. `actor` is a merchant's API token (or the storefront). With `key`, a
/// retried request answers with the order the first one made.
pub async fn create(app: &App, actor: &Actor, r: &GoodsOrderRequest, key: Option<&str>) -> Result<Created> {
    create_linked(app, actor, r, key, None).await
}

/// [`create`], for a subscription's child order when `child` is given (the job's).
pub(crate) async fn create_linked(
    app: &App,
    actor: &Actor,
    r: &GoodsOrderRequest,
    key: Option<&str>,
    child: Option<crate::callcenter::subscriptions::plan::Child>,
) -> Result<Created> {
    let m = actor.merchant()?;
    // 代理注文: the stored customer is the buyer (resolved first, so a retry hashes the same).
    let r = &*crate::entry::goods_request(app, m, r).await?;
    let memos = crate::entry::check(
        actor,
        r.memo_inquiry.as_deref(),
        r.memo_shop.as_deref(),
        [("shipping_fee", r.shipping_fee), ("handling_fee", r.handling_fee)],
    )?;
    if let Some(key) = key {
        crate::orders::check_idempotency_key(key)?;
        if let Some(done) = replay(app, m, key, r).await? {
            return Ok(done);
        }
    }
    let Priced {
        method,
        customer,
        destinations,
        fees,
        amount,
        points,
        promotions,
        channel,
        merchant,
        goods_total,
        overridden,
        ..
    } = price(app, m, r).await?;
    let link = super::for_subscription::link(app, m, r, method, promotions.coupon_id(), &destinations, child).await?;
    // The fraud rules, then the card (authorized, and captured in 仮実同時モード), before the
    // write lock is taken; a refusal is kept as a rejected order.
    let card = matches!(method, PaymentMethod::CardAuth | PaymentMethod::CardCapture)
        .then(|| crate::orders::card_payment::Card::of(r.card_token.as_deref(), r.card_id.as_deref(), &customer.email));
    let attempt = super::request::attempt_of(method, amount, &customer, &destinations);
    let card_ref = match crate::orders::card_payment::screen_and_authorize(app, actor, m, &attempt, card).await? {
        Some(reference) => {
            if method == PaymentMethod::CardCapture
                && let Err(e) = app.gateway.capture(&reference, amount).await
            {
                let _ = app.gateway.void(&reference).await;
                return Err(crate::orders::OrderError::from(e).into());
            }
            Some(reference)
        }
        None => None,
    };
    // The payment company's number or the account to transfer to, with the deadline.
    let issued = crate::payment_company::issue(app, &merchant, method, app.clock.now()).await?;
    let now_ms = to_millis(app.clock.now());
    let w = Write {
        actor,
        m,
        method,
        customer: &customer,
        destinations: &destinations,
        fees: &fees,
        amount,
        points,
        card_ref: card_ref.as_deref(),
        // An OTA's token orders as its channel (and reads the order back as its own).
        channel: actor.channel_id().or(channel),
        now_ms,
        key: key.map(|k| (k, request_hash(r))),
        issued: issued.as_ref(),
        promotions: &promotions,
        goods_total,
        memos: &memos,
        overridden: &overridden,
        send_mail: r.send_mail.unwrap_or(true),
        link: &link,
    };
    match write(app, &w).await {
        Ok(number) => {
            app.mail_wakeup.notify_one();
            Ok(Created {
                view: view::load(app, Some(m), &number).await?,
                replayed: false,
            })
        }
        Err(e) => {
            if let Some(reference) = &card_ref {
                let undo = if method == PaymentMethod::CardCapture {
                    app.gateway.refund(reference, amount).await
                } else {
                    app.gateway.void(reference).await
                };
                if let Err(g) = undo {
                    tracing::error!(reference, error = %g, "could not release a card payment of a failed goods order");
                }
            }
            if let (
                Some(key),
                AppError::Store(kippu_store::StoreError::Conflict {
                    entity: "idempotency_key", ..
                }),
            ) = (key, &e)
                && let Some(done) = replay(app, m, key, r).await?
            {
                // A concurrent request with the same key won: answer with its order.
                return Ok(done);
            }
            Err(e)
        }
    }
}

struct Write<'a> {
    actor: &'a Actor,
    m: MerchantId,
    method: PaymentMethod,
    customer: &'a kippu_store::people::CustomerFields,
    destinations: &'a [Checked],
    fees: &'a goods::fee::Fees,
    amount: i64,
    points: i64,
    card_ref: Option<&'a str>,
    channel: Option<i64>,
    now_ms: i64,
    /// The idempotency key and the request's hash, stored with the order.
    key: Option<(&'a str, String)>,
    /// What the buyer is told to pay by (コンビニ, bank transfer).
    issued: Option<&'a crate::payment_company::Issued>,
    /// The coupon as priced and the AD code, and the goods total the coupon was priced on.
    promotions: &'a crate::promotions::Checked,
    goods_total: i64,
    memos: &'a crate::entry::Memos,
    overridden: &'a [crate::entry::Overridden],
    /// False: the buyer gets no サンクスメール (代理注文's 「購入者に注文完了メールを送信する」).
    send_mail: bool,
    /// 定期: the master this order starts, or the master and cycle of a child order.
    link: &'a crate::callcenter::subscriptions::plan::Link,
}

/// Writes the order; its number. Nothing is written when any step fails (sold out included).
async fn write(app: &App, w: &Write<'_>) -> Result<String> {
    let mut tx = app.store.begin().await?;
    let customer_id = match kippu_store::people::find_customer_by_email(&mut tx, w.m, &w.customer.email).await? {
        Some(c) => c.id,
        None => kippu_store::people::insert_customer(&mut tx, w.m, w.customer, w.now_ms).await?.0,
    };
    let number = OrderNumber::from_sequence(orders::next_order_sequence(&mut tx).await?).to_string();
    let paid = w.method == PaymentMethod::CardCapture;
    let id = orders::insert_order(
        &mut tx,
        &NewOrder {
            merchant_id: w.m,
            order_number: &number,
            channel_id: w.channel,
            customer_id: Some(customer_id),
            customer_name: &w.customer.name,
            customer_kana: &w.customer.kana,
            customer_email: &w.customer.email,
            customer_phone: &w.customer.phone,
            ordered_at: w.now_ms,
            kind: ProductKind::Goods,
            payment_method: w.method,
            status: InitialStatus::Goods(OrderStatus::Normal),
            amount: w.amount,
            pin: None,
            paid_at: paid.then_some(w.now_ms),
            visit_date: None,
            time_slot: None,
            party_size: None,
            nights: None,
            created_by: w.actor.user_id.map(|u| u.0),
            access_token: &secrets::random_token(24),
            cancellation_policy: None,
        },
    )
    .await?;
    let payment = if paid { PaymentStatus::Paid } else { PaymentStatus::Unpaid };
    repo::set_goods_columns(&mut tx, id, payment, w.fees.per_destination.iter().sum(), w.fees.cod, w.points).await?;
    for (i, d) in w.destinations.iter().enumerate() {
        write_destination(&mut tx, w, id, i, d).await?;
    }
    crate::promotions::record_on_order(&mut tx, app, w.m, (id.0, customer_id), w.promotions, w.goods_total).await?;
    if let Some(reference) = w.card_ref {
        let p = NewPayment {
            method: w.method.as_str(),
            gateway: app.gateway.name(),
            gateway_ref: reference,
            state: if paid { "captured" } else { "authorized" },
            amount: w.amount,
            authorized_at: Some(w.now_ms),
            expires_at: Some(w.now_ms + kippu_domain::web_ticket::AUTHORIZATION_DAYS * 86_400_000),
            captured_at: paid.then_some(w.now_ms),
        };
        orders::insert_payment(&mut tx, w.m, id, &p, w.now_ms).await?;
    }
    if let Some(issued) = w.issued {
        crate::payment_company::record(&mut tx, w.m, id, issued, w.now_ms).await?;
    }
    if w.points > 0 {
        earn_points(&mut tx, w, customer_id, id).await?;
    }
    crate::callcenter::subscriptions::plan::after_write(&mut tx, w.actor, w.m, id.0, customer_id, w.link, w.now_ms).await?;
    orders::insert_history(
        &mut tx,
        &super::history::entry(
            w.actor,
            w.m,
            id,
            Step {
                from: None,
                to: OrderStatus::Normal.as_str(),
                note: "受注",
            },
            w.now_ms,
        ),
    )
    .await?;
    let after = serde_json::json!({"order_number": number, "amount": w.amount, "payment_method": w.method.as_str(), "destinations": w.destinations.len()});
    audit::record(
        &mut tx,
        w.actor,
        Some(w.m),
        audit::Subject::new("create", "order", &number),
        audit::NONE,
        Some(&after),
        w.now_ms,
    )
    .await?;
    crate::entry::record(&mut tx, w.actor, w.m, (id, &number), w.memos, w.overridden, w.now_ms).await?;
    if let Some((key, hash)) = &w.key
        && !orders::store_idempotent_answer(&mut tx, w.m, key, hash, 201, &number, w.now_ms).await?
    {
        return Err(kippu_store::StoreError::Conflict {
            entity: "idempotency_key",
            detail: key.to_string(),
        }
        .into());
    }
    // サンクスメール, queued with the order.
    let written = view::load_on(&mut tx, app, Some(w.m), &number).await?;
    if w.send_mail {
        super::mail::queue(&mut tx, app, crate::notify::goods_templates::GOODS_THANKS, &written, &[]).await?;
    }
    super::mail::queue_order_notification(&mut tx, app, &written).await?;
    tx.commit().await?;
    Ok(number)
}

async fn write_destination(tx: &mut AnyConnection, w: &Write<'_>, order_id: OrderId, i: usize, d: &Checked) -> Result<()> {
    let shipment_id = repo::insert_shipment(
        tx,
        &NewShipment {
            merchant_id: w.m,
            order_id,
            position: i as i64 + 1,
            pickup: d.pickup,
            name: &d.name,
            kana: &d.kana,
            postal_code: &d.postal_code,
            address: &d.address,
            phone: &d.phone,
            requested_date: d.requested_date.as_deref(),
            time_band: d.time_band,
            shipping_fee: w.fees.per_destination[i],
            store_id: d.store.as_ref().map(|s| s.id),
            now: w.now_ms,
        },
    )
    .await?;
    for (p, quantity) in &d.lines {
        let stock_id = orders::take_stock(tx, w.m, p.id, "", "", *quantity, w.now_ms)
            .await?
            .ok_or_else(|| crate::orders::OrderError::SoldOut(p.name.clone()))?;
        repo::insert_goods_line(
            tx,
            &NewGoodsLine {
                merchant_id: w.m,
                order_id,
                shipment_id,
                product_id: p.id,
                product_name: &p.name,
                product_code: &p.code,
                jan: &p.jan,
                unit_price: p.price,
                tax_rate: p.tax_rate,
                quantity: *quantity,
                stock_id,
            },
        )
        .await?;
    }
    Ok(())
}

/// Points earned by the order, pending until the merchant's policy activates them.
async fn earn_points(tx: &mut AnyConnection, w: &Write<'_>, customer_id: i64, order_id: OrderId) -> Result<()> {
    repo::insert_pending_points(tx, w.m, customer_id, order_id, w.points, w.now_ms).await?;
    Ok(())
}
