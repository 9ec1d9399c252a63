//! Electronic vouchers (spec §8, seed 004): a programme's settlement cycle, a holder's balance
//! as a ledger, a payment at the counter (passcode, amount, the 16-character payment number)
//! and its cancellation within 24 hours, and the search ranges of the merchant's screens. Pure
//! rules; the use cases in kippu-app write them.

pub mod cycle;
pub mod ledger;
pub mod payment;
pub mod range;
