//! The API's permission table: every route with who may call it. The router is built from this
//! table alone, so a route cannot exist without its row; a gate in front of each handler
//! resolves the bearer token once, asks `kippu_app::access` whether that kind of caller may use
//! the route (403 with the reason if not) and hands the actor to the handler (`ApiActor`).
//! Inside, the use case still scopes every query by the caller's merchant and, for an OTA's
//! token, its channel. `tests/integration/permissions.rs` visits every row as every caller.

use super::error::ApiError;
use super::{
    ad_codes, bookings, cards, coupons, customers, fraud, goods, handlers, interactions, merchants, notes, openapi, orders, products,
    redemptions, rejected, reports, settlements, subscriptions, vouchers, work_queue,
};
use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use kippu_app::access::{self, Access};
use kippu_app::{App, accounts};

/// One route of the API: its method, its path under `/api/v1`, and who may call it.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    handler: MethodRouter<App>,
}

fn route<H, T>(method: Method, path: &'static str, access: Access, handler: H) -> Route
where
    H: Handler<T, App>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).unwrap_or_else(|_| panic!("{method} {path}: no such method filter"));
    Route {
        method,
        path,
        access,
        handler: on(filter, handler),
    }
}

impl Route {
    /// Takes files bigger than the API's default body limit.
    fn with_body_limit(mut self, bytes: usize) -> Route {
        self.handler = self.handler.layer(axum::extract::DefaultBodyLimit::max(bytes));
        self
    }
}

/// Every route of the API with its access. Adding a route means adding its row here.
pub fn table() -> Vec<Route> {
    use Method as M;
    use access::{ANY_TOKEN, MERCHANT, MERCHANT_OR_PLATFORM, ORDER_READING, ORDERING, PLATFORM};
    vec![
        route(M::GET, "/openapi.json", Access::Public, openapi::document),
        route(M::GET, "/me", ANY_TOKEN, handlers::me),
        route(M::GET, "/stores", MERCHANT, handlers::stores),
        route(M::GET, "/products", MERCHANT, handlers::products),
        route(M::POST, "/products", MERCHANT, products::create),
        route(M::GET, "/customers", MERCHANT, customers::list),
        route(M::POST, "/customers", MERCHANT, customers::create),
        route(M::GET, "/customers/{id}", MERCHANT, customers::get),
        route(M::PATCH, "/customers/{id}", MERCHANT, customers::patch),
        route(M::GET, "/customers/{id}/cards", MERCHANT, cards::list),
        route(M::POST, "/customers/{id}/cards", MERCHANT, cards::register),
        route(M::POST, "/customers/{id}/cards/refresh", MERCHANT, cards::refresh),
        route(M::DELETE, "/customers/{id}/cards/{card_id}", MERCHANT, cards::delete),
        route(M::GET, "/rejected-orders", MERCHANT, rejected::list),
        route(M::GET, "/rejected-orders/{id}", MERCHANT, rejected::get),
        route(M::GET, "/notes", MERCHANT, notes::list),
        route(M::POST, "/notes", MERCHANT, notes::create),
        route(M::GET, "/notes/{id}", MERCHANT, notes::get),
        route(M::GET, "/fraud-rules", MERCHANT, fraud::get),
        route(M::PUT, "/fraud-rules", MERCHANT, fraud::put),
        route(M::GET, "/coupons", MERCHANT, coupons::list),
        route(M::POST, "/coupons", MERCHANT, coupons::create),
        route(M::PUT, "/coupons/{id}", MERCHANT, coupons::update),
        route(M::GET, "/ad-codes", MERCHANT, ad_codes::list),
        route(M::POST, "/ad-codes", MERCHANT, ad_codes::create),
        route(M::PUT, "/ad-codes/{id}", MERCHANT, ad_codes::update),
        route(M::GET, "/reports/promotions", MERCHANT, reports::promotions),
        route(M::GET, "/subscriptions", MERCHANT, subscriptions::list),
        route(M::GET, "/subscriptions/{id}", MERCHANT, subscriptions::get),
        route(M::PATCH, "/subscriptions/{id}", MERCHANT, subscriptions::patch),
        route(M::POST, "/subscriptions/{id}/{action}", MERCHANT, subscriptions::action),
        route(M::GET, "/courses", MERCHANT, subscriptions::courses_list),
        route(M::POST, "/courses", MERCHANT, subscriptions::courses_create),
        route(M::GET, "/interactions", MERCHANT, interactions::list),
        route(M::POST, "/interactions", MERCHANT, interactions::create),
        route(M::PATCH, "/interactions/{id}", MERCHANT, interactions::patch),
        route(M::POST, "/interactions/import", MERCHANT, interactions::import),
        route(M::GET, "/interactions/export.csv", MERCHANT, interactions::export_csv),
        route(M::GET, "/outbox", MERCHANT_OR_PLATFORM, handlers::outbox),
        route(M::GET, "/merchants", PLATFORM, handlers::merchants),
        route(M::POST, "/merchants", PLATFORM, merchants::create_merchant),
        route(M::POST, "/merchants/{code}/suspend", PLATFORM, merchants::suspend),
        route(M::POST, "/merchants/{code}/resume", PLATFORM, merchants::resume),
        route(
            M::PUT,
            "/merchants/{code}/payment-methods",
            PLATFORM,
            merchants::set_payment_methods,
        ),
        route(M::GET, "/orders", ORDER_READING, orders::list),
        route(M::POST, "/orders", ORDERING, orders::create),
        route(M::GET, "/orders/export.csv", MERCHANT_OR_PLATFORM, orders::export_csv),
        route(M::GET, "/orders/{order_number}", ORDER_READING, orders::get),
        route(M::PATCH, "/orders/{order_number}", MERCHANT, goods::patch_order),
        route(M::PUT, "/orders/{order_number}/ad-code", MERCHANT, goods::put_ad_code),
        route(
            M::GET,
            "/orders/{order_number}/statement.pdf",
            MERCHANT_OR_PLATFORM,
            orders::statement,
        ),
        route(M::POST, "/orders/{order_number}/{action}", MERCHANT_OR_PLATFORM, orders::action),
        route(
            M::PUT,
            "/orders/{order_number}/destinations/{destination}",
            MERCHANT_OR_PLATFORM,
            goods::put_destination,
        ),
        route(M::POST, "/payment-notices/konbini", PLATFORM, goods::konbini_notice),
        route(M::POST, "/shipments/import", MERCHANT, goods::import).with_body_limit(crate::IMPORT_LIMIT),
        route(M::GET, "/shipments/imports/{id}", MERCHANT, goods::import_run),
        route(M::GET, "/shipments/imports/{id}/lines", MERCHANT, goods::import_lines),
        route(M::POST, "/tickets/{ticket_number}/use", MERCHANT_OR_PLATFORM, orders::ticket_use),
        route(
            M::POST,
            "/tickets/{ticket_number}/unuse",
            MERCHANT_OR_PLATFORM,
            orders::ticket_unuse,
        ),
        route(
            M::POST,
            "/tickets/{ticket_number}/transfer",
            MERCHANT_OR_PLATFORM,
            orders::ticket_transfer,
        ),
        route(M::POST, "/bulk/{action}", MERCHANT_OR_PLATFORM, orders::bulk),
        route(M::POST, "/redemptions", ORDERING, redemptions::redeem),
        route(M::GET, "/reservations", ORDER_READING, bookings::list),
        route(M::GET, "/settlements", MERCHANT_OR_PLATFORM, settlements::list),
        route(M::GET, "/settlements/{id}/statement.csv", MERCHANT_OR_PLATFORM, settlements::csv),
        route(M::GET, "/settlements/{id}/statement.pdf", MERCHANT_OR_PLATFORM, settlements::pdf),
        route(M::GET, "/voucher-payments", MERCHANT_OR_PLATFORM, vouchers::list),
        route(M::POST, "/voucher-payments", Access::Holder, vouchers::pay),
        route(
            M::POST,
            "/voucher-payments/{payment_number}/cancel",
            MERCHANT_OR_PLATFORM,
            vouchers::cancel,
        ),
        route(M::GET, "/voucher-holder", Access::Holder, vouchers::holder),
        route(M::GET, "/work-queue", MERCHANT_OR_PLATFORM, work_queue::work_queue),
    ]
}

