//! ウェブチケット受注管理, by resource and verb: the list with search, bulk actions and CSV; the
//! order page; the confirmation screens of every status change and of sending; the
//! reservation panel of the order page. What may happen next is decided in
//! `kippu_app::orders::next`, never here.

mod actions;
mod bulk;
mod detail;
mod export;
mod line;
mod list;
mod reservation;
mod search;
mod send;
mod usage;

pub use actions::{action_run, action_screen, receive_run, receive_screen};
pub use bulk::bulk;
pub use detail::{detail, message, statement, transfer};
pub use export::export_csv;
pub use line::{OrderLine, line};
pub use list::list;
pub use reservation::{cancel_run as reservation_cancel, resend};
pub use send::{send_run, send_screen};
pub use usage::{usage_run, usage_screen};
