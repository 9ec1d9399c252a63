//! 一括処理: the confirmation screen (every row OK / NG) and the execution.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::pages::ok;
use askama::Template;
use axum::extract::{RawForm, State};
use axum::response::Response;
use kippu_app::orders::{self, BulkAction, BulkReport};
use kippu_app::{App, AppError};

#[derive(Template)]
#[template(path = "bulk_confirm.html")]
struct BulkPage {
    c: Chrome,
    action: &'static str,
    title: &'static str,
    button: &'static str,
    report: BulkReport,
    executed: bool,
    keys: Vec<String>,
    back: String,
}

/// The confirmation screen's title and button label keys of a bulk action.
fn bulk_texts(a: BulkAction) -> (&'static str, &'static str) {
    match a {
        BulkAction::MarkPaid => ("bulk.mark_paid", "bulk.mark_paid_button"),
        BulkAction::Capture => ("bulk.capture", "bulk.capture_button"),
        BulkAction::Send => ("bulk.send", "bulk.send_button"),
        BulkAction::SendSilent => ("bulk.send", "bulk.send_silent_button"),
        BulkAction::Use => ("bulk.use", "bulk.use_button"),
        BulkAction::Unuse => ("bulk.unuse", "bulk.unuse_button"),
        BulkAction::ConfirmDeposit => ("bulk.confirm_deposit", "bulk.confirm_deposit_button"),
    }
}

/// The bulk form posts the chosen action with the selected rows (`order` or `ticket` values,
/// repeated). `execute=1` runs it; otherwise the confirmation screen lists every row OK / NG.
pub async fn bulk(State(app): State<App>, s: SignedIn, RawForm(body): RawForm) -> Result<Response, WebError> {
    let form = crate::posted::Posted::parse(&body)?;
    let get = |k: &str| form.one(k);
    let action = BulkAction::parse(&get("bulk")).ok_or(WebError::NotFound)?;
    let field = if action.on_tickets() { "ticket" } else { "order" };
    let keys: Vec<String> = form.all(field).map(str::to_string).collect();
    let back = crate::pages::safe_local(&get("back")).to_string();
    let executed = get("execute") == "1";
    let (title, button) = bulk_texts(action);
    let (title, button) = (s.ctx.t().s(title), s.ctx.t().s(button));
    let report = match orders::bulk(&app, &s.user.actor, action, &keys, !executed).await {
        Ok(r) => r,
        // Nothing selected: back to the list, which says so (nothing changed).
        Err(AppError::Invalid(e)) => return Ok(flash::redirect(s.ctx.secure_cookies, &back, Flash::refused(e.message.clone()))),
        Err(e) => return Err(e.into()),
    };
    ok(BulkPage {
        c: Chrome::signed_in(&s.ctx, "orders.title"),
        action: action.as_str(),
        title,
        button,
        report,
        executed,
        keys,
        back,
    })
}
