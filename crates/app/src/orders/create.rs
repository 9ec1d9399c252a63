//! Order intake: validate, authorize the card, take the stock and write the order, its
//! tickets, payment, first history step and emails in one transaction.

use super::{OrderError, view};
use crate::customers::CustomerInput;
use crate::notify::templates;
use crate::{Actor, App, AppError, Result, secrets};
use kippu_domain::MerchantId;
use kippu_domain::catalog::TicketType;
use kippu_domain::clock::{parse_date, to_millis};
use kippu_domain::order::PaymentMethod;
use kippu_domain::validate::{self, Collect, FieldError, FieldErrors};
use kippu_domain::web_ticket::stay::{self, Stay, StayError};
use kippu_domain::web_ticket::{self};
use kippu_store::orders::{self};
use serde::Deserialize;

/// At most this many tickets per order: more is a typing error, not a purchase.
pub const MAX_QUANTITY: i64 = 100;

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    pub product_code: String,
    /// Tickets to buy (web tickets); a reservation is always one.
    #[serde(default = "one")]
    pub quantity: i64,
    #[serde(default)]
    pub visit_date: Option<String>,
    #[serde(default)]
    pub time_slot: Option<String>,
    pub payment_method: String,
    #[serde(default)]
    pub card_token: Option<String>,
    /// The orderer's stored card (登録クレジットカード) instead of a token. Left out of the
    /// request's hash when absent, like `nights`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_id: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
    /// People in the party (reservations).
    #[serde(default)]
    pub party_size: Option<i64>,
    /// Nights from `visit_date`, the check-in date (宿泊タイプ). Left out of the request's hash
    /// when absent, so idempotency keys stored before stays existed still match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nights: Option<i64>,
    /// Left out when `customer_id` names a stored customer.
    #[serde(default)]
    pub customer: CustomerInput,
    /// 代理注文's fields (`crate::entry`), left out of the request's hash when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo_inquiry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo_shop: Option<String>,
    /// False: no 注文確認 email to the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_mail: Option<bool>,
    /// One of the merchant's code coupons, off the tickets' amount; and the AD code (媒体). Left
    /// out of the request's hash when absent, like `card_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_code: Option<String>,
    /// 定期 (web tickets only): the master this order starts (`crate::callcenter::subscriptions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<crate::callcenter::subscriptions::SubscriptionRequest>,
}

fn one() -> i64 {
    1
}

pub struct CreateOutcome {
    pub order: view::OrderView,
    /// True when an `Idempotency-Key` replayed an earlier order instead of creating one.
    pub replayed: bool,
}

pub(super) struct Checked {
    /// People in a reservation's party (0 for web tickets).
    pub(super) party_size: i64,
    pub(super) method: PaymentMethod,
    pub(super) name: String,
    pub(super) kana: String,
    pub(super) email: String,
    pub(super) phone: String,
    pub(super) date: String,
    pub(super) slot: String,
    /// 宿泊タイプ: the check-in date and nights.
    pub(super) stay: Option<Stay>,
}

impl Checked {
    /// Rooms, tickets or seats times the price; a stay pays each room each night.
    pub(super) fn amount(&self, per_unit: i64, units: i64) -> i64 {
        match self.stay {
            Some(stay) => stay.price(per_unit, units),
            None => per_unit * units,
        }
    }
}

