//! `POST /api/v1/orders`: order intake with `Idempotency-Key`.

use super::out::*;
use crate::api::error::{ApiError, ApiJson, ErrorBody, parse_json};
use crate::api::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kippu_app::App;
use kippu_app::orders::{self, OrderRequest};
use utoipa::ToSchema;

/// Takes an order. `Idempotency-Key` makes a retried request answer with the first order.
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = OrderRequestDoc,
    params(("Idempotency-Key" = Option<String>, Header, description = "retry-safe key; the same key and body return the first order")),
    responses((status = 201, body = OrderOut), (status = 200, description = "replayed by Idempotency-Key", body = OrderOut),
        (status = 409, description = "sold_out / listing_stopped", body = ErrorBody), (status = 402, description = "card_declined", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    headers: HeaderMap,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    // The kind of the first product decides the shape of the order (goods have destinations).
    let bytes = body.to_string();
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    if orders::flow_of(&app, &a, &body).await? == kippu_domain::catalog::OrderKind::Goods {
        let r: kippu_app::goods::GoodsOrderRequest = parse_json(bytes.as_bytes())?;
        let out = kippu_app::goods::create(&app, &a, &r, key).await?;
        let status = if out.replayed { StatusCode::OK } else { StatusCode::CREATED };
        return Ok((status, Json(crate::api::goods::goods_out(out.view))).into_response());
    }
    let r: OrderRequest = parse_json(bytes.as_bytes())?;
    let out = orders::create(&app, &a, &r, key).await?;
    let status = if out.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(order_out(&app, out.order))).into_response())
}

/// The body of `POST /api/v1/orders` (documentation of `OrderRequest`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OrderRequestDoc {
    product_code: String,
    /// 1–100 tickets.
    quantity: i64,
    /// `YYYY-MM-DD`, for dated ticket types (rental, accommodation).
    visit_date: Option<String>,
    /// For rental products, e.g. `10:00`.
    time_slot: Option<String>,
    /// For accommodation products: nights from `visit_date` (the check-in date), 1–14. Each
    /// night takes a room from that night's stock; the amount is price × rooms × nights.
    nights: Option<i64>,
    /// For reservations: people in the party.
    party_size: Option<i64>,
    /// `bank_platform`, `bank_store`, `pay_at_venue`, `card_auth`, `card_capture` (goods also
    /// `cod`, `konbini`, `store_pay`). Only a method whose family the merchant has on (決済設定,
    /// within what the platform allows), and a card only in the merchant's card mode; anything
    /// else answers 422 with `field` `payment_method`. コンビニ and bank transfers answer
    /// `payment_instructions` (the number or the account, and `due_at`).
    payment_method: String,
    /// Card token from the payment company (sandbox: `tok_visa`, `tok_declined`…).
    card_token: Option<String>,
    /// Instead of `card_token`: the orderer's stored card (登録クレジットカード), a `card_id`
    /// of `GET /api/v1/customers/{id}/cards` for the customer with `customer.email`. Another
    /// customer's card answers 422 with `field` `card_id`; a decline 402 `card_declined`.
    card_id: Option<String>,
    /// Channel code; the own site (`OWN`) by default.
    channel: Option<String>,
    customer: CustomerDoc,
    /// One of the merchant's coupon codes; its discount comes off the goods total (goods) or the
    /// tickets' amount (web tickets, reservations), and a card is authorized for what is left.
    /// An unknown, expired, switched-off or used-up coupon (or one below its minimum amount, or
    /// another merchant's) answers 422 with `field` `coupon_code` and the reason in words.
    coupon_code: Option<String>,
    /// The AD code (媒体) the order came from, goods and tickets alike; unknown, switched off or
    /// out of its period answers 422 with `field` `ad_code`.
    ad_code: Option<String>,
    /// 定期: makes a master that repeats this order (goods and web tickets; a reservation answers
    /// 422 with `field` `subscription`). A web-ticket master repeats the product and quantity;
    /// a dated ticket type's first child is a cycle after the first order's visit date, each
    /// child for its cycle's due date with the first order's time slot and nights. The answer
    /// carries `subscription_id`.
    subscription: Option<SubscriptionDoc>,
    /// 代理注文: a stored customer of the merchant (顧客ID); their name, furigana, phone, email
    /// and address are the order's buyer and `customer` may be left out. Another merchant's or
    /// an unknown id answers 422 with `field` `customer_id`.
    customer_id: Option<i64>,
    /// Goods: the order's whole shipping fee instead of the computed one, 0–100,000 yen. Only a
    /// merchant's own users and tokens; audited with the computed value.
    shipping_fee: Option<i64>,
    /// Goods: the handling fee (手数料, e.g. 代引手数料) instead of the computed one, 0–100,000 yen,
    /// as `shipping_fee`.
    handling_fee: Option<i64>,
    /// お問い合わせメモ, up to 2,000 characters.
    memo_inquiry: Option<String>,
    /// SHOPメモ, up to 2,000 characters.
    memo_shop: Option<String>,
    /// `false`: the buyer is not sent the order-complete email (注文完了メール); the merchant's
    /// notification still goes. Default `true`.
    send_mail: Option<bool>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CustomerDoc {
    name: String,
    /// Full-width katakana.
    kana: String,
    email: String,
    phone: String,
}

/// `subscription` of an order: one cycle, or a 頒布会 course (goods only).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SubscriptionDoc {
    /// Every N days (1–365).
    every_days: Option<i64>,
    /// Every N months on `day` (1–31; a short month's last day).
    every_months: Option<i64>,
    day: Option<i64>,
    /// Every N weeks on `weekday` (`mon` … `sun`).
    every_weeks: Option<i64>,
    weekday: Option<String>,
    /// A 頒布会 course code (goods): monthly on the order's day unless a cycle is given.
    course: Option<String>,
}
