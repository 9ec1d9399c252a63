//! The console's draft of an order (注文入力): kept on the server per operator and customer, so
//! the cart and every field survive a reload, a move to another panel and another device, and
//! work without JavaScript. Written on every change of the form; removed when the order is
//! placed, and by 「オールクリア」 (every draft of the operator).

use super::form::OrderForm;
use crate::{Actor, App, AppError, Result};
use kippu_domain::{CustomerId, UserId};

/// The operator's user: only a signed-in user has drafts.
fn operator(actor: &Actor) -> Result<UserId> {
    actor
        .user_id
        .ok_or(AppError::Forbidden("order drafts belong to a signed-in operator"))
}

/// The draft for customer `customer` (of the actor's merchant, else not found); an empty form
/// when there is none.
pub async fn load(app: &App, actor: &Actor, customer: i64) -> Result<OrderForm> {
    let m = actor.merchant()?;
    let user = operator(actor)?;
    let mut conn = app.store.conn().await?;
    kippu_store::people::get_customer(&mut conn, m, CustomerId(customer))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(match kippu_store::entry::draft(&mut conn, m, user, CustomerId(customer)).await? {
        // A draft written by an older form reads with its unknown parts left at their defaults.
        Some(body) => serde_json::from_str(&body).unwrap_or_default(),
        None => OrderForm::default(),
    })
}

pub async fn save(app: &App, actor: &Actor, customer: i64, form: &OrderForm) -> Result<()> {
    let m = actor.merchant()?;
    let user = operator(actor)?;
    let body = serde_json::to_string(form).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = app.store.begin().await?;
    kippu_store::people::get_customer(&mut tx, m, CustomerId(customer))
        .await?
        .ok_or(AppError::NotFound)?;
    kippu_store::entry::put_draft(&mut tx, m, user, CustomerId(customer), &body, app.now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the operator's draft for `customer`, or every draft of theirs (`None`).
pub async fn clear(app: &App, actor: &Actor, customer: Option<i64>) -> Result<()> {
    let m = actor.merchant()?;
    let Some(user) = actor.user_id else {
        return Ok(());
    };
    let mut tx = app.store.begin().await?;
    kippu_store::entry::clear_drafts(&mut tx, m, user, customer.map(CustomerId)).await?;
    tx.commit().await?;
    Ok(())
}