fn check(
    r: &OrderRequest,
    ticket_type: Option<TicketType>,
    reservation: Option<i64>,
    today: time::Date,
) -> std::result::Result<Checked, FieldErrors> {
    // Every field is checked before answering, so a form shows all of its errors at once.
    let mut errs = Collect::default();
    if reservation.is_some() && r.quantity != 1 {
        errs.push(FieldError::new(
            "quantity",
            "予約は1件ずつ申し込みます（人数は party_size で指定してください）",
        ));
    } else if r.quantity < 1 || r.quantity > MAX_QUANTITY {
        errs.push(FieldError::new("quantity", format!("数量は1〜{MAX_QUANTITY}で指定してください")));
    }
    let method = errs.take(
        PaymentMethod::parse(&r.payment_method)
            .filter(|m| web_ticket::initial_status(*m).is_ok())
            .ok_or_else(|| {
                FieldError::new(
                    "payment_method",
                    "bank_platform, bank_store, pay_at_venue, card_auth, card_capture のいずれかを指定してください",
                )
            }),
    );
    if matches!(method, Some(PaymentMethod::CardAuth | PaymentMethod::CardCapture))
        && let Some(e) = super::card_payment::check_fields(r.card_token.as_deref(), r.card_id.as_deref())
    {
        errs.push(e);
    }
    let c = &r.customer;
    let name =
        errs.take(validate::required_text("customer.name", &c.name, 100).and_then(|n| validate::cp932("customer.name", &n).map(|_| n)));
    let kana = errs.take(validate::kana("customer.kana", &c.kana));
    let email = errs.take(validate::email("customer.email", &c.email));
    let phone = errs.take(validate::phone("customer.phone", &c.phone));
    let dated = reservation.is_some() || matches!(ticket_type, Some(TicketType::Rental | TicketType::Accommodation));
    let party_size = errs.take(match (reservation, r.party_size) {
        (Some(max), Some(n)) if n >= 1 && n <= max => Ok(n),
        (Some(max), Some(_)) => Err(FieldError::new("party_size", format!("人数は1〜{max}名で指定してください"))),
        (Some(_), None) => Err(FieldError::new("party_size", "予約の人数を指定してください")),
        (None, Some(_)) => Err(FieldError::new("party_size", "人数は予約の商品にだけ指定できます")),
        (None, None) => Ok(0),
    });
    let date = errs.take(match (&r.visit_date, dated) {
        (Some(d), true) => {
            let ok = time::Date::parse(d, &time::format_description::well_known::Iso8601::DATE).is_ok() && d.len() == 10;
            if !ok {
                Err(FieldError::new("visit_date", "日付は YYYY-MM-DD で指定してください"))
            } else if d.as_str() < today.to_string().as_str() {
                // ISO dates compare as text.
                Err(FieldError::new("visit_date", format!("{d} は過ぎた日付です（本日 {today}）")))
            } else {
                Ok(d.clone())
            }
        }
        (None, true) => Err(FieldError::new("visit_date", "この商品は利用日の指定が必要です")),
        (Some(_), false) => Err(FieldError::new("visit_date", "この商品は利用日を指定できません")),
        (None, false) => Ok(String::new()),
    });
    let nights = errs.take(match (r.nights, ticket_type == Some(TicketType::Accommodation)) {
        (Some(n), true) if (1..=stay::MAX_NIGHTS).contains(&n) => Ok(n),
        (Some(_), true) => Err(FieldError::new("nights", StayError::Nights.to_string())),
        (None, true) => Err(FieldError::new("nights", "宿泊の泊数を指定してください")),
        (Some(_), false) => Err(FieldError::new("nights", "泊数は宿泊タイプの商品にだけ指定できます")),
        (None, false) => Ok(0),
    });
    let slot = errs.take(
        match (&r.time_slot, ticket_type == Some(TicketType::Rental), reservation.is_some()) {
            (Some(s), _, true) => validate::time_slot("time_slot", s),
            (None, _, true) => Ok(String::new()),
            (Some(s), true, false) if !s.trim().is_empty() => validate::time_slot("time_slot", s),
            (_, true, false) => Err(FieldError::new("time_slot", "この商品は時間枠の指定が必要です")),
            (Some(s), false, false) if !s.is_empty() => Err(FieldError::new("time_slot", "この商品は時間枠を指定できません")),
            _ => Ok(String::new()),
        },
    );
    errs.finish()?;
    match (method, name, kana, email, phone, date, slot, party_size, nights) {
        (Some(method), Some(name), Some(kana), Some(email), Some(phone), Some(date), Some(slot), Some(party_size), Some(nights)) => {
            let stay = match parse_date(&date) {
                Some(check_in) if nights > 0 => Some(Stay::new(check_in, nights).map_err(|e| FieldError::new("nights", e.to_string()))?),
                _ => None,
            };
            Ok(Checked {
                method,
                name,
                kana,
                email,
                phone,
                date,
                slot,
                party_size,
                stay,
            })
        }
        // finish() answered Ok only when every take() gave a value.
        _ => unreachable!("a field without a value but without an error"),
    }
}

