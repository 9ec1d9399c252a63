//! `/api/v1/subscriptions` (定期マスタ) and `/api/v1/courses` (頒布会): merchant tokens only; the
//! rules, history and audit are `kippu_app::callcenter::subscriptions`'. Another merchant's
//! master is a 404.

use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};
use super::handlers::time_of;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::App;
use kippu_app::callcenter::subscriptions::MasterRow;
use kippu_app::callcenter::subscriptions::{self as subs, ListQuery, MasterView, courses, edit::MasterPatch};
use kippu_domain::subscription::MasterAction;
use kippu_domain::validate::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct CycleOut {
    /// `days`, `months` or `weeks`.
    pub kind: String,
    pub every: i64,
    /// `months`: the day of the month (a short month takes its last day).
    pub day: Option<i64>,
    /// `weeks`: `mon` … `sun`.
    pub weekday: Option<String>,
    pub words: String,
}

#[derive(Serialize, ToSchema)]
pub struct ItemOut {
    pub product_code: String,
    pub product_name: String,
    pub quantity: i64,
    pub main: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ChildOut {
    pub order_number: String,
    pub cycle_date: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubHistoryOut {
    pub at: String,
    pub by: Option<String>,
    pub action: String,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct ShipOut {
    pub name: String,
    pub kana: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubscriptionOut {
    pub id: i64,
    /// `active`, `paused`, `cancelled`, `finished`.
    pub status: String,
    pub status_label: String,
    pub cycle: CycleOut,
    /// The next child order's date (`YYYY-MM-DD`, Japan).
    pub next_date: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub payment_method: String,
    pub card_id: Option<i64>,
    pub coupon_code: Option<String>,
    /// 頒布会: the course's code.
    pub course: Option<String>,
    /// Deliveries made, the first order included.
    pub deliveries: i64,
    pub shipping_fee: Option<i64>,
    pub handling_fee: Option<i64>,
    pub address: ShipOut,
    pub origin_order_number: Option<String>,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubscriptionDetail {
    #[serde(flatten)]
    pub master: SubscriptionOut,
    pub items: Vec<ItemOut>,
    /// Child orders, newest first.
    pub child_orders: Vec<ChildOut>,
    /// What may happen next: `pause`, `resume`, `cancel`, `revive`.
    pub actions: Vec<String>,
    pub history: Vec<SubHistoryOut>,
    /// The stored card the master pays with (`card_id` above is kippu's row id, kept for
    /// compatibility); null when it pays otherwise or the card was deleted since.
    pub card: Option<SubCardOut>,
}

/// A master's stored card: its brand, last 4 digits and the gateway's card id.
#[derive(Serialize, ToSchema)]
pub struct SubCardOut {
    pub brand: String,
    pub last4: String,
    pub card_id: String,
}

fn master_out(m: MasterRow) -> SubscriptionOut {
    let words = m.cycle().map(|c| c.words(false)).unwrap_or_default();
    SubscriptionOut {
        id: m.id,
        status: m.status.as_str().into(),
        status_label: m.status.label_ja().into(),
        cycle: CycleOut {
            kind: m.cycle_kind,
            every: m.cycle_every,
            day: m.cycle_day,
            weekday: m.cycle_weekday,
            words,
        },
        next_date: m.next_date,
        customer_id: m.customer_id,
        customer_name: m.customer_name,
        payment_method: m.payment_method.as_str().into(),
        card_id: m.stored_card_id,
        coupon_code: m.coupon_code,
        course: m.course_code,
        deliveries: m.deliveries,
        shipping_fee: m.shipping_fee,
        handling_fee: m.handling_fee,
        address: ShipOut {
            name: m.ship_name,
            kana: m.ship_kana,
            postal_code: m.ship_postal_code,
            address: m.ship_address,
            phone: m.ship_phone,
        },
        origin_order_number: m.origin_order_number,
        created_at: time_of(m.created_at),
    }
}

fn detail(v: MasterView) -> SubscriptionDetail {
    SubscriptionDetail {
        items: v
            .items
            .iter()
            .map(|i| ItemOut {
                product_code: i.product_code.clone(),
                product_name: i.product_name.clone(),
                quantity: i.quantity,
                main: i.is_main == 1,
            })
            .collect(),
        child_orders: v
            .children
            .iter()
            .map(|(n, d)| ChildOut {
                order_number: n.clone(),
                cycle_date: d.clone(),
            })
            .collect(),
        actions: v
            .actions
            .iter()
            .filter(|a| **a != MasterAction::Finish)
            .map(|a| a.as_str().into())
            .collect(),
        history: v
            .history
            .iter()
            .map(|h| SubHistoryOut {
                at: time_of(h.at),
                by: h.user_name.clone(),
                action: h.action.clone(),
                note: h.note.clone(),
            })
            .collect(),
        card: v.card.map(|c| SubCardOut {
            brand: c.brand,
            last4: c.last4,
            card_id: c.card_id,
        }),
        master: master_out(v.master),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SubscriptionQuery {
    /// A customer's id: their masters only.
    pub customer: Option<i64>,
    /// `active`, `paused`, `cancelled`, `finished`.
    pub status: Option<String>,
    /// Part of the customer's name, furigana or email.
    pub q: Option<String>,
    /// 1-based; 50 per page.
    pub page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SubscriptionPage {
    pub items: Vec<SubscriptionOut>,
    pub page: i64,
    pub has_more: bool,
}

/// The merchant's masters, newest first, 50 a page.
#[utoipa::path(get, path = "/api/v1/subscriptions", tag = "subscriptions", params(SubscriptionQuery),
    responses((status = 200, body = SubscriptionPage), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    super::handlers::ApiActor(a): super::handlers::ApiActor,
    ApiQuery(q): ApiQuery<SubscriptionQuery>,
) -> Result<Json<SubscriptionPage>, ApiError> {
    let page = subs::list(
        &app,
        &a,
        &ListQuery {
            customer: q.customer,
            status: q.status,
            q: q.q,
            page: q.page,
        },
    )
    .await?;
    Ok(Json(SubscriptionPage {
        items: page.rows.into_iter().map(master_out).collect(),
        page: page.page,
        has_more: page.more,
    }))
}

/// One master: status, next date, items, child orders, history.
#[utoipa::path(get, path = "/api/v1/subscriptions/{id}", tag = "subscriptions", params(("id" = i64, Path, description = "master id")),
    responses((status = 200, body = SubscriptionDetail), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    super::handlers::ApiActor(a): super::handlers::ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SubscriptionDetail>, ApiError> {
    Ok(Json(detail(subs::get(&app, &a, id).await?)))
}

/// `pause`, `resume`, `cancel` or `revive` (only while its product exists). A refusal is 409
/// with the reason in words.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/{action}", tag = "subscriptions",
    params(("id" = i64, Path, description = "master id"), ("action" = String, Path, description = "pause, resume, cancel, revive")),
    responses((status = 200, body = SubscriptionDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn action(
    State(app): State<App>,
    super::handlers::ApiActor(a): super::handlers::ApiActor,
    ApiPath((id, action)): ApiPath<(i64, String)>,
) -> Result<Json<SubscriptionDetail>, ApiError> {
    let act = MasterAction::parse(&action).filter(|x| *x != MasterAction::Finish).ok_or_else(|| {
        kippu_app::AppError::from(FieldError::new(
            "action",
            format!("操作は pause, resume, cancel, revive のいずれかです（{action}）"),
        ))
    })?;
    Ok(Json(detail(subs::act::act(&app, &a, id, act).await?)))
}

/// マスタ編集: items (the main product first), quantities, fees (`shipping_fee`, `handling_fee`:
/// each child's 送料 and 手数料 from then on), the card (`card_id`: the gateway's id of one of the
/// customer's stored cards, for a master paid by card; the next child charges it), coupon
/// (`remove_coupon` first when one is applied), address, cycle (`subscription`), next date.
#[utoipa::path(patch, path = "/api/v1/subscriptions/{id}", tag = "subscriptions", params(("id" = i64, Path, description = "master id")),
    request_body = Object,
    responses((status = 200, body = SubscriptionDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn patch(
    State(app): State<App>,
    super::handlers::ApiActor(a): super::handlers::ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<MasterPatch>,
) -> Result<Json<SubscriptionDetail>, ApiError> {
    Ok(Json(detail(subs::edit::edit(&app, &a, id, &p).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct CourseOut {
    pub code: String,
    pub name: String,
    /// Product codes in delivery order.
    pub products: Vec<String>,
}

/// The merchant's 頒布会 courses.
#[utoipa::path(get, path = "/api/v1/courses", tag = "subscriptions",
    responses((status = 200, body = Vec<CourseOut>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn courses_list(
    State(app): State<App>,
    super::handlers::ApiActor(a): super::handlers::ApiActor,
) -> Result<Json<Vec<CourseOut>>, ApiError> {
    Ok(Json(
        courses::list(&app, &a)
            .await?
            .into_iter()
            .map(|(c, steps)| CourseOut {
                code: c.code,
                name: c.name,
                products: steps.into_iter().map(|s| s.product_code).collect(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseBody {
    pub code: String,
    pub name: String,
    /// Product codes in delivery order (goods on sale), 1–24.
    pub products: Vec<String>,
}

/// Defines a 頒布会 course (merchant admins with the settings right).
#[utoipa::path(post, path = "/api/v1/courses", tag = "subscriptions", request_body = CourseBody,
    responses((status = 201, body = CourseOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn courses_create(
    State(app): State<App>,
    super::handlers::ApiActor(a): super::handlers::ApiActor,
    ApiJson(b): ApiJson<CourseBody>,
) -> Result<(StatusCode, Json<CourseOut>), ApiError> {
    let input = courses::CourseInput {
        code: b.code.clone(),
        name: b.name.clone(),
        products: b.products.join("\n"),
    };
    courses::define(&app, &a, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(CourseOut {
            code: b.code.trim().to_string(),
            name: b.name,
            products: b.products,
        }),
    ))
}

/// This module's part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(list, get, action, patch, courses_list, courses_create),
    components(schemas(
        SubscriptionOut,
        SubscriptionDetail,
        SubscriptionPage,
        CycleOut,
        ItemOut,
        ChildOut,
        SubHistoryOut,
        SubCardOut,
        ShipOut,
        CourseOut,
        CourseBody
    ))
)]
pub struct Doc;
