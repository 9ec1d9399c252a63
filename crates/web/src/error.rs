//! Errors of UI pages, rendered as a readable page in both languages (an error can happen
//! before we know the reader's language) with the right status code.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kippu_app::AppError;
use kippu_app::orders::OrderError;
use kippu_domain::reservation::CancelReservationRefusal;

#[derive(Debug)]
pub enum WebError {
    NotFound,
    Csrf,
    TooLarge,
    /// Input that failed validation where no form re-renders it: 422 with field and reason.
    Invalid(String),
    /// A use case's error, with the status and reason of [`classify`].
    App {
        status: StatusCode,
        reason: kippu_domain::label::Said,
    },
    Internal(String),
}

/// The one table from a use case's error to an HTTP status and a stable code. Pages and the
/// API both read it (only the body differs), so an error cannot be 409 on a page and 402 in
/// the API. Exhaustive on purpose: a new error variant does not compile until it is placed.
pub fn classify(e: &AppError) -> (StatusCode, &'static str) {
    use StatusCode as S;
    match e {
        AppError::NotFound => (S::NOT_FOUND, "not_found"),
        AppError::Forbidden(_) => (S::FORBIDDEN, "forbidden"),
        AppError::Denied(d) => (S::FORBIDDEN, d.code()),
        AppError::BadCredentials => (S::UNAUTHORIZED, "bad_credentials"),
        AppError::Locked { .. } => (S::TOO_MANY_REQUESTS, "locked"),
        AppError::PasswordChangeRequired => (S::FORBIDDEN, "password_change_required"),
        AppError::Invalid(_) => (S::UNPROCESSABLE_ENTITY, "invalid"),
        AppError::WeakPassword(_) => (S::UNPROCESSABLE_ENTITY, "weak_password"),
        AppError::Conflict(_) => (S::CONFLICT, "conflict"),
        AppError::Order(o) => (order_status(o), o.code()),
        AppError::Voucher(v) => (voucher_status(v), v.code()),
        AppError::LinkExpired => (S::GONE, "link_expired"),
        AppError::MerchantSuspended => (S::FORBIDDEN, "merchant_suspended"),
        AppError::Store(_) | AppError::Internal(_) => (S::INTERNAL_SERVER_ERROR, "internal"),
    }
}

fn voucher_status(v: &kippu_app::vouchers::VoucherError) -> StatusCode {
    use StatusCode as S;
    use kippu_app::vouchers::VoucherError as V;
    match v {
        V::InsufficientBalance { .. } | V::OutsideValidity | V::Cancel(_) => S::CONFLICT,
        V::UnknownTerminal => S::NOT_FOUND,
        V::NotInProgramme | V::KeyReused | V::Range(_) => S::UNPROCESSABLE_ENTITY,
        V::PasscodeLocked { .. } => S::TOO_MANY_REQUESTS,
    }
}

fn order_status(o: &OrderError) -> StatusCode {
    use CancelReservationRefusal as C;
    use StatusCode as S;
    use kippu_app::gateway::GatewayError as G;
    use kippu_domain::web_ticket::Refusal as R;
    match o {
        OrderError::Refused(R::PlatformOnly) => S::FORBIDDEN,
        OrderError::Refused(_) | OrderError::SoldOut(_) | OrderError::ListingStopped => S::CONFLICT,
        OrderError::Usage(_) | OrderError::Changed | OrderError::ReservationCancelElsewhere | OrderError::Goods(_) => S::CONFLICT,
        OrderError::Edit(_) => S::CONFLICT,
        OrderError::Fraud(_) => S::UNPROCESSABLE_ENTITY,
        OrderError::Card(G::Declined(_)) => S::PAYMENT_REQUIRED,
        OrderError::Card(G::Unavailable(_)) => S::BAD_GATEWAY,
        OrderError::KeyReused | OrderError::WrongPin { .. } => S::UNPROCESSABLE_ENTITY,
        OrderError::PinLocked { .. } => S::TOO_MANY_REQUESTS,
        OrderError::Reservation(C::AlreadyCancelled | C::Redeemed | C::CancelRequested) => S::CONFLICT,
        OrderError::Reservation(C::NoShow | C::Policy(_)) => S::UNPROCESSABLE_ENTITY,
        OrderError::ResendOwnSiteOnly | OrderError::NoShowFinal => S::UNPROCESSABLE_ENTITY,
    }
}

