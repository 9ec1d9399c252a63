//! The JSON API under `/api/v1`, authenticated by `Authorization: Bearer <token>`.
//! Every error is `{ "error": { "code", "message", "field" } }` with a fitting status.

mod bookings;
mod error;
mod goods;
mod handlers;
mod merchants;
mod openapi;
mod orders;
mod products;
mod redemptions;
mod settlements;
mod vouchers;
mod work_queue;

pub use error::ApiError;

use axum::Router;
use axum::routing::{get, post, put};
use kippu_app::App;

pub fn router() -> Router<App> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(handlers::me))
        .route("/stores", get(handlers::stores))
        .route("/products", get(handlers::products).post(products::create))
        .route("/customers", get(handlers::customers))
        .route("/customers/{id}", get(handlers::customer).patch(handlers::patch_customer))
        .route("/outbox", get(handlers::outbox))
        .route("/merchants", get(handlers::merchants).post(merchants::create_merchant))
        .route("/merchants/{code}/suspend", post(merchants::suspend))
        .route("/merchants/{code}/resume", post(merchants::resume))
        .route("/merchants/{code}/payment-methods", put(merchants::set_payment_methods))
        .route("/orders", get(orders::list).post(orders::create))
        .route("/orders/export.csv", get(orders::export_csv))
        .route("/orders/{order_number}", get(orders::get))
        .route("/orders/{order_number}/statement.pdf", get(orders::statement))
        .route("/orders/{order_number}/{action}", post(orders::action))
        .route("/orders/{order_number}/destinations/{destination}", put(goods::put_destination))
        .route("/payment-notices/konbini", post(goods::konbini_notice))
        .route(
            "/shipments/import",
            post(goods::import).layer(axum::extract::DefaultBodyLimit::max(crate::IMPORT_LIMIT)),
        )
        .route("/tickets/{ticket_number}/use", post(orders::ticket_use))
        .route("/tickets/{ticket_number}/unuse", post(orders::ticket_unuse))
        .route("/tickets/{ticket_number}/transfer", post(orders::ticket_transfer))
        .route("/bulk/{action}", post(orders::bulk))
        .route("/redemptions", post(redemptions::redeem))
        .route("/reservations", get(bookings::list))
        .route("/settlements", get(settlements::list))
        .route("/settlements/{id}/statement.csv", get(settlements::csv))
        .route("/settlements/{id}/statement.pdf", get(settlements::pdf))
        .route("/voucher-payments", get(vouchers::list).post(vouchers::pay))
        .route("/voucher-payments/{payment_number}/cancel", post(vouchers::cancel))
        .route("/voucher-holder", get(vouchers::holder))
        .route("/work-queue", get(work_queue::work_queue))
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
}

pub fn openapi_json() -> String {
    openapi::json()
}
