//! 一括処理 of goods orders (the manual's 注文を発送済みにする / 注文を入金済みにする /
//! 注文を処理済みにする): a confirmation pass gives every row OK or NG with the goods rule's reason,
//! the execution re-checks each row in its own transaction and processes only the OK ones.

use super::act::{Command, act, plan};
use super::view::{self, activation_of};
use crate::orders::{BulkReport, BulkRows};
use crate::{Actor, App, AppError, Result};
use kippu_domain::validate::FieldError;

/// The goods bulk actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoodsBulk {
    /// 注文を発送済みにする, optionally also 処理済み, optionally with the 発送通知 / 受取通知.
    Ship { also_process: bool, notify: bool },
    /// 注文を入金済みにする (today's date), optionally with the ご入金確認メール.
    MarkPaid { notify: bool },
    /// 注文を処理済みにする.
    Process,
    /// 発送通知を送る: the shipping (or pickup) notice of the destinations already shipped, for
    /// orders marked shipped by a carrier file import, which sends no email.
    NotifyShipped,
}

impl GoodsBulk {
    /// The goods action of a bulk name (`ship`, `mark-paid`, `process`, `notify-shipped`), for
    /// the list's buttons and the API alike.
    pub fn named(name: &str, also_process: bool, notify: bool) -> Option<GoodsBulk> {
        use kippu_domain::action_names::GoodsActionName as N;
        match N::parse(name)? {
            N::Ship => Some(GoodsBulk::Ship { also_process, notify }),
            N::MarkPaid => Some(GoodsBulk::MarkPaid { notify }),
            N::Process => Some(GoodsBulk::Process),
            N::NotifyShipped => Some(GoodsBulk::NotifyShipped),
            _ => None,
        }
    }

    /// The status change the action makes; none for sending notices.
    fn command(self) -> Option<Command> {
        match self {
            GoodsBulk::Ship { also_process: false, .. } => Some(Command::ShipAll { date: None }),
            GoodsBulk::Ship { also_process: true, .. } => Some(Command::ShipAllAndProcess { date: None }),
            GoodsBulk::MarkPaid { .. } => Some(Command::MarkPaid { date: None }),
            GoodsBulk::Process => Some(Command::Process),
            GoodsBulk::NotifyShipped => None,
        }
    }

    fn notify(self) -> bool {
        match self {
            GoodsBulk::Ship { notify, .. } | GoodsBulk::MarkPaid { notify } => notify,
            GoodsBulk::Process | GoodsBulk::NotifyShipped => false,
        }
    }
}

/// The goods action a bulk request names: `ship` and `process` are goods-only; `mark-paid` is the
/// goods one when the selection's first order is a goods order (lists hold one kind).
pub async fn bulk_action(
    app: &App,
    actor: &Actor,
    name: &str,
    numbers: &[String],
    also_process: bool,
    notify: bool,
) -> Result<Option<GoodsBulk>> {
    Ok(match GoodsBulk::named(name, also_process, notify) {
        Some(GoodsBulk::MarkPaid { notify }) => match numbers.first() {
            Some(n) if super::kind_of(app, actor, n).await? == Some(kippu_domain::catalog::ProductKind::Goods) => {
                Some(GoodsBulk::MarkPaid { notify })
            }
            _ => None,
        },
        other => other,
    })
}

/// The most rows one bulk request takes, as for web tickets.
pub const MAX_ROWS: usize = crate::orders::MAX_BULK_ROWS;

async fn verdict(app: &App, actor: &Actor, cmd: &Command, number: &str) -> Result<std::result::Result<(), String>> {
    let v = match view::get(app, actor, number).await {
        Ok(v) => v,
        Err(AppError::NotFound) => return Ok(Err(format!("受注番号 {number} の物販の注文はありません"))),
        Err(e) => return Err(e),
    };
    let points = {
        let mut conn = app.store.conn().await?;
        activation_of(&mut conn, v.order.merchant_id).await?
    };
    Ok(plan(&v.rule_view(), cmd, points).map(|_| ()).map_err(|r| r.to_string()))
}

/// Checks (`dry_run`) or executes `action` on every goods order number.
pub async fn bulk(app: &App, actor: &Actor, action: GoodsBulk, numbers: &[String], dry_run: bool) -> Result<BulkReport> {
    actor.merchant()?;
    if numbers.is_empty() {
        return Err(FieldError::new("order_numbers", "処理する行を選択してください").into());
    }
    if numbers.len() > MAX_ROWS {
        return Err(FieldError::new("order_numbers", format!("一度に処理できるのは{MAX_ROWS}件までです")).into());
    }
    let Some(cmd) = action.command() else {
        return super::notices::send_many(app, actor, numbers, dry_run).await;
    };
    // Shipping without notices, the day's big job, runs in batches; the rest order by order.
    if !dry_run && matches!(action, GoodsBulk::Ship { notify: false, .. }) {
        return shipped_in_batches(app, actor, numbers, &cmd).await;
    }
    let mut rows = BulkRows::of(numbers);
    for (i, number) in std::mem::take(&mut rows.pending) {
        let outcome = if dry_run {
            verdict(app, actor, &cmd, &number).await?
        } else {
            match act(app, actor, &number, &cmd, action.notify()).await {
                Ok(_) => Ok(()),
                Err(AppError::NotFound) => Err(format!("受注番号 {number} の物販の注文はありません")),
                Err(e @ (AppError::Order(_) | AppError::Invalid(_) | AppError::Forbidden(_))) => Err(e.to_string()),
                Err(e) => return Err(e),
            }
        };
        rows.decide(i, outcome, !dry_run);
    }
    Ok(rows.report())
}

async fn shipped_in_batches(app: &App, actor: &Actor, numbers: &[String], cmd: &Command) -> Result<BulkReport> {
    let m = actor.merchant()?;
    let mut rows = BulkRows::of(numbers);
    let pending = std::mem::take(&mut rows.pending);
    let unique: Vec<String> = pending.iter().map(|(_, n)| n.clone()).collect();
    let verdicts = super::batch::ship_many(app, actor, m, &unique, cmd).await?;
    for ((i, _), verdict) in pending.into_iter().zip(verdicts) {
        rows.decide(i, verdict, true);
    }
    app.mail_wakeup.notify_one();
    Ok(rows.report())
}
