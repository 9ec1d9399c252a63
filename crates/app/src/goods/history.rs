//! A goods order's status history: every entry is of the `goods` flow and names the actor of the
//! action, so the use cases say only what changed and why.

use crate::Actor;
use kippu_domain::{MerchantId, OrderId};
use kippu_store::orders::HistoryEntry;

/// What one entry records: the status before (if it changed) and after, and the note.
pub(super) struct Step<'a> {
    pub(super) from: Option<&'a str>,
    pub(super) to: &'a str,
    pub(super) note: &'a str,
}

pub(super) fn entry<'a>(actor: &'a Actor, m: MerchantId, order_id: OrderId, step: Step<'a>, at: i64) -> HistoryEntry<'a> {
    HistoryEntry {
        merchant_id: m,
        order_id,
        ticket_id: None,
        flow: "goods",
        from_status: step.from,
        to_status: step.to,
        actor_user_id: actor.user_id.map(|u| u.0),
        actor_label: &actor.label,
        note: step.note,
        at,
    }
}
