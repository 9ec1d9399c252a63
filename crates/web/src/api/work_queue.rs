//! `GET /api/v1/work-queue`: the home page's counts for a token's merchant (or the platform),
//! each with the list that shows those rows — for a dashboard or a shop's own tools.

use super::error::ApiError;
use super::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use kippu_app::App;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct WorkCountOut {
    /// `unpaid`, `unreceived`, `authorized`, `auth_expiring`, `awaiting_send`,
    /// `cancel_requested`, `unanswered`, `bookings_today`, `bookings_tomorrow`; the platform's
    /// `deposits`, `platform_cancel_requests`, `payouts_scheduled`.
    pub work: String,
    /// Counted up to 10,001 (more means "over 10,000").
    pub count: i64,
    /// People booked, for the day's bookings.
    pub people: Option<i64>,
    /// The back-office list showing exactly these rows.
    pub href: String,
}

/// What waits for the token's merchant, counted with the filters of the lists it links to.
#[utoipa::path(get, path = "/api/v1/work-queue", tag = "orders",
    responses((status = 200, body = [WorkCountOut])), security(("bearer" = [])))]
pub async fn work_queue(State(app): State<App>, ApiActor(a): ApiActor) -> Result<Json<Vec<WorkCountOut>>, ApiError> {
    let counts = kippu_app::work_queue::for_actor(&app, &a).await?;
    Ok(Json(
        counts
            .into_iter()
            .map(|w| WorkCountOut {
                work: w.work.code().to_string(),
                count: w.count,
                people: w.people,
                href: w.href,
            })
            .collect(),
    ))
}
