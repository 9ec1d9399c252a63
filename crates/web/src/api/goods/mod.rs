//! Goods orders over the API: the order's shape (three statuses, destinations), the actions,
//! a destination's tracking number, the payment company's konbini notice.

mod actions;
mod edit;
mod import;
mod out;

pub use actions::*;
pub use edit::*;
pub use import::*;
pub use out::*;
