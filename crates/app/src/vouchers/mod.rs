//! Electronic vouchers (spec §8, seed 004): the platform operator's programmes and the merchants
//! enrolled in them. Payments, holders and the merchant's screens are still to come.

pub mod programs;
