//! The web-ticket order flows of spec §4.1: one transition table for every payment method.
//!
//! [`transition`] is the only way an order's status changes. It answers either the next
//! status and the side effects the use case must carry out in the same transaction (emails,
//! gateway calls, stock, fees), or a [`Refusal`] that says why the action is not allowed now.

use crate::label::Label;
use crate::order::PaymentMethod;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

pub mod authorization;
pub mod multi_use;
mod refusal;
pub mod stay;
pub use refusal::{Refusal, UsageRefusal};

/// An authorization can be captured for 25 days after it was made.
pub const AUTHORIZATION_DAYS: i64 = 25;
/// The work queue warns about authorizations this many days before they expire.
pub const AUTH_WARNING_DAYS: i64 = 5;

/// Authorizations made at or before this instant expire within [`AUTH_WARNING_DAYS`] (or have
/// expired): the ones the work queue counts and the list's 「期限間近」 filter shows.
pub fn auth_warning_cutoff(now: OffsetDateTime) -> OffsetDateTime {
    now - Duration::days(AUTHORIZATION_DAYS - AUTH_WARNING_DAYS)
}

/// A captured card payment can be cancelled by request for this long after capture.
/// (The manual names a "cancel-request period" without its length; 60 days is our choice.)
pub const CANCEL_REQUEST_DAYS: i64 = 60;
/// The fee a merchant pays per cancel request, before tax (yen).
pub const CANCEL_REQUEST_FEE: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 未入金
    Unpaid,
    /// 未領収
    Unreceived,
    /// 与信済
    Authorized,
    /// 送信待ち
    AwaitingSend,
    /// 送信済み
    Sent,
    /// キャンセル申請中
    CancelRequested,
    /// キャンセル
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Unpaid,
        Status::Unreceived,
        Status::Authorized,
        Status::AwaitingSend,
        Status::Sent,
        Status::CancelRequested,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unpaid => "unpaid",
            Status::Unreceived => "unreceived",
            Status::Authorized => "authorized",
            Status::AwaitingSend => "awaiting_send",
            Status::Sent => "sent",
            Status::CancelRequested => "cancel_requested",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The label in both languages (Japanese is the manual's).
    pub fn label(self) -> Label {
        match self {
            Status::Unpaid => Label::new("未入金", "Unpaid"),
            Status::Unreceived => Label::new("未領収", "Not yet received"),
            Status::Authorized => Label::new("与信済", "Authorized"),
            Status::AwaitingSend => Label::new("送信待ち", "Awaiting sending"),
            Status::Sent => Label::new("送信済み", "Sent"),
            Status::CancelRequested => Label::new("キャンセル申請中", "Cancel requested"),
            Status::Cancelled => Label::new("キャンセル", "Cancelled"),
        }
    }

    pub fn label_ja(self) -> &'static str {
        self.label().ja
    }

    /// Payment is confirmed (or captured) and not given back: tickets may be used.
    pub fn is_paid(self) -> bool {
        matches!(self, Status::AwaitingSend | Status::Sent)
    }
}

