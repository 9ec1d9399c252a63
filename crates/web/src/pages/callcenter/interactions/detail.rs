//! An entry of 対応履歴 (`/callcenter/interactions/{id}`): 対応日時, 対応者, 対応区分, 対応概要,
//! 内容 and the order, with the edit form under it (編集; audited before → after). Another
//! merchant's entry is a 404.

use super::super::{ConsoleBar, Panel, Picked};
use super::EntryForm;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::callcenter::interactions::{self as ia, EntryInput, InteractionRow, settings};
use kippu_app::{App, AppError};
use kippu_domain::clock::{format_jst, from_millis};
use kippu_domain::interaction::Choices;

#[derive(Template)]
#[template(path = "callcenter_interaction.html")]
struct DetailPage {
    c: Chrome,
    bar: ConsoleBar,
    r: InteractionRow,
    choices: Choices,
    f: EntryInput,
    errors: FormErrors,
}

fn typed(r: &InteractionRow) -> EntryInput {
    EntryInput {
        customer: Some(r.customer_id),
        at: format_jst(from_millis(r.at)),
        category: r.category.clone(),
        summary: r.summary.clone(),
        content: r.content.clone(),
        order_number: r.order_number.clone().unwrap_or_default(),
    }
}

async fn detail_page(
    app: &App,
    s: &SignedIn,
    r: InteractionRow,
    f: EntryInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let picked = Picked {
        customer: Some(r.customer_id),
    };
    let bar = ConsoleBar::new(app, s, Panel::Interactions, &picked).await?;
    render(
        status,
        DetailPage {
            c: Chrome::signed_in(&s.ctx, "interactions.detail"),
            bar,
            choices: settings::choices(app, &s.user.actor).await?,
            r,
            f,
            errors,
        },
    )
}

pub async fn page(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    let r = ia::get(&app, &s.user.actor, id).await?;
    let f = typed(&r);
    detail_page(&app, &s, r, f, FormErrors::default(), StatusCode::OK).await
}

/// 編集: saves and comes back to the entry with a flash; errors beside their fields.
pub async fn edit(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(f): Form<EntryForm>) -> Result<Response, WebError> {
    let input = f.input()?;
    match ia::edit(&app, &s.user.actor, id, &input).await {
        Ok(r) => {
            let message = format!("{} {}: {}", r.customer_name, r.category, s.ctx.t().s("common.saved"));
            let to = format!("/callcenter/interactions/{id}");
            Ok(flash::redirect(s.ctx.secure_cookies, &to, Flash::done(message)))
        }
        Err(AppError::Invalid(e)) => {
            let r = ia::get(&app, &s.user.actor, id).await?;
            detail_page(&app, &s, r, input, FormErrors::by_field(&e), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
