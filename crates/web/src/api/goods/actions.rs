//! Goods order actions and a destination's tracking number.

use super::out::{GoodsOrderOut, goods_out};
use crate::api::error::{ApiError, ApiJson, ApiPath, ErrorBody};
use crate::api::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::App;
use kippu_app::goods::{self, Command, TrackingInput};
use kippu_domain::action_names::GoodsActionName;
use serde::Deserialize;
use utoipa::ToSchema;

/// The options of a goods action (all optional).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct GoodsActionBody {
    /// `mark-paid`: 入金日 `YYYY-MM-DD` (today when absent).
    pub payment_date: Option<String>,
    /// `ship`: 商品発送日 (today when absent).
    pub ship_date: Option<String>,
    /// `ship`: one destination (every unshipped one when absent).
    pub destination: Option<usize>,
    /// `ship`: these destinations, with one ship date: all or none.
    pub destinations: Option<Vec<usize>>,
    /// `ship`: send the 発送通知 (受取通知 for a pickup); `mark-paid`: the ご入金確認メール;
    /// `cancel`: キャンセルのお知らせ; `refund`: ご返金のお知らせ.
    #[serde(default)]
    pub notify: bool,
    /// `refund`: 一部返金 of this many yen (at most what was paid and not yet refunded).
    pub amount: Option<i64>,
    /// `cancel`, `refund`: why (required, up to 200 characters).
    pub reason: Option<String>,
}

/// The command behind a goods action name with its options; `None` for a name that is not one
/// order's command.
pub fn goods_command(name: GoodsActionName, b: GoodsActionBody) -> Option<Command> {
    Command::of(
        name,
        goods::CommandInput {
            payment_date: b.payment_date,
            ship_date: b.ship_date,
            destination: b.destination,
            destinations: b.destinations,
            amount: b.amount,
            reason: b.reason,
        },
    )
}

/// Runs a goods action (called by `POST /api/v1/orders/{n}/{action}` for goods orders).
pub async fn goods_action(
    app: &App,
    a: &kippu_app::Actor,
    number: &str,
    name: GoodsActionName,
    body: GoodsActionBody,
) -> Result<GoodsOrderOut, ApiError> {
    let notify = body.notify;
    if name == GoodsActionName::Unship && body.destination.is_none() {
        return Err(kippu_app::AppError::from(kippu_domain::validate::FieldError::new(
            "destination",
            "未発送に戻すお届け先の番号を指定してください",
        ))
        .into());
    }
    let cmd = goods_command(name, body).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "unknown goods order action {} (mark-paid, capture, ship, unship, process, reopen, cancel, refund)",
                name.as_str()
            ),
        )
    })?;
    Ok(goods_out(goods::act(app, a, number, &cmd, notify).await?))
}

/// お届け先・送り状番号編集: a destination's tracking number, carrier and 配達予定日. A store
/// pickup takes none (422), nor a shipped destination another number.
#[utoipa::path(put, path = "/api/v1/orders/{order_number}/destinations/{destination}", tag = "goods",
    params(("order_number" = String, Path), ("destination" = usize, Path, description = "1, 2, …")), request_body = TrackingBody,
    responses((status = 200, body = GoodsOrderOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put_destination(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath((number, destination)): ApiPath<(String, usize)>,
    ApiJson(b): ApiJson<TrackingBody>,
) -> Result<Json<GoodsOrderOut>, ApiError> {
    let input = TrackingInput {
        tracking_number: b.tracking_number,
        carrier: b.carrier.unwrap_or_default(),
        delivery_date: b.delivery_date.unwrap_or_default(),
    };
    Ok(Json(goods_out(
        goods::edit_destination(&app, &a, &number, destination, &input).await?,
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackingBody {
    /// 12 digits; hyphens, spaces and full-width digits are accepted.
    pub tracking_number: String,
    /// `yamato`, `sagawa`, `japan_post`.
    pub carrier: Option<String>,
    /// 配達予定日 `YYYY-MM-DD`.
    pub delivery_date: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KonbiniNoticeBody {
    pub order_number: String,
}

/// The payment company's notice that a コンビニ支払い was paid (simulated; platform token). The
/// only way a konbini order becomes 入金済.
#[utoipa::path(post, path = "/api/v1/payment-notices/konbini", tag = "goods", request_body = KonbiniNoticeBody,
    responses((status = 200, body = GoodsOrderOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn konbini_notice(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<KonbiniNoticeBody>,
) -> Result<Json<GoodsOrderOut>, ApiError> {
    Ok(Json(goods_out(
        goods::act(&app, &a, &b.order_number, &Command::PaymentNotified, true).await?,
    )))
}
