//! The online slip (オンライン伝票) on which the merchant types the order's PIN at the venue.

use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::orders::{self};
use kippu_app::{Actor, App, AppError};
use kippu_domain::Yen;
use kippu_domain::account::Role;
use kippu_domain::order::PaymentMethod;
use kippu_domain::web_ticket::{Action, Status};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "slip.html")]
struct SlipPage {
    c: Chrome,
    token: String,
    number: String,
    name: String,
    amount: String,
    items: Vec<(String, String)>,
    open: bool,
    status_label: &'static str,
    error: String,
    done: bool,
}

async fn slip_page(app: &App, ctx: &Ctx, token: &str, error: String, done: bool) -> Result<Response, WebError> {
    let v = orders::get_by_token(app, token).await?;
    let o = &v.order;
    if o.payment_method != PaymentMethod::PayAtVenue {
        return Err(WebError::NotFound);
    }
    let status = o.status;
    let shop = kippu_app::merchants::of_order(app, o.merchant_id).await?;
    let c = Chrome::storefront(ctx, "slip.title", &shop.name, &shop.code);
    let code = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        code,
        SlipPage {
            c,
            token: token.to_string(),
            number: o.order_number.clone(),
            name: o.customer_name.clone(),
            amount: Yen(o.amount).display_ja(),
            items: v
                .tickets
                .iter()
                .map(|t| (t.ticket_number.clone(), t.product_name.clone()))
                .collect(),
            open: status == Status::Unreceived,
            status_label: status.label_ja(),
            error,
            done,
        },
    )
}

pub async fn slip(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, WebError> {
    slip_page(&app, &ctx, &token, String::new(), false).await
}

#[derive(Deserialize)]
pub struct PinForm {
    pin: String,
}

/// 【暗証番号を入れてポイント発行】: the merchant types the order's PIN on the buyer's slip.
pub async fn slip_receive(
    State(app): State<App>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<PinForm>,
) -> Result<Response, WebError> {
    let v = orders::get_by_token(&app, &token).await?;
    let actor = Actor::unattended(v.order.merchant_id, Role::MerchantStaff, "online-slip");
    match orders::act(&app, &actor, &v.order.order_number, Action::Receive, Some(&f.pin)).await {
        Ok(_) => slip_page(&app, &ctx, &token, String::new(), true).await,
        Err(AppError::Order(e)) => slip_page(&app, &ctx, &token, ctx.t().said(&e.said()), false).await,
        Err(e) => Err(e.into()),
    }
}
