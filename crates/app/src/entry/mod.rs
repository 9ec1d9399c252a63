//! 代理注文's fields on any new order (seed 003 注文入力, `POST /api/v1/orders`): the stored
//! customer an order is for (`customer_id`), the shipping and handling fee overrides (merchant
//! users only, audited with the computed value), お問い合わせメモ and SHOPメモ, whether the buyer is
//! sent the order-complete email, and the entry channel (代理注文 when a signed-in operator
//! entered it). The console's own pieces: `draft` (the order being typed, per operator and
//! customer), `form` (the console's form → an order request), `history` (受注情報), `regular` (注文種別: 定期 and 頒布会, and the stored card), `ticket` (a web-ticket product instead of goods).

pub mod console;
pub mod draft;
pub mod form;
pub mod history;
pub mod regular;
pub mod ticket;

pub use kippu_store::entry::EntryRow;

use crate::customers::CustomerInput;
use crate::goods::GoodsOrderRequest;
use crate::orders::OrderRequest;
use crate::{Actor, App, Result, audit};
use kippu_domain::account::Role;
use kippu_domain::goods::edit::MAX_FEE;
use kippu_domain::money::Yen;
use kippu_domain::order::EntryChannel;
use kippu_domain::validate::{self, Collect, FieldError};
use kippu_domain::{CustomerId, MerchantId, OrderId};
use kippu_store::AnyConnection;
use std::borrow::Cow;

/// A memo's longest text (characters).
pub const MEMO_MAX: usize = 2000;

/// The stored customer `id` of merchant `m` as an order's buyer: name, furigana, phone, email
/// and address. Another merchant's (or an unknown) id names the field `customer_id`.
pub async fn customer_input(app: &App, m: MerchantId, id: i64) -> Result<CustomerInput> {
    let mut conn = app.store.conn().await?;
    let c = kippu_store::people::get_customer(&mut conn, m, CustomerId(id))
        .await?
        .ok_or_else(|| FieldError::new("customer_id", format!("顧客ID {id} の顧客はいません")))?;
    Ok(CustomerInput {
        name: c.name,
        kana: c.kana,
        email: c.email,
        phone: c.phone,
        postal_code: c.postal_code,
        address: c.address,
    })
}

/// The memos as stored: trimmed, at most [`MEMO_MAX`] characters each, line breaks kept.
pub struct Memos {
    pub inquiry: String,
    pub shop: String,
}

/// Checks the memos and the fee overrides together, so every field's problem is named at once.
/// Overrides are for the merchant's own users (a session or the merchant's API token); an OTA's
/// token or the storefront may not set them.
pub fn check(actor: &Actor, memo_inquiry: Option<&str>, memo_shop: Option<&str>, fees: [(&'static str, Option<i64>); 2]) -> Result<Memos> {
    let mut errs = Collect::default();
    let memo = |errs: &mut Collect, field: &'static str, s: Option<&str>| match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => String::new(),
        Some(s) => errs.take(validate::multiline_text(field, s, MEMO_MAX)).unwrap_or_default(),
    };
    let inquiry = memo(&mut errs, "memo_inquiry", memo_inquiry);
    let shop = memo(&mut errs, "memo_shop", memo_shop);
    let merchant_user = actor.channel.is_none() && matches!(actor.role, Role::MerchantAdmin | Role::MerchantStaff | Role::CallCentre);
    for (field, fee) in fees {
        match fee {
            None => {}
            Some(_) if !merchant_user => errs.push(FieldError::new(field, "送料・手数料の変更は加盟店の担当者だけができます")),
            Some(f) if !(0..=MAX_FEE).contains(&f) => errs.push(FieldError::new(
                field,
                format!("0〜{}で指定してください", Yen(MAX_FEE).display_ja()),
            )),
            Some(_) => {}
        }
    }
    errs.finish()?;
    Ok(Memos { inquiry, shop })
}

/// The channel of an order `actor` enters: 代理注文 when a signed-in user typed it.
pub fn channel_of(actor: &Actor) -> EntryChannel {
    if actor.user_id.is_some() {
        EntryChannel::Proxy
    } else {
        EntryChannel::Direct
    }
}

/// What a fee override replaced, for the audit entry.
pub struct Overridden {
    pub field: &'static str,
    pub computed: i64,
    pub set: i64,
}

/// Writes the order's entry channel and memos, and audits each fee override (computed → set),
/// in the order's transaction.
pub async fn record(
    tx: &mut AnyConnection,
    actor: &Actor,
    m: MerchantId,
    (id, number): (OrderId, &str),
    memos: &Memos,
    overridden: &[Overridden],
    now_ms: i64,
) -> Result<()> {
    let channel = channel_of(actor);
    kippu_store::entry::set_entry(tx, id, channel, &memos.inquiry, &memos.shop).await?;
    // An order an operator entered is an entry of the customer's 対応履歴 (電話 / 注文), written
    // with the order: both commit or neither does.
    if channel == EntryChannel::Proxy
        && let Some(customer_id) = kippu_store::entry::customer_of(tx, id).await?
    {
        let content = format!("注文 {number} を登録（代理注文）");
        let e = crate::callcenter::interactions::NewInteraction {
            merchant: m,
            customer_id,
            order_id: Some(id.0),
            user_id: actor.user_id.map(|u| u.0),
            category: None,
            summary: None,
            content: &content,
            at: now_ms,
        };
        crate::callcenter::interactions::record_in_tx(tx, &e, now_ms).await?;
    }
    for o in overridden.iter().filter(|o| o.computed != o.set) {
        audit::record(
            tx,
            actor,
            Some(m),
            audit::Subject::new("override_fee", "order", number),
            Some(&serde_json::json!({ o.field: o.computed })),
            Some(&serde_json::json!({ o.field: o.set })),
            now_ms,
        )
        .await?;
    }
    Ok(())
}

/// The entry channel, memos and operator of an order of the actor's merchant, for its page
/// (none for the platform's operator, who reads every merchant's orders).
pub async fn of_order(app: &App, actor: &Actor, number: &str) -> Result<Option<kippu_store::entry::EntryRow>> {
    let Some(m) = actor.merchant_id else {
        return Ok(None);
    };
    let mut conn = app.store.conn().await?;
    Ok(kippu_store::entry::entry_of(&mut conn, m, number).await?)
}

/// A goods order request with its `customer_id` read into `customer` (once: an already read
/// request is answered as it is).
pub async fn goods_request<'a>(app: &App, m: MerchantId, r: &'a GoodsOrderRequest) -> Result<Cow<'a, GoodsOrderRequest>> {
    Ok(match r.customer_id.filter(|_| r.customer.email.is_empty()) {
        Some(id) => Cow::Owned(GoodsOrderRequest {
            customer: customer_input(app, m, id).await?,
            ..r.clone()
        }),
        None => Cow::Borrowed(r),
    })
}

/// A ticket order request with its `customer_id` read into `customer`.
pub async fn ticket_request<'a>(app: &App, m: MerchantId, r: &'a OrderRequest) -> Result<Cow<'a, OrderRequest>> {
    Ok(match r.customer_id.filter(|_| r.customer.email.is_empty()) {
        Some(id) => Cow::Owned(OrderRequest {
            customer: customer_input(app, m, id).await?,
            ..r.clone()
        }),
        None => Cow::Borrowed(r),
    })
}
