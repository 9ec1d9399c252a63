//! `PATCH /api/v1/orders/{order_number}`: 受注編集 of a goods order (the call centre reuses it).

use super::out::{GoodsOrderOut, goods_out};
use crate::api::error::{ApiError, ApiJson, ApiPath, ErrorBody, parse_json};
use crate::api::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use kippu_app::App;
use utoipa::ToSchema;

/// Changes a goods order: before 入金処理 its lines and quantities per destination, 送料,
/// 代引手数料, payment method and points (the total is recomputed, stock moved, a 与信 card
/// authorization replaced by one of the new total); once paid only a destination's address,
/// phone, date and time band (an amount change answers 409 `order_paid`). Another merchant's
/// order is not found.
#[utoipa::path(patch, path = "/api/v1/orders/{order_number}", tag = "goods",
    params(("order_number" = String, Path)), request_body = GoodsEditDoc,
    responses((status = 200, description = "the order after the edit, with its new `total`", body = GoodsOrderOut),
        (status = 404, body = ErrorBody),
        (status = 409, description = "order_paid / order_cancelled / order_processed / order_shipped / sold_out / changed", body = ErrorBody),
        (status = 402, description = "card_declined: the card company refused the new amount; nothing changed", body = ErrorBody),
        (status = 422, description = "a field out of bounds, named by its path (`destinations[0].lines.quantity`, `points_used`…)", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn patch_order(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Json<GoodsOrderOut>, ApiError> {
    let r: kippu_app::goods::edit::GoodsEditRequest = parse_json(body.to_string().as_bytes())?;
    Ok(Json(goods_out(kippu_app::goods::edit::edit(&app, &a, &number, &r).await?)))
}

/// The body of `PATCH /api/v1/orders/{order_number}`: every field optional, omitted ones stay.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct GoodsEditDoc {
    /// One entry per destination of the order, in its order (none added or removed).
    destinations: Option<Vec<DestinationEditDoc>>,
    /// The order's 送料 in yen, 0–100,000, split over its shipped destinations.
    shipping_fee: Option<i64>,
    /// 代引手数料 in yen, 0–100,000, cash on delivery only (the merchant's rule's fee when the
    /// order turns to `cod` without one).
    cod_fee: Option<i64>,
    /// `bank_store`, `cod`, `konbini`, `store_pay` (a family the merchant has on), or the order's
    /// own; never to a card. コンビニ and bank transfers get new `payment_instructions`.
    payment_method: Option<String>,
    /// ポイント利用: points spent, 1 point = 1 yen off the total; at most the customer's balance
    /// (with what the order already spends) and the goods total.
    points_used: Option<i64>,
}

/// One destination of an edit: what changes of it.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DestinationEditDoc {
    name: Option<String>,
    kana: Option<String>,
    postal_code: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    /// お届け希望日 `YYYY-MM-DD`.
    requested_date: Option<String>,
    /// `morning`, `14-16`, `16-18`, `18-20`, `19-21`.
    time_band: Option<String>,
    /// Every line the destination receives after the edit (a product already on the order keeps
    /// its unit price); quantity 1–999.
    lines: Option<Vec<EditLineDoc>>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EditLineDoc {
    product_code: String,
    quantity: i64,
}

/// The body of `PUT /api/v1/orders/{order_number}/ad-code`.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderAdCodeBody {
    /// The AD code (媒体) the order came by, any case; `""` or `null` removes it.
    #[serde(default)]
    ad_code: Option<String>,
}

/// Sets, changes or removes the AD code (媒体) of a goods order after it was placed, whatever
/// its status; the promotions report then counts the order under the new code. The change is
/// audited and written in the order's history. An unknown, switched-off or out-of-period code
/// answers 422 `ad_code`; another merchant's order is not found.
#[utoipa::path(put, path = "/api/v1/orders/{order_number}/ad-code", tag = "goods",
    params(("order_number" = String, Path)), request_body = OrderAdCodeBody,
    responses((status = 200, description = "the order with its `ad_code`", body = GoodsOrderOut),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`ad_code`: no such code, switched off or outside its period", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put_ad_code(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Json<GoodsOrderOut>, ApiError> {
    let b: OrderAdCodeBody = parse_json(body.to_string().as_bytes())?;
    let typed = b.ad_code.unwrap_or_default();
    Ok(Json(goods_out(
        kippu_app::goods::edit::set_ad_code(&app, &a, &number, &typed).await?,
    )))
}