/// A refusal the reader can act on, to be said on the page it came from: its status and the
/// reason in the reader's language. Anything else (not found, a failure of the machinery) stays
/// an error for the error page.
pub fn refusal(t: &crate::i18n::T, e: AppError) -> Result<(StatusCode, String), WebError> {
    if e.is_internal() || matches!(e, AppError::NotFound) {
        return Err(e.into());
    }
    let (status, _) = classify(&e);
    Ok((status, t.said(&public_message(&e))))
}

/// What the reader is told, in both languages: the reason of a refusal, the field and message
/// of bad input, and for an internal error only a generic sentence (the detail is logged).
pub fn public_message(e: &AppError) -> kippu_domain::label::Said {
    match e {
        AppError::Invalid(f) => {
            let one = format!("{}: {}", f.field, f.message);
            kippu_domain::label::Said::new(one.clone(), one)
        }
        other => other.said(),
    }
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
        let (status, _) = classify(&e);
        match e {
            AppError::NotFound => WebError::NotFound,
            AppError::Store(_) | AppError::Internal(_) => WebError::Internal(e.to_string()),
            other => WebError::App {
                status,
                reason: public_message(&other),
            },
        }
    }
}

impl WebError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        use crate::i18n::{Lang, T};
        let (ja, en) = (T { lang: Lang::Ja }, T { lang: Lang::En });
        let key = match self {
            WebError::NotFound => "error.not_found",
            WebError::Csrf => "error.csrf",
            WebError::TooLarge => "error.too_large",
            WebError::Internal(_) | WebError::Invalid(_) | WebError::App { .. } => "error.internal",
        };
        let status = match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::App { status, .. } => *status,
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
            WebError::App { reason, .. } => (reason.ja.as_str(), reason.en.as_str()),
            WebError::Invalid(reason) => (reason.as_str(), "Please correct the input named above."),
            _ => (ja, en),
        };
        let page = ErrorPage {
            status: status.as_u16(),
            ja,
            en,
        };
        let shown = PageError {
            status,
            ja: ja.to_string(),
            en: en.to_string(),
        };
        let mut resp = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, ja.to_string()).into_response(),
        };
        // The UI's context layer shows it inside the page shell, menu and all; this bare page is
        // what a request outside the UI (or before its context exists) gets.
        resp.extensions_mut().insert(shown);
        resp
    }
}

/// What an error page says, for the context layer to show inside the shell.
#[derive(Debug, Clone)]
pub struct PageError {
    pub status: StatusCode,
    pub ja: String,
    pub en: String,
}

#[derive(Template)]
#[template(path = "error_in_shell.html")]
struct ShellErrorPage {
    c: crate::chrome::Chrome,
    status: u16,
    message: String,
    not_found: bool,
    /// The area to go back to (`/orders` for `/orders/T…`), when there is one.
    back: Option<String>,
}

