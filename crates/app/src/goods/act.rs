//! Changing a goods order: every command goes through `goods::flow::transition` for each step
//! it takes; a card capture happens at the gateway before the transaction; the new statuses,
//! the shipped destinations, the payment, the points, the history and the audit entry are
//! written together, and only if the order did not change in between.

use super::history::Step;
use super::view::{self, GoodsView, activation_of};
use crate::orders::OrderError;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::action_names::GoodsActionName;
use kippu_domain::clock::to_millis;
use kippu_domain::goods::flow::{self, Action, Effect, GoodsOrder, PointsActivation};
use kippu_domain::goods::{RefundKind, ShippingStatus, flow::Refusal};
use kippu_domain::validate::FieldError;
use kippu_store::goods::{self as repo, GoodsStatusChange};
use kippu_store::orders;

/// What a user asks of a goods order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// 入金済みにする, on the typed payment date (today when none).
    MarkPaid { date: Option<String> },
    /// The payment company's notice that a コンビニ支払い was paid (never a person).
    PaymentNotified,
    /// 売上確定 of an authorized card.
    Capture,
    /// One destination shipped (or handed over, for a pickup) on the ship date.
    Ship { destination: usize, date: Option<String> },
    /// The checked destinations, one ship date (お届け先を選んで一括更新): all or none.
    ShipSome { destinations: Vec<usize>, date: Option<String> },
    /// Every destination not yet shipped (注文を発送済みにする).
    ShipAll { date: Option<String> },
    /// Every destination not yet shipped, then 処理済み, in one step (the bulk option
    /// 「ステータスを処理済みにする」): both or neither.
    ShipAllAndProcess { date: Option<String> },
    /// 未発送に戻す: one destination shipped by mistake.
    Unship { destination: usize },
    /// 処理済みにする.
    Process,
    /// 通常処理に戻す.
    Reopen,
    /// キャンセル, with the reason the merchant gives.
    Cancel { reason: String },
    /// 一部返金 of `amount` yen, with the reason.
    Refund { amount: i64, reason: String },
    /// The daily job: not paid by the 支払期限 / 振込期限, cancelled like キャンセル (the goods
    /// back in stock); the buyer is always told.
    CancelUnpaid,
}

/// What the order page or an API call typed besides the action's name.
#[derive(Debug, Clone, Default)]
pub struct CommandInput {
    /// `mark-paid`: 入金日.
    pub payment_date: Option<String>,
    /// `ship`: 商品発送日.
    pub ship_date: Option<String>,
    /// `ship`: one destination (all when `None` and `destinations` is empty).
    pub destination: Option<usize>,
    /// `ship`: the checked destinations (一括更新); `Some` of none is refused.
    pub destinations: Option<Vec<usize>>,
    /// `refund`: the amount in yen.
    pub amount: Option<i64>,
    /// `cancel`, `refund`: why.
    pub reason: Option<String>,
}

impl Command {
    /// The command behind an action name of the order page and the API (`mark-paid` — or
    /// `confirm-payment` —, `capture`, `ship` — one destination or all —, `unship`,
    /// `process`, `reopen`, `cancel`, `refund`); `None` for another name.
    pub fn named(name: &str, i: CommandInput) -> Option<Command> {
        Command::of(GoodsActionName::parse(name)?, i)
    }

    /// The command behind a goods action name; `None` for a name that is not one order's
    /// command (`notify-shipped` is the list's bulk action), or `unship` without its
    /// destination.
    pub fn of(name: GoodsActionName, i: CommandInput) -> Option<Command> {
        use GoodsActionName as N;
        Some(match name.canonical() {
            N::MarkPaid | N::ConfirmPayment => Command::MarkPaid { date: i.payment_date },
            N::Capture => Command::Capture,
            N::Ship => match (i.destination, i.destinations) {
                (_, Some(destinations)) => Command::ShipSome {
                    destinations,
                    date: i.ship_date,
                },
                (Some(destination), None) => Command::Ship {
                    destination,
                    date: i.ship_date,
                },
                (None, None) => Command::ShipAll { date: i.ship_date },
            },
            N::Unship => Command::Unship {
                destination: i.destination?,
            },
            N::Process => Command::Process,
            N::Reopen => Command::Reopen,
            N::Cancel => Command::Cancel {
                reason: i.reason.unwrap_or_default(),
            },
            // No amount is the rule's own refusal (返金額は1円以上).
            N::Refund => Command::Refund {
                amount: i.amount.unwrap_or(0),
                reason: i.reason.unwrap_or_default(),
            },
            N::NotifyShipped => return None,
        })
    }

