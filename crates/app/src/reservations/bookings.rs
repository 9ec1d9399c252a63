//! 予約一覧: the merchant's reservations in visit order, searched by date, state, channel,
//! product and customer; on screen by pages, as CSV in full (streamed).

use crate::csv_out::{CsvEncoder, Encoding, Unencodable};
use crate::{Actor, App, Result};
use kippu_domain::clock::{format_jst, from_millis, parse_date};
use kippu_domain::reservation::BookingState;
use kippu_domain::validate::FieldError;
pub use kippu_store::bookings::BookingRow;
use kippu_store::bookings::{self, BookingFilter};
use tokio::sync::mpsc;

/// The search as typed (every field optional; dates `YYYY-MM-DD`).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct BookingQuery {
    #[serde(default)]
    pub visit_from: String,
    #[serde(default)]
    pub visit_to: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub order_number: String,
    #[serde(default)]
    pub eticket_id: String,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn date(field: &'static str, s: &str) -> std::result::Result<Option<String>, FieldError> {
    match opt(s) {
        None => Ok(None),
        Some(d) => parse_date(&d)
            .map(|d| Some(d.to_string()))
            .ok_or_else(|| FieldError::new(field, format!("日付は YYYY-MM-DD で入力してください（{d}）"))),
    }
}

/// The longest date range whose people are summed (a day, a week, a month at the door).
const PEOPLE_DAYS: i64 = 31;

impl BookingQuery {
    /// The validated filter of the actor's merchant.
    pub fn filter(&self, actor: &Actor) -> Result<BookingFilter> {
        let visit_from = date("visit_from", &self.visit_from)?;
        let visit_to = date("visit_to", &self.visit_to)?;
        if let (Some(a), Some(b)) = (&visit_from, &visit_to)
            && a > b
        {
            return Err(FieldError::new("visit_to", "来店日の終わりが始まりより前です").into());
        }
        let state = match opt(&self.state) {
            None => None,
            Some(s) => Some(BookingState::parse(&s).ok_or_else(|| FieldError::new("state", format!("状況 {s} はありません")))?),
        };
        let eticket_id = opt(&self.eticket_id);
        if let Some(id) = &eticket_id
            && kippu_domain::reservation::parse_eticket_id(id).is_none()
        {
            return Err(FieldError::new("eticket_id", "電子チケットIDは6桁の数字です").into());
        }
        Ok(BookingFilter {
            merchant: actor.merchant()?,
            visit_from,
            visit_to,
            state,
            // An OTA's token reads its own channel's bookings, whatever it asks for.
            channel: match &actor.channel {
                Some(own) => Some(own.code.clone()),
                None => opt(&self.channel).map(|c| c.to_uppercase()),
            },
            product_code: opt(&self.product).map(|c| c.to_uppercase()),
            name: opt(&self.name),
            phone: opt(&self.phone),
            email: opt(&self.email),
            order_number: opt(&self.order_number).map(|c| c.to_uppercase()),
            eticket_id,
        })
    }
}

/// Where the booking stands at the door.
pub fn state_of(r: &BookingRow) -> BookingState {
    BookingState::of(r.status, r.door_state)
}

/// Where the booking's money stands (未入金, 未領収（現地払い）, 与信済, 支払い済み…).
pub fn payment_label(r: &BookingRow) -> kippu_domain::label::Label {
    BookingState::payment_label(r.status)
}

/// What happened at the door: 未来店 (still to come), 引き換え済み, ノーショー, or nothing
/// for a cancelled booking.
pub fn door_label(r: &BookingRow) -> String {
    match state_of(r) {
        s @ BookingState::Redeemed => {
            let came = r.party_size_came.unwrap_or(r.party_size);
            format!(
                "{} {}（{}名）",
                s.label_ja(),
                format_jst(from_millis(r.redeemed_at.unwrap_or(0))),
                came
            )
        }
        BookingState::Cancelled => "—".into(),
        s => s.label_ja().into(),
    }
}

#[derive(Debug, Clone)]
pub struct BookingPage {
    pub rows: Vec<BookingRow>,
    /// Matches, counted up to `COUNT_CAP + 1`.
    pub total: i64,
    /// People booked and people who came, when the date range is at most a month.
    pub people: Option<(i64, i64)>,
}

pub const COUNT_CAP: i64 = 10_000;

