//! The back-office pages.

mod areas;
mod auth;
mod bookings;
pub mod callcenter;
mod channels;
mod customer;
mod customer_points;
mod customers;
mod door;
mod goods;
mod goods_settings;
mod merchants;
mod orders;
mod payment_settings;
mod payouts;
mod platform;
mod platform_bank;
mod products;
mod profile;
mod proxy;
mod settings;
mod stock;
mod stores;
mod unlock;
mod users;
mod voucher_programs;
mod vouchers;

use crate::error::WebError;
use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use kippu_app::App;

/// `GET /postal/{code}`: the address of a postal code from the shipped table, for forms that
/// fill the address as it is typed (public data; 404 when unknown).
pub async fn postal(axum::extract::Path(code): axum::extract::Path<String>) -> Response {
    match kippu_app::postal::lookup(&code) {
        Some(a) => axum::Json(serde_json::json!({
            "postal_code": a.postal_code,
            "prefecture": a.prefecture,
            "city": a.city,
            "town": a.town,
            "address": a.line(),
        }))
        .into_response(),
        None => (
            axum::http::StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({"error": "unknown postal code"})),
        )
            .into_response(),
    }
}

/// An address no page answers: the designed 404 (the context layer puts it in the shell).
pub async fn not_found() -> WebError {
    WebError::NotFound
}

