//! The call centre's use cases of 代理注文管理 (seed 003), one module per panel: `interactions`
//! (対応履歴: the list, entries, import, download and the settings gear's lists), `notes` (自由メモ), `cards` (登録クレジットカード),
//! `rejected` (リジェクト注文情報), `fraud` (the fraud rules an order is screened by) and
//! `subscriptions` (定期マスタ and 頒布会).

pub mod cards;
pub mod fraud;
pub mod interactions;
pub mod notes;
pub mod rejected;
pub mod subscriptions;

use crate::{Actor, AppError, Result};
use kippu_domain::MerchantId;
use kippu_domain::account::Role;

/// The merchant an operator of the console works for: any of the merchant's users (admin, staff,
/// call centre) or its API token; a buyer's account has no console.
pub(crate) fn console_merchant(actor: &Actor) -> Result<MerchantId> {
    if actor.role == Role::Customer {
        return Err(AppError::Forbidden("the console is for the merchant's operators"));
    }
    actor.merchant()
}
