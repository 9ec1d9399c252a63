//! The order page's 「広告コード」 form: the AD code (媒体) set, changed or removed after the order.

use super::detail::{Typed, page_with};
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::{App, AppError};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct AdCodeForm {
    #[serde(default)]
    ad_code: String,
}

/// `POST /shipping/orders/{number}/ad-code`: back to the order with what changed, or the form
/// open with the code as typed and the reason beside it (422).
pub async fn save(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Form(f): Form<AdCodeForm>,
) -> Result<Response, WebError> {
    match kippu_app::goods::edit::set_ad_code(&app, &s.user.actor, &number, &f.ad_code).await {
        Ok(v) => {
            let now = v
                .order
                .ad_code
                .clone()
                .unwrap_or_else(|| s.ctx.t().s("goods.ad_code_none").to_string());
            let message = format!("{number}: {} {now}", s.ctx.t().s("goods.ad_code_form"));
            Ok(flash::redirect(
                s.ctx.secure_cookies,
                &format!("/shipping/orders/{number}"),
                Flash::done(message),
            ))
        }
        Err(AppError::Invalid(e)) => {
            let error = e.all().iter().map(|x| x.message.clone()).collect::<Vec<_>>().join(" ");
            let typed = Typed::AdCode { typed: f.ad_code, error };
            page_with(&app, &s, &number, StatusCode::UNPROCESSABLE_ENTITY, String::new(), typed).await
        }
        Err(e) => Err(e.into()),
    }
}
