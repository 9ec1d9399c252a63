//! 自由メモ (`/callcenter/notes`): the operator's own notes and the shared ones (the picked
//! customer's only, with `?customer=`), a form to add one (private unless 「全員に共有」), and on
//! each note its edit form and 削除. Who may change which note is `kippu_app::callcenter::notes`'.

use super::interactions::id_of;
use super::{ConsoleBar, Panel, Picked};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::callcenter::notes::{self, NoteInput, NoteRow};
use kippu_app::{App, AppError};
use kippu_domain::paging::Paging;
use serde::Deserialize;

const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "callcenter_notes.html")]
struct NotesPage {
    c: Chrome,
    bar: ConsoleBar,
    me: Option<i64>,
    customer: Option<i64>,
    rows: Vec<NoteRow>,
    total: i64,
    page: i64,
    pages: i64,
    body: String,
    shared: bool,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct NotesQuery {
    #[serde(default)]
    customer: String,
    #[serde(default)]
    page: String,
}

async fn notes_page(
    app: &App,
    s: &SignedIn,
    customer: Option<i64>,
    page: Option<i64>,
    typed: (String, bool),
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let bar = ConsoleBar::new(app, s, Panel::Notes, &Picked { customer }).await?;
    let paging = Paging::new(page, None, PER_PAGE).map_err(AppError::from)?;
    let page = paging.page();
    let found = notes::list(app, &s.user.actor, customer, paging).await?;
    render(
        status,
        NotesPage {
            c: Chrome::signed_in(&s.ctx, "console.notes"),
            bar,
            me: s.user.actor.user_id.map(|u| u.0),
            customer,
            pages: ((found.total + PER_PAGE - 1) / PER_PAGE).max(1),
            rows: found.rows,
            total: found.total,
            page,
            body: typed.0,
            shared: typed.1,
            errors,
        },
    )
}

pub async fn page(State(app): State<App>, s: SignedIn, Query(q): Query<NotesQuery>) -> Result<Response, WebError> {
    let customer = id_of("customer", &q.customer)?;
    let page = id_of("page", &q.page)?;
    notes_page(
        &app,
        &s,
        customer,
        page,
        (String::new(), false),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    shared: Option<String>,
    #[serde(default)]
    customer: String,
}

impl NoteForm {
    fn input(self) -> Result<NoteInput, AppError> {
        Ok(NoteInput {
            body: self.body,
            shared: self.shared,
            customer: id_of("customer", &self.customer)?,
        })
    }
}

fn back(customer: Option<i64>) -> String {
    match customer {
        Some(c) => format!("/callcenter/notes?customer={c}"),
        None => "/callcenter/notes".into(),
    }
}

pub async fn add(State(app): State<App>, s: SignedIn, Form(f): Form<NoteForm>) -> Result<Response, WebError> {
    let input = f.input()?;
    match notes::add(&app, &s.user.actor, &input).await {
        Ok(_) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &back(input.customer),
            Flash::done(s.ctx.t().s("notes.added")),
        )),
        Err(AppError::Invalid(e)) => {
            let typed = (input.body.clone(), input.shared.is_some());
            notes_page(
                &app,
                &s,
                input.customer,
                None,
                typed,
                FormErrors::by_field(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A note's edit; a refused one comes back as a red flash with the reason (the note's own form
/// is one of many on the page).
pub async fn edit(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(f): Form<NoteForm>) -> Result<Response, WebError> {
    let input = f.input()?;
    match notes::edit(&app, &s.user.actor, id, &input).await {
        Ok(_) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &back(input.customer),
            Flash::done(s.ctx.t().s("common.saved")),
        )),
        Err(AppError::Invalid(e)) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &back(input.customer),
            Flash::refused(e.messages()),
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    let gone = notes::delete(&app, &s.user.actor, id).await?;
    Ok(flash::redirect(
        s.ctx.secure_cookies,
        &back(gone.customer_id),
        Flash::done(s.ctx.t().s("notes.deleted")),
    ))
}