/// Where an order starts.
pub fn initial_status(method: PaymentMethod) -> Result<Status, Refusal> {
    match method {
        PaymentMethod::BankPlatform | PaymentMethod::BankStore => Ok(Status::Unpaid),
        PaymentMethod::PayAtVenue => Ok(Status::Unreceived),
        PaymentMethod::CardAuth => Ok(Status::Authorized),
        PaymentMethod::CardCapture => Ok(Status::AwaitingSend),
        PaymentMethod::Konbini | PaymentMethod::Cod | PaymentMethod::StorePay | PaymentMethod::Voucher => Err(Refusal::MethodNotOffered),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 事務局: deposit into the platform's account confirmed.
    ConfirmDeposit,
    /// 入金済みにする (bank transfer to the store; pay at venue in bulk).
    MarkPaid,
    /// 未入金に戻す.
    RevertPayment,
    /// 現地払い領収処理: payment and sending in one step.
    Receive,
    /// 実決済.
    Capture,
    /// ウェブチケット送信処理を行う.
    Send,
    /// 送信せずに送信済みステータスに切り替える.
    SendSilently,
    /// 受注キャンセル (before payment is confirmed).
    Cancel,
    /// キャンセル申請 (after a card capture).
    RequestCancel,
    /// 事務局: complete a cancel request with a refund.
    CompleteCancelRequest,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::ConfirmDeposit,
        Action::MarkPaid,
        Action::RevertPayment,
        Action::Receive,
        Action::Capture,
        Action::Send,
        Action::SendSilently,
        Action::Cancel,
        Action::RequestCancel,
        Action::CompleteCancelRequest,
    ];

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::ConfirmDeposit => "confirm_deposit",
            Action::MarkPaid => "mark_paid",
            Action::RevertPayment => "revert_payment",
            Action::Receive => "receive",
            Action::Capture => "capture",
            Action::Send => "send",
            Action::SendSilently => "send_silently",
            Action::Cancel => "cancel",
            Action::RequestCancel => "request_cancel",
            Action::CompleteCancelRequest => "complete_cancel_request",
        }
    }

    /// The label in both languages (Japanese is the manual's).
    pub fn label(self) -> Label {
        match self {
            Action::ConfirmDeposit => Label::new("入金確認", "Confirm deposit"),
            Action::MarkPaid => Label::new("入金済みに変更", "Mark as paid"),
            Action::RevertPayment => Label::new("未入金に戻す", "Revert to unpaid"),
            Action::Receive => Label::new("現地払い領収処理", "Record payment at venue"),
            Action::Capture => Label::new("実決済", "Capture"),
            Action::Send => Label::new("送信処理", "Send"),
            Action::SendSilently => Label::new("送信処理", "Send"),
            Action::Cancel => Label::new("受注キャンセル", "Cancel order"),
            Action::RequestCancel => Label::new("キャンセル申請", "Request cancellation"),
            Action::CompleteCancelRequest => Label::new("キャンセル完了", "Complete cancellation"),
        }
    }

    pub fn label_ja(self) -> &'static str {
        self.label().ja
    }
}

/// Who asks for a transition; some steps belong to the platform operator only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Platform,
    Merchant,
    /// The customer's online slip, on which the merchant types the order's PIN.
    Slip,
}

/// What the table needs to know about an order besides its status.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub method: PaymentMethod,
    pub status: Status,
    /// When the card authorization was made (card orders).
    pub authorized_at: Option<OffsetDateTime>,
    /// When the card payment was captured (card orders).
    pub captured_at: Option<OffsetDateTime>,
    pub now: OffsetDateTime,
}

impl Facts {
    pub fn auth_expires_at(&self) -> Option<OffsetDateTime> {
        self.authorized_at.map(|t| t + Duration::days(AUTHORIZATION_DAYS))
    }

    /// Days left before the authorization expires, counting a started day as a day (25 right
    /// after authorizing, 1 on the last day), or `None` once it has expired.
    pub fn auth_days_left(&self) -> Option<i64> {
        let exp = self.auth_expires_at()?;
        let left = exp - self.now;
        (left > Duration::ZERO).then(|| (left.whole_seconds() + 86_399) / 86_400)
    }
}

/// Something the use case must do with the transition, in the same transaction (emails are
/// queued, gateway calls happen before the write and their result decides it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    RecordPaid,
    ClearPaid,
    RecordSent,
    /// Sent without an email: the list shows 「送信処理」 without a time.
    RecordSentSilently,
    CaptureCard,
    VoidAuthorization,
    RefundCard,
    RestoreStock,
    ChargeCancelRequestFee,
    /// Email 入金通知 to the merchant.
    MailMerchantDeposit,
    /// Email ご入金を確認いたしました to the customer (+ in-app message).
    MailCustomerPaymentConfirmed,
    /// Email この度はお買い上げ誠にありがとうございます to the customer (+ message).
    MailCustomerThanks,
    /// The ticket-send template, with links and QR codes (+ message).
    MailTickets,
    MailCancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: Status,
    pub to: Status,
    pub effects: Vec<Effect>,
}

