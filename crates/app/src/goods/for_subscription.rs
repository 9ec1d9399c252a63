//! A goods order's part in 定期: the master its `subscription` asks for (checked against the
//! order's destinations), or the child link the job gives.

use super::request::{Checked, GoodsOrderRequest};
use crate::callcenter::subscriptions::plan::{self, Child, Link, Origin};
use crate::{App, Result};
use kippu_domain::MerchantId;
use kippu_domain::order::PaymentMethod;

pub(super) async fn link(
    app: &App,
    m: MerchantId,
    r: &GoodsOrderRequest,
    method: PaymentMethod,
    coupon_id: Option<i64>,
    destinations: &[Checked],
    child: Option<Child>,
) -> Result<Link> {
    if let Some(c) = child {
        return Ok(Link::Child(c));
    }
    let Some(s) = &r.subscription else {
        return Ok(Link::None);
    };
    let first = destinations.first();
    let origin = Origin {
        pickup: destinations.iter().any(|d| d.pickup),
        destinations: destinations.len(),
        items: first.map(|d| d.lines.iter().map(|(p, q)| (p.id, *q)).collect()).unwrap_or_default(),
        ship: first
            .map(|d| {
                [
                    d.name.clone(),
                    d.kana.clone(),
                    d.postal_code.clone(),
                    d.address.clone(),
                    d.phone.clone(),
                ]
            })
            .unwrap_or_default(),
    };
    // A master paid by a stored card charges that card for each child.
    let stored_card = match r.card_id.as_deref() {
        Some(card_id) => {
            let mut conn = app.store.conn().await?;
            kippu_store::cards::row_of(&mut conn, m, card_id).await?
        }
        None => None,
    };
    Ok(Link::New(Box::new(
        plan::plan(app, m, s, method, coupon_id, stored_card, origin).await?,
    )))
}
