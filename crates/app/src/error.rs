use kippu_domain::label::Said;
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
    /// This kind of caller may not use the entry point at all (`access`).
    #[error("{}", .0.said().en)]
    Denied(crate::access::Denied),
    #[error("login ID or password is wrong")]
    BadCredentials,
    #[error("locked after too many failures; try again in {minutes} minutes")]
    Locked { minutes: i64, until_ms: i64 },
    #[error("the password must be changed first")]
    PasswordChangeRequired,
    /// Input that breaks a rule: every field with an error (at least one).
    #[error("{0}")]
    Invalid(#[from] FieldErrors),
    /// The password breaks the rule; every missing part is listed.
    #[error("the password breaks the password rule: {0:?}")]
    WeakPassword(Vec<kippu_domain::password::PasswordProblem>),
    #[error("{}", .0.ja)]
    Conflict(Said),
    /// A refusal of the order flows (sold out, illegal transition, declined card…).
    #[error("{0}")]
    Order(#[from] crate::orders::OrderError),
    /// A refusal of the voucher flows (balance, terminal, 24 h window, range).
    #[error("{}", .0.said().ja)]
    Voucher(crate::vouchers::VoucherError),
    #[error("this link has expired or was already used")]
    LinkExpired,
    /// The merchant is suspended by the platform: its staff, storefront and API are refused.
    #[error("the merchant is suspended")]
    MerchantSuspended,
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

    /// What a user may be told about this error, in both languages (a page shows the reader's,
    /// a bulk row's NG reason and the API's `message` the Japanese). An internal error is logged
    /// here and shown only as a generic sentence: database text never reaches a client.
    pub fn said(&self) -> Said {
        match self {
            AppError::NotFound => Said::new("見つかりません", "Not found"),
            AppError::Forbidden(why) => Said::new("この操作を行う権限がありません", format!("You are not allowed to do this ({why})")),
            AppError::Denied(d) => d.said(),
            AppError::BadCredentials => Said::new("ログインIDまたはパスワードが正しくありません", "The login ID or password is wrong"),
            AppError::Locked { minutes, .. } => Said::new(
                format!("失敗が続いたためロックされています。{minutes}分後にもう一度お試しください"),
                format!("Locked after too many failures; try again in {minutes} minutes"),
            ),
            AppError::PasswordChangeRequired => Said::new("先にパスワードを変更してください", "Change your password first"),
            AppError::Invalid(f) => {
                let all = f
                    .all()
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join(" / ");
                Said::new(all.clone(), all)
            }
            AppError::WeakPassword(p) => Said::new(
                p.iter().map(|p| p.message_ja()).collect::<Vec<_>>().join("、"),
                p.iter().map(|p| p.message_en()).collect::<Vec<_>>().join(", "),
            ),
            AppError::Conflict(said) => said.clone(),
            AppError::Order(o) => o.said(),
            AppError::Voucher(v) => v.said(),
            AppError::MerchantSuspended => kippu_domain::merchant::suspended_notice(),
            AppError::LinkExpired => Said::new(
                "このリンクは有効期限が切れたか、すでに使われています",
                "This link has expired or was already used",
            ),
            e @ (AppError::Store(_) | AppError::Internal(_)) => {
                tracing::error!(error = %e, "internal error");
                Said::new(
                    "内部エラーが発生しました（詳細はサーバーのログにあります）",
                    "An internal error occurred (the details are in the server log)",
                )
            }
        }
    }

    /// [`AppError::said`] in Japanese: a bulk row's NG reason, the API's `message`.
    pub fn public_reason(&self) -> String {
        self.said().ja
    }
}

impl From<kippu_store::SqlxError> for AppError {
    fn from(e: kippu_store::SqlxError) -> Self {
        AppError::Store(StoreError::Sql(e))
    }
}
