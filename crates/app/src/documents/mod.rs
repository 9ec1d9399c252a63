//! Documents kippu renders: the order statement (明細) as PDF with embedded Japanese text.

pub(crate) mod pdf;
pub mod qr_mount;
pub mod statement;
