//! `GET /api/v1/reservations`: the merchant's reservations in visit order (the list of the
//! screen 予約一覧), e.g. for a door tablet's list of the day.

use super::error::ApiQuery;
use super::error::{ApiError, ErrorBody};
use super::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use kippu_app::App;
use kippu_app::reservations::bookings::{self, BookingQuery};
use kippu_domain::clock::{from_millis, rfc3339_jst};
use kippu_domain::paging::Paging;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default)]
pub struct ReservationParams {
    /// First visit date, `YYYY-MM-DD` (inclusive).
    pub visit_from: Option<String>,
    /// Last visit date, `YYYY-MM-DD` (inclusive).
    pub visit_to: Option<String>,
    /// `open` (still to come), `redeemed`, `no_show` or `cancelled`.
    pub state: Option<String>,
    /// A channel code, e.g. `OWN`, `OTA1`.
    pub channel: Option<String>,
    /// A reservation product's code.
    pub product: Option<String>,
    /// Part of the customer's name or furigana.
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub order_number: Option<String>,
    /// The 6-digit e-ticket ID.
    pub eticket_id: Option<String>,
    pub page: Option<i64>,
    /// At most 200; 50 by default.
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ReservationOut {
    pub order_number: String,
    pub visit_date: String,
    pub time_slot: Option<String>,
    pub eticket_id: Option<String>,
    pub product_code: String,
    pub product_name: String,
    pub party_size: i64,
    /// People who came (set at redemption).
    pub party_size_actual: Option<i64>,
    pub customer_name: String,
    pub customer_kana: String,
    pub channel: Option<String>,
    pub amount: i64,
    /// The order's payment status (`awaiting_send`, `unreceived`, `cancelled`…).
    pub status: String,
    pub status_label: String,
    /// `open`, `redeemed`, `no_show` or `cancelled`.
    pub state: String,
    pub redeemed_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReservationList {
    pub items: Vec<ReservationOut>,
    /// Matches, counted exactly up to 10,000; 10,001 means "more than 10,000".
    pub total: i64,
    /// People booked (cancelled bookings left out), when the visit dates span at most 31 days.
    pub people_booked: Option<i64>,
    /// People who came, likewise.
    pub people_came: Option<i64>,
    pub page: i64,
    pub per_page: i64,
}

/// Searches reservations in visit order (date, slot, order).
#[utoipa::path(get, path = "/api/v1/reservations", tag = "reservations", params(ReservationParams),
    responses((status = 200, body = ReservationList), (status = 422, description = "invalid search", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<ReservationParams>,
) -> Result<Json<ReservationList>, ApiError> {
    let s = |v: Option<String>| v.unwrap_or_default();
    let q = BookingQuery {
        visit_from: s(p.visit_from),
        visit_to: s(p.visit_to),
        state: s(p.state),
        channel: s(p.channel),
        product: s(p.product),
        name: s(p.name),
        phone: s(p.phone),
        email: s(p.email),
        order_number: s(p.order_number),
        eticket_id: s(p.eticket_id),
    };
    let paging = Paging::new(p.page, p.per_page, 50).map_err(kippu_app::AppError::from)?;
    let (page, per_page) = (paging.page(), paging.per_page());
    let r = bookings::list(&app, &a, &q, paging).await?;
    Ok(Json(ReservationList {
        items: r
            .rows
            .iter()
            .map(|b| ReservationOut {
                order_number: b.order_number.clone(),
                visit_date: b.visit_date.clone(),
                time_slot: b.time_slot.clone(),
                eticket_id: b.eticket_id.clone(),
                product_code: b.product_code.clone(),
                product_name: b.product_name.clone(),
                party_size: b.party_size,
                party_size_actual: b.party_size_came,
                customer_name: b.customer_name.clone(),
                customer_kana: b.customer_kana.clone(),
                channel: b.channel_name.clone(),
                amount: b.amount,
                status: b.status.as_str().into(),
                status_label: b.status.label_ja().to_string(),
                state: bookings::state_of(b).as_str().to_string(),
                redeemed_at: b.redeemed_at.map(|at| rfc3339_jst(from_millis(at))),
            })
            .collect(),
        total: r.total,
        people_booked: r.people.map(|p| p.0),
        people_came: r.people.map(|p| p.1),
        page,
        per_page,
    }))
}
