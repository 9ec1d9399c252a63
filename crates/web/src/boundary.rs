//! The edge every request crosses before a handler: text that no field may hold (NUL and other
//! control characters) is refused here, in the path, the query and form or JSON bodies alike,
//! so both databases see the same input and answer the same way. Multipart uploads are left to
//! their importers, which report per line.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kippu_domain::validate::transportable;

/// Where a request's text broke the rule.
struct Refusal {
    field: String,
    message: String,
}

pub async fn transport_layer(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    if path_has_control(req.uri().path()) {
        return if api {
            crate::api::ApiError::not_found().into_response()
        } else {
            crate::error::WebError::NotFound.into_response()
        };
    }
    if let Some(r) = req.uri().query().and_then(|q| check_form(q.as_bytes(), false)) {
        return refuse(api, r);
    }
    let kind = body_kind(&req);
    if kind == BodyKind::Other {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, crate::BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return too_large_response(api),
    };
    let refusal = match kind {
        BodyKind::Form => check_form(&bytes, true),
        BodyKind::Json => check_json(&bytes),
        BodyKind::Other => None,
    };
    if let Some(r) = refusal {
        return refuse(api, r);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn refuse(api: bool, r: Refusal) -> Response {
    if api {
        crate::api::ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", r.message)
            .with_field(r.field)
            .into_response()
    } else {
        crate::error::WebError::Invalid(format!("{}: {}", r.field, r.message)).into_response()
    }
}

#[derive(PartialEq, Eq)]
enum BodyKind {
    Form,
    Json,
    Other,
}

fn body_kind(req: &Request) -> BodyKind {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.starts_with("application/x-www-form-urlencoded") {
        BodyKind::Form
    } else if ct.starts_with("application/json") {
        BodyKind::Json
    } else {
        BodyKind::Other
    }
}

/// A percent-encoded control character in the path (`/shop/DEMO%00`): no route has one.
fn path_has_control(path: &str) -> bool {
    let b = path.as_bytes();
    b.windows(3).any(|w| {
        w[0] == b'%'
            && std::str::from_utf8(&w[1..])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .is_some_and(|v| v < 0x20 || v == 0x7f)
    }) || b.iter().any(|&c| c < 0x20 || c == 0x7f)
}

/// Form-encoded pairs (a query, or a form body where line breaks are allowed).
fn check_form(raw: &[u8], multiline: bool) -> Option<Refusal> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(raw).ok()?;
    pairs.into_iter().find_map(|(k, v)| {
        let field_err = transportable(&k, false).err();
        let err = field_err.or_else(|| transportable(&v, multiline).err())?;
        Some(Refusal {
            field: printable(&k),
            message: err,
        })
    })
}

/// Every string and key of a JSON body; a body that is not JSON is left to the handler's
/// parser, which says what is wrong with it.
fn check_json(raw: &[u8]) -> Option<Refusal> {
    let v: serde_json::Value = serde_json::from_slice(raw).ok()?;
    walk(&v, "")
}

fn walk(v: &serde_json::Value, at: &str) -> Option<Refusal> {
    use serde_json::Value as V;
    match v {
        V::String(s) => transportable(s, true).err().map(|message| Refusal {
            field: at.to_string(),
            message,
        }),
        V::Array(items) => items.iter().enumerate().find_map(|(i, x)| walk(x, &format!("{at}[{i}]"))),
        V::Object(m) => m.iter().find_map(|(k, x)| {
            let path = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
            match transportable(k, false) {
                Err(message) => Some(Refusal {
                    field: printable(&path),
                    message,
                }),
                Ok(()) => walk(x, &path),
            }
        }),
        _ => None,
    }
}

/// A field name fit to show back: control characters escaped.
fn printable(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
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
        .is_some_and(|n| n > crate::body_limit_of(req.uri().path()));
    if too_large {
        return too_large_response(req.uri().path().starts_with("/api/"));
    }
    next.run(req).await
}

/// 413 as a page for the UI and a JSON error for the API.
pub fn too_large_response(api: bool) -> Response {
    if api {
        return crate::api::ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("request body is larger than {} bytes", crate::BODY_LIMIT),
        )
        .into_response();
    }
    crate::error::WebError::TooLarge.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_control_characters_in_the_path_are_found() {
        assert!(path_has_control("/shop/DEMO%00"));
        assert!(path_has_control("/x%0a"));
        assert!(path_has_control("/x%7F"));
        assert!(!path_has_control("/shop/DEMO1"));
        assert!(!path_has_control("/shop/%E3%81%82"));
    }

    #[test]
    fn forms_name_the_field() {
        let r = check_form(b"login_id=op%00&password=x", false).unwrap();
        assert_eq!(r.field, "login_id");
        assert!(check_form(b"body=a%0D%0Ab", true).is_none(), "a textarea keeps its line breaks");
        assert!(check_form(b"back=%2Fx%0a", false).is_some());
    }

    #[test]
    fn json_names_the_path_of_the_string() {
        let r = check_json(br#"{"customer":{"name":"a\u0000"}}"#).unwrap();
        assert_eq!(r.field, "customer.name");
        let r = check_json(br#"{"lines":[{"code":"\u0001"}]}"#).unwrap();
        assert_eq!(r.field, "lines[0].code");
        assert!(check_json(br#"{"note":"line\nbreak"}"#).is_none());
    }
}
