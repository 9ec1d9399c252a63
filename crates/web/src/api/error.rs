use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kippu_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `not_found`, `invalid`, `unauthorized`.
    pub code: String,
    /// Human-readable explanation (Japanese where the message comes from validation).
    pub message: String,
    /// The offending field, when one field is at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `already_redeemed`: when the first redemption happened (RFC 3339, +09:00).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redeemed_at: Option<String>,
    /// `wrong_day`: the ticket's visit date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visit_date: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    // Boxed: handlers return `Result<_, ApiError>` everywhere, and a small error keeps those
    // results cheap to move.
    body: Box<ErrorBody>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: Box::new(ErrorBody {
                error: ErrorDetail {
                    code: code.into(),
                    message: message.into(),
                    field: None,
                    redeemed_at: None,
                    visit_date: None,
                },
            }),
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.body.error.field = Some(field.into());
        self
    }

    pub fn with_redeemed_at(mut self, at: String) -> ApiError {
        self.body.error.redeemed_at = Some(at);
        self
    }

    pub fn with_visit_date(mut self, d: String) -> ApiError {
        self.body.error.visit_date = Some(d);
        self
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "not found")
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send a valid API token as Authorization: Bearer <token>",
        )
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        use StatusCode as S;
        match e {
            AppError::NotFound => ApiError::not_found(),
            AppError::Forbidden(why) => ApiError::new(S::FORBIDDEN, "forbidden", why),
            AppError::BadCredentials => ApiError::new(S::UNAUTHORIZED, "bad_credentials", e.to_string()),
            AppError::Locked { .. } => ApiError::new(S::TOO_MANY_REQUESTS, "locked", e.to_string()),
            AppError::PasswordChangeRequired => ApiError::new(S::FORBIDDEN, "password_change_required", e.to_string()),
            AppError::Invalid(f) => ApiError::new(S::UNPROCESSABLE_ENTITY, "invalid", f.message).with_field(f.field),
            AppError::WeakPassword(p) => {
                let msg = p.iter().map(|p| p.message_ja()).collect::<Vec<_>>().join("、");
                ApiError::new(S::UNPROCESSABLE_ENTITY, "weak_password", msg).with_field("password")
            }
            AppError::Conflict(m) => ApiError::new(S::CONFLICT, "conflict", m),
            AppError::Order(o) => {
                use kippu_app::orders::OrderError as O;
                let status = match &o {
                    O::SoldOut(_) | O::ListingStopped | O::Refused(_) | O::Usage(_) | O::Changed => S::CONFLICT,
                    O::Card(kippu_app::gateway::GatewayError::Declined(_)) => S::PAYMENT_REQUIRED,
                    O::Card(_) => S::BAD_GATEWAY,
                    O::KeyReused | O::WrongPin { .. } => S::UNPROCESSABLE_ENTITY,
                    O::PinLocked { .. } => S::TOO_MANY_REQUESTS,
                    O::Reservation(r) => match r {
                        kippu_domain::reservation::CancelReservationRefusal::AlreadyCancelled
                        | kippu_domain::reservation::CancelReservationRefusal::Redeemed
                        | kippu_domain::reservation::CancelReservationRefusal::CancelRequested => S::CONFLICT,
                        _ => S::UNPROCESSABLE_ENTITY,
                    },
                    O::ResendOwnSiteOnly | O::NoShowFinal => S::UNPROCESSABLE_ENTITY,
                    O::ReservationCancelElsewhere => S::CONFLICT,
                };
                let status = if matches!(o, O::Refused(kippu_domain::web_ticket::Refusal::PlatformOnly)) {
                    S::FORBIDDEN
                } else {
                    status
                };
                let err = ApiError::new(status, o.code(), o.to_string());
                if matches!(o, O::WrongPin { .. }) {
                    err.with_field("pin")
                } else {
                    err
                }
            }
            AppError::LinkExpired => ApiError::new(S::GONE, "link_expired", e.to_string()),
            AppError::Store(_) | AppError::Internal(_) => {
                tracing::error!(error = %e, "internal error in API");
                ApiError::new(
                    S::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; the details are in the server log",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(*self.body)).into_response()
    }
}

pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not accept that method",
    )
}

/// `axum::Json` whose rejections are API errors naming what is wrong.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(match rej {
                JsonRejection::JsonDataError(e) => {
                    // serde's message names the field ("unknown field `x`", "missing field `y`").
                    let msg = std::error::Error::source(&e)
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| e.body_text());
                    let field = msg.split('`').nth(1).map(str::to_string);
                    let err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", msg);
                    match field {
                        Some(f) => err.with_field(f),
                        None => err,
                    }
                }
                JsonRejection::JsonSyntaxError(e) => ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", e.body_text()),
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send Content-Type: application/json",
                ),
                JsonRejection::BytesRejection(_) => {
                    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "request body too large")
                }
                other => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", other.body_text()),
            }),
        }
    }
}

/// A JSON body that may be absent (an empty body is `None`); a present body must be valid.
pub struct OptionalJson<T>(pub Option<T>);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "request body too large"))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        match parse_whole(&mut de) {
            Ok(v) => Ok(OptionalJson(Some(v))),
            Err(e) if e.is_syntax() || e.is_eof() => Err(ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", e.to_string())),
            Err(e) => {
                let msg = e.to_string();
                let err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", msg.clone());
                Err(match msg.split('`').nth(1) {
                    Some(f) => err.with_field(f),
                    None => err,
                })
            }
        }
    }
}

fn parse_whole<'de, T: serde::Deserialize<'de>>(
    de: &mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
) -> Result<T, serde_json::Error> {
    let v = T::deserialize(&mut *de)?;
    de.end()?;
    Ok(v)
}
