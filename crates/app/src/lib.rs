//! Application services: the use cases of kippu. Each public function here is one thing a user
//! (or a job) does; it validates, checks the actor's rights and tenancy, and writes the change,
//! its audit entry and its queued emails in one transaction.

pub mod access;
pub mod accounts;
pub mod actor;
pub mod ad_codes;
pub mod audit;
pub mod audit_words;
pub mod authorizations;
pub mod callcenter;
pub mod catalog;
pub mod channels;
pub mod clock;
pub mod config;
pub mod coupons;
pub mod csv_import;
pub mod csv_out;
pub mod customers;
pub mod demo;
pub mod deposits;
pub mod documents;
mod error;
pub mod gateway;
pub mod goods;
pub mod jobs;
pub mod merchants;
pub mod notify;
pub mod orders;
pub mod payment_company;
pub mod payment_due;
pub mod postal;
pub mod promotions;
pub mod reception;
pub mod reservations;
pub mod secrets;
pub mod settlements;
pub mod stock;
pub mod storefront;
pub mod vouchers;
pub mod work_queue;

pub use actor::Actor;
pub use config::AppConfig;
pub use error::AppError;
/// The storage failure inside [`AppError::Store`].
pub use kippu_store::{SqlxError, StoreError};
/// Door redemption, under its historical name.
pub use reservations::redeem as redemption;

use kippu_domain::clock::Clock;
use kippu_store::Store;
use std::sync::Arc;

pub type Result<T> = std::result::Result<T, AppError>;

/// Everything a use case needs: the database, the clock, the configuration, and a way to wake
/// the mail worker when something was queued.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<AppConfig>,
    pub mail_wakeup: Arc<tokio::sync::Notify>,
    pub gateway: Arc<dyn gateway::PaymentGateway>,
}

impl App {
    pub fn new(store: Store, clock: Arc<dyn Clock>, config: AppConfig) -> App {
        App {
            store,
            clock,
            config: Arc::new(config),
            mail_wakeup: Arc::new(tokio::sync::Notify::new()),
            gateway: Arc::new(gateway::SandboxGateway),
        }
    }

    /// Whether the database answers (the health check).
    pub async fn ping(&self) -> bool {
        self.store.ping().await
    }

    /// Now, in milliseconds since the epoch: the unit every `*_at` column stores.
    pub fn now_ms(&self) -> i64 {
        kippu_domain::clock::to_millis(self.clock.now())
    }
}
