//! Storage for kippu: one SQL code path for SQLite and PostgreSQL.
//!
//! Queries are written once, with `$1`-style parameters that both databases accept, and run
//! through sqlx's `Any` driver. Where the two databases must differ (transaction start, row
//! locks, case-insensitive matching) the difference lives in [`dialect`], nowhere else.
//! Repository functions take `&mut AnyConnection` so the same function works inside a
//! transaction and on a plain pooled connection.

pub mod ad_codes;
pub mod audit;
pub mod batch;
pub mod bookings;
pub mod cards;
pub mod columns;
pub mod coupons;
pub mod customers;
pub mod deposits;
pub mod dialect;
pub mod entry;
mod error;
pub mod goods;
pub mod interactions;
pub mod jobs;
pub mod merchants;
mod migrate;
pub mod notes;
pub mod orders;
pub mod outbox;
pub mod people;
pub mod products;
pub mod query;
pub mod rejected;
pub mod reservations;
pub mod sandbox_gateway;
pub mod security;
pub mod settlements;
pub mod stock;
mod store;
pub mod subscriptions;
pub use store::redact_url;
pub mod templates;
pub mod vouchers;

pub use dialect::Backend;
pub use error::StoreError;
pub use sqlx::AnyConnection;
pub use sqlx::Error as SqlxError;
pub use store::{Store, Tx, WAL_LIMIT_BYTES, WAL_TRUNCATE_PAGES};

pub type Result<T> = std::result::Result<T, StoreError>;
