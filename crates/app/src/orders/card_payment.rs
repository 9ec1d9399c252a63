//! The one place an order's card is authorized, for tickets and goods alike: the card token the
//! buyer's browser got from the payment company, or the customer's stored card (`card_id`,
//! 登録クレジットカード) charged through [`crate::callcenter::cards::charge`].

use crate::callcenter::rejected::{self, Attempt};
use crate::gateway::GatewayError;
use crate::{Actor, App, AppError, Result};
use kippu_domain::MerchantId;
use kippu_domain::validate::FieldError;

/// How an order pays by card.
pub enum Card<'a> {
    /// A one-time token from the payment company's page.
    Token(&'a str),
    /// The stored card `card_id` of the merchant's customer with this email (the orderer).
    Stored { email: &'a str, card_id: &'a str },
}

impl<'a> Card<'a> {
    /// The card of a request: its `card_id` when given, else its `card_token`.
    pub fn of(card_token: Option<&'a str>, card_id: Option<&'a str>, email: &'a str) -> Card<'a> {
        match card_id.filter(|c| !c.is_empty()) {
            Some(card_id) => Card::Stored { email, card_id },
            None => Card::Token(card_token.unwrap_or("")),
        }
    }
}

/// The request's card fields checked for a card payment: one of `card_token` and `card_id`.
pub fn check_fields(card_token: Option<&str>, card_id: Option<&str>) -> Option<FieldError> {
    let given = |v: Option<&str>| v.is_some_and(|s| !s.is_empty());
    match (given(card_token), given(card_id)) {
        (true, true) => Some(FieldError::new(
            "card_id",
            "card_token と card_id はどちらか一方だけを指定してください",
        )),
        (false, false) => Some(FieldError::new(
            "card_token",
            "カード決済には登録クレジットカードを選ぶ（card_id）か、決済代行会社のカードトークン（card_token）を指定してください",
        )),
        _ => None,
    }
}

/// Screens the order through the merchant's fraud rules (every payment method), then, for a
/// card, authorizes its amount and returns the gateway's reference. A fraud hit or a decline is
/// recorded as a rejected order (its own transaction) before the refusal is returned.
pub async fn screen_and_authorize(
    app: &App,
    actor: &Actor,
    m: MerchantId,
    attempt: &Attempt<'_>,
    card: Option<Card<'_>>,
) -> Result<Option<String>> {
    crate::callcenter::fraud::screen(app, actor, m, attempt).await?;
    let Some(card) = card else {
        return Ok(None);
    };
    match authorize(app, actor, m, card, attempt.amount).await {
        Err(AppError::Order(super::OrderError::Card(GatewayError::Declined(why)))) => {
            rejected::record(app, actor, m, attempt, "card_declined", &why).await?;
            Err(super::OrderError::Card(GatewayError::Declined(why)).into())
        }
        other => other.map(Some),
    }
}

/// Authorizes `amount` yen on the order's card; returns the gateway's reference. A `card_id`
/// that is not the orderer's stored card is refused on the field `card_id`; a decline is 402.
async fn authorize(app: &App, actor: &Actor, m: MerchantId, card: Card<'_>, amount: i64) -> Result<String> {
    match card {
        Card::Token(token) => Ok(app.gateway.authorize(token, amount).await.map_err(super::OrderError::from)?),
        Card::Stored { email, card_id } => {
            let not_theirs = || FieldError::new("card_id", format!("登録カード {card_id} はこのお客様のカードではありません"));
            let customer = {
                let mut conn = app.store.conn().await?;
                kippu_store::people::find_customer_by_email(&mut conn, m, email)
                    .await?
                    .ok_or_else(not_theirs)?
            };
            let id = kippu_domain::CustomerId(customer.id);
            match crate::callcenter::cards::charge(app, actor, m, id, card_id, amount).await {
                Err(AppError::NotFound) => Err(not_theirs().into()),
                other => other,
            }
        }
    }
}
