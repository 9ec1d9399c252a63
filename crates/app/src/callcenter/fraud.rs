//! The merchant's fraud rules (不正注文チェック): an amount above X yen, more than N orders from
//! one phone within an hour, a phone or address on a block list. [`screen`] is the one place an
//! order is checked, on every channel, before the card company is asked; a hit is recorded as a
//! rejected order and refused (422 `fraud_rule`, docs/decisions.md).

use super::rejected::{self, Attempt};
use crate::orders::OrderError;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::label::Said;
use kippu_domain::validate::{Collect, FieldError};
use kippu_store::rejected as store;
pub use kippu_store::rejected::FraudRulesRow;

/// The largest amount rule (¥100,000,000) and order count a rule may name.
pub const MAX_AMOUNT: i64 = 100_000_000;
pub const MAX_ORDERS_PER_HOUR: i64 = 1_000;
/// At most this many block-list entries of each kind, each at most 200 characters.
pub const MAX_ENTRIES: usize = 500;

/// Which rule an order hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FraudHit {
    Amount { max: i64 },
    PhoneRate { max: i64 },
    BlockedPhone,
    BlockedAddress,
}

impl FraudHit {
    /// The reason code stored with the rejected order.
    pub fn code(&self) -> &'static str {
        match self {
            FraudHit::Amount { .. } => "fraud_amount",
            FraudHit::PhoneRate { .. } => "fraud_phone_rate",
            FraudHit::BlockedPhone | FraudHit::BlockedAddress => "fraud_blocked",
        }
    }

    pub fn said(&self) -> Said {
        match self {
            FraudHit::Amount { max } => Said::new(
                format!("不正注文チェック: 注文金額が上限（{max}円）を超えています"),
                format!("Fraud check: the amount is above the limit (¥{max})"),
            ),
            FraudHit::PhoneRate { max } => Said::new(
                format!("不正注文チェック: 同じ電話番号から1時間に{max}件を超える注文はできません"),
                format!("Fraud check: more than {max} orders from one phone within an hour"),
            ),
            FraudHit::BlockedPhone => Said::new(
                "不正注文チェック: 電話番号がブロックリストにあります",
                "Fraud check: the phone is on the block list",
            ),
            FraudHit::BlockedAddress => Said::new(
                "不正注文チェック: 住所がブロックリストにあります",
                "Fraud check: the address is on the block list",
            ),
        }
    }
}

/// The rules as the settings form types them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FraudRulesInput {
    /// 0 (or empty): off.
    #[serde(default)]
    pub max_amount: i64,
    #[serde(default)]
    pub max_orders_per_phone_hour: i64,
    /// One per line.
    #[serde(default)]
    pub blocked_phones: String,
    #[serde(default)]
    pub blocked_addresses: String,
}

/// The rules (merchant admins with 設定 rights only: 「管理者専用設定」; others 403).
pub async fn rules(app: &App, actor: &Actor) -> Result<FraudRulesRow> {
    let m = actor.merchant()?;
    actor.require_settings_rights()?;
    let mut conn = app.store.conn().await?;
    Ok(store::fraud_rules(&mut conn, m).await?)
}

fn entries(field: &'static str, text: &str, errs: &mut Collect) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|l| kippu_domain::normalize::text(l).trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() > MAX_ENTRIES {
        errs.push(FieldError::new(field, format!("{MAX_ENTRIES}件以内で入力してください")));
    }
    if let Some((i, _)) = lines.iter().enumerate().find(|(_, l)| l.chars().count() > 200) {
        errs.push(FieldError::new(field, format!("{}行目が200文字を超えています", i + 1)));
    }
    lines.join("\n")
}

/// Saves the rules (merchant admins with 設定 rights only; others 403), audited.
pub async fn save(app: &App, actor: &Actor, input: &FraudRulesInput) -> Result<FraudRulesRow> {
    let m = actor.merchant()?;
    actor.require_settings_rights()?;
    let mut errs = Collect::default();
    if !(0..=MAX_AMOUNT).contains(&input.max_amount) {
        errs.push(FieldError::new(
            "max_amount",
            format!("0〜{MAX_AMOUNT}円で入力してください（0は無効）"),
        ));
    }
    if !(0..=MAX_ORDERS_PER_HOUR).contains(&input.max_orders_per_phone_hour) {
        errs.push(FieldError::new(
            "max_orders_per_phone_hour",
            format!("0〜{MAX_ORDERS_PER_HOUR}件で入力してください（0は無効）"),
        ));
    }
    let after = FraudRulesRow {
        max_amount: input.max_amount,
        max_orders_per_phone_hour: input.max_orders_per_phone_hour,
        blocked_phones: entries("blocked_phones", &input.blocked_phones, &mut errs),
        blocked_addresses: entries("blocked_addresses", &input.blocked_addresses, &mut errs),
    };
    errs.finish()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = store::fraud_rules(&mut tx, m).await?;
    store::put_fraud_rules(&mut tx, m, &after, now).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("update", "fraud_rules", m.0),
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

fn digits(s: &str) -> String {
    kippu_domain::normalize::digits(s)
}

/// The rule the order hits, if any.
async fn hit(app: &App, m: MerchantId, a: &Attempt<'_>) -> Result<Option<FraudHit>> {
    let mut conn = app.store.conn().await?;
    let r = store::fraud_rules(&mut conn, m).await?;
    if r.max_amount > 0 && a.amount > r.max_amount {
        return Ok(Some(FraudHit::Amount { max: r.max_amount }));
    }
    let phone = digits(a.phone);
    if !phone.is_empty() && r.blocked_phones.lines().any(|l| digits(l) == phone) {
        return Ok(Some(FraudHit::BlockedPhone));
    }
    let blocked = |address: &str| {
        let address = kippu_domain::normalize::text(address);
        !address.trim().is_empty() && r.blocked_addresses.lines().any(|l| !l.is_empty() && address.contains(l))
    };
    if blocked(a.address) || a.other_addresses.iter().any(|x| blocked(x)) {
        return Ok(Some(FraudHit::BlockedAddress));
    }
    if r.max_orders_per_phone_hour > 0 && !a.phone.is_empty() {
        let since = app.now_ms() - 3_600_000;
        let n = store::orders_from_phone(&mut conn, m, a.phone, since, r.max_orders_per_phone_hour).await?;
        if n >= r.max_orders_per_phone_hour {
            return Ok(Some(FraudHit::PhoneRate {
                max: r.max_orders_per_phone_hour,
            }));
        }
    }
    Ok(None)
}

/// Checks the order against the merchant's rules; a hit is recorded as a rejected order (in its
/// own transaction) and refused with `OrderError::Fraud`.
pub async fn screen(app: &App, actor: &Actor, m: MerchantId, a: &Attempt<'_>) -> Result<()> {
    match hit(app, m, a).await? {
        None => Ok(()),
        Some(h) => {
            rejected::record(app, actor, m, a, h.code(), &h.said().ja).await?;
            Err(AppError::Order(OrderError::Fraud(h)))
        }
    }
}