/// What the storefront's confirmation screen shows: the product and the total, after the same
/// checks the order itself will pass (stock and payment are only taken by [`create`]).
pub async fn precheck(app: &App, actor: &Actor, r: &OrderRequest) -> Result<Precheck> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let product = orders::product_by_code(&mut conn, m, r.product_code.trim())
        .await?
        .filter(|p| {
            p.archived == 0
                && (p.kind == kippu_domain::catalog::ProductKind::WebTicket || p.kind == kippu_domain::catalog::ProductKind::Reservation)
        })
        .ok_or_else(|| FieldError::new("product_code", format!("商品コード {} の販売中の商品はありません", r.product_code)))?;
    let reservation = (product.kind == kippu_domain::catalog::ProductKind::Reservation).then_some(party_max(&product));
    let c = check(r, product.ticket_type, reservation, app.clock.today())?;
    let units = if reservation.is_some() { c.party_size } else { r.quantity };
    Ok(Precheck {
        policy: reservation.map(|_| crate::reservations::parse_policy_json(&product.cancellation_policy).describe_ja()),
        name: product.name,
        amount: c.amount(product.price, units),
        stay: c.stay,
    })
}

/// The confirmation screen's figures: the product, the total, and a reservation's
/// cancellation policy (shown to the customer before ordering).
pub struct Precheck {
    pub name: String,
    pub amount: i64,
    pub policy: Option<String>,
    /// 宿泊タイプ: the stay, to show its check-out date and nights.
    pub stay: Option<Stay>,
}

/// The largest party a reservation product takes (50 when the product sets none).
pub fn party_max(p: &orders::ProductForSale) -> i64 {
    if p.party_size_max > 0 { p.party_size_max } else { 50 }
}

pub(super) fn request_hash(r: &OrderRequest) -> String {
    secrets::sha256_hex(&serde_json::to_string(r).unwrap_or_default())
}

/// An `Idempotency-Key` as every order intake takes it: 1 to 200 characters.
pub(crate) fn check_idempotency_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > 200 {
        return Err(FieldError::new("Idempotency-Key", "1〜200文字で指定してください").into());
    }
    Ok(())
}

/// Takes an order for a web-ticket product. `actor` is the channel's API token or the
/// storefront (an actor of the merchant with no user).
pub async fn create(app: &App, actor: &Actor, r: &OrderRequest, idempotency_key: Option<&str>) -> Result<CreateOutcome> {
    create_linked(app, actor, r, idempotency_key, None).await
}

