//! 対応履歴 (`/callcenter/interactions`): the list with its 検索条件 (date range, 対応者, 対応区分,
//! 対応概要, customer, text), 登録(フォーム) below it (attached to the picked customer), the
//! detail with its edit form (`detail`), 登録(CSV) with the template and 対応者一覧 downloads
//! (`import`) and the CSV download. Every rule is `kippu_app::callcenter::interactions`'.

pub mod detail;
pub mod import;

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
use kippu_app::callcenter::interactions::{self as ia, EntryInput, InteractionRow, OperatorRow, Search, export, settings};
use kippu_app::{App, AppError};
use kippu_domain::interaction::Choices;
use kippu_domain::paging::Paging;
use kippu_domain::validate::FieldError;
use serde::Deserialize;

const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "callcenter_interactions.html")]
struct ListPage {
    c: Chrome,
    bar: ConsoleBar,
    s: Search,
    rows: Vec<InteractionRow>,
    total: i64,
    capped: bool,
    page: i64,
    pages: i64,
    /// The search as a query string (no page), for the pager and the download.
    qs: String,
    choices: Choices,
    operators: Vec<OperatorRow>,
    f: EntryInput,
    search_errors: FormErrors,
    errors: FormErrors,
}

/// The list's query as typed: every field text, parsed here once.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    operator: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    customer: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    pub encoding: String,
}

/// An id typed in a query or form: empty is `None`, anything but a number is refused on `field`.
pub(crate) fn id_of(field: &'static str, s: &str) -> Result<Option<i64>, AppError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| FieldError::new(field, "数字で指定してください").into())
}

impl ListQuery {
    pub(crate) fn search(&self) -> Result<Search, AppError> {
        Ok(Search {
            from: self.from.clone(),
            to: self.to.clone(),
            operator: self.operator.clone(),
            category: self.category.clone(),
            summary: self.summary.clone(),
            customer: id_of("customer", &self.customer)?,
            q: self.q.clone(),
        })
    }
}

fn query_string(s: &Search) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("from", &s.from),
        ("to", &s.to),
        ("operator", &s.operator),
        ("category", &s.category),
        ("summary", &s.summary),
        ("q", &s.q),
    ] {
        if !v.trim().is_empty() {
            q.append_pair(k, v);
        }
    }
    if let Some(c) = s.customer {
        q.append_pair("customer", &c.to_string());
    }
    q.finish()
}

async fn list_page(
    app: &App,
    s: &SignedIn,
    search: Search,
    page: Option<i64>,
    f: EntryInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let picked = Picked { customer: search.customer };
    let bar = ConsoleBar::new(app, s, Panel::Interactions, &picked).await?;
    let a = &s.user.actor;
    let paging = Paging::new(page, None, PER_PAGE).map_err(AppError::from)?;
    let page = paging.page();
    let (rows, total, search_errors) = match ia::list(app, a, &search, paging).await {
        Ok(found) => (found.rows, found.total, FormErrors::default()),
        Err(AppError::Invalid(e)) => (Vec::new(), 0, FormErrors::by_field(&e)),
        Err(e) => return Err(e.into()),
    };
    let status = if search_errors.is_empty() {
        status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        ListPage {
            c: Chrome::signed_in(&s.ctx, "console.interactions"),
            bar,
            qs: query_string(&search),
            s: search,
            capped: total >= ia::COUNT_CAP,
            pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
            rows,
            total,
            page,
            choices: settings::choices(app, a).await?,
            operators: ia::operators(app, a).await?,
            f,
            search_errors,
            errors,
        },
    )
}

/// `/callcenter/interactions`: the list (the picked customer's only, with `?customer=`).
pub async fn page(State(app): State<App>, s: SignedIn, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let search = q.search()?;
    let page = id_of("page", &q.page)?;
    let f = EntryInput {
        customer: search.customer,
        ..EntryInput::default()
    };
    list_page(&app, &s, search, page, f, FormErrors::default(), StatusCode::OK).await
}

/// 登録(フォーム) as posted.
#[derive(Debug, Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    customer: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    order_number: String,
}

impl EntryForm {
    pub(crate) fn input(self) -> Result<EntryInput, AppError> {
        Ok(EntryInput {
            customer: id_of("customer", &self.customer)?,
            at: self.at,
            category: self.category,
            summary: self.summary,
            content: self.content,
            order_number: self.order_number,
        })
    }
}

/// Adds an entry by the signed-in operator; back to the customer's list with a flash.
pub async fn add(State(app): State<App>, s: SignedIn, Form(f): Form<EntryForm>) -> Result<Response, WebError> {
    let input = f.input()?;
    match ia::add(&app, &s.user.actor, &input).await {
        Ok(r) => {
            let message = format!("{} {}: {}", r.customer_name, r.category, s.ctx.t().s("interactions.added"));
            let to = format!("/callcenter/interactions?customer={}", r.customer_id);
            Ok(flash::redirect(s.ctx.secure_cookies, &to, Flash::done(message)))
        }
        Err(AppError::Invalid(e)) => {
            let search = Search {
                customer: input.customer,
                ..Search::default()
            };
            list_page(
                &app,
                &s,
                search,
                None,
                input,
                FormErrors::by_field(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// CSVダウンロード: the search's entries in the merchant's column set, streamed.
pub async fn download(State(app): State<App>, s: SignedIn, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let enc = kippu_app::csv_out::Encoding::choose(&q.encoding, crate::csv_stream::default_for(s.ctx.lang)).map_err(AppError::from)?;
    let search = q.search()?;
    export::check(&app, &s.user.actor, &search).await?;
    let actor = s.user.actor.clone();
    Ok(crate::csv_stream::stream(&app.clone(), "interactions", enc, move |tx| async move {
        export::csv(&app, &actor, &search, enc, tx).await
    }))
}
