//! `POST /api/v1/redemptions`: door scanners redeem reservations.

use super::error::{ApiError, ApiJson, ErrorBody};
use super::handlers::ApiDoor;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::App;
use kippu_app::redemption::{self, RedeemError};
use kippu_domain::clock::{from_millis, rfc3339_jst};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemBody {
    /// The 6-digit e-ticket ID, or the QR code's content.
    pub code: String,
    /// People who actually came, when it differs from the booking. Extra people take seats
    /// from the visit date's stock (refused with `no_room` when it has too few); fewer people
    /// give nothing back.
    pub party_size: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct RedeemOut {
    pub order_number: String,
    pub ticket_number: String,
    pub visit_date: String,
    pub time_slot: Option<String>,
    pub party_size: i64,
    pub booked_party_size: i64,
    pub holder_name: String,
    pub product_name: String,
    pub redeemed_at: String,
    /// 現地払い not yet received: the yen the door collects now.
    pub collect_at_venue: Option<i64>,
}

/// Redeems a reservation at the door: only on its visit date (Japan time), only once.
#[utoipa::path(post, path = "/api/v1/redemptions", tag = "reservations", request_body = RedeemBody,
    responses((status = 200, body = RedeemOut), (status = 404, description = "unknown", body = ErrorBody),
        (status = 409, description = "already_redeemed (with the first redeemed_at)", body = ErrorBody),
        (status = 422, description = "wrong_day (with visit_date), no_show, cancelled, unpaid, no_room (more people than booked and the day's stock cannot seat the extra ones), invalid", body = ErrorBody),
        (status = 429, description = "throttled: this device (token) or this code had five unknown codes in a row; codes that match no booking are refused until locked_until, codes that match one are answered as usual", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn redeem(
    State(app): State<App>,
    ApiDoor(a, device): ApiDoor,
    ApiJson(b): ApiJson<RedeemBody>,
) -> Result<Json<RedeemOut>, ApiError> {
    match redemption::redeem(&app, &a, &device, &b.code, b.party_size).await? {
        Ok(r) => Ok(Json(RedeemOut {
            order_number: r.order_number,
            ticket_number: r.ticket_number,
            visit_date: r.visit_date,
            time_slot: r.time_slot,
            party_size: r.party_size,
            booked_party_size: r.booked_party_size,
            holder_name: r.holder_name,
            product_name: r.product_name,
            redeemed_at: rfc3339_jst(r.redeemed_at),
            collect_at_venue: r.collect,
        })),
        Err(e) => {
            let msg = e.said().ja;
            Err(match e {
                RedeemError::Unknown => ApiError::new(StatusCode::NOT_FOUND, "unknown", msg),
                RedeemError::AlreadyRedeemed { at_ms, .. } => {
                    ApiError::new(StatusCode::CONFLICT, "already_redeemed", msg).with_redeemed_at(rfc3339_jst(from_millis(at_ms)))
                }
                RedeemError::WrongDay(d) => {
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "wrong_day", msg).with_visit_date(d.to_string())
                }
                RedeemError::NoShow => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "no_show", msg),
                RedeemError::Cancelled => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "cancelled", msg),
                RedeemError::Unpaid => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unpaid", msg),
                RedeemError::Throttled { until_ms, .. } => {
                    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "throttled", msg).with_locked_until(rfc3339_jst(from_millis(until_ms)))
                }
                RedeemError::NoRoom { .. } => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "no_room", msg).with_field("party_size"),
            })
        }
    }
}
