//! kippu's pure domain core: types, policies and state machines.
//!
//! Nothing in this crate performs I/O or reads the wall clock directly; time comes in through
//! [`clock::Clock`], randomness through arguments. That keeps every rule here unit- and
//! property-testable.

pub mod account;
pub mod action_names;
pub mod adcode;
pub mod catalog;
pub mod clock;
pub mod coupon;
pub mod customer_lookup;
pub mod goods;
pub mod ids;
pub mod interaction;
pub mod label;
pub mod login_backoff;
pub mod merchant;
pub mod money;
pub mod normalize;
pub mod order;
pub mod paging;
pub mod password;
pub mod payment_due;
pub mod reservation;
pub mod settlement;
pub mod subscription;
pub mod throttle;
pub mod typed;
pub mod validate;
pub mod voucher;
pub mod web_ticket;

pub use ids::*;
pub use money::Yen;
