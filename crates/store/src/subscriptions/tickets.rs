//! A web-ticket master's first order: what its children repeat beside the master's items (the
//! time slot of a rental, the nights of a stay).

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::{AnyConnection, FromRow};

/// The first order of a web-ticket master.
#[derive(Debug, Clone, FromRow)]
pub struct TicketOrigin {
    /// Set for the dated ticket types (rental, accommodation).
    pub visit_date: Option<String>,
    pub time_slot: Option<String>,
    pub nights: Option<i64>,
}

/// The first order of master `id` of merchant `m` when it is a web-ticket order (`None` for a
/// goods master).
pub async fn origin(conn: &mut AnyConnection, m: MerchantId, id: i64) -> Result<Option<TicketOrigin>> {
    Ok(sqlx::query_as(
        "SELECT o.visit_date, o.time_slot, o.nights FROM subscriptions s JOIN orders o ON o.id = s.origin_order_id \
         WHERE s.id = $1 AND s.merchant_id = $2 AND o.merchant_id = $2 AND o.kind = 'web_ticket'",
    )
    .bind(id)
    .bind(m.0)
    .fetch_optional(conn)
    .await?)
}
