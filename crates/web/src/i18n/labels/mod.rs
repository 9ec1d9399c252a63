//! The label table: (key, Japanese, English), one file per area. Data, not logic; the Japanese
//! labels are the spec's exactly, and a test checks every template's keys exist here.

mod callcenter_history;
mod callcenter_subscriptions;
mod cards;
mod entry;
mod goods;
mod goods_edit;
mod lockout;
mod merchants;
mod orders;
mod payments;
mod points;
mod proxy;
mod rejected;
mod reservations;
mod shell;
mod vouchers;

/// Every label of every area.
pub fn all() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    [
        shell::LABELS,
        orders::LABELS,
        reservations::LABELS,
        merchants::LABELS,
        goods::LABELS,
        goods_edit::LABELS,
        vouchers::LABELS,
        payments::LABELS,
        points::LABELS,
        proxy::LABELS,
        callcenter_history::LABELS,
        cards::LABELS,
        entry::LABELS,
        rejected::LABELS,
        callcenter_subscriptions::LABELS,
        lockout::LABELS,
    ]
    .into_iter()
    .flatten()
}
