//! The call centre's use cases (代理注文管理), one module per panel's concern.

pub mod subscriptions;
