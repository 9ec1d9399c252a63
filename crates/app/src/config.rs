//! Runtime configuration, read once at start (see docs/operations.md for every variable).

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The URL users reach kippu at; used in emailed links and to decide the cookie's `Secure`.
    pub public_url: String,
    /// `smtp://host:port`, `smtp://user:pass@host:587?tls=required` or `smtps://…`.
    /// `None` writes every email as an `.eml` file into `outbox_dir` instead.
    pub smtp_url: Option<String>,
    pub outbox_dir: PathBuf,
    pub mail_from: String,
    /// How often the mail worker looks for due messages when nothing woke it.
    pub mail_poll: std::time::Duration,
    /// Days after a card authorization expired before the job cancels its order (voids it and
    /// gives the stock back) if the merchant did not (`KIPPU_AUTH_RELEASE_DAYS`).
    pub auth_release_days: i64,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            public_url: "http://127.0.0.1:8080".into(),
            smtp_url: None,
            outbox_dir: PathBuf::from("outbox"),
            mail_from: "kippu <no-reply@kippu.localhost>".into(),
            mail_poll: std::time::Duration::from_secs(5),
            auth_release_days: kippu_domain::web_ticket::authorization::DEFAULT_RELEASE_GRACE_DAYS,
        }
    }
}

impl AppConfig {
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
