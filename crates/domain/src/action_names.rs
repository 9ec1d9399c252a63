//! One set of action names per flow: the names an order's actions are asked for by — the order
//! page's buttons (`/orders/{n}/do/{name}`, `/shipping/orders/{n}/do/{name}`), the bulk bars,
//! `POST /api/v1/orders/{n}/{name}` and `POST /api/v1/bulk/{name}` — each parsed here once.
//! Which flow an order number belongs to is the app's (`orders::across::action_named`).

use crate::catalog::code_enum;
use crate::web_ticket::Action;
use serde::{Deserialize, Serialize};

code_enum!(
    /// An action of the web-ticket and reservation flow, by name.
    TicketActionName {
        MarkPaid => "mark-paid", "入金済みに変更", "Mark as paid";
        ConfirmPayment => "confirm-payment", "入金確認", "Confirm payment";
        ConfirmDeposit => "confirm-deposit", "入金確認", "Confirm deposit";
        RevertPayment => "revert-payment", "未入金に戻す", "Revert to unpaid";
        Receive => "receive", "現地払い領収処理", "Record payment at venue";
        Capture => "capture", "実決済", "Capture";
        Send => "send", "送信処理", "Send";
        SendSilent => "send-silent", "送信せずに送信済みステータスに切り替える", "Mark as sent without sending";
        Cancel => "cancel", "受注キャンセル", "Cancel order";
        RequestCancel => "cancel-request", "キャンセル申請", "Request cancellation";
        CompleteCancelRequest => "complete-cancel-request", "キャンセル完了", "Complete cancellation";
        Resend => "resend", "注文確認メール再送", "Resend the confirmation";
        Use => "use", "使用済み", "Mark used";
        Unuse => "unuse", "未使用に戻す", "Mark unused";
    }
);

impl TicketActionName {
    /// The one flow step behind the name, asked by the platform operator (`platform`) or a
    /// merchant: `confirm-payment` is the platform's 入金確認 of a transfer into its account and
    /// the merchant's 入金済み. `None` for names that are more than one step (`send` takes its
    /// mode, `resend`, a ticket's `use` / `unuse`).
    pub fn step(self, platform: bool) -> Option<Action> {
        use TicketActionName::*;
        Some(match self {
            MarkPaid => Action::MarkPaid,
            ConfirmPayment if platform => Action::ConfirmDeposit,
            ConfirmPayment => Action::MarkPaid,
            ConfirmDeposit => Action::ConfirmDeposit,
            RevertPayment => Action::RevertPayment,
            Receive => Action::Receive,
            Capture => Action::Capture,
            Send => Action::Send,
            SendSilent => Action::SendSilently,
            Cancel => Action::Cancel,
            RequestCancel => Action::RequestCancel,
            CompleteCancelRequest => Action::CompleteCancelRequest,
            Resend | Use | Unuse => return None,
        })
    }

    /// The name a page offers a flow step under.
    pub fn of(a: Action) -> TicketActionName {
        use TicketActionName::*;
        match a {
            Action::ConfirmDeposit => ConfirmDeposit,
            Action::MarkPaid => MarkPaid,
            Action::RevertPayment => RevertPayment,
            Action::Receive => Receive,
            Action::Capture => Capture,
            Action::Send => Send,
            Action::SendSilently => SendSilent,
            Action::Cancel => Cancel,
            Action::RequestCancel => RequestCancel,
            Action::CompleteCancelRequest => CompleteCancelRequest,
        }
    }
}

code_enum!(
    /// An action of the goods flow, by name.
    GoodsActionName {
        MarkPaid => "mark-paid", "入金済みにする", "Mark as paid";
        ConfirmPayment => "confirm-payment", "入金済みにする", "Mark as paid";
        Capture => "capture", "売上確定", "Capture";
        Ship => "ship", "発送済みにする", "Mark as shipped";
        Unship => "unship", "未発送に戻す", "Back to not shipped";
        Process => "process", "処理済みにする", "Mark as processed";
        Reopen => "reopen", "通常処理に戻す", "Back to in progress";
        Cancel => "cancel", "キャンセル", "Cancel";
        Refund => "refund", "一部返金", "Partial refund";
        NotifyShipped => "notify-shipped", "発送通知を送る", "Send the shipping notices";
    }
);

impl GoodsActionName {
    /// The name as the goods flow reads it: the web-ticket API's `confirm-payment` is taken
    /// for goods too, as `mark-paid`.
    pub fn canonical(self) -> GoodsActionName {
        match self {
            GoodsActionName::ConfirmPayment => GoodsActionName::MarkPaid,
            other => other,
        }
    }
}

/// An action name of the order's own flow, as the app resolved it from the order number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowAction {
    Ticket(TicketActionName),
    Goods(GoodsActionName),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ticket_step_has_a_name_that_reads_back_as_it() {
        for a in Action::ALL {
            let name = TicketActionName::of(a);
            assert_eq!(TicketActionName::parse(name.as_str()), Some(name));
            assert_eq!(name.step(false).or(name.step(true)), Some(a), "{a:?}");
        }
    }

    #[test]
    fn confirm_payment_is_the_platforms_deposit_and_the_merchants_payment() {
        let n = TicketActionName::parse("confirm-payment").unwrap();
        assert_eq!(
            (n.step(true), n.step(false)),
            (Some(Action::ConfirmDeposit), Some(Action::MarkPaid))
        );
        assert_eq!(
            GoodsActionName::parse("confirm-payment").map(GoodsActionName::canonical),
            Some(GoodsActionName::MarkPaid)
        );
        assert_eq!(TicketActionName::parse("mark_paid"), None, "names are hyphenated, never guessed");
    }
}
