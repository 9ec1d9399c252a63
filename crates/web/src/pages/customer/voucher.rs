//! The voucher holder's phone (behind the link's token, no account): balances and history,
//! 「支払う」 by scanning the store's QR mount or typing its 6-digit passcode, the store to check,
//! the amount, and a receipt big enough to show the clerk.

use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::pages::{ok, render};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kippu_app::vouchers::pay::{self, PayInput, TerminalRef};
use kippu_app::vouchers::{PaymentRow, holders};
use kippu_app::{App, AppError, secrets};
use serde::Deserialize;

pub struct Balance {
    product: String,
    code: String,
    balance: i64,
}

pub struct Line {
    kind: &'static str,
    minus: bool,
    at: String,
    amount: i64,
    detail: String,
}

#[derive(Template)]
#[template(path = "voucher_holder.html")]
struct HolderPage {
    c: Chrome,
    token: String,
    holder_name: String,
    program: String,
    total: i64,
    balances: Vec<Balance>,
    history: Vec<Line>,
}

fn kind_key(kind: &str) -> Result<(&'static str, bool), WebError> {
    match kind {
        "grant" => Ok(("voucher.kind_grant", false)),
        "payment" => Ok(("voucher.kind_payment", true)),
        "cancel" => Ok(("voucher.kind_cancel", false)),
        other => Err(WebError::Internal(format!("unknown voucher history kind {other}"))),
    }
}

pub async fn holder_home(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, WebError> {
    let v = holders::view(&app, &token).await?;
    let t = ctx.t();
    let mut history = Vec::with_capacity(v.history.len());
    for h in &v.history {
        let (key, minus) = kind_key(&h.kind)?;
        history.push(Line {
            kind: t.s(key),
            minus,
            at: t.datetime_ms(h.at),
            amount: h.amount,
            detail: if h.store_name.is_empty() {
                h.type_name.clone()
            } else {
                format!("{} {}", h.store_name, h.payment_number)
            },
        });
    }
    ok(HolderPage {
        c: Chrome::public(&ctx, "voucher.title"),
        token,
        holder_name: v.holder.name.clone(),
        program: v.program.name.clone(),
        total: v.total_balance(),
        balances: balances(&v),
        history,
    })
}

#[derive(Template)]
#[template(path = "voucher_pay.html")]
struct PayPage {
    c: Chrome,
    token: String,
    error: String,
}

fn pay_page(ctx: &Ctx, status: StatusCode, token: String, error: String) -> Result<Response, WebError> {
    render(
        status,
        PayPage {
            c: Chrome::public(ctx, "voucher.pay_title"),
            token,
            error,
        },
    )
}

pub async fn pay_start(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, WebError> {
    holders::holder(&app, &token).await?;
    pay_page(&ctx, StatusCode::OK, token, String::new())
}

#[derive(Deserialize, Default)]
pub struct StoreForm {
    #[serde(default)]
    terminal: String,
    #[serde(default)]
    passcode: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    key: String,
}

impl StoreForm {
    fn terminal(&self) -> TerminalRef {
        if self.terminal.trim().is_empty() {
            TerminalRef::Passcode(self.passcode.clone())
        } else {
            TerminalRef::Qr(self.terminal.clone())
        }
    }
}

#[derive(Template)]
#[template(path = "voucher_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    token: String,
    store_name: String,
    store_code: String,
    terminal_name: String,
    balances: Vec<Balance>,
    f: StoreForm,
    error: String,
}

/// A refusal the holder can act on, said on the page; anything else is the error page.
fn said(ctx: &Ctx, e: AppError) -> Result<(StatusCode, String), WebError> {
    crate::error::refusal(&ctx.t(), e)
}

fn balances(v: &holders::HolderView) -> Vec<Balance> {
    v.accounts
        .iter()
        .map(|a| Balance {
            product: a.type_name.clone(),
            code: a.type_code.clone(),
            balance: a.balance,
        })
        .collect()
}

async fn confirm_page(
    app: &App,
    ctx: &Ctx,
    token: String,
    mut f: StoreForm,
    error: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let (_, _, terminal) = match pay::check_store(app, &token, &f.terminal()).await {
        Ok(found) => found,
        Err(e) => {
            let (status, message) = said(ctx, e)?;
            return pay_page(ctx, status, token, message);
        }
    };
    let v = holders::view(app, &token).await?;
    if f.key.is_empty() {
        f.key = secrets::random_token(16);
    }
    let (status, error) = error.unwrap_or((StatusCode::OK, String::new()));
    render(
        status,
        ConfirmPage {
            c: Chrome::public(ctx, "voucher.confirm_title"),
            token,
            store_name: terminal.store_name,
            store_code: terminal.store_code,
            terminal_name: terminal.terminal_name,
            balances: balances(&v),
            f,
            error,
        },
    )
}

/// The store the phone named, to check before paying.
pub async fn pay_confirm(
    State(app): State<App>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<StoreForm>,
) -> Result<Response, WebError> {
    confirm_page(&app, &ctx, token, f, None).await
}

/// Pays, then shows the receipt (a retry of the same form shows the same receipt).
pub async fn pay_run(State(app): State<App>, ctx: Ctx, Path(token): Path<String>, Form(f): Form<StoreForm>) -> Result<Response, WebError> {
    let input = PayInput {
        terminal: f.terminal(),
        amount: f.amount.clone(),
        product: f.product.clone(),
        key: f.key.clone(),
    };
    match pay::pay(&app, &token, &input).await {
        Ok(paid) => Ok(Redirect::to(&format!("/v/{token}/receipts/{}", paid.payment.payment_number)).into_response()),
        Err(e) => {
            let refused = said(&ctx, e)?;
            confirm_page(&app, &ctx, token, f, Some(refused)).await
        }
    }
}

#[derive(Template)]
#[template(path = "voucher_receipt.html")]
struct ReceiptPage {
    c: Chrome,
    token: String,
    p: PaymentRow,
    paid_at: String,
    cancelled_at: String,
}

pub async fn receipt(State(app): State<App>, ctx: Ctx, Path((token, number)): Path<(String, String)>) -> Result<Response, WebError> {
    let p = pay::receipt(&app, &token, &number).await?;
    let t = ctx.t();
    ok(ReceiptPage {
        c: Chrome::public(&ctx, "voucher.receipt_title"),
        paid_at: t.datetime_ms(p.paid_at),
        cancelled_at: p.cancelled_at.map(|at| t.datetime_ms(at)).unwrap_or_default(),
        token,
        p,
    })
}
