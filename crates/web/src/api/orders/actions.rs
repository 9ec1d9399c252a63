//! `POST /api/v1/orders/{n}/{action}`: one step of the order's flow.

use super::out::*;
use crate::api::error::{ApiError, ApiPath, ErrorBody};
use crate::api::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::orders::{self};
use kippu_app::{App, AppError};
use kippu_domain::action_names::TicketActionName;
use kippu_domain::validate::FieldError;
use kippu_domain::web_ticket::{Action, SendMode};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// `send`: `email` (default), `silent` or `test`.
    pub mode: Option<String>,
    /// `receive` from the customer's online slip: the order's PIN.
    pub pin: Option<String>,
    /// `cancel` of a reservation by the merchant for force majeure: `weather`, `too_few`,
    /// `equipment` or `other` (with `reason_text`). Without it the customer's cancellation
    /// policy applies.
    pub reason: Option<String>,
    pub reason_text: Option<String>,
}

/// Moves an order through its flow, by the names its order page uses (one table per flow,
/// `kippu_domain::action_names`; the order number decides the flow): `confirm-payment`
/// (platform token: bank_platform deposits; merchant token: bank_store and pay-at-venue
/// payments), `mark-paid`, `confirm-deposit`, `revert-payment`, `capture`,
/// `receive`, `send`, `cancel`, `cancel-request`, `complete-cancel-request` (platform), `resend`
/// (注文確認メール再送; own-site orders only, 422 `own_site_only` otherwise).
/// `cancel` on a reservation applies the booking's cancellation policy and answers the fee kept
/// (`cancellation_fee_kept`) and the refund (`refunded_amount`); with `reason` it is the
/// merchant's force-majeure cancellation with a full refund. Refusals: 409 `already_cancelled`
/// / `already_redeemed`, 422 `no_show` / `visit_passed` / `outside_cancellation_window`.
#[utoipa::path(post, path = "/api/v1/orders/{order_number}/{action}", tag = "orders",
    params(("order_number" = String, Path), ("action" = String, Path)), request_body(content = ActionBody, description = "optional"),
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody),
        (status = 409, description = "illegal_transition / authorization_expired / changed", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn action(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath((number, action)): ApiPath<(String, String)>,
    crate::api::error::OptionalJsonBytes(body): crate::api::error::OptionalJsonBytes,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    use kippu_domain::action_names::FlowAction;
    let named = match orders::action_named(&app, &a, &number, &action).await {
        Err(AppError::NotFound) => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("unknown order action {action}"),
            ));
        }
        other => other?,
    };
    match named {
        FlowAction::Goods(name) => {
            let b = match &body {
                None => Default::default(),
                Some(bytes) => crate::api::error::parse_json(bytes)?,
            };
            Ok(Json(crate::api::goods::goods_action(&app, &a, &number, name, b).await?).into_response())
        }
        FlowAction::Ticket(name) => {
            let body: ActionBody = match &body {
                None => ActionBody::default(),
                Some(bytes) => crate::api::error::parse_json(bytes)?,
            };
            Ok(ticket_action(&app, &a, &number, name, body).await?.into_response())
        }
    }
}

async fn ticket_action(
    app: &App,
    a: &kippu_app::Actor,
    number: &str,
    name: TicketActionName,
    body: ActionBody,
) -> Result<Json<OrderOut>, ApiError> {
    let act = match name {
        TicketActionName::Cancel => {
            let reason = body
                .reason
                .as_deref()
                .map(|code| kippu_domain::reservation::MerchantReason::parse(code, body.reason_text.as_deref().unwrap_or("")))
                .transpose()
                .map_err(AppError::from)?;
            return Ok(Json(order_out(app, orders::cancel(app, a, number, reason).await?)));
        }
        TicketActionName::Resend => {
            kippu_app::reservations::notices::resend(app, a, number).await?;
            return Ok(Json(order_out(app, orders::get(app, a, number).await?)));
        }
        TicketActionName::Send => {
            let mode = body.mode.as_deref().unwrap_or(SendMode::Email.as_str());
            match (SendMode::parse(mode), mode) {
                (Some(mode), _) => mode.action(),
                (None, "test") => {
                    orders::test_send(app, a, number).await?;
                    return Ok(Json(order_out(app, orders::get(app, a, number).await?)));
                }
                (None, other) => {
                    return Err(ApiError::from(AppError::from(FieldError::new(
                        "mode",
                        format!("{other}: email, silent, test のいずれかです"),
                    ))));
                }
            }
        }
        other => other.step(a.is_platform()).ok_or_else(|| {
            // `use` / `unuse` are a ticket's, in bulk (`POST /api/v1/bulk/use`).
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("unknown order action {}", other.as_str()),
            )
        })?,
    };
    let pin = if act == Action::Receive { body.pin.as_deref() } else { None };
    let out = orders::act(app, a, number, act, pin).await?;
    Ok(Json(order_out(app, out.order)))
}
