//! 一括処理 (§4.4): a confirmation pass that marks every selected row OK or NG with the reason,
//! and an execution pass that re-checks each row and processes only what is still eligible.

use super::{act, view};
use crate::{Actor, App, AppError, Result};
use kippu_domain::action_names::TicketActionName;
use kippu_domain::web_ticket::Action;
use kippu_store::orders;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkAction {
    /// 入金済みにする
    MarkPaid,
    /// 実決済
    Capture,
    /// ウェブチケ送信
    Send,
    /// 送信せずに送信済み
    SendSilent,
    /// 使用済み
    Use,
    /// 未使用に戻す
    Unuse,
    /// 事務局: 入金確認 of transfers into the platform's account.
    ConfirmDeposit,
}

impl BulkAction {
    /// The bulk action of a web-ticket action name (`mark-paid`, `capture`, `send`,
    /// `send-silent`, `use`, `unuse`, `confirm-deposit`); `None` for a name bulk does not take.
    pub fn parse(s: &str) -> Option<BulkAction> {
        use TicketActionName as N;
        Some(match N::parse(s)? {
            N::MarkPaid => BulkAction::MarkPaid,
            N::Capture => BulkAction::Capture,
            N::Send => BulkAction::Send,
            N::SendSilent => BulkAction::SendSilent,
            N::Use => BulkAction::Use,
            N::Unuse => BulkAction::Unuse,
            N::ConfirmDeposit => BulkAction::ConfirmDeposit,
            _ => return None,
        })
    }

    /// The action's name in the flow's one table.
    pub fn name(self) -> TicketActionName {
        use TicketActionName as N;
        match self {
            BulkAction::MarkPaid => N::MarkPaid,
            BulkAction::Capture => N::Capture,
            BulkAction::Send => N::Send,
            BulkAction::SendSilent => N::SendSilent,
            BulkAction::Use => N::Use,
            BulkAction::Unuse => N::Unuse,
            BulkAction::ConfirmDeposit => N::ConfirmDeposit,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.name().as_str()
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            BulkAction::MarkPaid => "入金済みにする",
            BulkAction::Capture => "実決済",
            BulkAction::Send => "ウェブチケ送信",
            BulkAction::SendSilent => "送信せずに送信済みステータスに切り替える",
            BulkAction::Use => "使用済み",
            BulkAction::Unuse => "未使用に戻す",
            BulkAction::ConfirmDeposit => "入金確認",
        }
    }

    /// Ticket actions select tickets (the middle checkboxes); the others select orders.
    pub fn on_tickets(self) -> bool {
        matches!(self, BulkAction::Use | BulkAction::Unuse)
    }

