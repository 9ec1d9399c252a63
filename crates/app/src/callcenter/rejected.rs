//! リジェクト注文情報: an order refused by the card company (a decline) or by a fraud rule is
//! kept with its lines (内訳), orderer (注文者情報), payment method, amount, reason, channel and
//! operator, written in its own transaction (the order itself is never written).

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::label::Said;
use kippu_domain::order::PaymentMethod;
use kippu_domain::paging::Paging;
use kippu_store::rejected as store;
pub use kippu_store::rejected::{RejectedFilter, RejectedRow};
use serde::{Deserialize, Serialize};

/// One line of a refused order, as its 内訳 shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptLine {
    pub product_code: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: i64,
}

/// An order as it was attempted: what a rejected order keeps, and what the fraud rules read.
pub struct Attempt<'a> {
    pub method: PaymentMethod,
    pub amount: i64,
    pub name: &'a str,
    pub kana: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub postal_code: &'a str,
    pub address: &'a str,
    /// Where else it goes (a goods order's destinations): the block list reads these too.
    pub other_addresses: Vec<&'a str>,
    pub lines: Vec<AttemptLine>,
}

/// Where an order came from, by who placed it: an operator's session (`console`), an API token
/// (`api`), else the storefront.
pub fn channel_of(actor: &Actor) -> &'static str {
    if actor.user_id.is_some() {
        "console"
    } else if actor.label.starts_with("api:") {
        "api"
    } else {
        "storefront"
    }
}

/// The reason code in words.
pub fn reason_said(code: &str) -> Said {
    match code {
        "card_declined" => Said::new("カード決済不可", "Card declined"),
        "fraud_amount" => Said::new("不正注文チェック（金額上限）", "Fraud check (amount)"),
        "fraud_phone_rate" => Said::new("不正注文チェック（同一電話番号の注文数）", "Fraud check (orders per phone)"),
        "fraud_blocked" => Said::new("不正注文チェック（ブロックリスト）", "Fraud check (block list)"),
        other => Said::new(other.to_string(), other.to_string()),
    }
}

/// The reasons a search may name.
pub const REASONS: &[&str] = &["card_declined", "fraud_amount", "fraud_phone_rate", "fraud_blocked"];

/// Records the refused order in its own transaction, audited; returns its id.
pub async fn record(app: &App, actor: &Actor, m: MerchantId, a: &Attempt<'_>, reason: &str, detail: &str) -> Result<i64> {
    let payload = serde_json::to_string(&a.lines).map_err(|e| AppError::Internal(e.to_string()))?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let customer_id = kippu_store::people::find_customer_by_email(&mut tx, m, a.email)
        .await?
        .map(|c| c.id);
    let new = store::NewRejected {
        customer_id,
        reason,
        reason_detail: detail,
        payload: &payload,
        channel: channel_of(actor),
        operator: &actor.label,
        payment_method: a.method.as_str(),
        amount: a.amount,
        customer_name: a.name,
        customer_kana: a.kana,
        customer_email: a.email,
        customer_phone: a.phone,
        postal_code: a.postal_code,
        address: a.address,
    };
    let id = store::insert(&mut tx, m, &new, now).await?;
    let after = serde_json::json!({"reason": reason, "amount": a.amount, "payment_method": a.method.as_str()});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "rejected_order", id),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The filter of a search as typed: dates are Japanese days; a bad one is a field error.
pub fn filter_of(from: Option<&str>, to: Option<&str>, reason: Option<&str>, customer: Option<i64>) -> Result<RejectedFilter> {
    let day = |field: &'static str, s: Option<&str>| -> Result<Option<time::Date>> {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => kippu_domain::clock::parse_date(s)
                .map(Some)
                .ok_or_else(|| kippu_domain::validate::FieldError::new(field, "YYYY-MM-DD で指定してください").into()),
        }
    };
    let (from, to) = (day("from", from)?, day("to", to)?);
    Ok(RejectedFilter {
        from_ms: from.map(kippu_domain::clock::day_start_ms),
        to_ms: to.and_then(|d| d.next_day()).map(kippu_domain::clock::day_start_ms),
        reason: reason.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
        customer_id: customer,
    })
}

/// Searches are counted up to this many.
pub const COUNT_CAP: i64 = 10_000;

pub struct Page {
    pub rows: Vec<RejectedRow>,
    pub total: i64,
    pub capped: bool,
}

/// The merchant's rejected orders, newest first. An unknown reason is a field error.
pub async fn list(app: &App, actor: &Actor, f: &RejectedFilter, paging: Paging) -> Result<Page> {
    let m = actor.merchant()?;
    if let Some(r) = &f.reason
        && !REASONS.contains(&r.as_str())
    {
        return Err(kippu_domain::validate::FieldError::new("reason", format!("reason は {} のいずれかです", REASONS.join(", "))).into());
    }
    let mut conn = app.store.conn().await?;
    let total = store::count(&mut conn, m, f, COUNT_CAP).await?;
    Ok(Page {
        rows: store::list(&mut conn, m, f, paging.per_page(), paging.offset()).await?,
        capped: total > COUNT_CAP,
        total: total.min(COUNT_CAP),
    })
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<RejectedRow> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    store::get(&mut conn, m, id).await?.ok_or(AppError::NotFound)
}

/// A rejected order's lines (内訳).
pub fn lines_of(r: &RejectedRow) -> Result<Vec<AttemptLine>> {
    serde_json::from_str(&r.payload).map_err(|e| AppError::Internal(format!("rejected order {}: lines {e}", r.id)))
}

/// What 「再入力」 needs to prefill 注文入力: the orderer, the payment method and the lines.
#[derive(Debug, Clone, Serialize)]
pub struct Reentry {
    pub customer_id: Option<i64>,
    pub payment_method: String,
    pub name: String,
    pub kana: String,
    pub email: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
    pub lines: Vec<AttemptLine>,
}

pub async fn rejected_as_request(app: &App, actor: &Actor, id: i64) -> Result<Reentry> {
    let r = get(app, actor, id).await?;
    Ok(Reentry {
        lines: lines_of(&r)?,
        customer_id: r.customer_id,
        payment_method: r.payment_method,
        name: r.customer_name,
        kana: r.customer_kana,
        email: r.customer_email,
        phone: r.customer_phone,
        postal_code: r.postal_code,
        address: r.address,
    })
}