/// What a timestamp column does in a status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stamp {
    Keep,
    /// Set to the moment of the change.
    Now,
    Clear,
}

/// The write a transition makes on the order row: its status and the stamps that go with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusChange {
    pub from: Status,
    pub to: Status,
    /// 入金日.
    pub paid: Stamp,
    /// How it was sent (with the email the send time is stamped; without, it is cleared).
    pub sent: Option<SendMode>,
    /// キャンセル日.
    pub cancelled: Stamp,
}

impl Transition {
    /// The row write of this transition, from its effects.
    pub fn change(&self) -> StatusChange {
        let has = |e: Effect| self.effects.contains(&e);
        StatusChange {
            from: self.from,
            to: self.to,
            paid: if has(Effect::RecordPaid) {
                Stamp::Now
            } else if has(Effect::ClearPaid) {
                Stamp::Clear
            } else {
                Stamp::Keep
            },
            sent: if has(Effect::RecordSent) {
                Some(SendMode::Email)
            } else if has(Effect::RecordSentSilently) {
                Some(SendMode::Silent)
            } else {
                None
            },
            cancelled: if self.to == Status::Cancelled { Stamp::Now } else { Stamp::Keep },
        }
    }
}

/// The transition table. Every status change of a web-ticket order goes through here.
pub fn transition(f: &Facts, action: Action, by: Party) -> Result<Transition, Refusal> {
    use Action as A;
    use Effect as E;
    use PaymentMethod as M;
    use Status as S;
    let wrong_status = || Refusal::WrongStatus { status: f.status, action };
    let wrong_method = || Refusal::WrongMethod { action };
    let platform_only = matches!(action, A::ConfirmDeposit | A::CompleteCancelRequest);
    if platform_only && by != Party::Platform {
        return Err(Refusal::PlatformOnly);
    }
    if by == Party::Slip && action != A::Receive {
        return Err(wrong_status());
    }
    let (to, effects): (S, Vec<E>) = match (action, f.method, f.status) {
        (A::ConfirmDeposit, M::BankPlatform, S::Unpaid) => (S::AwaitingSend, vec![E::RecordPaid, E::MailMerchantDeposit]),
        (A::ConfirmDeposit, M::BankPlatform, _) => return Err(wrong_status()),
        (A::ConfirmDeposit, ..) => return Err(wrong_method()),

        (A::MarkPaid, M::BankStore, S::Unpaid) => (S::AwaitingSend, vec![E::RecordPaid, E::MailCustomerPaymentConfirmed]),
        (A::MarkPaid, M::PayAtVenue, S::Unreceived) => (S::AwaitingSend, vec![E::RecordPaid, E::MailCustomerThanks]),
        (A::MarkPaid, M::BankStore | M::PayAtVenue, _) => return Err(wrong_status()),
        (A::MarkPaid, ..) => return Err(wrong_method()),

        (A::RevertPayment, M::BankStore, S::AwaitingSend) => (S::Unpaid, vec![E::ClearPaid]),
        (A::RevertPayment, M::BankStore, _) => return Err(wrong_status()),
        (A::RevertPayment, ..) => return Err(wrong_method()),

        (A::Receive, M::PayAtVenue, S::Unreceived) => (S::Sent, vec![E::RecordPaid, E::RecordSent, E::MailCustomerThanks]),
        (A::Receive, M::PayAtVenue, _) => return Err(wrong_status()),
        (A::Receive, ..) => return Err(wrong_method()),

        (A::Capture, M::CardAuth, S::Authorized) => {
            if f.auth_days_left().is_none() {
                return Err(Refusal::AuthorizationExpired);
            }
            (S::AwaitingSend, vec![E::CaptureCard, E::RecordPaid])
        }
        (A::Capture, M::CardAuth, _) => return Err(wrong_status()),
        (A::Capture, ..) => return Err(wrong_method()),

        (A::Send, _, S::AwaitingSend) => (S::Sent, vec![E::RecordSent, E::MailTickets]),
        (A::SendSilently, _, S::AwaitingSend) => (S::Sent, vec![E::RecordSentSilently]),
        (A::Send | A::SendSilently, ..) => return Err(wrong_status()),

        (A::Cancel, M::BankPlatform | M::BankStore, S::Unpaid) | (A::Cancel, M::PayAtVenue, S::Unreceived) => {
            (S::Cancelled, vec![E::RestoreStock, E::MailCancelled])
        }
        (A::Cancel, M::CardAuth, S::Authorized) => (S::Cancelled, vec![E::VoidAuthorization, E::RestoreStock, E::MailCancelled]),
        (A::Cancel, ..) => return Err(wrong_status()),

        (A::RequestCancel, M::CardAuth | M::CardCapture, S::AwaitingSend | S::Sent) => {
            let within = f.captured_at.is_some_and(|t| f.now < t + Duration::days(CANCEL_REQUEST_DAYS));
            if !within {
                return Err(Refusal::CancelRequestPeriodOver);
            }
            (S::CancelRequested, vec![E::ChargeCancelRequestFee])
        }
        (A::RequestCancel, M::CardAuth | M::CardCapture, _) => return Err(wrong_status()),
        (A::RequestCancel, ..) => return Err(wrong_method()),

        (A::CompleteCancelRequest, _, S::CancelRequested) => (S::Cancelled, vec![E::RefundCard, E::RestoreStock, E::MailCancelled]),
        (A::CompleteCancelRequest, ..) => return Err(wrong_status()),
    };
    Ok(Transition {
        from: f.status,
        to,
        effects,
    })
}

