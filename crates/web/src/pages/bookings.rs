//! 予約一覧: the merchant's reservations by visit date with their search, pages, the day's
//! people and a CSV of the whole search.

use super::render;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use askama::Template;
use axum::extract::{Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::channels;
use kippu_app::reservations::bookings::{self, BookingQuery, payment_label};
use kippu_app::{App, AppError, catalog};
use kippu_domain::Yen;
use kippu_domain::paging::Paging;
use kippu_domain::reservation::BookingState;
use serde::Deserialize;

const PER_PAGE: i64 = 50;

struct Line {
    visit: String,
    order_number: String,
    eticket_id: String,
    product: String,
    party: String,
    name: String,
    kana: String,
    phone: String,
    channel: String,
    amount: String,
    payment: &'static str,
    door: String,
    cancelled: bool,
}

#[derive(Template)]
#[template(path = "bookings.html")]
struct Page {
    c: Chrome,
    q: BookingQuery,
    query: String,
    rows: Vec<Line>,
    total: String,
    people: Option<(i64, i64)>,
    page: i64,
    pages: i64,
    error: String,
    states: Vec<(&'static str, &'static str)>,
    channels: Vec<(String, String)>,
    products: Vec<(String, String)>,
    today: String,
    tomorrow: String,
    week_end: String,
    default_encoding: &'static str,
}

#[derive(Deserialize)]
pub struct PageNo {
    #[serde(default)]
    page: Option<i64>,
}

/// What happened at the door, in the page's language (the CSV keeps the app's Japanese words):
/// 引き換え済み with when and how many came, 未来店, ノーショー, or a dash when cancelled.
fn door_words(b: &kippu_app::reservations::bookings::BookingRow, t: crate::i18n::T) -> String {
    use kippu_domain::reservation::BookingState;
    match bookings::state_of(b) {
        s @ BookingState::Redeemed => format!(
            "{} {}（{}{}）",
            t.l(s.label()),
            b.redeemed_at.map(|at| t.datetime_ms(at)).unwrap_or_default(),
            b.party_size_came.unwrap_or(b.party_size),
            t.s("door.people")
        ),
        BookingState::Cancelled => "—".into(),
        s => t.l(s.label()).to_string(),
    }
}

pub async fn list(
    State(app): State<App>,
    s: SignedIn,
    RawQuery(raw): RawQuery,
    Query(mut q): Query<BookingQuery>,
    Query(p): Query<PageNo>,
) -> Result<Response, WebError> {
    let actor = &s.user.actor;
    actor.merchant()?;
    let t = s.ctx.t();
    let today = app.clock.today();
    // A fresh visit shows what is still to come, from today; a search says what it wants.
    if raw.as_deref().unwrap_or("").is_empty() {
        q.visit_from = today.to_string();
    }
    let paging = Paging::new(p.page, None, PER_PAGE).map_err(AppError::from)?;
    let page_no = paging.page();
    let (result, status, error) = match bookings::list(&app, actor, &q, paging).await {
        Ok(r) => (Some(r), StatusCode::OK, String::new()),
        Err(AppError::Invalid(fe)) => (None, StatusCode::UNPROCESSABLE_ENTITY, fe.message.clone()),
        Err(e) => return Err(e.into()),
    };
    let (rows, total, people) = match result {
        Some(r) => {
            let rows = r
                .rows
                .iter()
                .map(|b| Line {
                    visit: match &b.time_slot {
                        Some(slot) => format!("{} {slot}", t.date_str(&b.visit_date)),
                        None => t.date_str(&b.visit_date),
                    },
                    order_number: b.order_number.clone(),
                    eticket_id: b.eticket_id.clone().unwrap_or_default(),
                    product: b.product_name.clone(),
                    party: format!("{}{}", b.party_size, t.s("door.people")),
                    name: b.customer_name.clone(),
                    kana: b.customer_kana.clone(),
                    phone: b.customer_phone.clone(),
                    channel: b.channel_name.clone().unwrap_or_default(),
                    amount: Yen(b.amount).display_ja(),
                    payment: t.l(payment_label(b)),
                    door: door_words(b, t),
                    cancelled: b.status == kippu_domain::web_ticket::Status::Cancelled,
                })
                .collect();
            (rows, r.total, r.people)
        }
        None => (Vec::new(), 0, None),
    };
    let channels = channels::list(&app, actor)
        .await?
        .into_iter()
        .map(|c| (c.channel.code, c.channel.name))
        .collect();
    let products = catalog::list(&app, actor)
        .await?
        .into_iter()
        .filter(|p| p.product.kind == kippu_domain::catalog::ProductKind::Reservation)
        .map(|p| (p.product.code, p.product.name))
        .collect();
    let pages = ((total.min(bookings::COUNT_CAP) + PER_PAGE - 1) / PER_PAGE).max(1);
    let total = if total > bookings::COUNT_CAP {
        format!("{}+", bookings::COUNT_CAP)
    } else {
        total.to_string()
    };
    render(
        status,
        Page {
            c: Chrome::signed_in(&s.ctx, "bookings.title"),
            query: serde_urlencoded::to_string(&q).unwrap_or_default(),
            q,
            rows,
            total,
            people,
            page: page_no,
            pages,
            error,
            states: BookingState::ALL.iter().map(|s| (s.as_str(), s.label_ja())).collect(),
            channels,
            products,
            today: today.to_string(),
            tomorrow: today.next_day().map(|d| d.to_string()).unwrap_or_default(),
            week_end: (today + time::Duration::days(6)).to_string(),
            default_encoding: crate::csv_stream::default_for(s.ctx.lang).label(),
        },
    )
}

/// The whole search as CSV, streamed; CP932 by default for Japanese users.
pub async fn export_csv(
    State(app): State<App>,
    s: SignedIn,
    Query(q): Query<BookingQuery>,
    Query(c): Query<crate::csv_stream::CsvQuery>,
) -> Result<Response, WebError> {
    let actor = s.user.actor.clone();
    // A bad search is refused before the download starts.
    q.filter(&actor)?;
    let enc = crate::csv_stream::encoding(&c, crate::csv_stream::default_for(s.ctx.lang))?;
    Ok(crate::csv_stream::stream(&app.clone(), "reservations", enc, move |tx| async move {
        bookings::export(&app, &actor, &q, enc, tx).await
    }))
}