/// The API router, every route behind its gate.
pub fn router(app: &App) -> axum::Router<App> {
    let mut r = axum::Router::new();
    for row in table() {
        let gate = axum::middleware::from_fn_with_state((app.clone(), row.access), gate);
        r = r.route(row.path, row.handler.route_layer(gate));
    }
    r
}

/// Resolves the caller once and lets it through only if its kind may use the route; the
/// handler's `ApiActor` is the actor resolved here.
async fn gate(State((app, access)): State<(App, Access)>, mut req: Request, next: Next) -> Response {
    if access == Access::Holder {
        // Who is paying is known before the body is read.
        let known = match handlers::bearer_token(req.headers()) {
            Err(e) => return e.into_response(),
            Ok(token) => kippu_app::vouchers::holders::holder(&app, token).await,
        };
        match known {
            Ok(_) => {}
            Err(kippu_app::AppError::NotFound) => return ApiError::unauthorized().into_response(),
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    if let Access::Tokens(_) = access {
        let actor = match handlers::bearer_token(req.headers()) {
            Err(e) => return e.into_response(),
            Ok(token) => match accounts::token_actor(&app, token).await {
                Ok(Some(actor)) => actor,
                Ok(None) => return ApiError::unauthorized().into_response(),
                Err(e) => return ApiError::from(e).into_response(),
            },
        };
        if let Err(e) = access.check(&actor) {
            return ApiError::from(e).into_response();
        }
        req.extensions_mut().insert(handlers::Gated(actor));
    }
    next.run(req).await
}
