//! Web-ticket orders (spec §3–§4): intake, the payment flows, sending, tickets, bulk actions.

mod across;
mod act;
mod batch;
mod bulk;
pub mod card_payment;
mod create;
pub mod export;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixture;
mod for_subscription;
mod intake;
pub(crate) mod mail;
pub mod next;
mod transfer;
mod view;

pub use across::{AnyOrder, AnyOrderPage, ORDER_KINDS, action_named, flow_of, list_any};
pub use act::{ActOutcome, act, cancel, change_usage, post_message, test_send};
pub use bulk::{BulkAction, BulkReport, BulkRow, BulkRows, MAX_ROWS as MAX_BULK_ROWS, bulk};
pub use create::{CreateOutcome, MAX_QUANTITY, OrderRequest, Precheck, create, party_max, precheck};
pub(crate) use create::{check_idempotency_key, create_linked};
pub use kippu_store::orders::{HistoryRow, MessageRow, OrderFilter, OrderRow, TicketRow};
pub use mail::ticket_mail_preview;
pub(crate) use mail::vars as mail_vars;
pub use next::{available_actions, status_code, status_label};
pub use transfer::{HeldTicket, Transfer, held, transfer};
pub(crate) use view::load;
pub use view::{
    COUNT_CAP, ChannelOfOrder, OrderPage, OrderView, channel, get, get_by_token, list, messages, product_kind, use_times, visit_of,
};

use kippu_domain::label::Said;
use kippu_domain::web_ticket::{Refusal, UsageRefusal};

/// Order-specific refusals, with the stable codes the API answers.
#[derive(Debug)]
pub enum OrderError {
    /// What is sold out: the product and the date and slot.
    SoldOut(String),
    ListingStopped,
    Refused(Refusal),
    Usage(UsageRefusal),
    Card(crate::gateway::GatewayError),
    Changed,
    KeyReused,
    WrongPin {
        left: i64,
    },
    PinLocked {
        minutes: i64,
    },
    Reservation(kippu_domain::reservation::CancelReservationRefusal),
    ResendOwnSiteOnly,
    NoShowFinal,
    ReservationCancelElsewhere,
    /// The goods order rule refused.
    Goods(kippu_domain::goods::flow::Refusal),
    /// 受注編集's rule refused (e.g. amounts after 入金処理).
    Edit(kippu_domain::goods::edit::EditRefusal),
    /// A merchant's fraud rule refused the order (recorded as a rejected order).
    Fraud(crate::callcenter::fraud::FraudHit),
}

impl From<Refusal> for OrderError {
    fn from(r: Refusal) -> Self {
        OrderError::Refused(r)
    }
}

impl From<UsageRefusal> for OrderError {
    fn from(r: UsageRefusal) -> Self {
        OrderError::Usage(r)
    }
}

impl From<crate::gateway::GatewayError> for OrderError {
    fn from(e: crate::gateway::GatewayError) -> Self {
        OrderError::Card(e)
    }
}

impl From<kippu_domain::reservation::CancelReservationRefusal> for OrderError {
    fn from(r: kippu_domain::reservation::CancelReservationRefusal) -> Self {
        OrderError::Reservation(r)
    }
}

kippu_domain::display_said!(OrderError);

impl OrderError {
    pub fn said(&self) -> Said {
        match self {
            OrderError::SoldOut(what) => Said::new(format!("在庫がありません（売り切れ）: {what}"), format!("Sold out: {what}")),
            OrderError::ListingStopped => Said::new(
                "この販売チャネルでは現在販売を停止しています",
                "Sales through this channel are stopped",
            ),
            OrderError::Refused(r) => r.said(),
            OrderError::Usage(r) => r.said(),
            OrderError::Card(e) => e.said(),
            OrderError::Changed => Said::new(
                "この処理の間に受注が変更されました。画面を更新して確認してください",
                "The order changed while this ran; reload the page and check it",
            ),
            OrderError::KeyReused => Said::new(
                "Idempotency-Key が別の内容の注文に使われています",
                "This Idempotency-Key was used for a different order",
            ),
            OrderError::WrongPin { left } => Said::new(
                format!("暗証番号が正しくありません（あと{left}回でロックされます）"),
                format!("Wrong PIN ({left} more tries before it locks)"),
            ),
            OrderError::PinLocked { minutes } => Said::new(
                format!("暗証番号を続けて間違えたため、{minutes}分間ロックされています"),
                format!("Locked for {minutes} minutes after repeated wrong PINs"),
            ),
            OrderError::Reservation(r) => r.said(),
            OrderError::ResendOwnSiteOnly => Said::new(
                "eチケットの再送は自社サイト経由の予約に限ります（OTAの予約はOTAから再送されます）",
                "Only bookings made on the own site can have their e-ticket resent (an OTA resends its own)",
            ),
            OrderError::NoShowFinal => Said::new("ノーショーになった予約は変更できません", "A no-show booking cannot be changed"),
            OrderError::Goods(r) => r.said(),
            OrderError::Edit(r) => r.said(),
            OrderError::Fraud(h) => h.said(),
            OrderError::ReservationCancelElsewhere => Said::new(
                "予約のキャンセルはキャンセルポリシーに従って行います（注文詳細の「予約をキャンセル」、または API の cancel）",
                "A booking is cancelled under its cancellation policy (「予約をキャンセル」 on the order, or the API's cancel)",
            ),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            OrderError::SoldOut(_) => "sold_out",
            OrderError::ListingStopped => "listing_stopped",
            OrderError::Refused(Refusal::AuthorizationExpired) => "authorization_expired",
            OrderError::Refused(Refusal::PlatformOnly) => "platform_only",
            OrderError::Refused(Refusal::CancelRequestPeriodOver) => "cancel_request_period_over",
            OrderError::Refused(_) => "illegal_transition",
            OrderError::Usage(_) => "illegal_usage_change",
            OrderError::Card(crate::gateway::GatewayError::Declined(_)) => "card_declined",
            OrderError::Card(_) => "gateway_unavailable",
            OrderError::Changed => "changed",
            OrderError::KeyReused => "idempotency_key_reused",
            OrderError::WrongPin { .. } => "wrong_pin",
            OrderError::PinLocked { .. } => "pin_locked",
            OrderError::Reservation(r) => r.code(),
            OrderError::ResendOwnSiteOnly => "own_site_only",
            OrderError::NoShowFinal => "no_show",
            OrderError::ReservationCancelElsewhere => "use_reservation_cancel",
            OrderError::Goods(_) => "illegal_transition",
            OrderError::Edit(r) => r.code(),
            OrderError::Fraud(_) => "fraud_rule",
        }
    }
}
