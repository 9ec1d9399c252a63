//! 頒布会マスタ: the merchant admin's courses — each a code, a name and its products in delivery
//! order — listed with a form to define a new one (errors beside their fields).

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::callcenter::subscriptions::courses::{self, CourseInput};
use kippu_app::callcenter::subscriptions::{CourseRow, CourseStep};
use kippu_app::{App, AppError};

#[derive(Template)]
#[template(path = "courses.html")]
struct CoursesPage {
    c: Chrome,
    rows: Vec<(CourseRow, Vec<CourseStep>)>,
    f: CourseInput,
    errors: FormErrors,
    can_edit: bool,
}

async fn page(app: &App, s: &SignedIn, f: CourseInput, errors: FormErrors, status: StatusCode) -> Result<Response, WebError> {
    render(
        status,
        CoursesPage {
            c: Chrome::signed_in(&s.ctx, "courses.title"),
            rows: courses::list(app, &s.user.actor).await?,
            f,
            errors,
            can_edit: s.user.actor.role.can_edit_merchant_settings(s.user.actor.admin_settings),
        },
    )
}

/// `/proxy/courses`.
pub async fn list(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    page(&app, &s, CourseInput::default(), FormErrors::default(), StatusCode::OK).await
}

/// Defines a course.
pub async fn create(State(app): State<App>, s: SignedIn, Form(f): Form<CourseInput>) -> Result<Response, WebError> {
    match courses::define(&app, &s.user.actor, &f).await {
        Ok(_) => {
            let message = format!("{}: {}", f.code.trim(), s.ctx.t().s("courses.created"));
            Ok(flash::redirect(s.ctx.secure_cookies, "/proxy/courses", Flash::done(message)))
        }
        Err(AppError::Invalid(e)) => page(&app, &s, f, FormErrors::by_field(&e), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => Err(e.into()),
    }
}
