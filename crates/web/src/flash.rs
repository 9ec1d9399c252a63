//! Flash messages: after every action the next page says what changed (for how many) and, where
//! the flow allows it, offers the undo. Carried across the redirect in a short-lived cookie the
//! context layer reads once and clears.

use crate::ctx::cookie;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

pub const FLASH_COOKIE: &str = "kippu_flash";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    /// `false`: a refusal (nothing changed), shown as an error.
    pub ok: bool,
    pub message: String,
    /// The undo's confirmation screen (a local path) and its words.
    pub undo: Option<(String, String)>,
}

impl Flash {
    pub fn done(message: impl Into<String>) -> Flash {
        Flash {
            ok: true,
            message: message.into(),
            undo: None,
        }
    }

    pub fn refused(message: impl Into<String>) -> Flash {
        Flash {
            ok: false,
            message: message.into(),
            undo: None,
        }
    }

    pub fn with_undo(mut self, href: String, label: &str) -> Flash {
        self.undo = Some((href, label.to_string()));
        self
    }

    fn encode(&self) -> String {
        let (href, label) = self.undo.clone().unwrap_or_default();
        let raw = [if self.ok { "1" } else { "0" }, &self.message, &href, &label].join("\u{1f}");
        crate::ctx::encode(&raw)
    }

    /// The cookie's value read back; anything malformed (or an undo leaving the site) is dropped.
    pub fn decode(value: &str) -> Option<Flash> {
        let raw = urlencoding_decode(value)?;
        let mut parts = raw.split('\u{1f}');
        let ok = parts.next()? == "1";
        let message = parts.next()?.chars().take(500).collect::<String>();
        let href = parts.next().unwrap_or("");
        let label = parts.next().unwrap_or("");
        let undo = (href.starts_with('/') && !href.starts_with("//") && !label.is_empty())
            .then(|| (crate::pages::safe_local(href).to_string(), label.chars().take(60).collect()));
        (!message.is_empty()).then_some(Flash { ok, message, undo })
    }
}

fn urlencoding_decode(s: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&format!("f={s}")).ok()?;
    pairs.into_iter().next().map(|(_, v)| v)
}

/// A redirect to `to` whose page shows `flash`.
pub fn redirect(secure: bool, to: &str, flash: Flash) -> Response {
    let mut c = cookie(FLASH_COOKIE, flash.encode(), secure);
    c.set_max_age(time::Duration::seconds(60));
    (CookieJar::new().add(c), Redirect::to(to)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flash_survives_its_cookie() {
        let f = Flash::done("T00000000000001: 未入金 → 送信待ち").with_undo("/orders/T00000000000001/do/revert-payment".into(), "元に戻す");
        assert_eq!(Flash::decode(&f.encode()), Some(f));
    }

    #[test]
    fn an_undo_leaving_the_site_is_dropped() {
        let f = Flash::done("x").with_undo("https://evil.example/".into(), "undo");
        assert_eq!(Flash::decode(&f.encode()).unwrap().undo, None);
        let f = Flash::done("x").with_undo("//evil.example/".into(), "undo");
        assert_eq!(Flash::decode(&f.encode()).unwrap().undo, None);
    }
}
