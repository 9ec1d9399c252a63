//! CSVレイアウト: the goods list's download layouts the merchant names and saves — a name, the
//! columns to write and their order.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::response::Response;
use kippu_app::goods::layouts;
use kippu_app::{App, AppError};
use kippu_domain::goods::csv_layout::{CsvLayout, GoodsColumn};
use kippu_domain::validate::FieldError;

/// One row of the form's column table.
pub struct ColumnChoice {
    code: &'static str,
    label: &'static str,
    checked: bool,
    place: String,
}

#[derive(Template)]
#[template(path = "goods_layouts.html")]
struct LayoutsPage {
    c: Chrome,
    saved: Vec<(i64, String, usize)>,
    /// The layout being edited (`None`: a new one).
    id: Option<i64>,
    name: String,
    columns: Vec<ColumnChoice>,
    errors: FormErrors,
}

/// The form's rows: the chosen columns first in the layout's order, numbered, then the rest.
fn choices(s: &SignedIn, chosen: &[(GoodsColumn, String)]) -> Vec<ColumnChoice> {
    let t = s.ctx.t();
    let row = |c: GoodsColumn, checked: bool, place: String| ColumnChoice {
        code: c.as_str(),
        label: t.l(c.label()),
        checked,
        place,
    };
    let mut rows: Vec<ColumnChoice> = chosen.iter().map(|(c, p)| row(*c, true, p.clone())).collect();
    rows.extend(
        GoodsColumn::ALL
            .iter()
            .filter(|c| !chosen.iter().any(|(x, _)| x == *c))
            .map(|c| row(*c, false, String::new())),
    );
    rows
}

fn numbered(l: &CsvLayout) -> Vec<(GoodsColumn, String)> {
    l.columns.iter().enumerate().map(|(i, c)| (*c, (i + 1).to_string())).collect()
}

async fn page(
    app: &App,
    s: &SignedIn,
    id: Option<i64>,
    name: String,
    chosen: &[(GoodsColumn, String)],
    errors: FormErrors,
) -> Result<Response, WebError> {
    let saved = layouts::list(app, &s.user.actor)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name, l.columns.len()))
        .collect();
    let title = if id.is_some() { "goods.layout_edit" } else { "goods.layouts_title" };
    render(
        errors.status(),
        LayoutsPage {
            c: Chrome::signed_in(&s.ctx, title),
            saved,
            id,
            name,
            columns: choices(s, chosen),
            errors,
        },
    )
}

pub async fn list(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    page(
        &app,
        &s,
        None,
        String::new(),
        &numbered(&CsvLayout::standard()),
        FormErrors::default(),
    )
    .await
}

pub async fn edit(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    let l = layouts::get(&app, &s.user.actor, id).await?;
    page(&app, &s, Some(id), l.name.clone(), &numbered(&l.layout()), FormErrors::default()).await
}

/// The form as typed: the name, and each checked column with its 並び順 (blank: none).
struct Typed {
    name: String,
    chosen: Vec<(String, String)>,
}

fn typed(body: &[u8]) -> Result<Typed, WebError> {
    let form = crate::posted::Posted::parse(body)?;
    Ok(Typed {
        name: form.one("name"),
        chosen: form
            .all("col")
            .map(|code| (code.to_string(), form.one(&format!("place_{code}"))))
            .collect(),
    })
}

fn parse(t: &Typed) -> Result<CsvLayout, AppError> {
    let mut chosen = Vec::new();
    for (code, place) in &t.chosen {
        let place = match place.trim() {
            "" => None,
            p => Some(
                kippu_domain::normalize::integer(p)
                    .ok_or_else(|| FieldError::new("columns", format!("列「{code}」の並び順は数字で入力してください")))?,
            ),
        };
        chosen.push((code.clone(), place));
    }
    Ok(CsvLayout::parse(&t.name, &chosen)?)
}

/// Saves a new layout, or layout `id` (path `/shipping/layouts/{id}`); a refused form comes back
/// as typed with every error beside its field.
async fn save(app: App, s: SignedIn, id: Option<i64>, body: &[u8]) -> Result<Response, WebError> {
    let t = typed(body)?;
    let saved = match parse(&t) {
        Ok(l) => layouts::save(&app, &s.user.actor, id, &l).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(id) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/shipping/layouts/{id}"),
            Flash::done(s.ctx.t().s("goods.layout_saved")),
        )),
        Err(AppError::Invalid(e)) => {
            let chosen: Vec<(GoodsColumn, String)> = t
                .chosen
                .iter()
                .filter_map(|(code, place)| GoodsColumn::parse(code).map(|c| (c, place.clone())))
                .collect();
            page(&app, &s, id, t.name, &chosen, FormErrors::by_field(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(State(app): State<App>, s: SignedIn, RawForm(body): RawForm) -> Result<Response, WebError> {
    save(app, s, None, &body).await
}

pub async fn update(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, RawForm(body): RawForm) -> Result<Response, WebError> {
    save(app, s, Some(id), &body).await
}

pub async fn delete(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    layouts::delete(&app, &s.user.actor, id).await?;
    Ok(flash::redirect(
        s.ctx.secure_cookies,
        "/shipping/layouts",
        Flash::done(s.ctx.t().s("goods.layout_deleted")),
    ))
}
