//! Electronic vouchers over the API: the holder's phone pays (`POST /voucher-payments` with the
//! holder's token), the merchant reads its 利用実績 and cancels within 24 hours (the platform
//! token at any time).

use super::error::{ApiError, ApiJson, ErrorBody, OptionalJson};
use super::handlers::{ApiActor, bearer_token};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kippu_app::App;
use kippu_app::vouchers::PaymentRow;
use kippu_app::vouchers::pay::{self, PayInput, TerminalRef};
use kippu_app::vouchers::records::{self, RecordQuery};
use kippu_app::vouchers::{cancel, holders};
use kippu_domain::clock::{from_millis, rfc3339_jst};
use kippu_domain::validate::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayBody {
    /// The QR mount's content (`KIPPU-T:…`); or send `passcode`.
    pub terminal: Option<String>,
    /// The 6 digits printed on the QR mount.
    pub passcode: Option<String>,
    /// Whole yen, at least 1 (a string such as "1,200" is read too).
    pub amount: serde_json::Value,
    /// The voucher type's code or name when the programme has several.
    pub product: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentOut {
    /// 決済番号: 16 letters and digits.
    pub payment_number: String,
    pub store_code: String,
    pub store_name: String,
    pub terminal_name: String,
    pub product: String,
    pub amount: i64,
    /// RFC 3339, Japan time.
    pub paid_at: String,
    pub balance_after: i64,
    /// When it was cancelled (取消済), RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cancel_memo: String,
}

pub fn payment_out(p: &PaymentRow) -> PaymentOut {
    PaymentOut {
        payment_number: p.payment_number.clone(),
        store_code: p.store_code.clone(),
        store_name: p.store_name.clone(),
        terminal_name: p.terminal_name.clone(),
        product: p.type_name.clone(),
        amount: p.amount,
        paid_at: rfc3339_jst(from_millis(p.paid_at)),
        balance_after: p.balance_after,
        cancelled_at: p.cancelled_at.map(|t| rfc3339_jst(from_millis(t))),
        cancel_memo: p.cancel_memo.clone(),
    }
}

fn amount_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// Pays at a store from the holder's balance (the holder's token as the bearer). A retry with
/// the same `Idempotency-Key` answers with the first payment (200) and pays nothing more.
#[utoipa::path(post, path = "/api/v1/voucher-payments", tag = "vouchers", request_body = PayBody,
    params(("Idempotency-Key" = String, Header, description = "one per payment attempt; the same key returns the first payment")),
    responses((status = 201, body = PaymentOut), (status = 200, description = "replayed by Idempotency-Key", body = PaymentOut),
        (status = 404, description = "unknown_terminal (a wrong passcode counts towards the lock)", body = ErrorBody),
        (status = 409, description = "insufficient_balance (with balance), outside_validity", body = ErrorBody),
        (status = 422, description = "invalid (amount, passcode, idempotency_key), store_not_in_program, idempotency_key_reused", body = ErrorBody),
        (status = 429, description = "passcode_locked: five wrong passcodes in a row", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn pay(State(app): State<App>, headers: HeaderMap, ApiJson(b): ApiJson<PayBody>) -> Result<Response, ApiError> {
    let token = bearer_token(&headers)?;
    holders::holder(&app, token).await.map_err(|_| ApiError::unauthorized())?;
    let terminal = match (b.terminal, b.passcode) {
        (Some(t), None) => TerminalRef::Qr(t),
        (None, Some(p)) => TerminalRef::Passcode(p),
        _ => {
            return Err(kippu_app::AppError::from(FieldError::new(
                "terminal",
                "terminal（QRの内容）か passcode のどちらか一方を送ってください",
            ))
            .into());
        }
    };
    let input = PayInput {
        terminal,
        amount: amount_text(&b.amount),
        product: b.product.unwrap_or_default(),
        key: headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
    };
    let paid = pay::pay(&app, token, &input).await?;
    let status = if paid.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(payment_out(&paid.payment))).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct PaymentList {
    pub items: Vec<PaymentOut>,
    /// 該当件数: every payment the search finds.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The merchant's 利用実績 (merchant token): today by default, at most 3 months.
#[utoipa::path(get, path = "/api/v1/voucher-payments", tag = "vouchers", params(RecordParams),
    responses((status = 200, body = PaymentList), (status = 422, description = "range_too_long, invalid", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(State(app): State<App>, ApiActor(a): ApiActor, Query(q): Query<RecordQuery>) -> Result<Json<PaymentList>, ApiError> {
    let r = records::search(&app, &a, &q).await?;
    Ok(Json(PaymentList {
        items: r.lines.iter().map(|l| payment_out(&l.payment)).collect(),
        total: r.total,
        page: r.paging.page(),
        per_page: r.paging.per_page(),
    }))
}

/// The query of `GET /voucher-payments` (documentation of [`RecordQuery`]).
#[derive(IntoParams)]
#[allow(dead_code)]
pub struct RecordParams {
    /// `YYYY-MM-DDTHH:MM` Japan time (default today 00:00).
    from: Option<String>,
    /// Inclusive to the minute (default today 23:59).
    to: Option<String>,
    /// Start of the store code.
    store_code: Option<String>,
    /// Part of the store name.
    store_name: Option<String>,
    /// Part of the terminal name.
    terminal: Option<String>,
    /// A voucher type's code.
    product: Option<String>,
    payment_number: Option<String>,
    amount: Option<i64>,
    /// `1`: leave cancelled payments out (取消実績を含めない).
    exclude_cancelled: Option<String>,
    /// 25, 50 or 100.
    per_page: Option<i64>,
    page: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// 取り消し理由 (optional).
    #[serde(default)]
    pub memo: String,
}

/// 取消: the merchant within 24 hours of the payment, the platform token at any time.
#[utoipa::path(post, path = "/api/v1/voucher-payments/{payment_number}/cancel", tag = "vouchers", request_body = CancelBody,
    params(("payment_number" = String, Path)),
    responses((status = 200, body = PaymentOut), (status = 404, description = "not this merchant's payment", body = ErrorBody),
        (status = 409, description = "cancel_window_passed, already_cancelled", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn cancel(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    Path(number): Path<String>,
    OptionalJson(b): OptionalJson<CancelBody>,
) -> Result<Json<PaymentOut>, ApiError> {
    let memo = b.unwrap_or_default().memo;
    Ok(Json(payment_out(&cancel::cancel(&app, &a, &number, &memo).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct BalanceOut {
    pub product: String,
    pub balance: i64,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryOut {
    /// `grant`, `payment` or `cancel` (a cancelled payment given back).
    pub kind: String,
    pub at: String,
    pub amount: i64,
    pub product: String,
    pub store_name: String,
    pub payment_number: String,
}

#[derive(Serialize, ToSchema)]
pub struct HolderOut {
    pub holder_id: i64,
    pub name: String,
    pub program: String,
    pub balances: Vec<BalanceOut>,
    pub history: Vec<HistoryOut>,
}

/// The holder's balances and history (the holder's token).
#[utoipa::path(get, path = "/api/v1/voucher-holder", tag = "vouchers",
    responses((status = 200, body = HolderOut), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn holder(State(app): State<App>, headers: HeaderMap) -> Result<Json<HolderOut>, ApiError> {
    let token = bearer_token(&headers)?;
    let v = holders::view(&app, token).await.map_err(|e| match e {
        kippu_app::AppError::NotFound => ApiError::unauthorized(),
        e => e.into(),
    })?;
    Ok(Json(HolderOut {
        holder_id: v.holder.id,
        name: v.holder.name.clone(),
        program: v.program.name.clone(),
        balances: v
            .accounts
            .iter()
            .map(|a| BalanceOut {
                product: a.type_name.clone(),
                balance: a.balance,
            })
            .collect(),
        history: v
            .history
            .iter()
            .map(|h| HistoryOut {
                kind: h.kind.clone(),
                at: rfc3339_jst(from_millis(h.at)),
                amount: h.amount,
                product: h.type_name.clone(),
                store_name: h.store_name.clone(),
                payment_number: h.payment_number.clone(),
            })
            .collect(),
    }))
}
