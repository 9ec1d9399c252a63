//! The JSON API under `/api/v1`, authenticated by `Authorization: Bearer <token>`.
//! Every error is `{ "error": { "code", "message", "field" } }` with a fitting status.

mod ad_codes;
mod bookings;
mod cards;
mod coupons;
mod customers;
mod error;
mod fraud;
mod goods;
mod handlers;
mod interactions;
mod merchants;
mod notes;
mod openapi;
mod orders;
pub mod permissions;
mod products;
mod redemptions;
mod rejected;
mod reports;
mod settlements;
mod subscriptions;
mod vouchers;
mod work_queue;

pub use error::ApiError;

use axum::Router;
use kippu_app::App;

pub fn router(app: &App) -> Router<App> {
    permissions::router(app)
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
}

pub fn openapi_json() -> String {
    openapi::json()
}
