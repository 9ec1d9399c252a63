//! Goods orders (seed 002): their destinations (shipments rows), lines per destination, the
//! three statuses, the merchant's shipping and point settings. Intake reuses the order
//! numbering, stock, payments and history of `orders`.

mod edit;
mod imports;
mod layouts;
pub mod ledger;
mod points;
mod refunds;
mod rows;
mod search;
mod settings;
mod write;

pub use edit::*;
pub use imports::*;
pub use layouts::*;
pub use points::*;
pub use refunds::*;
pub use rows::*;
pub use search::*;
pub use settings::*;
pub use write::*;
