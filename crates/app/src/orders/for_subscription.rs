//! A web-ticket order's part in 定期: the master its `subscription` asks for (the ticket product
//! and quantity; the buyer's own details stand for the delivery address), or the child link the
//! job gives. A reservation books one visit and cannot repeat: `subscription` is refused on it.
//! Dated ticket types (rental, accommodation) repeat too: the first child is a cycle after the
//! first order's visit date, and each child is for the cycle's due date (its `visit_date`) with
//! the first order's time slot and nights.

use super::OrderRequest;
use super::create::Checked;
use crate::callcenter::subscriptions::plan::{self, Child, Link, Origin};
use crate::{App, Result};
use kippu_domain::MerchantId;
use kippu_domain::catalog::ProductKind;
use kippu_domain::validate::FieldError;
use kippu_store::orders::ProductForSale;

pub(super) async fn link(
    app: &App,
    m: MerchantId,
    r: &OrderRequest,
    c: &Checked,
    product: &ProductForSale,
    coupon_id: Option<i64>,
    child: Option<Child>,
) -> Result<Link> {
    if let Some(child) = child {
        return Ok(Link::Child(child));
    }
    let Some(s) = &r.subscription else {
        return Ok(Link::None);
    };
    if product.kind == ProductKind::Reservation {
        return Err(FieldError::new("subscription", "予約の商品は定期にできません（ウェブチケットだけが定期にできます）").into());
    }
    if s.course.as_deref().is_some_and(|c| !c.trim().is_empty()) {
        return Err(FieldError::new("subscription.course", "頒布会は物販の商品だけです").into());
    }
    let origin = Origin {
        pickup: false,
        destinations: 1,
        items: vec![(product.id, r.quantity)],
        ship: [c.name.clone(), c.kana.clone(), String::new(), String::new(), c.phone.clone()],
    };
    // A master paid by a stored card charges that card for each child.
    let stored_card = match r.card_id.as_deref() {
        Some(card_id) => {
            let mut conn = app.store.conn().await?;
            kippu_store::cards::row_of(&mut conn, m, card_id).await?
        }
        None => None,
    };
    let plan = plan::plan(app, m, s, c.method, coupon_id, stored_card, origin).await?;
    // A dated ticket's children are the visits a cycle after the first order's own.
    let plan = match kippu_domain::clock::parse_date(&c.date) {
        Some(visit) => plan.first_child_after(visit),
        None => plan,
    };
    Ok(Link::New(Box::new(plan)))
}
