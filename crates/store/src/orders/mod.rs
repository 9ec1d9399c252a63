//! Orders, their lines, tickets, payments and status history, one module per concern. Callers
//! use the items re-exported here.

mod door;
mod export;
mod for_sale;
mod history;
mod idempotency;
mod insert;
mod instructions;
mod messages;
mod numbering;
mod payments;
mod rows;
mod search;
mod status;
mod stock;
mod tickets;

pub use door::*;
pub use export::*;
pub use for_sale::*;
pub use history::*;
pub use idempotency::*;
pub use insert::*;
pub use instructions::*;
pub use messages::*;
pub use numbering::*;
pub use payments::*;
pub use rows::*;
pub use search::*;
pub use status::*;
pub use stock::*;
pub use tickets::*;
