//! Errors of UI pages, rendered as a readable page in both languages (an error can happen
//! before we know the reader's language) with the right status code.

use askama::Template;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use kippu_app::AppError;

#[derive(Debug)]
pub enum WebError {
    NotFound,
    Forbidden,
    Csrf,
    TooLarge,
    /// An action refused by the rules (sold out, wrong status…): 409 with the reason.
    Refused(String),
    /// Input that failed validation where no form re-renders it: 422 with field and reason.
    Invalid(String),
    Internal(String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    ja: &'a str,
    en: &'a str,
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => WebError::NotFound,
            AppError::Forbidden(_) => WebError::Forbidden,
            AppError::Order(o) => WebError::Refused(o.to_string()),
            AppError::Invalid(f) => WebError::Invalid(format!("{}: {}", f.field, f.message)),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl WebError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        use crate::i18n::{Lang, T};
        let (ja, en) = (T { lang: Lang::Ja }, T { lang: Lang::En });
        let key = match self {
            WebError::NotFound => "error.not_found",
            WebError::Forbidden => "error.forbidden",
            WebError::Csrf => "error.csrf",
            WebError::TooLarge => "error.too_large",
            WebError::Internal(_) | WebError::Refused(_) | WebError::Invalid(_) => "error.internal",
        };
        let status = match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Refused(_) => StatusCode::CONFLICT,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, ja.s(key), en.s(key))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::Internal(detail) = &self {
            // The reader sees a generic page; the detail goes to the log only.
            tracing::error!(%detail, "internal error");
        }
        let (status, ja, en) = self.parts();
        let (ja, en) = match &self {
            WebError::Refused(reason) => (reason.as_str(), "The action was refused for the reason above."),
            WebError::Invalid(reason) => (reason.as_str(), "Please correct the input named above."),
            _ => (ja, en),
        };
        let page = ErrorPage {
            status: status.as_u16(),
            ja,
            en,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, ja.to_string()).into_response(),
        }
    }
}

/// Refuses a body announced larger than the limit before reading a byte of it, with a page
/// for the UI and a JSON error for the API. (Bodies without a length are cut by axum's
/// `DefaultBodyLimit` while being read.)
pub async fn body_limit_layer(req: Request, next: Next) -> Response {
    let too_large = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > crate::BODY_LIMIT);
    if too_large {
        if req.uri().path().starts_with("/api/") {
            return crate::api::ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("request body is larger than {} bytes", crate::BODY_LIMIT),
            )
            .into_response();
        }
        return WebError::TooLarge.into_response();
    }
    next.run(req).await
}
