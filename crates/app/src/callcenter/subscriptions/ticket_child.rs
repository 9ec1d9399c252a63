//! A web-ticket master's child order: the master's ticket product and quantity, bought by the
//! same intake as any ticket order (`crate::orders::create_linked`: stock, the stored card
//! authorized, the buyer's emails, the master stepped in the order's own transaction, exactly
//! once). A dated ticket type (rental, accommodation) is for the cycle's due date — today when
//! the job runs late — with the first order's time slot and nights; its stock decides as for any
//! order (a sold-out date refuses the child, and the job tells the merchant).

use super::plan::Child;
use crate::customers::CustomerInput;
use crate::orders::OrderRequest;
use crate::{Actor, App, Result};
use kippu_domain::MerchantId;
use kippu_store::people::CustomerRow;
use kippu_store::subscriptions::tickets::{self, TicketOrigin};
use kippu_store::subscriptions::{ItemRow, MasterRow};

/// The first order of master `id` when it is a web-ticket master (`None`: a goods master).
pub(super) async fn origin(app: &App, m: MerchantId, id: i64) -> Result<Option<TicketOrigin>> {
    let mut conn = app.store.conn().await?;
    Ok(tickets::origin(&mut conn, m, id).await?)
}

/// What the child of `master` asks the ticket intake for.
pub(super) struct ChildOf<'a> {
    pub master: &'a MasterRow,
    pub items: &'a [ItemRow],
    pub customer: &'a CustomerRow,
    /// The stored card's gateway id the master pays with.
    pub card: Option<String>,
    pub origin: TicketOrigin,
}

/// The child order request: the main item, the buyer, the master's payment and coupon.
fn request(app: &App, c: &ChildOf<'_>, due: &str) -> OrderRequest {
    let today = app.clock.today().to_string();
    let visit_date = c.origin.visit_date.as_ref().map(|_| due.max(today.as_str()).to_string());
    let item = c.items.first();
    OrderRequest {
        product_code: item.map(|i| i.product_code.clone()).unwrap_or_default(),
        quantity: item.map_or(1, |i| i.quantity),
        visit_date,
        time_slot: c.origin.time_slot.clone().filter(|s| !s.is_empty()),
        nights: c.origin.nights,
        payment_method: c.master.payment_method.as_str().to_string(),
        card_id: c.card.clone(),
        customer: CustomerInput {
            name: c.customer.name.clone(),
            kana: c.customer.kana.clone(),
            email: c.customer.email.clone(),
            phone: c.customer.phone.clone(),
            postal_code: c.customer.postal_code.clone(),
            address: c.customer.address.clone(),
        },
        coupon_code: c.master.coupon_code.clone(),
        ..OrderRequest::default()
    }
}

/// Makes the child for `child.due` through the ticket intake; its refusal (a declined card —
/// kept as a rejected order —, sold out, a product gone) is the job's to report.
pub(super) async fn make(app: &App, actor: &Actor, c: &ChildOf<'_>, child: Child) -> Result<()> {
    let r = request(app, c, &child.due);
    crate::orders::create_linked(app, actor, &r, None, Some(child)).await.map(|_| ())
}
