//! Per-request context of the UI: who is signed in, the UI language, and the CSRF token —
//! and the CSRF check itself, for every state-changing request of the UI.
//!
//! The CSRF token is the session's own token when signed in, otherwise a random token in the
//! `kippu_csrf` cookie (so the login and reset forms are protected too). A form sends it as
//! `_csrf`; htmx sends it as the `X-CSRF-Token` header.

use crate::error::WebError;
use crate::i18n::{Lang, T};
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use kippu_app::accounts::{self, SessionUser};
use kippu_app::{App, secrets};
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "kippu_session";
pub const CSRF_COOKIE: &str = "kippu_csrf";
pub const LANG_COOKIE: &str = "kippu_lang";

#[derive(Clone)]
pub struct Ctx {
    pub session: Option<Arc<SessionUser>>,
    pub csrf: String,
    pub lang: Lang,
    pub path: String,
    pub secure_cookies: bool,
    /// The flash message the previous action left for this page.
    pub flash: Option<crate::flash::Flash>,
}

impl Ctx {
    pub fn t(&self) -> T {
        T { lang: self.lang }
    }
}

pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .build()
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded_pairs(body).find(|(k, _)| k == name).map(|(_, v)| v)
}

fn form_urlencoded_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    body.split(|b| *b == b'&').filter_map(|pair| {
        let mut it = pair.splitn(2, |b| *b == b'=');
        let k = decode(it.next()?)?;
        let v = decode(it.next().unwrap_or(b""))?;
        Some((k, v))
    })
}

fn decode(s: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(s.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

pub async fn context_layer(State(app): State<App>, jar: CookieJar, req: Request, next: Next) -> Response {
    let secure = app.config.secure_cookies();
    let session = match jar.get(SESSION_COOKIE) {
        Some(c) => match accounts::session_user(&app, c.value()).await {
            Ok(s) => s.map(Arc::new),
            Err(e) => return WebError::from(e).into_response(),
        },
        None => None,
    };
    let lang = jar
        .get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or_else(|| session.as_ref().and_then(|s| Lang::parse(&s.user.lang)))
        .unwrap_or(Lang::Ja);
    let (csrf, new_cookie) = match (&session, jar.get(CSRF_COOKIE)) {
        (Some(s), _) => (s.csrf.clone(), None),
        (None, Some(c)) if c.value().len() >= 32 => (c.value().to_string(), None),
        (None, _) => {
            let t = secrets::random_token(24);
            (t.clone(), Some(t))
        }
    };

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let req = if unsafe_method {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, crate::BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => return WebError::TooLarge.into_response(),
        };
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| {
                let is_form = parts
                    .headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
                if is_form { form_field(&bytes, "_csrf") } else { None }
            })
            .or_else(|| parts.uri.query().and_then(|q| form_field(q.as_bytes(), "_csrf")));
        if !sent.is_some_and(|s| secrets::constant_time_eq(&s, &csrf)) {
            tracing::warn!(path = %parts.uri.path(), "CSRF token missing or wrong");
            return WebError::Csrf.into_response();
        }
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };

    let mut req = req;
    let flash = jar
        .get(crate::flash::FLASH_COOKIE)
        .and_then(|c| crate::flash::Flash::decode(c.value()));
    let ctx = Ctx {
        session,
        csrf,
        lang,
        path: req.uri().path().to_string(),
        secure_cookies: secure,
        flash,
    };
    req.extensions_mut().insert(ctx.clone());
    let mut resp = next.run(req).await;
    if let Some(e) = resp.extensions_mut().remove::<crate::error::PageError>() {
        resp = crate::error::in_shell(&ctx, &e);
    }
    // A flash is shown once: the page that read it clears it (a redirect passes it on).
    let shown = ctx.flash.is_some() && !resp.status().is_redirection();
    let jar = match new_cookie {
        Some(t) => jar.add(cookie(CSRF_COOKIE, t, secure)),
        None => jar,
    };
    let jar = if shown {
        jar.remove(axum_extra::extract::cookie::Cookie::build(crate::flash::FLASH_COOKIE).path("/"))
    } else {
        jar
    };
    (jar, resp).into_response()
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| WebError::Internal("request context missing".into()))
    }
}

/// A signed-in back-office user who has no pending forced password change.
pub struct SignedIn {
    pub ctx: Ctx,
    pub user: Arc<SessionUser>,
}

/// Extracts a signed-in user, sending everyone else to the login page (and a user with an
/// initial password to the password change, before anything else).
pub struct SignedInRejection(Response);

impl IntoResponse for SignedInRejection {
    fn into_response(self) -> Response {
        self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = SignedInRejection;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s)
            .await
            .map_err(|e| SignedInRejection(e.into_response()))?;
        let Some(user) = ctx.session.clone() else {
            let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let to = format!("/login?next={}", encode(next));
            return Err(SignedInRejection(Redirect::to(&to).into_response()));
        };
        if !user.actor.role.is_back_office() {
            return Err(SignedInRejection(WebError::NotFound.into_response()));
        }
        if user.user.must_change_password == 1 && ctx.path != "/password/change" {
            return Err(SignedInRejection(Redirect::to("/password/change").into_response()));
        }
        Ok(SignedIn { ctx, user })
    }
}

/// Percent-encodes a value for a query string.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_form_fields() {
        let body = b"login_id=a%40b.jp&_csrf=abc%2Bdef&x=%E5%B1%B1+%E7%94%B0";
        assert_eq!(form_field(body, "_csrf").as_deref(), Some("abc+def"));
        assert_eq!(form_field(body, "login_id").as_deref(), Some("a@b.jp"));
        assert_eq!(form_field(body, "x").as_deref(), Some("山 田"));
        assert_eq!(form_field(body, "missing"), None);
        assert_eq!(form_field(b"_csrf=%E", "_csrf"), None);
    }

    #[test]
    fn encodes_next_parameter() {
        assert_eq!(encode("/orders?q=山"), "/orders%3Fq%3D%E5%B1%B1");
    }
}