pub fn router() -> Router<App> {
    let router = Router::new()
        .route("/", get(areas::home))
        .route("/postal/{code}", get(postal))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::set_lang))
        .route("/password/change", get(auth::change_page).post(auth::change))
        .route("/password/reset", get(auth::reset_request_page).post(auth::reset_request))
        .route("/password/reset/{token}", get(auth::reset_page).post(auth::reset))
        .route("/login/unlock/{token}", get(unlock::page).post(unlock::unlock))
        .route("/orders", get(orders::list))
        .route("/orders/bulk", post(orders::bulk))
        .route("/orders/export.csv", get(orders::export_csv))
        .route("/orders/{number}", get(orders::detail))
        .route("/orders/{number}/statement.pdf", get(orders::statement))
        .route("/orders/{number}/messages", post(orders::message))
        .route("/orders/{number}/transfer", post(orders::transfer))
        .route("/orders/{number}/reservation-cancel", post(orders::reservation_cancel))
        .route("/orders/{number}/resend", post(orders::resend))
        .route("/orders/{number}/do/{action}", get(orders::action_screen).post(orders::action_run))
        .route("/orders/{number}/receive", get(orders::receive_screen).post(orders::receive_run))
        .route("/orders/{number}/send", get(orders::send_screen).post(orders::send_run))
        .route(
            "/orders/{number}/tickets/{ticket}/usage",
            get(orders::usage_screen).post(orders::usage_run),
        )
        .route("/shop/{code}", get(customer::shop))
        .route("/shop/{code}/{product}", get(customer::product))
        .route("/shop/{code}/{product}/confirm", post(customer::confirm))
        .route("/shop/{code}/{product}/order", post(customer::place))
        .route("/shop/{code}/{product}/cart", post(customer::cart_add))
        .route("/shop/{code}/cart", get(customer::cart).post(customer::checkout))
        .route("/shop/{code}/cart/remove", post(customer::cart_remove))
        .route("/shop/{code}/cart/order", post(customer::goods_order))
        .route("/my/orders/{token}", get(customer::my_order))
        .route("/my/tickets/{token}", get(customer::my_tickets))
        .route("/my/tickets/{token}/use", post(customer::my_ticket_use))
        .route("/my/tickets/{token}/cancel", post(customer::my_cancel))
        .route("/my/tickets/{token}/messages", post(customer::my_message))
        .route("/my/tickets/{token}/qr/{file}", get(customer::ticket_qr))
        .route("/my/tickets/{token}/transfer", post(customer::my_transfer))
        .route("/my/ticket/{token}", get(customer::held_ticket))
        .route("/my/ticket/{token}/qr.png", get(customer::held_qr))
        .route("/v/{token}", get(customer::holder_home))
        .route("/v/{token}/pay", get(customer::pay_start).post(customer::pay_run))
        .route("/v/{token}/pay/confirm", post(customer::pay_confirm))
        .route("/v/{token}/receipts/{number}", get(customer::voucher_receipt))
        .route("/slip/{token}", get(customer::slip).post(customer::slip_receive))
        .route("/reservations/products", get(products::list).post(products::create))
        .route("/reservations/products/new", get(products::new_page))
        .route("/reservations/products/{code}", get(products::edit_page).post(products::update))
        .route("/reservations/products/{code}/archive", post(products::archive))
        .route("/reservations/products/{code}/listing", post(products::listing))
        .route("/reservations/products/{code}/stock", post(products::stock))
        .route("/reservations/products/{code}/calendar", get(stock::calendar))
        .route("/reservations/products/{code}/stock-range", post(stock::set_range))
        .route("/reservations/products/{code}/stock-day", post(stock::set_day))
        .route("/reservations/availability", get(stock::import_page).post(stock::import))
        .route("/reservations/channels", get(channels::list).post(channels::create))
        .route("/reservations/channels/{code}/tokens", post(channels::issue_token))
        .route("/reservations/channels/{code}/redeem", post(channels::set_redeem))
        .route("/reservations/channels/tokens/{id}/revoke", post(channels::revoke_token))
        .route("/shipping/orders", get(goods::list))
        .route("/settings/goods", get(goods_settings::show).post(goods_settings::save))
        .route("/shipping/bulk", post(goods::bulk))
        .route("/shipping/points", get(goods::points).post(goods::change_points))
        .route("/shipping/export-b2.csv", get(goods::export_b2))
        .route("/shipping/orders.csv", get(goods::download))
        .route("/shipping/layouts", get(goods::layouts).post(goods::create_layout))
        .route("/shipping/layouts/{id}", get(goods::edit_layout).post(goods::update_layout))
        .route("/shipping/layouts/{id}/delete", post(goods::delete_layout))
        .route("/shipping/labels/{file}", get(goods::export_labels))
        .route("/shipping/orders/{number}", get(goods::detail))
        .route("/shipping/orders/{number}/mail", get(goods::mail_draft).post(goods::mail_send))
        .route("/shipping/orders/{number}/edit", get(goods::edit).post(goods::save_edit))
        .route("/shipping/orders/{number}/ad-code", post(goods::save_ad_code))
        .route("/shipping/orders/{number}/do/{action}", post(goods::act))
        .route("/shipping/orders/{number}/destinations/{k}", post(goods::edit_destination))
        .route(
            "/shipping/import",
            get(goods::import_page)
                .post(goods::import)
                .layer(axum::extract::DefaultBodyLimit::max(crate::IMPORT_LIMIT)),
        )
        .route("/shipping/import/{id}", get(goods::import_run))
        .route("/reservations/bookings", get(bookings::list))
        .route("/reservations/bookings/export.csv", get(bookings::export_csv))
        .route("/reservations/door", get(door::index).post(door::lookup))
        .route("/reservations/door/redeem", post(door::redeem))
        .route("/reservations/payouts", get(payouts::list))
        .route("/reservations/payouts/fee", post(payouts::set_fee))
        .route("/reservations/payouts/{id}", get(payouts::detail))
        .route("/reservations/payouts/{id}/paid", post(payouts::mark_paid))
        .route("/reservations/payouts/{id}/statement.csv", get(payouts::csv))
        .route("/reservations/payouts/{id}/statement.pdf", get(payouts::pdf))
        .route("/callcenter", get(callcenter::reception::page))
        .route("/callcenter/clear", post(callcenter::order::clear))
        .route("/callcenter/order", get(callcenter::order::page).post(callcenter::order::post))
        .route("/callcenter/orders", get(callcenter::orders::page))
        .route(
            "/callcenter/interactions",
            get(callcenter::interactions::page).post(callcenter::interactions::add),
        )
        .route("/callcenter/interactions/export.csv", get(callcenter::interactions::download))
        .route(
            "/callcenter/interactions/import",
            get(callcenter::interactions::import::page).post(callcenter::interactions::import::upload),
        )
        .route(
            "/callcenter/interactions/import/template.csv",
            get(callcenter::interactions::import::template),
        )
        .route(
            "/callcenter/interactions/import/operators.csv",
            get(callcenter::interactions::import::operators),
        )
        .route(
            "/callcenter/interactions/{id}",
            get(callcenter::interactions::detail::page).post(callcenter::interactions::detail::edit),
        )
        .route("/callcenter/notes", get(callcenter::notes::page).post(callcenter::notes::add))
        .route("/callcenter/notes/{id}", post(callcenter::notes::edit))
        .route("/callcenter/notes/{id}/delete", post(callcenter::notes::delete))
        .route(
            "/callcenter/settings",
            get(callcenter::settings::page).post(callcenter::settings::save),
        )
        .route("/callcenter/cards", get(callcenter::cards::page))
        .route("/callcenter/cards/refresh", post(callcenter::cards::refresh))
        .route("/callcenter/cards/register", post(callcenter::cards::register))
        .route("/callcenter/cards/delete", post(callcenter::cards::delete))
        .route("/callcenter/rejected", get(callcenter::rejected::list))
        .route("/callcenter/rejected/{id}", get(callcenter::rejected::detail))
        .route(
            "/callcenter/settings/fraud",
            get(callcenter::rejected::fraud_page).post(callcenter::rejected::fraud_save),
        )
        .route("/proxy/customers", get(customers::list))
        .route("/proxy/customers/new", get(customers::new_page).post(customers::register))
        .route("/proxy/customers/{id}", get(customers::edit_page).post(customers::edit))
        .route("/proxy/coupons", get(proxy::coupons::list))
        .route("/proxy/coupons/new", get(proxy::coupons::new_page).post(proxy::coupons::create))
        .route("/proxy/coupons/{id}", get(proxy::coupons::edit_page).post(proxy::coupons::edit))
        .route("/proxy/coupons/{id}/switch", post(proxy::coupons::switch))
        .route("/proxy/report", get(proxy::report::page))
        .route("/proxy/courses", get(proxy::courses::list).post(proxy::courses::create))
        .route("/callcenter/subscriptions", get(callcenter::subscriptions::list))
        .route("/callcenter/subscriptions/{id}", get(callcenter::subscriptions::detail))
        .route("/callcenter/subscriptions/{id}/act", post(callcenter::subscriptions::act))
        .route("/callcenter/subscriptions/{id}/edit", post(callcenter::subscriptions::edit))
        .route("/proxy/adcodes", get(proxy::ad_codes::list))
        .route("/proxy/adcodes/new", get(proxy::ad_codes::new_page).post(proxy::ad_codes::create))
        .route("/proxy/adcodes/{id}", get(proxy::ad_codes::edit_page).post(proxy::ad_codes::edit))
        .route("/proxy/adcodes/{id}/switch", post(proxy::ad_codes::switch))
        .route(
            "/proxy/customers/{id}/points",
            get(customer_points::points_page).post(customer_points::adjust),
        )
        .route("/vouchers/payments", get(vouchers::list))
        .route(
            "/vouchers/payments/{number}/cancel",
            get(vouchers::cancel_screen).post(vouchers::cancel_run),
        )
        .route("/vouchers/monthly", get(vouchers::monthly))
        .route("/vouchers/daily", get(vouchers::daily))
        .route("/vouchers/settlement", get(vouchers::payouts))
        .route("/vouchers/settlement/{program}/{file}", get(vouchers::statement))
        .route("/vouchers/export", get(vouchers::export_page))
        .route("/vouchers/export.csv", get(vouchers::export_csv))
        .route("/settings", get(settings::index))
        .route("/settings/payment", get(payment_settings::show).post(payment_settings::save))
        .route("/settings/templates", get(settings::templates))
        .route(
            "/settings/templates/{key}",
            get(settings::template_page).post(settings::template_save),
        )
        .route("/settings/outbox", get(settings::outbox))
        .route("/settings/outbox/rows", get(settings::outbox_rows))
        .route("/settings/outbox/{id}/retry", post(settings::outbox_retry))
        .route("/settings/audit", get(settings::audit))
        .route("/settings/users", get(users::list).post(users::invite))
        .route("/settings/users/{login_id}/disabled", post(users::set_disabled))
        .route("/settings/users/{login_id}/reset", post(users::send_reset))
        .route("/settings/users/{login_id}/admin-settings", post(users::set_admin_settings))
        .route("/settings/stores", get(stores::list).post(stores::add_store))
        .route("/settings/stores/{store}/terminals", post(stores::add_terminal))
        .route("/settings/terminals/{file}", get(stores::qr_mount))
        .route("/settings/terminals/{code}/passcode", post(stores::reissue))
        .route("/settings/merchant", get(profile::show).post(profile::save))
        .route("/platform/merchants", get(merchants::list).post(merchants::create))
        .route("/platform/merchants/{code}/fee", post(merchants::set_fee))
        .route("/platform/merchants/{code}/payments", post(merchants::set_payments))
        .route("/platform/merchants/{code}/suspend", post(merchants::suspend))
        .route("/platform/merchants/{code}/resume", post(merchants::resume))
        .route("/platform/bank-account", get(platform_bank::show).post(platform_bank::save))
        .route("/platform/deposits", get(platform::deposits))
        .route("/platform/deposits/import", post(platform::import))
        .route("/platform/cancel-requests", get(platform::cancel_requests))
        .route("/platform/vouchers", get(voucher_programs::list).post(voucher_programs::create))
        .route("/platform/vouchers/{code}", get(voucher_programs::show))
        .route("/platform/vouchers/{code}/merchants", post(voucher_programs::enrol))
        .route("/platform/vouchers/{code}/grants", post(voucher_programs::grant))
        .route(
            "/platform/vouchers/{code}/grants.csv",
            post(voucher_programs::grant_csv).layer(axum::extract::DefaultBodyLimit::max(crate::IMPORT_LIMIT)),
        );
    areas::AREAS.iter().fold(router, |r, a| r.route(a.path, get(areas::area)))
}

/// Renders a template with a status code.
pub fn render(status: axum::http::StatusCode, t: impl Template) -> Result<Response, WebError> {
    t.render()
        .map(|html| (status, Html(html)).into_response())
        .map_err(|e| WebError::Internal(format!("template: {e}")))
}

pub fn ok(t: impl Template) -> Result<Response, WebError> {
    render(axum::http::StatusCode::OK, t)
}

/// A redirect target from a form must stay on this site.
pub fn safe_local(path: &str) -> &str {
    // Visible ASCII only: anything else could not go into a `Location` header as it is.
    let visible = path.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if visible && path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") {
        path
    } else {
        "/"
    }
}
