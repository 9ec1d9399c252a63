//! `/api/v1/customers/{id}/cards`: 登録クレジットカード, a customer's cards registered at the
//! payment company. kippu answers its own copy (card id, brand, last 4, expiry; never a number).
//! Another merchant's customer, or another customer's card, is a 404.

use super::error::{ApiError, ApiJson, ApiPath, ErrorBody};
use super::handlers::{ApiActor, merchant_of, time_of};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::App;
use kippu_app::callcenter::cards::{self, StoredCardRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CardOut {
    /// The payment company's card id: what `POST /api/v1/orders` takes as `card_id`.
    pub card_id: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
    /// When kippu last fetched it from the payment company (情報取得).
    pub fetched_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CardList {
    /// At most 20 cards, oldest first.
    pub items: Vec<CardOut>,
}

fn out(r: StoredCardRow) -> CardOut {
    CardOut {
        card_id: r.card_id,
        brand: r.brand,
        last4: r.last4,
        exp_month: r.exp_month,
        exp_year: r.exp_year,
        fetched_at: time_of(r.fetched_at),
    }
}

fn list_of(rows: Vec<StoredCardRow>) -> Json<CardList> {
    Json(CardList {
        items: rows.into_iter().map(out).collect(),
    })
}

/// The customer's stored cards as kippu last fetched them.
#[utoipa::path(get, path = "/api/v1/customers/{id}/cards", tag = "merchant", params(("id" = i64, Path, description = "customer id")),
    responses((status = 200, body = CardList), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(State(app): State<App>, ApiActor(a): ApiActor, ApiPath(id): ApiPath<i64>) -> Result<Json<CardList>, ApiError> {
    merchant_of(&a)?;
    Ok(list_of(cards::list(&app, &a, id).await?))
}

/// 情報取得: fetches the customer's cards from the payment company and replaces kippu's copy.
#[utoipa::path(post, path = "/api/v1/customers/{id}/cards/refresh", tag = "merchant", params(("id" = i64, Path, description = "customer id")),
    responses((status = 200, body = CardList), (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn refresh(State(app): State<App>, ApiActor(a): ApiActor, ApiPath(id): ApiPath<i64>) -> Result<Json<CardList>, ApiError> {
    merchant_of(&a)?;
    Ok(list_of(cards::refresh(&app, &a, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterCardBody {
    /// The payment company's card token. Sandbox: `tok_visa` (VISA 4242), `tok_master`
    /// (Mastercard 4444), `tok_jcb` (JCB 0000), `tok_declined_on_charge` (VISA 0002, declined
    /// when charged); any other is refused (422, `field` `token`).
    pub token: String,
}

/// Registers a card at the payment company by token — the sandbox's registration, standing in
/// for the company's own page or tablet — then fetches the customer's cards.
#[utoipa::path(post, path = "/api/v1/customers/{id}/cards", tag = "merchant", params(("id" = i64, Path, description = "customer id")),
    request_body = RegisterCardBody,
    responses((status = 201, body = CardOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn register(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RegisterCardBody>,
) -> Result<(StatusCode, Json<CardOut>), ApiError> {
    merchant_of(&a)?;
    Ok((StatusCode::CREATED, Json(out(cards::register(&app, &a, id, &b.token).await?))))
}

/// Deletes the card at the payment company and from kippu (audited).
#[utoipa::path(delete, path = "/api/v1/customers/{id}/cards/{card_id}", tag = "merchant",
    params(("id" = i64, Path, description = "customer id"), ("card_id" = String, Path, description = "the payment company's card id")),
    responses((status = 204), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath((id, card_id)): ApiPath<(i64, String)>,
) -> Result<StatusCode, ApiError> {
    merchant_of(&a)?;
    cards::delete(&app, &a, id, &card_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