    /// The reason a cancellation or a refund needs, checked; `None` for the other commands.
    fn reason(&self) -> Option<std::result::Result<String, FieldError>> {
        match self {
            Command::Cancel { reason } | Command::Refund { reason, .. } => {
                Some(kippu_domain::validate::required_text("reason", reason, REASON_MAX))
            }
            _ => None,
        }
    }

    fn note(&self) -> &'static str {
        match self {
            Command::MarkPaid { .. } => "入金済みにする",
            Command::PaymentNotified => "入金通知（コンビニ支払い）",
            Command::Capture => "売上確定",
            Command::Ship { .. } | Command::ShipSome { .. } | Command::ShipAll { .. } => "発送済みにする",
            Command::ShipAllAndProcess { .. } => "発送済みにする（処理済みにする）",
            Command::Unship { .. } => "未発送に戻す",
            Command::Process => "処理済みにする",
            Command::Reopen => "通常処理に戻す",
            Command::Cancel { .. } => "キャンセル",
            Command::Refund { .. } => "一部返金",
            Command::CancelUnpaid => "支払期限切れによるキャンセル",
        }
    }

    /// The status this command changes, as the history records it: payment, shipping or order.
    fn status_of(&self, o: &GoodsOrder) -> &'static str {
        match self {
            Command::MarkPaid { .. } | Command::PaymentNotified | Command::Capture | Command::Refund { .. } => o.payment.as_str(),
            Command::Ship { .. } | Command::ShipSome { .. } | Command::ShipAll { .. } | Command::Unship { .. } => o.progress().as_str(),
            Command::Process | Command::Reopen | Command::ShipAllAndProcess { .. } | Command::Cancel { .. } | Command::CancelUnpaid => {
                o.status.as_str()
            }
        }
    }

    /// The rule's steps for this command on `o`.
    fn actions(&self, o: &GoodsOrder) -> Vec<Action> {
        match self {
            Command::MarkPaid { .. } => vec![Action::MarkPaid],
            Command::PaymentNotified => vec![Action::PaymentNotified],
            Command::Capture => vec![Action::Capture],
            Command::Ship { destination, .. } => vec![Action::Ship { destination: *destination }],
            Command::ShipSome { destinations, .. } => destinations.iter().map(|d| Action::Ship { destination: *d }).collect(),
            Command::ShipAllAndProcess { date } => {
                let mut steps = Command::ShipAll { date: date.clone() }.actions(o);
                steps.push(Action::Process);
                steps
            }
            Command::ShipAll { .. } => {
                let open: Vec<Action> = o
                    .destinations
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.shipping == ShippingStatus::Unshipped)
                    .map(|(i, _)| Action::Ship { destination: i + 1 })
                    .collect();
                // Nothing left to ship is the rule's own refusal, named for the first destination.
                if open.is_empty() {
                    vec![Action::Ship { destination: 1 }]
                } else {
                    open
                }
            }
            Command::Unship { destination } => vec![Action::Unship { destination: *destination }],
            Command::Process => vec![Action::Process],
            Command::Reopen => vec![Action::Reopen],
            Command::Cancel { .. } | Command::CancelUnpaid => vec![Action::Cancel],
            Command::Refund { amount, .. } => vec![Action::Refund { amount: *amount }],
        }
    }
}

/// The destinations (1-based) a command shipped or set back, for the audit entry.
fn destinations_touched(actions: &[Action]) -> Vec<usize> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Ship { destination } | Action::Unship { destination } => Some(*destination),
            _ => None,
        })
        .collect()
}

/// The longest reason of a cancellation or a refund.
pub const REASON_MAX: usize = 200;

