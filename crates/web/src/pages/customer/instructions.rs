//! What a buyer is told to pay by (コンビニ支払い's 受付番号, a bank transfer's 振込先口座, and the
//! deadline), as the thanks page and the buyer's order pages show it.

use crate::i18n::T;
use kippu_domain::payment_due::{Instructions, KonbiniNumber};

/// (label, value) rows, in the order a payment slip has them.
pub struct Shown {
    pub rows: Vec<(&'static str, String)>,
    pub note: &'static str,
}

pub fn shown(t: &T, i: &Instructions) -> Shown {
    let due = t.datetime_ms(i.due_at());
    let rows = match i {
        Instructions::Konbini { number, chains, .. } => vec![
            (t.s("pay.chains"), chains.join("、")),
            (
                t.s("pay.number"),
                KonbiniNumber::parse(number).map_or_else(|| number.clone(), |n| n.grouped()),
            ),
            (t.s("pay.konbini_due"), due),
        ],
        Instructions::Bank { account, .. } => vec![
            (
                t.s("pay.account"),
                format!(
                    "{} {} {} {} {}",
                    account.bank_name,
                    account.branch_name,
                    t.l(account.kind.label()),
                    account.number,
                    account.holder
                ),
            ),
            (t.s("pay.bank_due"), due),
        ],
    };
    Shown {
        rows,
        note: t.s("pay.cancel_note"),
    }
}