crate::catalog::stored_code!(Status);
crate::catalog::stored_code!(Usage);

crate::catalog::code_enum!(
    /// How a web ticket was sent: with the ticket email, or marked sent without one (メール送信なし).
    SendMode {
        Email => "email", "メール送信", "Send by email";
        Silent => "silent", "メール送信なし", "Mark sent without email";
    }
);

impl SendMode {
    /// The flow's action that sends this way.
    pub fn action(self) -> Action {
        match self {
            SendMode::Email => Action::Send,
            SendMode::Silent => Action::SendSilently,
        }
    }
}

/// Ticket usage (§4.2): 未使用 ⇄ 使用済み, only on paid orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Usage {
    Unused,
    Used,
}

impl Usage {
    pub const ALL: [Usage; 2] = [Usage::Unused, Usage::Used];
    pub fn as_str(self) -> &'static str {
        match self {
            Usage::Unused => "unused",
            Usage::Used => "used",
        }
    }

    pub fn parse(s: &str) -> Option<Usage> {
        match s {
            "unused" => Some(Usage::Unused),
            "used" => Some(Usage::Used),
            _ => None,
        }
    }

    /// The label in both languages (Japanese is the manual's).
    pub fn label(self) -> Label {
        match self {
            Usage::Unused => Label::new("未使用", "Unused"),
            Usage::Used => Label::new("使用済み", "Used"),
        }
    }

    pub fn label_ja(self) -> &'static str {
        self.label().ja
    }
}

/// The usage after marking a ticket used (`true`) or unused (`false`).
pub fn change_usage(order: Status, current: Usage, used: bool) -> Result<Usage, UsageRefusal> {
    if !order.is_paid() {
        return Err(UsageRefusal::NotPaid);
    }
    match (current, used) {
        (Usage::Unused, true) => Ok(Usage::Used),
        (Usage::Used, false) => Ok(Usage::Unused),
        (Usage::Used, true) => Err(UsageRefusal::AlreadyUsed),
        (Usage::Unused, false) => Err(UsageRefusal::NotUsed),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod change_tests;
