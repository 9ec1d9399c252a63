//! `/api/v1/notes`: 自由メモ over the API (merchant tokens). A token has no operator, so it reads
//! the merchant's shared notes and what it writes is shared, signed `api:<token name>`. The rules
//! and the audit are `kippu_app::callcenter::notes`'. Another merchant's note, or an operator's
//! private one, is a 404.

use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};
use super::handlers::{ApiActor, merchant_of, time_of};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::callcenter::notes::{self, NoteInput, NoteRow};
use kippu_app::{App, AppError};
use kippu_domain::paging::Paging;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct NoteOut {
    pub id: i64,
    /// The operator's login ID, or `api:<token name>`.
    pub author: String,
    /// Every operator of the merchant sees it (a token's notes always are).
    pub shared: bool,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
}

fn out(r: NoteRow) -> NoteOut {
    NoteOut {
        id: r.id,
        author: r.author_login,
        shared: r.shared == 1,
        customer_id: r.customer_id,
        customer_name: r.customer_name,
        body: r.body,
        created_at: time_of(r.created_at),
        updated_at: time_of(r.updated_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct NotePage {
    pub items: Vec<NoteOut>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Deserialize, IntoParams)]
pub struct NoteParams {
    /// Only the notes about this customer.
    pub customer: Option<i64>,
    /// 1-based page number.
    pub page: Option<i64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<i64>,
}

/// The merchant's shared notes, newest first.
#[utoipa::path(get, path = "/api/v1/notes", tag = "merchant", params(NoteParams),
    responses((status = 200, body = NotePage), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(State(app): State<App>, ApiActor(a): ApiActor, ApiQuery(p): ApiQuery<NoteParams>) -> Result<Json<NotePage>, ApiError> {
    merchant_of(&a)?;
    let paging = Paging::new(p.page, p.per_page, 50).map_err(AppError::from)?;
    let (page, per_page) = (paging.page(), paging.per_page());
    let r = notes::list(&app, &a, p.customer, paging).await?;
    Ok(Json(NotePage {
        items: r.rows.into_iter().map(out).collect(),
        total: r.total,
        page,
        per_page,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// Up to 2,000 characters, line breaks kept.
    pub body: String,
    /// The merchant's customer the note concerns.
    #[serde(default)]
    pub customer_id: Option<i64>,
}

/// Writes a shared note, audited. 422 names `body` or `customer` (not the merchant's customer).
#[utoipa::path(post, path = "/api/v1/notes", tag = "merchant", request_body = NoteBody,
    responses((status = 201, body = NoteOut), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<NoteBody>,
) -> Result<(StatusCode, Json<NoteOut>), ApiError> {
    merchant_of(&a)?;
    let input = NoteInput {
        body: b.body,
        shared: Some("1".into()),
        customer: b.customer_id,
    };
    Ok((StatusCode::CREATED, Json(out(notes::add(&app, &a, &input).await?))))
}

/// One shared note; another merchant's, or an operator's private one, is not found.
#[utoipa::path(get, path = "/api/v1/notes/{id}", tag = "merchant", params(("id" = i64, Path, description = "note id")),
    responses((status = 200, body = NoteOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(State(app): State<App>, ApiActor(a): ApiActor, ApiPath(id): ApiPath<i64>) -> Result<Json<NoteOut>, ApiError> {
    merchant_of(&a)?;
    Ok(Json(out(notes::get(&app, &a, id).await?)))
}
