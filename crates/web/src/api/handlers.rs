//! API handlers: parse, authenticate, call one use case, shape the answer.

use super::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use kippu_app::{Actor, App, notify};
use kippu_domain::MerchantId;
use kippu_domain::clock::{from_millis, rfc3339_jst};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The caller behind a valid bearer token.
pub struct ApiActor(pub Actor);

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    bearer_token(&parts.headers)
}

/// The bearer token of a request (a holder's token is no API actor: its handlers read it here).
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(ApiError::unauthorized)
}

/// The actor the permission gate (`permissions::gate`) resolved and let through.
#[derive(Clone)]
pub(super) struct Gated(pub Actor);

impl FromRequestParts<App> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _app: &App) -> Result<Self, Self::Rejection> {
        // Only a route whose row in the permission table names token holders gets an actor:
        // a handler asking for one on any other route is a bug, said loudly, never a bypass.
        match parts.extensions.get::<Gated>() {
            Some(Gated(actor)) => Ok(ApiActor(actor.clone())),
            None => Err(kippu_app::AppError::Internal("an API route asks for a caller its permission row does not admit".into()).into()),
        }
    }
}

/// A door scanner: the caller, and its token as the device the door counts wrong codes for.
pub struct ApiDoor(pub Actor, pub kippu_app::redemption::DoorDevice);

impl FromRequestParts<App> for ApiDoor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let ApiActor(actor) = ApiActor::from_request_parts(parts, app).await?;
        Ok(ApiDoor(actor, kippu_app::redemption::DoorDevice::api(bearer(parts)?)))
    }
}

pub(super) fn merchant_of(actor: &Actor) -> Result<MerchantId, ApiError> {
    actor.merchant_id.ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "merchant_token_required",
            "this endpoint needs a merchant's API token",
        )
    })
}

pub(super) fn time_of(ms: i64) -> String {
    rfc3339_jst(from_millis(ms))
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    /// `merchant` or `platform`.
    pub scope: String,
    pub token_name: String,
    pub merchant_code: Option<String>,
    pub merchant_name: Option<String>,
    /// A merchant token: the `payment_method` values a new order of this merchant takes now
    /// (the families it has on, its card mode); an order with another is refused (422).
    pub payment_methods: Option<Vec<String>>,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn me(State(app): State<App>, ApiActor(a): ApiActor) -> Result<Json<Me>, ApiError> {
    let merchant = kippu_app::merchants::own(&app, &a).await?;
    let payment_methods = match merchant {
        Some(_) => Some(
            kippu_app::merchants::methods_for_new_orders(&app, &a)
                .await?
                .iter()
                .map(|m| m.as_str().to_string())
                .collect(),
        ),
        None => None,
    };
    Ok(Json(Me {
        payment_methods,
        scope: if a.merchant_id.is_some() {
            "merchant".into()
        } else {
            "platform".into()
        },
        token_name: a.label.trim_start_matches("api:").to_string(),
        merchant_code: merchant.as_ref().map(|m| m.code.clone()),
        merchant_name: merchant.map(|m| m.name),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct TerminalDto {
    pub code: String,
    pub name: String,
    /// The 6-digit passcode printed on the terminal's QR mount.
    pub passcode: String,
}

#[derive(Serialize, ToSchema)]
pub struct StoreDto {
    pub code: String,
    pub name: String,
    pub address: String,
    pub terminals: Vec<TerminalDto>,
}

/// The merchant's stores (店舗) and their terminals (端末).
#[utoipa::path(get, path = "/api/v1/stores", tag = "merchant",
    responses((status = 200, body = [StoreDto]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn stores(State(app): State<App>, ApiActor(a): ApiActor) -> Result<Json<Vec<StoreDto>>, ApiError> {
    merchant_of(&a)?;
    let mut out = Vec::new();
    for s in kippu_app::merchants::stores(&app, &a).await? {
        let terminals = s
            .terminals
            .into_iter()
            .map(|t| TerminalDto {
                code: t.code,
                name: t.name,
                passcode: t.passcode,
            })
            .collect();
        out.push(StoreDto {
            code: s.store.code,
            name: s.store.name,
            address: s.store.address,
            terminals,
        });
    }
    Ok(Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct ProductDto {
    pub code: String,
    pub name: String,
    /// `web_ticket`, `reservation`, `goods` or `voucher`.
    pub kind: String,
    pub ticket_type: Option<String>,
    /// Price including tax, in yen.
    pub price: i64,
    /// Tax rate in percent (10 or 8).
    pub tax_rate: i64,
    /// Remaining stock over all dates and slots.
    pub stock: i64,
    pub archived: bool,
}

/// The merchant's products with their remaining stock.
#[utoipa::path(get, path = "/api/v1/products", tag = "merchant",
    responses((status = 200, body = [ProductDto]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn products(State(app): State<App>, ApiActor(a): ApiActor) -> Result<Json<Vec<ProductDto>>, ApiError> {
    merchant_of(&a)?;
    let mut out = Vec::new();
    for (p, stock) in kippu_app::catalog::with_stock(&app, &a).await? {
        out.push(ProductDto {
            code: p.code,
            name: p.name,
            kind: p.kind.as_str().into(),
            ticket_type: p.ticket_type.map(|t| t.as_str().into()),
            price: p.price,
            tax_rate: p.tax_rate,
            stock,
            archived: p.archived == 1,
        });
    }
    Ok(Json(out))
}

#[derive(Deserialize, IntoParams)]
pub struct PageParams {
    /// 1-based page number.
    pub page: Option<i64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct OutboxDto {
    pub id: i64,
    pub template_key: String,
    pub to: String,
    pub subject: String,
    /// `queued`, `sending`, `retrying`, `sent` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// Queued and delivered emails: the merchant's own, or all of them for a platform token.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "email",
    responses((status = 200, body = [OutboxDto]), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn outbox(State(app): State<App>, ApiActor(a): ApiActor) -> Result<Json<Vec<OutboxDto>>, ApiError> {
    let rows = notify::outbox(&app, &a, 200).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| OutboxDto {
                id: r.id,
                template_key: r.template_key,
                to: r.to_addr,
                subject: r.subject,
                status: r.status,
                attempts: r.attempts,
                last_error: r.last_error,
                created_at: time_of(r.created_at),
                sent_at: r.sent_at.map(time_of),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct MerchantDto {
    pub code: String,
    pub name: String,
    pub status: String,
    pub created_at: String,
}

/// Every merchant (platform tokens only).
#[utoipa::path(get, path = "/api/v1/merchants", tag = "platform",
    responses((status = 200, body = [MerchantDto]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn merchants(State(app): State<App>, ApiActor(a): ApiActor) -> Result<Json<Vec<MerchantDto>>, ApiError> {
    // The permission table's gate lets only the platform's token here; the use case checks again.
    Ok(Json(
        kippu_app::merchants::list(&app, &a)
            .await?
            .into_iter()
            .map(|m| MerchantDto {
                code: m.code,
                name: m.name,
                status: m.status.as_str().into(),
                created_at: time_of(m.created_at),
            })
            .collect(),
    ))
}
