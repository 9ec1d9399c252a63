//! Web-ticket orders (spec §3–§4): intake, the payment flows, sending, tickets, bulk actions.

mod act;
mod batch;
mod bulk;
mod create;
pub mod export;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixture;
mod intake;
mod mail;
pub mod next;
mod view;

pub use act::{ActOutcome, act, cancel, change_usage, post_message, test_send, transfer};
pub use bulk::{BulkAction, BulkReport, BulkRow, bulk};
pub use create::{CreateOutcome, MAX_QUANTITY, OrderRequest, Precheck, create, party_max, precheck};
pub use kippu_store::orders::{HistoryRow, MessageRow, OrderFilter, OrderRow, TicketRow};
pub use mail::ticket_mail_preview;
pub(crate) use mail::vars as mail_vars;
pub use next::{available_actions, status_code, status_label};
pub(crate) use view::load;
pub use view::{COUNT_CAP, ChannelOfOrder, OrderPage, OrderView, channel, get, get_by_token, list, messages};

use kippu_domain::web_ticket::{Refusal, UsageRefusal};

/// Order-specific refusals, with the stable codes the API answers.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("在庫がありません（売り切れ）: {0}")]
    SoldOut(String),
    #[error("この販売チャネルでは現在販売を停止しています")]
    ListingStopped,
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("{0}")]
    Usage(#[from] UsageRefusal),
    #[error("{0}")]
    Card(#[from] crate::gateway::GatewayError),
    #[error("この処理の間に受注が変更されました。画面を更新して確認してください")]
    Changed,
    #[error("Idempotency-Key が別の内容の注文に使われています")]
    KeyReused,
    #[error("暗証番号が正しくありません（あと{left}回でロックされます）")]
    WrongPin { left: i64 },
    #[error("暗証番号を続けて間違えたため、{minutes}分間ロックされています")]
    PinLocked { minutes: i64 },
    #[error("{0}")]
    Reservation(#[from] kippu_domain::reservation::CancelReservationRefusal),
    #[error("eチケットの再送は自社サイト経由の予約に限ります（OTAの予約はOTAから再送されます）")]
    ResendOwnSiteOnly,
    #[error("ノーショーになった予約は変更できません")]
    NoShowFinal,
    #[error("予約のキャンセルはキャンセルポリシーに従って行います（注文詳細の「予約をキャンセル」、または API の cancel）")]
    ReservationCancelElsewhere,
}

impl OrderError {
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
        }
    }
}
