//! Pages for buyers, reached without an account: the storefront, "my web tickets" (behind the
//! order's unguessable link, with each ticket's QR code) and the online slip (オンライン伝票) on
//! which the merchant types the order's PIN at the venue; for goods, the buyer's order page.

mod cart;
mod cart_confirm;
mod checkout_form;
mod instructions;
mod my_order;
mod my_tickets;
mod shop;
mod shop_goods;
mod slip;
mod transfer;
mod voucher;

pub use cart::{cart, cart_remove, checkout, place as goods_order};
pub use my_order::*;
pub use my_tickets::*;
pub use shop::*;
pub use shop_goods::cart_add;
pub use slip::*;
pub use transfer::*;
pub use voucher::{holder_home, pay_confirm, pay_run, pay_start, receipt as voucher_receipt};

use crate::error::WebError;
use kippu_app::{Actor, App};
use kippu_domain::MerchantId;
use kippu_domain::account::Role;

pub(super) async fn merchant(app: &App, code: &str) -> Result<kippu_app::merchants::MerchantRow, WebError> {
    Ok(kippu_app::merchants::storefront(app, code).await?)
}

/// The buyer behind an order's link, as the audit log names them.
pub(super) fn buyer(o: &kippu_app::orders::OrderRow) -> Actor {
    Actor::unattended(o.merchant_id, Role::Customer, format!("customer:{}", o.customer_email))
}

pub(super) fn storefront_actor(m: MerchantId) -> Actor {
    Actor::unattended(m, Role::Customer, "storefront")
}