/// [`create`], for a 定期 master's child order when `child` is given (the job's).
pub(crate) async fn create_linked(
    app: &App,
    actor: &Actor,
    r: &OrderRequest,
    idempotency_key: Option<&str>,
    child: Option<crate::callcenter::subscriptions::plan::Child>,
) -> Result<CreateOutcome> {
    let m = actor.merchant()?;
    // 代理注文: the stored customer is the buyer (read first, so a retry hashes the same).
    let r = &*crate::entry::ticket_request(app, m, r).await?;
    let memos = crate::entry::check(
        actor,
        r.memo_inquiry.as_deref(),
        r.memo_shop.as_deref(),
        [("shipping_fee", None), ("handling_fee", None)],
    )?;
    if let Some(key) = idempotency_key {
        check_idempotency_key(key)?;
        let mut conn = app.store.conn().await?;
        if let Some(prev) = orders::idempotent_answer(&mut conn, m, key).await? {
            drop(conn);
            return replay(app, m, &prev, r).await;
        }
    }
    let (product, channel) = {
        let mut conn = app.store.conn().await?;
        let product = orders::product_by_code(&mut conn, m, r.product_code.trim())
            .await?
            .filter(|p| p.archived == 0)
            .ok_or_else(|| FieldError::new("product_code", format!("商品コード {} の販売中の商品はありません", r.product_code)))?;
        if product.kind != kippu_domain::catalog::ProductKind::WebTicket && product.kind != kippu_domain::catalog::ProductKind::Reservation
        {
            return Err(FieldError::new("product_code", "ウェブチケットまたは予約の商品ではありません").into());
        }
        // A channel's own token (an OTA) always orders as that channel.
        let channel_code = match (actor.channel.as_ref().map(|c| c.code.as_str()), r.channel.as_deref()) {
            (Some(bound), Some(asked)) if bound != asked => {
                return Err(FieldError::new("channel", format!("このトークンは販売チャネル {bound} 専用です")).into());
            }
            (Some(bound), _) => bound,
            (None, asked) => asked.unwrap_or("OWN"),
        };
        let channel = orders::channel_by_code(&mut conn, m, channel_code)
            .await?
            .ok_or_else(|| FieldError::new("channel", format!("販売チャネル {channel_code} はありません")))?;
        if !orders::is_listed(&mut conn, product.id, channel.id).await? {
            return Err(OrderError::ListingStopped.into());
        }
        (product, channel)
    };
    let ticket_type = product.ticket_type;
    // Reservations sell seats: the party size is the quantity of stock and of the price.
    let reservation = (product.kind == kippu_domain::catalog::ProductKind::Reservation).then_some(party_max(&product));
    let c = check(r, ticket_type, reservation, app.clock.today())?;
    let units = if reservation.is_some() { c.party_size } else { r.quantity };
    // The coupon comes off the tickets' amount: the order, the card and the settlement take
    // what is left (the merchant bears the discount).
    let list_amount = c.amount(product.price, units);
    let asked = crate::promotions::Asked {
        coupon_code: r.coupon_code.as_deref(),
        ad_code: r.ad_code.as_deref(),
    };
    let promotions = crate::promotions::check_order(app, m, asked, &c.email, list_amount).await?;
    let amount = list_amount - promotions.discount(list_amount);
    let link = super::for_subscription::link(app, m, r, &c, &product, promotions.coupon_id(), child).await?;
    let status = web_ticket::initial_status(c.method).map_err(OrderError::from)?;
    let pre = prefetch(app, m).await?;
    kippu_domain::order::check_method(&pre.merchant.offered_payments, pre.merchant.card_mode, c.method)?;

    // The card is authorized (and for capture-at-order, captured) before the transaction:
    // no network call may hold the database's write lock.
    let now = app.clock.now();
    let now_ms = to_millis(now);
    let card = matches!(c.method, PaymentMethod::CardAuth | PaymentMethod::CardCapture)
        .then(|| super::card_payment::Card::of(r.card_token.as_deref(), r.card_id.as_deref(), &c.email));
    let attempt = attempt_of(&c, &product, units, amount);
    let card_ref = match super::card_payment::screen_and_authorize(app, actor, m, &attempt, card).await? {
        Some(reference) => {
            if c.method == PaymentMethod::CardCapture
                && let Err(e) = app.gateway.capture(&reference, amount).await
            {
                let _ = app.gateway.void(&reference).await;
                return Err(OrderError::from(e).into());
            }
            Some(reference)
        }
        None => None,
    };

    // The account to transfer to and the 振込期限, from the payment company.
    let issued = crate::payment_company::issue(app, &pre.merchant, c.method, now).await?;
    let result = super::intake::write(
        app,
        &super::intake::Intake {
            pre: &pre,
            actor,
            m,
            r,
            c: &c,
            product: &product,
            channel: &channel,
            status,
            amount,
            list_amount,
            promotions: &promotions,
            link: &link,
            card_ref: card_ref.as_deref(),
            now_ms,
            idempotency_key,
            issued: issued.as_ref(),
            memos: &memos,
        },
    )
    .await;
    match result {
        Ok(number) => {
            app.mail_wakeup.notify_one();
            Ok(CreateOutcome {
                order: view::load(app, Some(m), &number).await?,
                replayed: false,
            })
        }
        Err(e) => {
            // Give the money back: nothing was sold.
            if let Some(reference) = &card_ref {
                let undo = if c.method == PaymentMethod::CardCapture {
                    app.gateway.refund(reference, amount).await
                } else {
                    app.gateway.void(reference).await
                };
                if let Err(g) = undo {
                    tracing::error!(reference, error = %g, "could not release a card payment of a failed order");
                }
            }
            if let (
                Some(key),
                AppError::Store(kippu_store::StoreError::Conflict {
                    entity: "idempotency_key", ..
                }),
            ) = (idempotency_key, &e)
            {
                // A concurrent request with the same key won: answer with its order.
                let mut conn = app.store.conn().await?;
                if let Some(prev) = orders::idempotent_answer(&mut conn, m, key).await? {
                    drop(conn);
                    return replay(app, m, &prev, r).await;
                }
            }
            Err(e)
        }
    }
}

