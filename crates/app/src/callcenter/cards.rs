//! 登録クレジットカード: a customer's cards registered at the payment company. kippu never sees a
//! card number; it keeps the gateway's card id with what 「情報取得」 fetched (brand, last 4,
//! expiry), per merchant and customer, and charges a card by its id ([`charge`]).

use crate::gateway::{GatewayError, StoredCard};
use crate::orders::OrderError;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::validate::FieldError;
use kippu_domain::{CustomerId, MerchantId};
use kippu_store::AnyConnection;
use kippu_store::cards as store;
pub use kippu_store::cards::StoredCardRow;

/// The customer as kippu names it to the payment company (the 顧客ID registered with the card):
/// unique across merchants, so one merchant's customer never sees another's cards.
pub fn customer_ref(m: MerchantId, customer: CustomerId) -> String {
    format!("m{}-c{}", m.0, customer.0)
}

/// The merchant's customer, or 404 (another merchant's customer looks missing).
async fn customer_of(conn: &mut AnyConnection, m: MerchantId, customer_id: i64) -> Result<CustomerId> {
    let id = CustomerId(customer_id);
    kippu_store::people::get_customer(conn, m, id).await?.ok_or(AppError::NotFound)?;
    Ok(id)
}

/// kippu's copy of the customer's cards, as last fetched.
pub async fn list(app: &App, actor: &Actor, customer_id: i64) -> Result<Vec<StoredCardRow>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let customer = customer_of(&mut conn, m, customer_id).await?;
    Ok(store::list(&mut conn, m, customer).await?)
}

/// 情報取得: fetches the customer's cards from the payment company and replaces kippu's copy
/// (a card gone there is gone here), audited.
pub async fn refresh(app: &App, actor: &Actor, customer_id: i64) -> Result<Vec<StoredCardRow>> {
    let m = actor.merchant()?;
    let customer = {
        let mut conn = app.store.conn().await?;
        customer_of(&mut conn, m, customer_id).await?
    };
    let fetched = app.gateway.cards(&customer_ref(m, customer)).await.map_err(OrderError::from)?;
    replace_copy(app, actor, m, customer, &fetched, "refresh").await
}

/// Registers the card behind `token` at the payment company (the sandbox's registration page
/// stands in for the company's tablet), then fetches the customer's cards. Returns the new card.
pub async fn register(app: &App, actor: &Actor, customer_id: i64, token: &str) -> Result<StoredCardRow> {
    let m = actor.merchant()?;
    let token = token.trim();
    if token.is_empty() || token.len() > 64 {
        return Err(FieldError::new("token", "決済代行会社のカードトークンを入力してください（64文字以内）").into());
    }
    let customer = {
        let mut conn = app.store.conn().await?;
        customer_of(&mut conn, m, customer_id).await?
    };
    let cref = customer_ref(m, customer);
    let card = app.gateway.register_card(&cref, token).await.map_err(|e| match e {
        GatewayError::Declined(why) => AppError::from(FieldError::new(
            "token",
            format!("決済代行会社がこのカードを登録しませんでした（{why}）"),
        )),
        e => OrderError::from(e).into(),
    })?;
    let fetched = app.gateway.cards(&cref).await.map_err(OrderError::from)?;
    let rows = replace_copy(app, actor, m, customer, &fetched, "register").await?;
    rows.into_iter()
        .find(|r| r.card_id == card.card_id)
        .ok_or_else(|| AppError::Internal(format!("card {} registered but not fetched", card.card_id)))
}

/// Deletes the card at the payment company and from kippu's copy, audited. A card that is not
/// this customer's is 404.
pub async fn delete(app: &App, actor: &Actor, customer_id: i64, card_id: &str) -> Result<()> {
    let m = actor.merchant()?;
    let (customer, before) = {
        let mut conn = app.store.conn().await?;
        let customer = customer_of(&mut conn, m, customer_id).await?;
        let card = store::get(&mut conn, m, customer, card_id).await?.ok_or(AppError::NotFound)?;
        (customer, card)
    };
    match app.gateway.delete_card(&customer_ref(m, customer), card_id).await {
        // Already gone at the company (deleted on its tablet): kippu's copy follows.
        Ok(()) | Err(GatewayError::Declined(_)) => {}
        Err(e) => return Err(OrderError::from(e).into()),
    }
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if !store::delete(&mut tx, m, customer, card_id, now).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("delete", "stored_card", before.id),
        Some(&before),
        audit::NONE,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Authorizes `amount` yen on the customer's stored card `card_id` at merchant `merchant`;
/// returns the gateway's reference (captured, voided, refunded like a token's). A card that is
/// not this customer's (another customer's, deleted, never fetched) is 404; an actor of another
/// merchant too. A decline is `OrderError::Card` (402).
pub async fn charge(app: &App, actor: &Actor, merchant: MerchantId, customer_id: CustomerId, card_id: &str, amount: i64) -> Result<String> {
    if actor.merchant_id.is_some_and(|own| own != merchant) {
        return Err(AppError::NotFound);
    }
    {
        let mut conn = app.store.conn().await?;
        store::get(&mut conn, merchant, customer_id, card_id)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let cref = customer_ref(merchant, customer_id);
    Ok(app.gateway.authorize_card(&cref, card_id, amount).await.map_err(OrderError::from)?)
}

/// Writes the fetched cards as kippu's copy in one transaction: each fetched card up to date,
/// every other card of the customer deleted; audited before → after.
async fn replace_copy(
    app: &App,
    actor: &Actor,
    m: MerchantId,
    customer: CustomerId,
    fetched: &[StoredCard],
    verb: &str,
) -> Result<Vec<StoredCardRow>> {
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    customer_of(&mut tx, m, customer.0).await?;
    let before = store::list(&mut tx, m, customer).await?;
    for c in fetched.iter().take(store::MAX_CARDS as usize) {
        let fields = store::CardFields {
            card_id: &c.card_id,
            brand: &c.brand,
            last4: &c.last4,
            exp_month: c.exp_month,
            exp_year: c.exp_year,
        };
        store::upsert(&mut tx, m, customer, &fields, now).await?;
    }
    for gone in before.iter().filter(|b| !fetched.iter().any(|c| c.card_id == b.card_id)) {
        store::delete(&mut tx, m, customer, &gone.card_id, now).await?;
    }
    let after = store::list(&mut tx, m, customer).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(verb, "stored_cards", customer.0),
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
