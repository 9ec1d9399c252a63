//! What an action of the order page changed, in words, with the undo the rule allows now.

use crate::ctx::SignedIn;
use crate::flash::Flash;
use kippu_app::goods::{self, GoodsView};
use kippu_domain::Yen;

/// What an action changed, in words (「T…: 発送状況 未発送 → 一部発送、お届け先1 未発送 → 発送済み」),
/// with the undo the rule allows now for it (未発送に戻す after a shipment, 通常処理に戻す after
/// 処理済み, 発送済みにする after 未発送に戻す): a link to the order page's form, the confirmation.
pub(super) fn said_done(s: &SignedIn, number: &str, before: &GoodsView, after: &GoodsView) -> Flash {
    let t = s.ctx.t();
    let mut changes = Vec::new();
    let mut step = |what: &str, from: kippu_domain::label::Label, to: kippu_domain::label::Label| {
        if from != to {
            changes.push(format!("{} {} → {}", what, t.l(from), t.l(to)));
        }
    };
    step(t.s("goods.status"), before.order.status.label(), after.order.status.label());
    if after.payment_tracked() {
        step(
            t.s("goods.payment"),
            before.order.payment_status.label(),
            after.order.payment_status.label(),
        );
    }
    step(t.s("goods.shipping"), before.progress().label(), after.progress().label());
    let mut shipped = None;
    let mut unshipped = None;
    for (b, a) in before.shipments.iter().zip(&after.shipments) {
        if b.status != a.status {
            step(
                &format!("{}{}", t.s("goods.destination"), a.position),
                b.status.label(),
                a.status.label(),
            );
            match a.status {
                kippu_domain::goods::ShippingStatus::Shipped => shipped = shipped.or(Some(a.position as usize)),
                kippu_domain::goods::ShippingStatus::Unshipped => unshipped = unshipped.or(Some(a.position as usize)),
            }
        }
    }
    if after.order.refunded_amount != before.order.refunded_amount {
        changes.push(format!(
            "{} {}",
            t.s("goods.refunded"),
            Yen(after.order.refunded_amount - before.order.refunded_amount).display_ja()
        ));
    }
    let message = if changes.is_empty() {
        format!("{number}: {}", t.s("goods.done"))
    } else {
        format!("{number}: {}", changes.join("、"))
    };
    let offered = goods::offered(after);
    let page = format!("/shipping/orders/{number}");
    let undo = if let Some(k) = shipped.filter(|k| offered.unship.contains(k)) {
        Some((format!("{page}#destination-{k}"), t.s("goods.unship")))
    } else if let Some(k) = unshipped.filter(|k| offered.ship.contains(k)) {
        Some((format!("{page}#destination-{k}"), t.s("goods.ship")))
    } else if before.order.status != after.order.status && offered.reopen {
        Some((format!("{page}#actions"), t.s("goods.reopen")))
    } else {
        None
    };
    match undo {
        Some((href, label)) => Flash::done(message).with_undo(href, label),
        None => Flash::done(message),
    }
}
