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
    /// The offending field, when one field is at fault (the first, when several are).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `invalid`: every field at fault with its rule, all at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldMessage>>,
    /// `already_redeemed`: when the first redemption happened (RFC 3339, +09:00).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redeemed_at: Option<String>,
    /// `wrong_day`: the ticket's visit date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visit_date: Option<String>,
    /// `throttled`: when the lock ends (RFC 3339, Japan time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<String>,
    /// `insufficient_balance`: the balance left, in yen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance: Option<i64>,
}

/// One field at fault and what to type there.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldMessage {
    pub field: String,
    pub message: String,
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
                    fields: None,
                    redeemed_at: None,
                    visit_date: None,
                    locked_until: None,
                    balance: None,
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

    pub fn with_locked_until(mut self, at: String) -> ApiError {
        self.body.error.locked_until = Some(at);
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
        let (status, code) = crate::error::classify(&e);
        let field = match &e {
            AppError::Invalid(f) => Some(f.field.to_string()),
            AppError::WeakPassword(_) => Some("password".to_string()),
            AppError::Order(kippu_app::orders::OrderError::WrongPin { .. }) => Some("pin".to_string()),
            _ => None,
        };
        let message = match &e {
            // The API names the field separately; the message is the rule alone.
            AppError::Invalid(f) => f.message.clone(),
            other => crate::error::public_message(other).ja,
        };
        let mut err = ApiError::new(status, code, message);
        if let AppError::Invalid(all) = &e {
            err.body.error.fields = Some(
                all.all()
                    .iter()
                    .map(|f| FieldMessage {
                        field: f.field.to_string(),
                        message: f.message.clone(),
                    })
                    .collect(),
            );
        }
        if let AppError::Voucher(kippu_app::vouchers::VoucherError::InsufficientBalance { balance }) = &e {
            err.body.error.balance = Some(*balance);
        }
        match field {
            Some(f) => err.with_field(f),
            None => err,
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

/// A JSON body whose every rejection is an API error naming what is wrong and where.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&req) {
            return Err(unsupported_media_type());
        }
        let bytes = body_bytes(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/json"))
}

/// Every JSON body of the API, whatever the endpoint, comes as `application/json`.
fn unsupported_media_type() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send Content-Type: application/json",
    )
}

/// The raw bytes of a JSON body that may be absent (`None` when empty), for handlers that pick
/// the body's shape after reading the path; a present body must be `application/json`.
pub struct OptionalJsonBytes(pub Option<axum::body::Bytes>);

impl<S: Send + Sync> FromRequest<S> for OptionalJsonBytes {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = is_json(&req);
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJsonBytes(None));
        }
        if !is_json {
            return Err(unsupported_media_type());
        }
        Ok(OptionalJsonBytes(Some(bytes)))
    }
}

/// A JSON body that may be absent (an empty body is `None`); a present body must be valid.
pub struct OptionalJson<T>(pub Option<T>);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = is_json(&req);
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        // A body of another type would pass the edge's checks unread (a NUL in text/plain).
        if !is_json {
            return Err(unsupported_media_type());
        }
        parse_json(&bytes).map(|v| OptionalJson(Some(v)))
    }
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<axum::body::Bytes, ApiError> {
    axum::body::Bytes::from_request(req, state)
        .await
        .map_err(|_| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "request body too large"))
}

/// The whole body as one JSON value of type `T`. A syntax error is 400 `malformed_json`; a
/// well-formed body of the wrong shape is 422 `invalid` naming the field by its path
/// (`customer.email`, `lines[0].quantity`), never by the offending value.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|v| de.end().map(|()| v).map_err(|e| (".".to_string(), e)));
    parsed.map_err(|(path, inner)| {
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", inner.to_string());
        }
        let message = inner.to_string();
        let field = field_of(&path, &message);
        let err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message);
        match field {
            Some(f) => err.with_field(f),
            None => err,
        }
    })
}

/// serde reports a missing field at the object that lacks it, naming the field in backticks;
/// every other error (an unknown field too) is at the field's own path.
fn field_of(path: &str, message: &str) -> Option<String> {
    let at = (path != ".").then(|| path.to_string());
    let named = message.starts_with("missing field").then(|| message.split('`').nth(1)).flatten();
    match (at, named) {
        (Some(p), Some(n)) => Some(format!("{p}.{n}")),
        (None, Some(n)) => Some(n.to_string()),
        (at, None) => at,
    }
}

/// A query string parsed into `T`, refused as JSON (`invalid`, naming the parameter).
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
        serde_path_to_error::deserialize(de).map(ApiQuery).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            let err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message.clone());
            match field_of(&path, &message) {
                Some(f) => err.with_field(f),
                None => err,
            }
        })
    }
}

/// Path parameters parsed into `T`; a parameter of the wrong shape (`/customers/abc`) is the
/// JSON 404 of a thing that does not exist.
pub struct ApiPath<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|_| ApiError::not_found())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        quantity: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        quantity: i64,
        lines: Option<Vec<Line>>,
    }

    fn field(json: &str) -> (u16, Option<String>) {
        let e = parse_json::<Body>(json.as_bytes()).unwrap_err();
        (e.status.as_u16(), e.body.error.field.clone())
    }

    #[test]
    fn a_wrong_value_is_named_by_its_field_not_its_value() {
        assert_eq!(field(r#"{"quantity": 1.5}"#), (422, Some("quantity".into())));
        assert_eq!(
            field(r#"{"quantity": 1, "lines": [{"quantity": "x"}]}"#),
            (422, Some("lines[0].quantity".into()))
        );
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        assert_eq!(field(r#"{}"#), (422, Some("quantity".into())));
        assert_eq!(field(r#"{"quantity": 1, "oops": 2}"#), (422, Some("oops".into())));
        assert_eq!(field(r#"{"quantity": 1, "lines": [{}]}"#), (422, Some("lines[0].quantity".into())));
    }

    #[test]
    fn broken_json_is_malformed() {
        assert_eq!(field(r#"{"quantity": "#).0, 400);
        assert_eq!(field(r#"{"quantity": 1} x"#).0, 400);
    }
}
