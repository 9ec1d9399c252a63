//! Orders, tickets and bulk actions over the API, one file per resource and verb.

mod actions;
mod bulk;
mod create;
mod list;
mod out;
mod tickets;

pub use actions::*;
pub use bulk::*;
pub use create::*;
pub use list::*;
pub use out::*;
pub use tickets::*;
