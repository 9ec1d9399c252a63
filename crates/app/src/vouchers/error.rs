//! The refusals of the voucher flows, each with one stable code; the web layer gives each its
//! HTTP status in one place (`web::error::classify`).

use kippu_domain::label::Said;
use kippu_domain::voucher::payment::{CancelRefusal, PayRefusal};
use kippu_domain::voucher::range::RangeError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoucherError {
    /// The balance does not cover the amount (the balance is told).
    InsufficientBalance {
        balance: i64,
    },
    /// No terminal has this QR payload or passcode.
    UnknownTerminal,
    /// The terminal's merchant does not take this programme's vouchers.
    NotInProgramme,
    /// The programme's validity period does not include today.
    OutsideValidity,
    /// Too many wrong passcodes in a row: locked for a while.
    PasscodeLocked {
        minutes: i64,
    },
    /// The same Idempotency-Key with a different payment.
    KeyReused,
    Cancel(CancelRefusal),
    Range(RangeError),
}

impl VoucherError {
    pub fn code(&self) -> &'static str {
        match self {
            VoucherError::InsufficientBalance { .. } => "insufficient_balance",
            VoucherError::UnknownTerminal => "unknown_terminal",
            VoucherError::NotInProgramme => "store_not_in_program",
            VoucherError::OutsideValidity => "outside_validity",
            VoucherError::PasscodeLocked { .. } => "passcode_locked",
            VoucherError::KeyReused => "idempotency_key_reused",
            VoucherError::Cancel(CancelRefusal::WindowPassed) => "cancel_window_passed",
            VoucherError::Cancel(CancelRefusal::AlreadyCancelled) => "already_cancelled",
            VoucherError::Range(_) => "range_too_long",
        }
    }

    pub fn said(&self) -> Said {
        match self {
            VoucherError::InsufficientBalance { balance } => PayRefusal::Insufficient { balance: *balance }.said(),
            VoucherError::UnknownTerminal => Said::new(
                "店舗が見つかりません。QRコードまたはパスコードをお確かめください",
                "No store has this QR code or passcode",
            ),
            VoucherError::NotInProgramme => Said::new("この店舗ではこの商品券は使えません", "This store does not take these vouchers"),
            VoucherError::OutsideValidity => Said::new("商品券の有効期間外です", "The vouchers are outside their validity period"),
            VoucherError::PasscodeLocked { minutes } => Said::new(
                format!("パスコードの誤りが続いたため、{minutes}分間入力できません"),
                format!("Too many wrong passcodes; try again in {minutes} minutes"),
            ),
            VoucherError::KeyReused => Said::new(
                "同じ決済キーで別の支払いはできません",
                "This Idempotency-Key was used for a different payment",
            ),
            VoucherError::Cancel(c) => c.said(),
            VoucherError::Range(r) => Said::new(r.to_string(), r.to_string()),
        }
    }
}

impl From<VoucherError> for crate::AppError {
    fn from(e: VoucherError) -> Self {
        crate::AppError::Voucher(e)
    }
}
