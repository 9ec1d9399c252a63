//! The call centre's console (代理注文管理, seed 003): what its panels do beyond the areas they
//! share with the back office (customers, orders, coupons).

pub mod cards;
pub mod fraud;
pub mod rejected;
