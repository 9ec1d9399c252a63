//! The settings gear (`/callcenter/settings`): 対応区分編集, 対応概要編集 and the 対応履歴 CSV's
//! columns, each marked 「(全オペレーターに影響します)」. Only users with 管理者専用設定 see the form;
//! anyone else reads that these settings are for administrators, and a POST from them is 403.

use super::{ConsoleBar, Panel, Picked};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::callcenter::interactions::settings::{self, SettingsInput};
use kippu_app::{App, AppError};
use kippu_domain::interaction::columns;

#[derive(Template)]
#[template(path = "callcenter_settings.html")]
struct SettingsPage {
    c: Chrome,
    bar: ConsoleBar,
    may_edit: bool,
    f: SettingsInput,
    all_columns: String,
    errors: FormErrors,
}

async fn settings_page(
    app: &App,
    s: &SignedIn,
    picked: &Picked,
    f: Option<SettingsInput>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let bar = ConsoleBar::new(app, s, Panel::Settings, picked).await?;
    let a = &s.user.actor;
    let may_edit = a.require_settings_rights().is_ok();
    let f = match (f, may_edit) {
        (Some(f), _) => f,
        (None, true) => SettingsInput::of(&settings::get(app, a).await?),
        (None, false) => SettingsInput::default(),
    };
    render(
        status,
        SettingsPage {
            c: Chrome::signed_in(&s.ctx, "console.settings"),
            bar,
            may_edit,
            f,
            all_columns: columns::ALL.iter().map(|c| c.title()).collect::<Vec<_>>().join("、"),
            errors,
        },
    )
}

pub async fn page(State(app): State<App>, s: SignedIn, Query(p): Query<Picked>) -> Result<Response, WebError> {
    settings_page(&app, &s, &p, None, FormErrors::default(), StatusCode::OK).await
}

pub async fn save(State(app): State<App>, s: SignedIn, Form(f): Form<SettingsInput>) -> Result<Response, WebError> {
    match settings::save(&app, &s.user.actor, &f).await {
        Ok(_) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            "/callcenter/settings",
            Flash::done(s.ctx.t().s("common.saved")),
        )),
        Err(AppError::Invalid(e)) => {
            settings_page(
                &app,
                &s,
                &Picked::default(),
                Some(f),
                FormErrors::by_field(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