/// Runs every step of `cmd`, or refuses with the first refusal.
pub(super) fn plan(
    o: &GoodsOrder,
    cmd: &Command,
    points: PointsActivation,
) -> std::result::Result<(GoodsOrder, Vec<Action>, Vec<Effect>), Refusal> {
    let actions = cmd.actions(o);
    let mut now = o.clone();
    let mut effects = Vec::new();
    for a in &actions {
        let next = flow::transition(&now, *a, points)?;
        effects.extend(next.effects);
        now = next.order;
    }
    Ok((now, actions, effects))
}

fn date_or_today(app: &App, field: &'static str, raw: &Option<String>) -> Result<String> {
    match raw.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(app.clock.today().to_string()),
        Some(d) => view::typed_date(d).ok_or_else(|| FieldError::new(field, format!("{d} は日付ではありません（YYYY-MM-DD）")).into()),
    }
}

/// Carries out `cmd` on goods order `number` for `actor`. With `notify`, the buyer is told in
/// the same transaction: 発送通知 (or 受取通知 for a pickup) after shipping, ご入金確認 after a
/// payment; the payment company's konbini notice always tells the buyer.
pub async fn act(app: &App, actor: &Actor, number: &str, cmd: &Command, notify: bool) -> Result<GoodsView> {
    let scope = actor.scope()?;
    match (cmd, actor.is_platform()) {
        (Command::PaymentNotified, false) => return Err(OrderError::Goods(Refusal::KonbiniByNoticeOnly).into()),
        (Command::PaymentNotified, true) => {}
        (_, true) => return Err(AppError::Forbidden("goods orders are changed by the merchant")),
        (_, false) => {}
    }
    let payment_date = match cmd {
        Command::MarkPaid { date } => Some(date_or_today(app, "payment_date", date)?),
        Command::PaymentNotified | Command::Capture => Some(app.clock.today().to_string()),
        _ => None,
    };
    let ship_date = match cmd {
        Command::Ship { date, .. } | Command::ShipSome { date, .. } | Command::ShipAll { date } | Command::ShipAllAndProcess { date } => {
            Some(date_or_today(app, "ship_date", date)?)
        }
        _ => None,
    };
    let first = view::load(app, scope, number).await?;
    let points = {
        let mut conn = app.store.conn().await?;
        activation_of(&mut conn, first.order.merchant_id).await?
    };
    let reason = cmd.reason().transpose()?;
    if matches!(cmd, Command::ShipSome { destinations, .. } if destinations.is_empty()) {
        return Err(FieldError::new("destinations", "発送済みにするお届け先を選んでください").into());
    }
    let (_, _, effects) = plan(&first.rule_view(), cmd, points).map_err(OrderError::Goods)?;
    let reference = first.order.gateway_ref.clone().unwrap_or_default();
    for e in &effects {
        match e {
            Effect::CaptureCard => app.gateway.capture(&reference, first.order.amount).await,
            Effect::VoidCard => app.gateway.void(&reference).await,
            Effect::RefundCard { amount } => app.gateway.refund(&reference, *amount).await,
            _ => Ok(()),
        }
        .map_err(OrderError::from)?;
    }

    let now_ms = to_millis(app.clock.now());
    let mut tx = app.store.begin().await?;
    let o = repo::goods_order_by_number(&mut tx, app.store.backend(), scope, number, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let shipments = repo::shipments_of(&mut tx, &[o.id]).await?;
    let before = view::rule_view(&o, &shipments);
    if before != first.rule_view() {
        return Err(OrderError::Changed.into());
    }
    let (after, actions, effects) = plan(&before, cmd, points).map_err(OrderError::Goods)?;
    let became_paid = before.payment != after.payment;
    repo::set_goods_status(
        &mut tx,
        o.id,
        &GoodsStatusChange {
            status: after.status,
            payment: after.payment,
            payment_date: payment_date.as_deref().filter(|_| became_paid),
            paid_at: became_paid.then_some(now_ms),
        },
        now_ms,
    )
    .await?;
    for a in &actions {
        match a {
            Action::Ship { destination } => {
                let s = &shipments[destination - 1];
                repo::set_shipped_many(&mut tx, &[s.id], ship_date.as_deref().unwrap_or_default(), now_ms).await?;
            }
            Action::Unship { destination } => repo::set_unshipped(&mut tx, shipments[destination - 1].id, now_ms).await?,
            _ => {}
        }
    }
    for e in &effects {
        match e {
            Effect::CaptureCard => orders::update_payment(&mut tx, o.id, "captured", Some(now_ms), None, now_ms).await?,
            Effect::ActivatePoints => {
                repo::activate_points_many(&mut tx, &[o.id], &actor.label, now_ms).await?;
            }
            Effect::VoidCard | Effect::RefundCard { .. } => {
                let state = after.card.map(|c| c.as_str()).unwrap_or_default();
                orders::update_payment(&mut tx, o.id, state, None, Some(after.refunded), now_ms).await?;
            }
            Effect::RecordRefund { amount } => {
                let kind = if matches!(cmd, Command::Cancel { .. } | Command::CancelUnpaid) {
                    RefundKind::Cancel
                } else {
                    RefundKind::Partial
                };
                let r = repo::NewRefund {
                    merchant: o.merchant_id,
                    order: o.id,
                    amount: *amount,
                    kind,
                    reason: reason.as_deref().unwrap_or_default(),
                    actor_label: &actor.label,
                    at: now_ms,
                };
                repo::insert_refund(&mut tx, &r).await?;
            }
            Effect::ReturnStock => orders::restore_stock(&mut tx, o.id, now_ms).await?,
            Effect::CancelPoints => {
                if let Err(overdrawn) = repo::cancel_points_of(&mut tx, o.id, &actor.label, now_ms).await? {
                    return Err(FieldError::new("points", format!("この注文のポイントを取り消せません: {overdrawn}")).into());
                }
                // The points the order spent go back to the customer.
                super::edit::give_back_points(&mut tx, &o, &actor.label, now_ms).await?;
            }
        }
    }
    if after.status == kippu_domain::goods::OrderStatus::Cancelled && before.status != after.status {
        // A cancelled order gives its coupon use back.
        kippu_store::coupons::release_use(&mut tx, o.merchant_id, o.id.0, now_ms).await?;
    }
    orders::insert_history(
        &mut tx,
        &super::history::entry(
            actor,
            o.merchant_id,
            o.id,
            Step {
                from: Some(cmd.status_of(&before)),
                to: cmd.status_of(&after),
                note: cmd.note(),
            },
            now_ms,
        ),
    )
    .await?;
    if notify || matches!(cmd, Command::PaymentNotified | Command::CancelUnpaid) {
        let now = super::view::load_on(&mut tx, app, scope, number).await?;
        let shipped: Vec<usize> = actions
            .iter()
            .filter_map(|a| {
                if let Action::Ship { destination } = a {
                    Some(*destination)
                } else {
                    None
                }
            })
            .collect();
        if !shipped.is_empty() {
            super::mail::queue_shipping(&mut tx, app, &now, &shipped).await?;
        }
        if became_paid && !matches!(cmd, Command::Capture) {
            super::mail::queue(&mut tx, app, crate::notify::goods_templates::GOODS_PAYMENT_CONFIRMED, &now, &[]).await?;
        }
        match cmd {
            Command::Cancel { .. } => super::mail::queue(&mut tx, app, crate::notify::goods_templates::GOODS_CANCELLED, &now, &[]).await?,
            Command::Refund { .. } => super::mail::queue(&mut tx, app, crate::notify::goods_templates::GOODS_REFUNDED, &now, &[]).await?,
            Command::CancelUnpaid => {
                super::mail::queue(&mut tx, app, crate::notify::goods_templates::GOODS_UNPAID_CANCELLED, &now, &[]).await?
            }
            _ => {}
        }
    }
    audit::record(
        &mut tx,
        actor,
        Some(o.merchant_id),
        audit::Subject::new(cmd.note(), "order", number),
        Some(&serde_json::json!({"status": before.status.as_str(), "payment": before.payment.as_str(), "shipping": before.progress().as_str()})),
        Some(&serde_json::json!({"status": after.status.as_str(), "payment": after.payment.as_str(), "shipping": after.progress().as_str(), "destinations": destinations_touched(&actions), "payment_date": payment_date, "ship_date": ship_date, "refunded": after.refunded, "reason": reason})),
        now_ms,
    )
    .await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    view::load(app, scope, number).await
}
