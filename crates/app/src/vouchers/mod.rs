//! Electronic vouchers (spec §8, seed 004): the platform operator's programmes and grants, the
//! holder's payment at the counter, and the merchant's records, cancellations and totals.

pub mod cancel;
mod error;
pub mod export;
pub mod holders;
pub mod pay;
pub mod programs;
pub mod records;
pub mod settlement;

pub use error::VoucherError;
pub use kippu_store::vouchers::payments::PaymentRow;
pub use kippu_store::vouchers::settlements::{ProgramMoney, VoucherSettlementRow};
