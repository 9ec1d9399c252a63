//! `/api/v1/customers`: 顧客検索, 総合受付 and a customer with its その他情報, for merchant
//! tokens. Another merchant's customer is a 404, exactly like a missing one.

use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};
use super::handlers::{ApiActor, merchant_of, time_of};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::customers::{CustomerInput, CustomerRow};
use kippu_app::reception::{self, ProfileInput, Registered};
use kippu_app::{App, AppError};
use kippu_domain::paging::Paging;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct CustomerDto {
    pub id: i64,
    /// 1, 2, 3 … per merchant, in the order customers were registered.
    pub customer_number: i64,
    pub name: String,
    /// Furigana in full-width katakana.
    pub kana: String,
    pub email: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
    /// `YYYY-MM-DD` or empty.
    pub birthday: String,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<CustomerRow> for CustomerDto {
    fn from(r: CustomerRow) -> Self {
        CustomerDto {
            id: r.id,
            customer_number: r.customer_number,
            name: r.name,
            kana: r.kana,
            email: r.email,
            phone: r.phone,
            postal_code: r.postal_code,
            address: r.address,
            birthday: r.birthday,
            notes: r.notes,
            created_at: time_of(r.created_at),
            updated_at: time_of(r.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CustomerPage {
    pub items: Vec<CustomerDto>,
    /// Counted up to 10,000; `total_capped` says there are more.
    pub total: i64,
    pub total_capped: bool,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Deserialize, IntoParams)]
pub struct CustomerParams {
    /// One search box: the start of a name or furigana (hiragana finds katakana), the start of a
    /// phone number (with or without hyphens, any width), an email address, a customer number or
    /// an order number. Empty: every customer by furigana. At most 100 characters.
    #[serde(default)]
    pub q: String,
    /// 1-based page number.
    pub page: Option<i64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<i64>,
}

/// 顧客検索: the merchant's customers the box finds, a page at a time.
#[utoipa::path(get, path = "/api/v1/customers", tag = "merchant", params(CustomerParams),
    responses((status = 200, body = CustomerPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<CustomerParams>,
) -> Result<Json<CustomerPage>, ApiError> {
    merchant_of(&a)?;
    let paging = Paging::new(p.page, p.per_page, 50).map_err(AppError::from)?;
    let (page, per_page) = (paging.page(), paging.per_page());
    let r = reception::search(&app, &a, &p.q, paging).await?;
    Ok(Json(CustomerPage {
        items: r.rows.into_iter().map(CustomerDto::from).collect(),
        total: r.total,
        total_capped: r.capped,
        page,
        per_page,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct AddressDto {
    pub id: i64,
    pub name: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
}

/// A customer with その他情報 and the address book (at most 100 entries).
#[derive(Serialize, ToSchema)]
pub struct CustomerDetail {
    #[serde(flatten)]
    pub customer: CustomerDto,
    /// 購入回数: orders of every kind, cancelled ones not counted.
    pub order_count: i64,
    /// 累計購入金額 in yen: those orders' amounts less refunds.
    pub total_spent: i64,
    pub last_ordered_at: Option<String>,
    pub addresses: Vec<AddressDto>,
}

async fn detail(app: &App, a: &kippu_app::Actor, id: i64) -> Result<CustomerDetail, ApiError> {
    let p = reception::profile(app, a, id).await?;
    Ok(CustomerDetail {
        customer: p.customer.into(),
        order_count: p.figures.order_count,
        total_spent: p.figures.total_spent,
        last_ordered_at: p.figures.last_ordered_at.map(time_of),
        addresses: p
            .addresses
            .into_iter()
            .map(|r| AddressDto {
                id: r.id,
                name: r.name,
                postal_code: r.postal_code,
                address: r.address,
                phone: r.phone,
            })
            .collect(),
    })
}

/// One customer with its その他情報.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "merchant", params(("id" = i64, Path, description = "customer id")),
    responses((status = 200, body = CustomerDetail), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(State(app): State<App>, ApiActor(a): ApiActor, ApiPath(id): ApiPath<i64>) -> Result<Json<CustomerDetail>, ApiError> {
    merchant_of(&a)?;
    Ok(Json(detail(&app, &a, id).await?))
}

/// 総合受付: a new customer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomerBody {
    pub name: String,
    /// Katakana, hiragana or half-width kana; stored as full-width katakana.
    pub kana: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// A postal code the bundled table knows; an empty `address` is filled from it.
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub address: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub birthday: String,
    #[serde(default)]
    pub notes: String,
    /// Register even though a customer with the same phone or email exists (otherwise 409).
    #[serde(default)]
    pub allow_duplicate: bool,
}

/// Registers a customer with the next customer number. 422 names every bad field; a likely
/// duplicate (same phone or email) is 409 unless `allow_duplicate`.
#[utoipa::path(post, path = "/api/v1/customers", tag = "merchant", request_body = NewCustomerBody,
    responses((status = 201, body = CustomerDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<NewCustomerBody>,
) -> Result<(StatusCode, Json<CustomerDetail>), ApiError> {
    merchant_of(&a)?;
    let c = CustomerInput {
        name: b.name,
        kana: b.kana,
        email: b.email,
        phone: b.phone,
        postal_code: b.postal_code,
        address: b.address,
    };
    let p = ProfileInput {
        birthday: b.birthday,
        notes: b.notes,
    };
    match reception::register(&app, &a, &c, &p, b.allow_duplicate).await? {
        Registered::Created(row) => Ok((StatusCode::CREATED, Json(detail(&app, &a, row.id).await?))),
        Registered::LikelyDuplicates(d) => Err(AppError::Conflict(reception::duplicates_said(&d)).into()),
    }
}

/// Fields to change; absent fields keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    pub name: Option<String>,
    pub kana: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    pub birthday: Option<String>,
    pub notes: Option<String>,
}

/// Changes a customer. Validation errors name the field (422); the change is audited.
#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "merchant", params(("id" = i64, Path, description = "customer id")),
    request_body = CustomerPatch,
    responses((status = 200, body = CustomerDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn patch(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<CustomerPatch>,
) -> Result<Json<CustomerDetail>, ApiError> {
    merchant_of(&a)?;
    let cur = reception::profile(&app, &a, id).await?.customer;
    let input = CustomerInput {
        name: p.name.unwrap_or(cur.name),
        kana: p.kana.unwrap_or(cur.kana),
        email: p.email.unwrap_or(cur.email),
        phone: p.phone.unwrap_or(cur.phone),
        postal_code: p.postal_code.unwrap_or(cur.postal_code),
        address: p.address.unwrap_or(cur.address),
    };
    let profile = ProfileInput {
        birthday: p.birthday.unwrap_or(cur.birthday),
        notes: p.notes.unwrap_or(cur.notes),
    };
    reception::update(&app, &a, id, &input, &profile).await?;
    Ok(Json(detail(&app, &a, id).await?))
}
