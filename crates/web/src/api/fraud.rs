//! `/api/v1/fraud-rules`: the merchant's fraud rules (不正注文チェック) — read and replaced whole,
//! by merchant admins only (「管理者専用設定」: anyone else is refused 403 by the app). The rules,
//! their bounds and the audit are `kippu_app::callcenter::fraud`'s.

use super::error::{ApiError, ApiJson, ErrorBody};
use super::handlers::{ApiActor, merchant_of};
use axum::Json;
use axum::extract::State;
use kippu_app::App;
use kippu_app::callcenter::fraud::{self, FraudRulesInput, FraudRulesRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct FraudRulesOut {
    /// An order above this many yen is refused; 0: off.
    pub max_amount: i64,
    /// More than this many orders from one phone within an hour are refused; 0: off.
    pub max_orders_per_phone_hour: i64,
    /// Phones on the block list (compared by their digits).
    pub blocked_phones: Vec<String>,
    /// Address parts on the block list (an address containing one is refused).
    pub blocked_addresses: Vec<String>,
}

fn out(r: FraudRulesRow) -> FraudRulesOut {
    let lines = |s: &str| s.lines().filter(|l| !l.is_empty()).map(str::to_string).collect();
    FraudRulesOut {
        max_amount: r.max_amount,
        max_orders_per_phone_hour: r.max_orders_per_phone_hour,
        blocked_phones: lines(&r.blocked_phones),
        blocked_addresses: lines(&r.blocked_addresses),
    }
}

/// The rules as a whole: an omitted field is off (0) or empty.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FraudRulesBody {
    /// 0–100,000,000 yen; 0: off.
    #[serde(default)]
    pub max_amount: i64,
    /// 0–1,000; 0: off.
    #[serde(default)]
    pub max_orders_per_phone_hour: i64,
    /// At most 500, each at most 200 characters.
    #[serde(default)]
    pub blocked_phones: Vec<String>,
    /// At most 500, each at most 200 characters.
    #[serde(default)]
    pub blocked_addresses: Vec<String>,
}

/// The merchant's fraud rules (merchant admins only).
#[utoipa::path(get, path = "/api/v1/fraud-rules", tag = "merchant",
    responses((status = 200, body = FraudRulesOut), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(State(app): State<App>, ApiActor(a): ApiActor) -> Result<Json<FraudRulesOut>, ApiError> {
    merchant_of(&a)?;
    Ok(Json(out(fraud::rules(&app, &a).await?)))
}

/// Replaces the merchant's fraud rules (merchant admins only), audited before → after. 422 names
/// every bad field (`max_amount`, `max_orders_per_phone_hour`, `blocked_phones`,
/// `blocked_addresses`); nothing is saved then.
#[utoipa::path(put, path = "/api/v1/fraud-rules", tag = "merchant", request_body = FraudRulesBody,
    responses((status = 200, body = FraudRulesOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<FraudRulesBody>,
) -> Result<Json<FraudRulesOut>, ApiError> {
    merchant_of(&a)?;
    let input = FraudRulesInput {
        max_amount: b.max_amount,
        max_orders_per_phone_hour: b.max_orders_per_phone_hour,
        blocked_phones: b.blocked_phones.join("\n"),
        blocked_addresses: b.blocked_addresses.join("\n"),
    };
    Ok(Json(out(fraud::save(&app, &a, &input).await?)))
}
