//! Shipped goods (spec §6, seed 002): intake with destinations or store pickup, the order's
//! three statuses changed only through `kippu_domain::goods::flow`, tracking numbers.

mod act;
mod batch;
mod bulk;
mod create;
mod destination;
pub mod download;
pub mod edit;
pub mod export;
mod for_subscription;
mod history;
pub mod import;
pub mod layouts;
pub mod ledger;
mod list;
pub mod mail;
mod notices;
pub mod points;
mod quote;
mod request;
pub mod settings;
pub(crate) mod view;

pub use act::{Command, CommandInput, REASON_MAX, act};
pub use bulk::{GoodsBulk, bulk, bulk_action};
pub(crate) use create::create_linked;
pub use create::{Created, create};
pub use destination::{TrackingInput, edit as edit_destination};
pub use kippu_store::goods::GoodsTab;
pub use kippu_store::goods::{GoodsLineRow, GoodsOrderRow, ShipmentRow};
pub(crate) use list::views_of;
pub use list::{GoodsPage, GoodsSearch, Offered, SearchWalk, list, offered};
pub use quote::{Quote, QuotedDestination, QuotedLine, StoreRow, quote};
pub use request::{
    DestinationRequest, GoodsOrderRequest, LineRequest, MAX_DESTINATIONS, MAX_LINES, destination_field, parse_destination_field,
};
pub use view::{GoodsView, by_token, get, history, pickup_store, points, refunds};

use crate::{App, Result};

/// The kind of the order with this number, for the API to answer in the kind's own shape.
pub async fn kind_of(app: &App, actor: &crate::Actor, number: &str) -> Result<Option<kippu_domain::catalog::OrderKind>> {
    let mut conn = app.store.conn().await?;
    Ok(kippu_store::goods::kind_of_order(&mut conn, actor.scope()?, number).await?)
}
