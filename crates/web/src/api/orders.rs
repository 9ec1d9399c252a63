//! Orders, tickets and bulk actions over the API (issue: web-ticket orders end to end).

use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody, OptionalJson};
use super::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kippu_app::orders::OrderFilter;
use kippu_app::orders::{self, BulkAction, OrderRequest, OrderView};
use kippu_app::{App, AppError};
use kippu_domain::clock::{JST, from_millis, rfc3339_jst, to_millis};
use kippu_domain::order::PaymentMethod;
use kippu_domain::paging::Paging;
use kippu_domain::validate::FieldError;
use kippu_domain::web_ticket::{Action, SendMode, Status};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct CustomerOut {
    pub name: String,
    pub kana: String,
    pub email: String,
    pub phone: String,
}

#[derive(Serialize, ToSchema)]
pub struct TicketOut {
    pub ticket_number: String,
    pub holder_name: String,
    /// `unused` or `used`.
    pub usage: String,
    pub used_at: Option<String>,
    pub product_code: String,
    pub product_name: String,
    pub price: i64,
    pub visit_date: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryOut {
    pub flow: String,
    pub from: Option<String>,
    pub to: String,
    pub by: String,
    pub note: String,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuthorizationOut {
    pub authorized_at: String,
    pub expires_at: String,
    /// Whole days left before the authorization expires; `null` once expired.
    pub days_left: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct OrderOut {
    pub order_number: String,
    /// `unpaid`, `unreceived`, `authorized`, `awaiting_send`, `sent`, `cancel_requested`,
    /// `cancelled`; for reservations also `redeemed` and `no_show`.
    pub status: String,
    /// `web_ticket` or `reservation`.
    pub kind: String,
    /// Reservations: the visit date (`YYYY-MM-DD`, Japan), slot, party size and 6-digit e-ticket ID.
    pub visit_date: Option<String>,
    pub time_slot: Option<String>,
    pub party_size: Option<i64>,
    pub eticket_id: Option<String>,
    pub status_label: String,
    pub payment_method: String,
    /// Total in yen, tax included.
    pub amount: i64,
    pub promotion_cost: i64,
    /// The order's PIN (pay at venue only).
    pub pin: Option<String>,
    pub ordered_at: String,
    pub paid_at: Option<String>,
    pub sent_at: Option<String>,
    /// `email` or `silent` once sent.
    pub send_mode: Option<String>,
    pub cancelled_at: Option<String>,
    /// Cancel-request fee charged to the merchant (yen, tax included).
    pub cancel_fee: i64,
    /// Reservations cancelled by the customer: the cancellation fee kept under the policy.
    pub cancellation_fee_kept: i64,
    /// What was (or will be) given back to the customer.
    pub refunded_amount: i64,
    /// Reservations: the cancellation policy shown at booking, e.g. 「当日: 100%、3日前から: 50%、それ以前: 無料」.
    pub cancellation_policy: Option<String>,
    /// Reservations: who cancelled (`customer` or `merchant`) and the merchant's reason.
    pub cancelled_by: Option<String>,
    pub cancel_reason: Option<String>,
    pub authorization: Option<AuthorizationOut>,
    pub customer: CustomerOut,
    pub tickets: Vec<TicketOut>,
    pub history: Vec<HistoryOut>,
}

fn t(ms: i64) -> String {
    rfc3339_jst(from_millis(ms))
}

pub fn order_out(app: &App, v: OrderView) -> OrderOut {
    let o = v.order;
    let authorization = (o.payment_method == PaymentMethod::CardAuth)
        .then_some(())
        .and(o.authorized_at)
        .map(|at| {
            let f = orders::next::facts(&o, app.clock.now());
            AuthorizationOut {
                authorized_at: t(at),
                expires_at: f.auth_expires_at().map(rfc3339_jst).unwrap_or_default(),
                days_left: f.auth_days_left(),
            }
        });
    use kippu_app::reservations::eticket_of;
    let (status_code, status_label) = (orders::status_code(&o).to_string(), orders::status_label(&o).to_string());
    let eticket_id = Some(eticket_of(&v.tickets)).filter(|e| !e.is_empty());
    let policy = (o.kind == kippu_domain::catalog::ProductKind::Reservation).then(|| kippu_app::reservations::policy_of(&o).describe_ja());
    OrderOut {
        order_number: o.order_number,
        status_label,
        status: status_code,
        kind: o.kind.as_str().into(),
        visit_date: o.visit_date,
        time_slot: o.time_slot,
        party_size: o.party_size,
        eticket_id,
        payment_method: o.payment_method.as_str().into(),
        amount: o.amount,
        promotion_cost: o.promotion_cost,
        pin: o.pin,
        ordered_at: t(o.ordered_at),
        paid_at: o.paid_at.map(t),
        sent_at: o.sent_at.map(t),
        send_mode: o.send_mode.map(|m| m.as_str().into()),
        cancelled_at: o.cancelled_at.map(t),
        cancel_fee: o.cancel_fee,
        cancellation_fee_kept: o.cancellation_fee_kept,
        refunded_amount: o.refunded_amount,
        cancellation_policy: policy,
        cancelled_by: o.cancelled_by.map(|c| c.as_str().into()),
        cancel_reason: o.cancel_reason.clone(),
        authorization,
        customer: CustomerOut {
            name: o.customer_name,
            kana: o.customer_kana,
            email: o.customer_email,
            phone: o.customer_phone,
        },
        tickets: v
            .tickets
            .into_iter()
            .map(|k| TicketOut {
                ticket_number: k.ticket_number,
                holder_name: k.holder_name,
                usage: k.usage.as_str().into(),
                used_at: k.used_at.map(t),
                product_code: k.product_code,
                product_name: k.product_name,
                price: k.price,
                visit_date: k.visit_date,
            })
            .collect(),
        history: v
            .history
            .into_iter()
            .map(|h| HistoryOut {
                flow: h.flow,
                from: h.from_status,
                to: h.to_status,
                by: h.actor_label,
                note: h.note,
                at: t(h.at),
            })
            .collect(),
    }
}

/// Takes an order. `Idempotency-Key` makes a retried request answer with the first order.
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = OrderRequestDoc,
    params(("Idempotency-Key" = Option<String>, Header, description = "retry-safe key; the same key and body return the first order")),
    responses((status = 201, body = OrderOut), (status = 200, description = "replayed by Idempotency-Key", body = OrderOut),
        (status = 409, description = "sold_out / listing_stopped", body = ErrorBody), (status = 402, description = "card_declined", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    headers: HeaderMap,
    ApiJson(r): ApiJson<OrderRequest>,
) -> Result<Response, ApiError> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    let out = orders::create(&app, &a, &r, key).await?;
    let status = if out.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(order_out(&app, out.order))).into_response())
}

/// The body of `POST /api/v1/orders` (documentation of `OrderRequest`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OrderRequestDoc {
    product_code: String,
    /// 1–100 tickets.
    quantity: i64,
    /// `YYYY-MM-DD`, for dated ticket types (rental, accommodation).
    visit_date: Option<String>,
    /// For rental products, e.g. `10:00`.
    time_slot: Option<String>,
    /// `bank_platform`, `bank_store`, `pay_at_venue`, `card_auth`, `card_capture`.
    payment_method: String,
    /// Card token from the payment company (sandbox: `tok_visa`, `tok_declined`…).
    card_token: Option<String>,
    /// Channel code; the own site (`OWN`) by default.
    channel: Option<String>,
    customer: CustomerDoc,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CustomerDoc {
    name: String,
    /// Full-width katakana.
    kana: String,
    email: String,
    phone: String,
}

/// One order with its tickets and history.
#[utoipa::path(get, path = "/api/v1/orders/{order_number}", tag = "orders", params(("order_number" = String, Path)),
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get(State(app): State<App>, ApiActor(a): ApiActor, ApiPath(number): ApiPath<String>) -> Result<Json<OrderOut>, ApiError> {
    Ok(Json(order_out(&app, orders::get(&app, &a, &number).await?)))
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    pub status: Option<String>,
    pub payment_method: Option<String>,
    /// Orderer name or furigana (part), or an exact order number.
    pub q: Option<String>,
    /// First ordering day, `YYYY-MM-DD` (Japan time).
    pub from: Option<String>,
    /// Last ordering day, `YYYY-MM-DD` (Japan time), inclusive.
    pub to: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct OrderList {
    pub items: Vec<OrderOut>,
    /// Matching orders, counted exactly up to 10,000; 10,001 means "more than 10,000".
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Parses a `YYYY-MM-DD` day into the first millisecond of that day in Japan.
pub fn day_start(field: &'static str, s: &str) -> Result<i64, FieldError> {
    let d = time::Date::parse(s, &time::format_description::well_known::Iso8601::DATE)
        .map_err(|_| FieldError::new(field, "日付は YYYY-MM-DD で指定してください"))?;
    Ok(to_millis(d.midnight().assume_offset(JST)))
}

/// Builds a filter from list parameters, validating codes.
pub fn filter_of(p: &ListParams) -> Result<OrderFilter, FieldError> {
    let mut f = OrderFilter::default();
    if let Some(s) = p.status.as_deref().filter(|s| !s.is_empty()) {
        f.status = Some(Status::parse(s).ok_or_else(|| FieldError::new("status", format!("{s} は受注ステータスではありません")))?);
    }
    if let Some(s) = p.payment_method.as_deref().filter(|s| !s.is_empty()) {
        f.payment_method =
            Some(PaymentMethod::parse(s).ok_or_else(|| FieldError::new("payment_method", format!("{s} は決済種別ではありません")))?);
    }
    if let Some(q) = p.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if kippu_domain::order::OrderNumber::parse(q).is_ok() {
            f.order_number = Some(q.into());
        } else {
            f.name = Some(q.into());
        }
    }
    if let Some(d) = p.from.as_deref().filter(|s| !s.is_empty()) {
        f.from_ms = Some(day_start("from", d)?);
    }
    if let Some(d) = p.to.as_deref().filter(|s| !s.is_empty()) {
        f.to_ms = Some(day_start("to", d)? + 86_400_000);
    }
    Ok(f)
}

/// Searches orders, newest first.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(ListParams),
    responses((status = 200, body = OrderList), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(State(app): State<App>, ApiActor(a): ApiActor, ApiQuery(p): ApiQuery<ListParams>) -> Result<Json<OrderList>, ApiError> {
    let f = filter_of(&p).map_err(AppError::from)?;
    let paging = Paging::new(p.page, p.per_page, 50).map_err(AppError::from)?;
    let page = orders::list(&app, &a, f, paging).await?;
    Ok(Json(OrderList {
        items: page.orders.into_iter().map(|v| order_out(&app, v)).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// `send`: `email` (default), `silent` or `test`.
    pub mode: Option<String>,
    /// `receive` from the customer's online slip: the order's PIN.
    pub pin: Option<String>,
    /// `cancel` of a reservation by the merchant for force majeure: `weather`, `too_few`,
    /// `equipment` or `other` (with `reason_text`). Without it the customer's cancellation
    /// policy applies.
    pub reason: Option<String>,
    pub reason_text: Option<String>,
}

/// Moves an order through its flow: `confirm-payment` (platform token: bank_platform deposits;
/// merchant token: bank_store and pay-at-venue payments), `revert-payment`, `capture`,
/// `receive`, `send`, `cancel`, `cancel-request`, `complete-cancel-request` (platform), `resend`
/// (注文確認メール再送; own-site orders only, 422 `own_site_only` otherwise).
/// `cancel` on a reservation applies the booking's cancellation policy and answers the fee kept
/// (`cancellation_fee_kept`) and the refund (`refunded_amount`); with `reason` it is the
/// merchant's force-majeure cancellation with a full refund. Refusals: 409 `already_cancelled`
/// / `already_redeemed`, 422 `no_show` / `visit_passed` / `outside_cancellation_window`.
#[utoipa::path(post, path = "/api/v1/orders/{order_number}/{action}", tag = "orders",
    params(("order_number" = String, Path), ("action" = String, Path)), request_body(content = ActionBody, description = "optional"),
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody),
        (status = 409, description = "illegal_transition / authorization_expired / changed", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn action(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath((number, action)): ApiPath<(String, String)>,
    OptionalJson(body): OptionalJson<ActionBody>,
) -> Result<Json<OrderOut>, ApiError> {
    let body = body.unwrap_or_default();
    if action == "cancel" && !a.is_platform() {
        use kippu_app::reservations::cancel::{self, Target};
        use kippu_domain::reservation::{Canceller, MerchantReason};
        let who = match body.reason.as_deref() {
            Some(code) => {
                Canceller::Merchant(MerchantReason::parse(code, body.reason_text.as_deref().unwrap_or("")).map_err(AppError::from)?)
            }
            None => Canceller::Customer,
        };
        match cancel::cancel(&app, &a, Target::Number(&number), who).await {
            Ok(out) => return Ok(Json(order_out(&app, out.order))),
            // Not a reservation: the web-ticket flow's cancellation below.
            Err(AppError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    if action == "resend" {
        kippu_app::reservations::notices::resend(&app, &a, &number).await?;
        return Ok(Json(order_out(&app, orders::get(&app, &a, &number).await?)));
    }
    let act = match action.as_str() {
        "confirm-payment" if a.is_platform() => Action::ConfirmDeposit,
        "confirm-payment" => Action::MarkPaid,
        "revert-payment" => Action::RevertPayment,
        "capture" => Action::Capture,
        "receive" => Action::Receive,
        "cancel" => Action::Cancel,
        "cancel-request" => Action::RequestCancel,
        "complete-cancel-request" => Action::CompleteCancelRequest,
        "send" => match body.mode.as_deref().unwrap_or(SendMode::Email.as_str()) {
            mode if SendMode::parse(mode).is_some() => SendMode::parse(mode).map(SendMode::action).unwrap_or(Action::Send),
            "test" => {
                orders::test_send(&app, &a, &number).await?;
                return Ok(Json(order_out(&app, orders::get(&app, &a, &number).await?)));
            }
            other => {
                return Err(ApiError::from(AppError::from(FieldError::new(
                    "mode",
                    format!("{other}: email, silent, test のいずれかです"),
                ))));
            }
        },
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("unknown order action {action}"),
            ));
        }
    };
    let pin = if act == Action::Receive { body.pin.as_deref() } else { None };
    let out = orders::act(&app, &a, &number, act, pin).await?;
    Ok(Json(order_out(&app, out.order)))
}

/// The body of an action that takes no options: `{}` or no body at all.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// 使用済みにする: marks the ticket used. Body: none, or `{}`.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket_number}/use", tag = "orders",
    params(("ticket_number" = String, Path)), request_body(content = Option<NoOptions>, description = "none, or `{}`"),
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn ticket_use(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
    OptionalJson(_): OptionalJson<NoOptions>,
) -> Result<Json<OrderOut>, ApiError> {
    Ok(Json(order_out(&app, orders::change_usage(&app, &a, &number, true, None).await?)))
}

/// 未使用に戻す: marks a used ticket unused again. Body: none, or `{}`.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket_number}/unuse", tag = "orders",
    params(("ticket_number" = String, Path)), request_body(content = Option<NoOptions>, description = "none, or `{}`"),
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn ticket_unuse(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
    OptionalJson(_): OptionalJson<NoOptions>,
) -> Result<Json<OrderOut>, ApiError> {
    Ok(Json(order_out(&app, orders::change_usage(&app, &a, &number, false, None).await?)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    pub holder_name: String,
    pub holder_email: Option<String>,
}

/// 譲渡: gives the ticket to another holder. Body: `{ "holder_name", "holder_email"? }`.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket_number}/transfer", tag = "orders",
    params(("ticket_number" = String, Path)), request_body = TransferBody,
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn ticket_transfer(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
    OptionalJson(body): OptionalJson<TransferBody>,
) -> Result<Json<OrderOut>, ApiError> {
    let b = body.ok_or_else(|| AppError::from(FieldError::new("holder_name", "譲渡先の氏名を指定してください")))?;
    let view = orders::transfer(&app, &a, &number, &b.holder_name, b.holder_email.as_deref()).await?;
    Ok(Json(order_out(&app, view)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkBody {
    pub order_numbers: Option<Vec<String>>,
    pub ticket_numbers: Option<Vec<String>>,
    /// `true`: only the verdicts (the confirmation screen); `false`: process the OK rows.
    pub dry_run: bool,
}

#[derive(Serialize, ToSchema)]
pub struct BulkRowOut {
    pub order_number: Option<String>,
    pub ticket_number: Option<String>,
    pub ok: bool,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BulkOut {
    pub rows: Vec<BulkRowOut>,
    pub ok_count: usize,
    pub done_count: usize,
}

/// 一括処理: `mark-paid`, `capture`, `send`, `send-silent` (order numbers), `use`, `unuse`
/// (ticket numbers). Every row gets a verdict; only OK rows are processed.
#[utoipa::path(post, path = "/api/v1/bulk/{action}", tag = "orders", params(("action" = String, Path)), request_body = BulkBody,
    responses((status = 200, body = BulkOut), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn bulk(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(action): ApiPath<String>,
    ApiJson(b): ApiJson<BulkBody>,
) -> Result<Json<BulkOut>, ApiError> {
    let action = BulkAction::parse(&action)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("unknown bulk action {action}")))?;
    let keys = if action.on_tickets() {
        b.ticket_numbers
            .ok_or_else(|| AppError::from(FieldError::new("ticket_numbers", "チケット番号を指定してください")))?
    } else {
        b.order_numbers
            .ok_or_else(|| AppError::from(FieldError::new("order_numbers", "受注番号を指定してください")))?
    };
    let r = orders::bulk(&app, &a, action, &keys, b.dry_run).await?;
    let tickets = action.on_tickets();
    Ok(Json(BulkOut {
        ok_count: r.ok_count,
        done_count: r.done_count,
        rows: r
            .rows
            .into_iter()
            .map(|row| BulkRowOut {
                order_number: (!tickets).then(|| row.key.clone()),
                ticket_number: tickets.then_some(row.key),
                ok: row.ok,
                reason: row.reason,
            })
            .collect(),
    }))
}

#[derive(Deserialize)]
pub struct EncodingParam {
    pub encoding: Option<String>,
}

/// CSV of every ticket of the search (all pages), streamed.
#[utoipa::path(get, path = "/api/v1/orders/export.csv", tag = "orders",
    params(ListParams, ("encoding" = Option<String>, Query, description = "`cp932` (default) or `utf-8` (written with a BOM)")),
    responses((status = 200, description = "CSV, one row per ticket", content_type = "text/csv"), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn export_csv(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(e): ApiQuery<EncodingParam>,
) -> Result<axum::response::Response, ApiError> {
    let f = filter_of(&p).map_err(AppError::from)?;
    let enc = kippu_app::csv_out::Encoding::choose(e.encoding.as_deref().unwrap_or(""), kippu_app::csv_out::Encoding::Cp932)
        .map_err(AppError::from)?;
    Ok(crate::csv_stream::stream(&app.clone(), "orders", enc, move |tx| async move {
        kippu_app::orders::export::export(&app, &a, f, enc, tx).await
    }))
}

/// 明細: the order's statement as PDF (Japanese text, embedded font).
#[utoipa::path(get, path = "/api/v1/orders/{order_number}/statement.pdf", tag = "orders", params(("order_number" = String, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn statement(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(number): ApiPath<String>,
) -> Result<axum::response::Response, ApiError> {
    let v = orders::get(&app, &a, &number).await?;
    let pdf = kippu_app::documents::statement::pdf(&app, &v).await?;
    Ok(crate::pdf_response(&number, pdf))
}