    fn order_action(self) -> Option<Action> {
        match self {
            BulkAction::MarkPaid => Some(Action::MarkPaid),
            BulkAction::Capture => Some(Action::Capture),
            BulkAction::Send => Some(Action::Send),
            BulkAction::SendSilent => Some(Action::SendSilently),
            BulkAction::ConfirmDeposit => Some(Action::ConfirmDeposit),
            BulkAction::Use | BulkAction::Unuse => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BulkRow {
    /// The order number or ticket number.
    pub key: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BulkReport {
    pub rows: Vec<BulkRow>,
    pub ok_count: usize,
    pub done_count: usize,
}

/// A bulk request's rows while they are decided: a key repeated in the request is NG at once,
/// and the first occurrence of every other key waits in `pending` for its verdict. Every bulk
/// action (web tickets, goods, notices) reports through it, so the S000 screen reads them alike.
pub struct BulkRows {
    rows: Vec<BulkRow>,
    /// (row index, key) of each key to decide, in request order.
    pub pending: Vec<(usize, String)>,
    done: usize,
}

impl BulkRows {
    pub fn of(keys: &[String]) -> BulkRows {
        let mut seen = std::collections::HashSet::new();
        let mut pending = Vec::new();
        let rows = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let first = seen.insert(key.as_str());
                if first {
                    pending.push((i, key.clone()));
                }
                BulkRow {
                    key: key.clone(),
                    ok: false,
                    reason: (!first).then(|| "重複して選択されています".to_string()),
                }
            })
            .collect();
        BulkRows { rows, pending, done: 0 }
    }

    /// Row `i`'s verdict; `executed` when an OK row was carried out, not only checked.
    pub fn decide(&mut self, i: usize, outcome: std::result::Result<(), String>, executed: bool) {
        match outcome {
            Ok(()) => {
                self.rows[i].ok = true;
                self.done += usize::from(executed);
            }
            Err(reason) => self.rows[i].reason = Some(reason),
        }
    }

    pub fn report(self) -> BulkReport {
        BulkReport {
            ok_count: self.rows.iter().filter(|r| r.ok).count(),
            rows: self.rows,
            done_count: self.done,
        }
    }
}

/// Maximum rows per bulk request.
pub const MAX_ROWS: usize = 20_000;

async fn verdict(app: &App, actor: &Actor, action: BulkAction, key: &str) -> std::result::Result<(), String> {
    let reason = |e: AppError| e.public_reason();
    if action.on_tickets() {
        let m = actor.merchant().map_err(reason)?;
        let mut conn = app.store.conn().await.map_err(|e| reason(e.into()))?;
        let t = orders::ticket_by_number(&mut conn, m, key)
            .await
            .map_err(|e| reason(e.into()))?
            .ok_or_else(|| reason(AppError::NotFound))?;
        let number = orders::order_number_of(&mut conn, t.order_id).await.map_err(|e| reason(e.into()))?;
        let o = orders::order_by_number(&mut conn, app.store.backend(), Some(m), &number, false)
            .await
            .map_err(|e| reason(e.into()))?
            .ok_or_else(|| reason(AppError::NotFound))?;
        kippu_domain::web_ticket::multi_use::change_uses(o.status, t.uses(), action == BulkAction::Use)
            .map(|_| ())
            .map_err(|e| e.to_string())
    } else {
        let o = view::get(app, actor, key).await.map_err(reason)?.order;
        let a = action.order_action().ok_or("bad action")?;
        super::next::check(&o, a, super::next::party_of(actor), app.clock.now())
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Checks (`dry_run`) or executes `action` on every key. Execution re-checks each row: a row
/// that became ineligible since the confirmation screen is reported NG, not processed.
pub async fn bulk(app: &App, actor: &Actor, action: BulkAction, keys: &[String], dry_run: bool) -> Result<BulkReport> {
    if keys.is_empty() {
        return Err(kippu_domain::validate::FieldError::new("order_numbers", "処理する行を選択してください").into());
    }
    if keys.len() > MAX_ROWS {
        return Err(kippu_domain::validate::FieldError::new("order_numbers", format!("一度に処理できるのは{MAX_ROWS}件までです")).into());
    }
    let mut rows = BulkRows::of(keys);
    let pending = std::mem::take(&mut rows.pending);
    match action.order_action() {
        // Executing re-checks each row inside its transaction: the transition table refuses a
        // row that is no longer eligible, and the refusal becomes its NG reason.
        Some(a) if !dry_run && super::batch::batchable(a) => {
            let keys: Vec<String> = pending.iter().map(|(_, k)| k.clone()).collect();
            let outcomes = super::batch::act_many(app, actor, &keys, a).await?;
            for ((i, _), outcome) in pending.iter().zip(outcomes) {
                rows.decide(*i, outcome, true);
            }
        }
        _ => {
            for (i, key) in &pending {
                let outcome = if dry_run {
                    verdict(app, actor, action, key).await
                } else {
                    let result = match action.order_action() {
                        Some(a) => act::act_core(app, actor, key, a, None).await.map(|_| ()),
                        None => act::change_usage(app, actor, key, action == BulkAction::Use, None)
                            .await
                            .map(|_| ()),
                    };
                    match result {
                        Ok(()) => Ok(()),
                        Err(AppError::NotFound) => Err("見つかりません".into()),
                        Err(e @ (AppError::Order(_) | AppError::Invalid(_) | AppError::Forbidden(_))) => Err(e.to_string()),
                        Err(e) => return Err(e),
                    }
                };
                rows.decide(*i, outcome, !dry_run);
            }
        }
    }
    Ok(rows.report())
}