pub async fn list(app: &App, actor: &Actor, q: &BookingQuery, paging: kippu_domain::paging::Paging) -> Result<BookingPage> {
    let f = q.filter(actor)?;
    let mut conn = app.store.conn().await?;
    let rows = bookings::search(&mut conn, app.store.backend(), &f, None, paging.per_page(), paging.offset()).await?;
    let (total, people) = totals(&mut conn, app.store.backend(), &f).await?;
    Ok(BookingPage { rows, total, people })
}

/// How many bookings the search finds (capped like the list's count) and, over a short visit
/// range, the people booked and come: what the work queue shows without reading a row.
pub async fn count(app: &App, actor: &Actor, q: &BookingQuery) -> Result<(i64, Option<(i64, i64)>)> {
    let f = q.filter(actor)?;
    let mut conn = app.store.conn().await?;
    totals(&mut conn, app.store.backend(), &f).await
}

async fn totals(
    conn: &mut kippu_store::AnyConnection,
    backend: kippu_store::Backend,
    f: &bookings::BookingFilter,
) -> Result<(i64, Option<(i64, i64)>)> {
    let total = bookings::count_capped(conn, backend, f, COUNT_CAP + 1).await?;
    let short_range = match (
        f.visit_from.as_deref().and_then(parse_date),
        f.visit_to.as_deref().and_then(parse_date),
    ) {
        (Some(a), Some(b)) => (b - a).whole_days() < PEOPLE_DAYS,
        _ => false,
    };
    let people = if short_range {
        Some(bookings::people(conn, backend, f).await?)
    } else {
        None
    };
    Ok((total, people))
}

pub const HEADER: [&str; 16] = [
    "来店日",
    "時間枠",
    "受注番号",
    "eチケットID",
    "商品コード",
    "商品名",
    "予約人数",
    "来店人数",
    "予約者名",
    "予約者カナ",
    "電話番号",
    "メールアドレス",
    "販売チャネル",
    "受注金額",
    "決済種別",
    "状況",
];

const CHUNK: i64 = 1000;

fn record(r: &BookingRow) -> Vec<String> {
    let state = match state_of(r) {
        s @ BookingState::Cancelled => s.label_ja().to_string(),
        s @ BookingState::Open => format!("{}・{}", payment_label(r).ja, s.label_ja()),
        BookingState::Redeemed | BookingState::NoShow => door_label(r),
    };
    vec![
        r.visit_date.clone(),
        r.time_slot.clone().unwrap_or_default(),
        r.order_number.clone(),
        r.eticket_id.clone().unwrap_or_default(),
        r.product_code.clone(),
        r.product_name.clone(),
        r.party_size.to_string(),
        r.party_size_came.map(|n| n.to_string()).unwrap_or_default(),
        r.customer_name.clone(),
        r.customer_kana.clone(),
        r.customer_phone.clone(),
        r.customer_email.clone(),
        r.channel_name.clone().unwrap_or_default(),
        r.amount.to_string(),
        r.payment_method.label_ja().to_string(),
        state,
    ]
}

/// Streams every booking of the search into `tx`, in visit order, a chunk at a time.
pub async fn export(
    app: &App,
    actor: &Actor,
    q: &BookingQuery,
    enc: Encoding,
    tx: mpsc::Sender<Vec<u8>>,
) -> Result<(usize, Vec<Unencodable>)> {
    let f = q.filter(actor)?;
    let backend = app.store.backend();
    let mut csv = CsvEncoder::new(enc, HEADER);
    if tx.send(csv.start()).await.is_err() {
        return Ok((0, csv.problems));
    }
    let mut rows = 0usize;
    let mut after = None;
    loop {
        let page = {
            let mut conn = app.store.conn().await?;
            bookings::search(&mut conn, backend, &f, after.as_ref(), CHUNK, 0).await?
        };
        let Some(last) = page.last() else { break };
        after = Some(last.key());
        let records: Vec<Vec<String>> = page.iter().map(record).collect();
        rows += records.len();
        if tx.send(csv.chunk(&records)).await.is_err() {
            return Ok((rows, csv.problems));
        }
        if (page.len() as i64) < CHUNK {
            break;
        }
    }
    if let Some(tail) = csv.finish() {
        let _ = tx.send(tail).await;
    }
    Ok((rows, csv.problems))
}
