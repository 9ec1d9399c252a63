//! 在庫カレンダー: stock per date and slot of one product, range setting, special days, and the
//! availability import.

use super::render;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::form_errors::FormErrors;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::csv_import::LineError;
use kippu_app::stock::{DayInput, RangeInput};
use kippu_app::{App, AppError, stock};
use serde::Deserialize;
use time::{Date, Duration};

/// One calendar cell: day number (0 for padding), date, "slot remaining/capacity" lines, day kind.
type Cell = (u8, String, Vec<String>, String);

#[derive(Template)]
#[template(path = "stock_calendar.html")]
struct CalendarPage {
    c: Chrome,
    code: String,
    name: String,
    month: String,
    prev: String,
    next: String,
    weeks: Vec<Vec<Cell>>,
    errors: FormErrors,
    notice: String,
    range: RangeInput,
    day: DayInput,
}

/// What the calendar page shows under its forms: a notice, or the errors of the form sent
/// with what was typed in it.
#[derive(Default)]
struct Sent {
    errors: FormErrors,
    notice: String,
    range: RangeInput,
    day: DayInput,
}

#[derive(Deserialize, Default)]
pub struct MonthQuery {
    #[serde(default)]
    month: String,
}

fn month_of(s: &str, today: Date) -> Date {
    Date::parse(&format!("{s}-01"), &time::format_description::well_known::Iso8601::DATE)
        .unwrap_or(today)
        .replace_day(1)
        .unwrap_or(today)
}

async fn page(app: &App, s: &SignedIn, code: &str, first: Date, sent: Sent) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let view = kippu_app::catalog::get(app, &s.user.actor, code).await?;
    let days = stock::month(app, &s.user.actor, code, first).await?;
    let mut weeks = Vec::new();
    let mut week: Vec<(u8, String, Vec<String>, String)> =
        vec![(0, String::new(), vec![], String::new()); first.weekday().number_days_from_sunday() as usize];
    for d in days {
        let cells: Vec<String> = d
            .cells
            .iter()
            .map(|c| {
                let slot = if c.time_slot.is_empty() {
                    String::new()
                } else {
                    format!("{} ", c.time_slot)
                };
                format!("{slot}{}/{}", c.remaining, c.capacity)
            })
            .collect();
        let mut cells = cells;
        if let Some(sold) = &d.sales {
            cells.push(format!(
                "{} {}（{}{}）{}",
                t.s("stock.sold"),
                sold.units,
                sold.orders,
                t.s("stock.orders_unit"),
                kippu_domain::Yen(sold.amount).display_ja()
            ));
        }
        let kind = d.cells.first().map(|c| c.day_kind.clone()).unwrap_or_default();
        week.push((d.date.day(), d.date.to_string(), cells, kind));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
    }
    if !week.is_empty() {
        while week.len() < 7 {
            week.push((0, String::new(), vec![], String::new()));
        }
        weeks.push(week);
    }
    let prev = (first - Duration::days(1)).replace_day(1).unwrap_or(first);
    let next = (first + Duration::days(32)).replace_day(1).unwrap_or(first);
    let ym = |d: Date| format!("{:04}-{:02}", d.year(), d.month() as u8);
    let status = if sent.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        CalendarPage {
            c: Chrome::signed_in(&s.ctx, "stock.title"),
            code: code.to_string(),
            name: view.product.name,
            month: ym(first),
            prev: ym(prev),
            next: ym(next),
            weeks,
            errors: sent.errors,
            notice: sent.notice,
            range: sent.range,
            day: sent.day,
        },
    )
}

pub async fn calendar(
    State(app): State<App>,
    s: SignedIn,
    Path(code): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Result<Response, WebError> {
    let first = month_of(&q.month, app.clock.today());
    page(&app, &s, &code, first, Sent::default()).await
}

/// The errors of a form beside its inputs; anything else is the error page's.
fn form_errors(e: AppError, input_of: impl Fn(&'static str) -> &'static str) -> Result<FormErrors, WebError> {
    match e {
        AppError::Invalid(f) => Ok(FormErrors::of(&f, input_of)),
        other => Err(other.into()),
    }
}

pub async fn set_range(
    State(app): State<App>,
    s: SignedIn,
    Path(code): Path<String>,
    Form(f): Form<RangeInput>,
) -> Result<Response, WebError> {
    let first = month_of(f.from.get(..7).unwrap_or(""), app.clock.today());
    let sent = match stock::set_range(&app, &s.user.actor, &code, &f).await {
        Ok(n) => Sent {
            notice: s.ctx.t().s("stock.range_done").replace("{n}", &n.to_string()),
            ..Sent::default()
        },
        Err(e) => Sent {
            errors: form_errors(e, |f| f)?,
            range: f,
            ..Sent::default()
        },
    };
    page(&app, &s, &code, first, sent).await
}

/// The day form's inputs are named apart from the range form's (both have a capacity).
fn day_input(field: &'static str) -> &'static str {
    match field {
        "date" => "day_date",
        "kind" => "day_kind",
        _ => "day_capacity",
    }
}

pub async fn set_day(State(app): State<App>, s: SignedIn, Path(code): Path<String>, Form(f): Form<DayInput>) -> Result<Response, WebError> {
    let first = month_of(f.date.get(..7).unwrap_or(""), app.clock.today());
    let sent = match stock::set_day(&app, &s.user.actor, &code, &f).await {
        Ok(()) => Sent {
            notice: s.ctx.t().s("stock.day_done").replace("{date}", &s.ctx.t().date_str(f.date.trim())),
            ..Sent::default()
        },
        Err(e) => Sent {
            errors: form_errors(e, day_input)?,
            day: f,
            ..Sent::default()
        },
    };
    page(&app, &s, &code, first, sent).await
}

#[derive(Template)]
#[template(path = "availability.html")]
struct ImportPage {
    c: Chrome,
    errors: Vec<LineError>,
    imported: Option<usize>,
}

pub async fn import_page(s: SignedIn) -> Result<Response, WebError> {
    s.user.actor.merchant()?;
    render(
        StatusCode::OK,
        ImportPage {
            c: Chrome::signed_in(&s.ctx, "stock.import"),
            errors: vec![],
            imported: None,
        },
    )
}

/// Upload of an availability CSV (multipart; the CSRF token travels in the query string).
pub async fn import(State(app): State<App>, s: SignedIn, mut form: Multipart) -> Result<Response, WebError> {
    let mut bytes = None;
    while let Some(field) = form.next_field().await.map_err(|_| WebError::TooLarge)? {
        if field.name() == Some("file") {
            bytes = Some(field.bytes().await.map_err(|_| WebError::TooLarge)?);
        }
    }
    let bytes = bytes.unwrap_or_default();
    let (status, errors, imported) = match stock::import(&app, &s.user.actor, &bytes).await? {
        Ok(n) => (StatusCode::OK, vec![], Some(n)),
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
    };
    render(
        status,
        ImportPage {
            c: Chrome::signed_in(&s.ctx, "stock.import"),
            errors,
            imported,
        },
    )
}