/// `e` shown inside the page shell of `ctx` (signed in: with the menu; else the public header).
pub fn in_shell(ctx: &crate::ctx::Ctx, e: &PageError) -> Response {
    let title = if e.status == StatusCode::NOT_FOUND {
        "error.not_found_title"
    } else {
        "error.title"
    };
    let c = if ctx.session.is_some() {
        crate::chrome::Chrome::signed_in(ctx, title)
    } else {
        crate::chrome::Chrome::public(ctx, title)
    };
    let message = match ctx.lang {
        crate::i18n::Lang::Ja => e.ja.clone(),
        crate::i18n::Lang::En => e.en.clone(),
    };
    let area = ctx.path.split('/').nth(1).filter(|a| !a.is_empty()).map(|a| format!("/{a}"));
    let page = ShellErrorPage {
        status: e.status.as_u16(),
        message,
        not_found: e.status == StatusCode::NOT_FOUND,
        back: area.filter(|a| *a != ctx.path),
        c,
    };
    match page.render() {
        Ok(html) => (e.status, Html(html)).into_response(),
        Err(_) => (e.status, e.ja.clone()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kippu_app::gateway::GatewayError;
    use kippu_domain::password::PasswordProblem;
    use kippu_domain::reservation::CancelRefusal;
    use kippu_domain::validate::FieldError;
    use kippu_domain::web_ticket::{Refusal, UsageRefusal};

    /// One of every error a use case can return (every variant, every nested refusal).
    fn every_error() -> Vec<AppError> {
        let date = time::macros::date!(2026 - 11 - 30);
        let orders = vec![
            OrderError::SoldOut("x".into()),
            OrderError::ListingStopped,
            OrderError::Refused(Refusal::WrongStatus {
                status: kippu_domain::web_ticket::Status::Sent,
                action: kippu_domain::web_ticket::Action::MarkPaid,
            }),
            OrderError::Refused(Refusal::WrongMethod {
                action: kippu_domain::web_ticket::Action::MarkPaid,
            }),
            OrderError::Refused(Refusal::PlatformOnly),
            OrderError::Refused(Refusal::AuthorizationExpired),
            OrderError::Refused(Refusal::CancelRequestPeriodOver),
            OrderError::Refused(Refusal::MethodNotOffered),
            OrderError::Usage(UsageRefusal::AlreadyUsed),
            OrderError::Goods(kippu_domain::goods::flow::Refusal::NotCaptured),
            OrderError::Card(GatewayError::Declined("x".into())),
            OrderError::Card(GatewayError::Unavailable("x".into())),
            OrderError::Changed,
            OrderError::KeyReused,
            OrderError::WrongPin { left: 2 },
            OrderError::PinLocked { minutes: 5 },
            OrderError::Reservation(CancelReservationRefusal::AlreadyCancelled),
            OrderError::Reservation(CancelReservationRefusal::Redeemed),
            OrderError::Reservation(CancelReservationRefusal::NoShow),
            OrderError::Reservation(CancelReservationRefusal::CancelRequested),
            OrderError::Reservation(CancelReservationRefusal::Policy(CancelRefusal::VisitPassed(date))),
            OrderError::Reservation(CancelReservationRefusal::Policy(CancelRefusal::FullFee { days: 1, visit: date })),
            OrderError::ResendOwnSiteOnly,
            OrderError::NoShowFinal,
            OrderError::ReservationCancelElsewhere,
        ];
        let mut all = vec![
            AppError::NotFound,
            AppError::Forbidden("x"),
            AppError::BadCredentials,
            AppError::Locked { minutes: 15, until_ms: 0 },
            AppError::PasswordChangeRequired,
            AppError::Invalid(FieldError::new("name", "入力してください").into()),
            AppError::WeakPassword(vec![PasswordProblem::TooShort]),
            AppError::Conflict(kippu_domain::label::Said::new("ログインIDはすでに使われています", "taken")),
            AppError::LinkExpired,
            AppError::MerchantSuspended,
            AppError::Store(kippu_app::StoreError::Sql(kippu_app::SqlxError::RowNotFound)),
            AppError::Internal("x".into()),
        ];
        all.extend(orders.into_iter().map(AppError::Order));
        all
    }

    #[test]
    fn pages_and_the_api_answer_every_error_with_the_same_status() {
        for e in every_error() {
            let label = format!("{e:?}");
            let (status, _) = classify(&e);
            let page = WebError::from(e).into_response().status();
            let again = every_error().into_iter().find(|x| format!("{x:?}") == label).unwrap();
            let api = crate::api::ApiError::from(again).into_response().status();
            assert_eq!(page, status, "page for {label}");
            assert_eq!(api, status, "API for {label}");
        }
    }

    #[test]
    fn only_machinery_failures_are_500() {
        for e in every_error() {
            let internal = e.is_internal();
            assert_eq!(classify(&e).0 == StatusCode::INTERNAL_SERVER_ERROR, internal, "{e:?}");
        }
    }

    #[test]
    fn a_declined_card_is_402_everywhere() {
        let e = AppError::Order(OrderError::Card(GatewayError::Declined("x".into())));
        assert_eq!(classify(&e), (StatusCode::PAYMENT_REQUIRED, "card_declined"));
    }
}
