//! Ticket usage and transfer, one route per action with its own body.

use super::out::*;
use crate::api::error::{ApiError, ApiPath, ErrorBody, OptionalJson};
use crate::api::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use kippu_app::orders::{self};
use kippu_app::{App, AppError};
use kippu_domain::validate::FieldError;
use serde::Deserialize;
use utoipa::ToSchema;

/// The body of an action that takes no options: `{}` or no body at all.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// 使用済みにする: marks the ticket used. Body: none, or `{}`.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket_number}/use", tag = "orders",
    params(("ticket_number" = String, Path)), request_body(content = Option<NoOptions>, description = "none, or `{}`"),
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn ticket_use(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
    OptionalJson(_): OptionalJson<NoOptions>,
) -> Result<Json<OrderOut>, ApiError> {
    Ok(Json(order_out(&app, orders::change_usage(&app, &a, &number, true, None).await?)))
}

/// 未使用に戻す: marks a used ticket unused again. Body: none, or `{}`.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket_number}/unuse", tag = "orders",
    params(("ticket_number" = String, Path)), request_body(content = Option<NoOptions>, description = "none, or `{}`"),
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn ticket_unuse(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
    OptionalJson(_): OptionalJson<NoOptions>,
) -> Result<Json<OrderOut>, ApiError> {
    Ok(Json(order_out(&app, orders::change_usage(&app, &a, &number, false, None).await?)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    pub holder_name: String,
    pub holder_email: Option<String>,
}

/// 譲渡: gives the ticket to another holder. Body: `{ "holder_name", "holder_email"? }`.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket_number}/transfer", tag = "orders",
    params(("ticket_number" = String, Path)), request_body = TransferBody,
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn ticket_transfer(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
    OptionalJson(body): OptionalJson<TransferBody>,
) -> Result<Json<OrderOut>, ApiError> {
    let b = body.ok_or_else(|| AppError::from(FieldError::new("holder_name", "譲渡先の氏名を指定してください")))?;
    let t = orders::Transfer {
        ticket_number: &number,
        to_name: &b.holder_name,
        to_email: b.holder_email.as_deref(),
        order_token: None,
    };
    let view = orders::transfer(&app, &a, &t).await?;
    Ok(Json(order_out(&app, view)))
}