async fn replay(app: &App, m: MerchantId, prev: &orders::IdempotentAnswer, r: &OrderRequest) -> Result<CreateOutcome> {
    if prev.request_hash != request_hash(r) {
        return Err(OrderError::KeyReused.into());
    }
    Ok(CreateOutcome {
        order: view::load(app, Some(m), &prev.response_body).await?,
        replayed: true,
    })
}

/// What the order's emails need that does not depend on the order: read before the write
/// transaction so the database's write lock is held as briefly as possible.
pub(super) struct Prefetched {
    pub(super) merchant_name: String,
    pub(super) merchant_email: String,
    pub(super) notification: (String, String),
    pub(super) confirmation: (String, String),
    /// Reservations: every merchant user is told of a new booking.
    pub(super) new_booking: (String, String),
    pub(super) user_emails: Vec<String>,
    /// The merchant: the methods it has on and its card mode decide what it takes.
    pub(super) merchant: kippu_store::merchants::MerchantRow,
}

async fn prefetch(app: &App, m: MerchantId) -> Result<Prefetched> {
    let mut conn = app.store.conn().await?;
    let merchant = kippu_store::merchants::get(&mut conn, m).await?.ok_or(AppError::NotFound)?;
    let n = templates::effective(&mut conn, Some(m), templates::ORDER_NOTIFICATION).await?;
    let c = templates::effective(&mut conn, Some(m), templates::ORDER_CONFIRMATION).await?;
    let b = templates::effective(&mut conn, Some(m), templates::NEW_BOOKING).await?;
    Ok(Prefetched {
        merchant_name: merchant.name.clone(),
        merchant_email: merchant.email.clone(),
        notification: (n.subject, n.body),
        confirmation: (c.subject, c.body),
        new_booking: (b.subject, b.body),
        user_emails: kippu_store::reservations::merchant_user_emails(&mut conn, m).await?,
        merchant,
    })
}

/// The order as attempted, for the fraud rules and a rejected order's record.
fn attempt_of<'a>(
    c: &'a Checked,
    product: &kippu_store::orders::ProductForSale,
    units: i64,
    amount: i64,
) -> crate::callcenter::rejected::Attempt<'a> {
    crate::callcenter::rejected::Attempt {
        method: c.method,
        amount,
        name: &c.name,
        kana: &c.kana,
        email: &c.email,
        phone: &c.phone,
        postal_code: "",
        address: "",
        other_addresses: Vec::new(),
        lines: vec![crate::callcenter::rejected::AttemptLine {
            product_code: product.code.clone(),
            name: product.name.clone(),
            quantity: units,
            unit_price: product.price,
        }],
    }
}
