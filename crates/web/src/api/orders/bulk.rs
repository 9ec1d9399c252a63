//! 一括処理 over the API: every row gets a verdict, only OK rows are processed.

use crate::api::error::{ApiError, ApiJson, ApiPath, ErrorBody};
use crate::api::handlers::ApiActor;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::orders::{self, BulkAction};
use kippu_app::{App, AppError};
use kippu_domain::validate::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkBody {
    pub order_numbers: Option<Vec<String>>,
    pub ticket_numbers: Option<Vec<String>>,
    /// `true`: only the verdicts (the confirmation screen); `false`: process the OK rows.
    pub dry_run: bool,
    /// Goods `ship`: also mark the orders 処理済み (both or neither, per order).
    #[serde(default)]
    pub also_process: bool,
    /// Goods `ship` and `mark-paid`: send each order's notice (発送通知 / 受取通知 / ご入金確認).
    #[serde(default)]
    pub notify: bool,
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
/// (ticket numbers); for goods orders `ship` (with `also_process`), `mark-paid` and `process`.
/// Every row gets a verdict; only OK rows are processed.
#[utoipa::path(post, path = "/api/v1/bulk/{action}", tag = "orders", params(("action" = String, Path)), request_body = BulkBody,
    responses((status = 200, body = BulkOut), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn bulk(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiPath(action): ApiPath<String>,
    ApiJson(b): ApiJson<BulkBody>,
) -> Result<Json<BulkOut>, ApiError> {
    if let Some(goods) = kippu_app::goods::bulk_action(
        &app,
        &a,
        &action,
        b.order_numbers.as_deref().unwrap_or(&[]),
        b.also_process,
        b.notify,
    )
    .await?
    {
        let numbers = b
            .order_numbers
            .ok_or_else(|| AppError::from(FieldError::new("order_numbers", "受注番号を指定してください")))?;
        let r = kippu_app::goods::bulk(&app, &a, goods, &numbers, b.dry_run).await?;
        return Ok(Json(bulk_out(r, false)));
    }
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
    Ok(Json(bulk_out(r, action.on_tickets())))
}

/// The report as the API answers it: each row's key named as an order or a ticket number.
fn bulk_out(r: orders::BulkReport, tickets: bool) -> BulkOut {
    BulkOut {
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
    }
}
