use kippu_domain::validate::{FieldError, FieldErrors};
use kippu_store::StoreError;
use thiserror::Error;

/// What can go wrong in a use case. The web layer maps each variant to one HTTP status and a
/// stable error code; nothing here knows about HTTP.
#[derive(Debug, Error)]
pub enum AppError {
    /// Not found — also what another merchant's data looks like, so its existence is never
    /// confirmed.
    #[error("not found")]
    NotFound,
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    #[error("login ID or password is wrong")]
    BadCredentials,
    #[error("locked after too many failures; try again in {minutes} minutes")]
    Locked { minutes: i64 },
    #[error("the password must be changed first")]
    PasswordChangeRequired,
    /// Input that breaks a rule: every field with an error (at least one).
    #[error("{0}")]
    Invalid(#[from] FieldErrors),
    /// The password breaks the rule; every missing part is listed.
    #[error("the password breaks the password rule: {0:?}")]
    WeakPassword(Vec<kippu_domain::password::PasswordProblem>),
    #[error("{0}")]
    Conflict(String),
    /// A refusal of the order flows (sold out, illegal transition, declined card…).
    #[error("{0}")]
    Order(#[from] crate::orders::OrderError),
    #[error("this link has expired or was already used")]
    LinkExpired,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> AppError {
        AppError::Invalid(e.into())
    }
}

impl AppError {
    /// A failure of the machinery (database, a bug), not a refusal the user can act on.
    pub fn is_internal(&self) -> bool {
        matches!(self, AppError::Store(_) | AppError::Internal(_))
    }

    /// What a user may be told about this error, e.g. as a bulk row's NG reason. An internal
    /// error is logged here and shown only as a generic sentence: database text never reaches
    /// a client.
    pub fn public_reason(&self) -> String {
        match self {
            AppError::NotFound => "見つかりません".into(),
            e if e.is_internal() => {
                tracing::error!(error = %e, "internal error");
                "内部エラーが発生しました（詳細はサーバーのログにあります）".into()
            }
            e => e.to_string(),
        }
    }
}

impl From<kippu_store::SqlxError> for AppError {
    fn from(e: kippu_store::SqlxError) -> Self {
        AppError::Store(StoreError::Sql(e))
    }
}
