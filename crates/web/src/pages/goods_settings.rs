//! 物販の設定: 送料 and ポイント, kept by the merchant admin.

use super::render;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::goods::settings::{self, GoodsSettingsForm};
use kippu_app::{App, AppError};
use kippu_domain::goods::flow::PointsActivation;

#[derive(Template)]
#[template(path = "goods_settings.html")]
struct SettingsPage {
    c: Chrome,
    f: GoodsSettingsForm,
    errors: FormErrors,
    activations: Vec<(&'static str, &'static str)>,
}

fn page(s: &SignedIn, status: StatusCode, f: GoodsSettingsForm, errors: FormErrors) -> Result<Response, WebError> {
    let t = s.ctx.t();
    render(
        status,
        SettingsPage {
            c: Chrome::signed_in(&s.ctx, "goods.settings_title"),
            f,
            errors,
            activations: PointsActivation::ALL.iter().map(|a| (a.as_str(), t.l(a.label()))).collect(),
        },
    )
}

pub async fn show(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let f = settings::settings(&app, &s.user.actor).await?;
    page(&s, StatusCode::OK, f, FormErrors::default())
}

pub async fn save(State(app): State<App>, s: SignedIn, Form(f): Form<GoodsSettingsForm>) -> Result<Response, WebError> {
    match settings::save(&app, &s.user.actor, &f).await {
        Ok(()) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            "/settings/goods",
            Flash::done(s.ctx.t().s("goods.settings_saved")),
        )),
        Err(AppError::Invalid(e)) => page(&s, StatusCode::UNPROCESSABLE_ENTITY, f, FormErrors::by_field(&e)),
        Err(e) => Err(e.into()),
    }
}
