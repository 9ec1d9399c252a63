//! Onboarding over the API (platform tokens only): create a merchant with its first admin,
//! suspend and resume it.

use super::error::{ApiError, ApiJson, ApiPath, ErrorBody};
use super::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::App;
use kippu_app::merchants::onboard::{self, NewMerchant};
use kippu_domain::account::MerchantStatus;
use kippu_domain::merchant::ProfileInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A merchant to onboard: `code`, `name`, `admin_login` and an email (`email`, or
/// `admin_email` for both) are required; the rest is optional.
#[derive(Deserialize, ToSchema)]
pub struct NewMerchantBody {
    // Required, but defaulted so that a body missing several of them is answered with every
    // missing field named at once (the onboarding's own check), not only serde's first.
    #[serde(default)]
    #[schema(required = true)]
    pub code: String,
    #[serde(default)]
    #[schema(required = true)]
    pub name: String,
    /// 加盟店名（カナ）; hiragana is accepted and stored as katakana.
    #[serde(default)]
    pub kana: String,
    /// The merchant's email; `admin_email` when absent.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact_name: String,
    /// 適格請求書発行事業者登録番号: `T` + 13 digits, optional.
    #[serde(default)]
    pub invoice_number: String,
    #[serde(default)]
    #[schema(required = true)]
    pub admin_login: String,
    /// Where the welcome email goes; the merchant's `email` when absent.
    #[serde(default)]
    pub admin_email: String,
}

/// The new merchant's admin; `initial_password` is returned this once and must be changed at
/// first sign-in.
#[derive(Serialize, ToSchema)]
pub struct OnboardedOut {
    pub code: String,
    pub admin_login: String,
    pub initial_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct MerchantStatusOut {
    pub code: String,
    /// `active` or `suspended`.
    pub status: String,
}

/// Onboards a merchant: the merchant, its own-site channel and its first admin.
#[utoipa::path(post, path = "/api/v1/merchants", tag = "platform", request_body = NewMerchantBody,
    responses((status = 201, body = OnboardedOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_merchant(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<NewMerchantBody>,
) -> Result<(StatusCode, Json<OnboardedOut>), ApiError> {
    let n = NewMerchant {
        code: b.code,
        profile: ProfileInput {
            name: b.name,
            kana: b.kana,
            email: if b.email.trim().is_empty() {
                b.admin_email.clone()
            } else {
                b.email
            },
            phone: b.phone,
            address: b.address,
            contact_name: b.contact_name,
            invoice_number: b.invoice_number,
        },
        admin_login: b.admin_login,
        admin_email: b.admin_email,
        admin_name: String::new(),
    };
    let done = onboard::onboard(&app, &a, &n).await?;
    Ok((
        StatusCode::CREATED,
        Json(OnboardedOut {
            code: done.code,
            admin_login: done.admin_login,
            initial_password: done.initial_password,
        }),
    ))
}

async fn change(app: &App, a: &kippu_app::Actor, code: &str, to: MerchantStatus) -> Result<Json<MerchantStatusOut>, ApiError> {
    onboard::set_status(app, a, code, to).await?;
    Ok(Json(MerchantStatusOut {
        code: code.trim().to_string(),
        status: to.as_str().into(),
    }))
}

/// Suspends a merchant: its staff cannot sign in, its storefront and API answer 403
/// `merchant_suspended`. Nothing is deleted.
#[utoipa::path(post, path = "/api/v1/merchants/{code}/suspend", tag = "platform",
    params(("code" = String, Path, description = "加盟店コード")),
    responses((status = 200, body = MerchantStatusOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn suspend(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<MerchantStatusOut>, ApiError> {
    change(&app, &a, &code, MerchantStatus::Suspended).await
}

/// Resumes a suspended merchant.
#[utoipa::path(post, path = "/api/v1/merchants/{code}/resume", tag = "platform",
    params(("code" = String, Path, description = "加盟店コード")),
    responses((status = 200, body = MerchantStatusOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn resume(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<MerchantStatusOut>, ApiError> {
    change(&app, &a, &code, MerchantStatus::Active).await
}

#[derive(Deserialize, ToSchema)]
pub struct PaymentMethodsBody {
    /// The method families the merchant may take: `card`, `bank`, `venue`, `cod`, `konbini`,
    /// `store_pay` (at least one, at most 12 entries). The merchant switches them on and off in
    /// 決済設定; an order of a family not allowed or not on answers 422 `payment_method`.
    #[schema(max_items = 12)]
    pub allowed: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentMethodsOut {
    pub code: String,
    pub allowed: Vec<String>,
}

/// Sets the payment methods a merchant may take (its payment contracts). Orders of any other
/// method are refused on every channel, and the merchant's storefront offers shrink to these.
#[utoipa::path(put, path = "/api/v1/merchants/{code}/payment-methods", tag = "platform", request_body = PaymentMethodsBody,
    params(("code" = String, Path, description = "加盟店コード")),
    responses((status = 200, body = PaymentMethodsOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_payment_methods(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<PaymentMethodsBody>,
) -> Result<Json<PaymentMethodsOut>, ApiError> {
    let codes: Vec<&str> = b.allowed.iter().map(String::as_str).collect();
    let allowed = kippu_app::merchants::set_allowed_payments(&app, &a, &code, &codes).await?;
    Ok(Json(PaymentMethodsOut {
        code: code.trim().to_string(),
        allowed: allowed.families().iter().map(|c| c.as_str().to_string()).collect(),
    }))
}
