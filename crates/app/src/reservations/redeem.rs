//! 引き換え at the door (spec §5): a reservation's e-ticket is redeemed by its 6-digit ID or its
//! QR code, only on the visit date in Japan, once.
//!
//! Wrong IDs are counted per door device and per typed ID, never per staff account: a busy door
//! shared by several staff, or one staff member at two doors, must not lock anyone out. A code
//! that matches a booking always gets its real answer (a valid ID is never refused because of
//! earlier typos); only codes that match nothing are refused while a lock lasts, and the refusal
//! says when it ends. The door is for signed-in staff who can read the same bookings in 予約一覧,
//! so the lock guards the database against a runaway scanner or script, not a secret.

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::clock::{from_millis, to_millis};
use kippu_domain::label::Said;
use kippu_domain::reservation::{check_visit_day, parse_eticket_id};
use kippu_domain::validate::FieldError;
use kippu_store::{orders, security};
use time::{Date, OffsetDateTime};

#[derive(Debug)]
pub enum RedeemError {
    Unknown,
    AlreadyRedeemed {
        at_ms: i64,
        by: String,
    },
    WrongDay(Date),
    NoShow,
    Cancelled,
    Unpaid,
    Throttled {
        until_ms: i64,
    },
    /// More people came than booked and the day's stock cannot seat the extra ones (the FAQ:
    /// accept them when the day's stock has room).
    NoRoom {
        extra: i64,
        remaining: i64,
    },
}

impl RedeemError {
    pub fn said(&self) -> Said {
        use kippu_domain::clock::{date_with_weekday, datetime_with_weekday, format_jst_time};
        match self {
            RedeemError::Unknown => Said::new("該当する予約がありません", "No booking has this ID"),
            RedeemError::AlreadyRedeemed { at_ms, by } => Said::new(
                format!(
                    "すでに引き換え済みです（{} {by}）",
                    datetime_with_weekday(from_millis(*at_ms), false)
                ),
                format!("Already redeemed ({} {by})", datetime_with_weekday(from_millis(*at_ms), true)),
            ),
            RedeemError::WrongDay(d) => Said::new(
                format!(
                    "このチケットの来店日は {} です（本日は引き換えできません）",
                    date_with_weekday(*d, false)
                ),
                format!("This ticket is for {}; it cannot be redeemed today", date_with_weekday(*d, true)),
            ),
            RedeemError::NoShow => Said::new("ノーショーになった予約です", "This booking is a no-show"),
            RedeemError::Cancelled => Said::new("キャンセルされた予約です", "This booking was cancelled"),
            RedeemError::Unpaid => Said::new("お支払いが確認できていない予約です", "This booking's payment is not confirmed"),
            RedeemError::Throttled { until_ms } => {
                let until = format_jst_time(from_millis(*until_ms));
                Said::new(
                    format!("誤ったIDが続いたため、{until}まで該当しないIDはお断りします（正しいIDはそのまま引き換えできます）"),
                    format!("After repeated wrong IDs, unknown IDs are refused until {until} (a valid ID still redeems)"),
                )
            }
            RedeemError::NoRoom { extra, remaining } => Said::new(
                format!("当日の在庫が足りません（追加{extra}名に対して残り{remaining}名）。予約人数で引き換えるか、在庫を見直してください"),
                format!("The day has too few places left ({remaining} for {extra} extra); redeem for the booked party or change the stock"),
            ),
        }
    }
}

kippu_domain::display_said!(RedeemError);

#[derive(Debug, Clone)]
pub struct Redemption {
    pub order_number: String,
    pub ticket_number: String,
    pub visit_date: String,
    pub time_slot: Option<String>,
    pub party_size: i64,
    pub booked_party_size: i64,
    pub holder_name: String,
    pub product_name: String,
    pub redeemed_at: OffsetDateTime,
    /// 現地払い not yet received: the amount the door collects now.
    pub collect: Option<i64>,
}

/// Which door asks: a tablet's own cookie on the door page, or an API token (each scanner holds
/// its own). Failures are counted per device, not per signed-in person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorDevice(String);

impl DoorDevice {
    /// A door page in a browser, named by its device cookie (none yet: all such browsers of the
    /// merchant share one count).
    pub fn browser(cookie: Option<&str>) -> DoorDevice {
        DoorDevice(format!("web:{}", cookie.unwrap_or("-")))
    }

    /// A scanner using the API, named by (a hash of) its bearer token: each token is one device.
    pub fn api(bearer_token: &str) -> DoorDevice {
        DoorDevice(format!("api:{}", &crate::secrets::sha256_hex(bearer_token)[..24]))
    }
}

/// The two counters a wrong code adds to: its device's and the typed code's own.
fn throttle_keys(m: kippu_domain::MerchantId, device: &DoorDevice, code: &str) -> [String; 2] {
    [format!("door:{}:device:{}", m.0, device.0), format!("door:{}:id:{code}", m.0)]
}

/// What the door page shows before the redeem button: the booking behind a code.
#[derive(Debug, Clone)]
pub struct DoorView {
    pub order_number: String,
    pub ticket_number: String,
    pub visit_date: String,
    pub time_slot: Option<String>,
    pub party_size: i64,
    pub holder_name: String,
    pub product_name: String,
    /// Seats still free on the visit date (and slot): how many extra people can be accepted.
    pub day_remaining: Option<i64>,
    /// 現地払い not yet received: the amount the door collects.
    pub collect: Option<i64>,
}

/// A code that matched nothing: refused with the lock's end while either counter is locked,
/// otherwise counted on both in one short transaction (re-read inside it, so concurrent wrong
/// codes all count).
async fn refuse_unknown(app: &App, keys: &[String; 2]) -> Result<RedeemError> {
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let mut states = Vec::with_capacity(2);
    for key in keys {
        states.push(security::ThrottleRow::state(security::get_throttle(&mut tx, key).await?));
    }
    let lock_end = states.iter().filter(|s| s.is_locked(now)).filter_map(|s| s.locked_until).max();
    if let Some(until) = lock_end {
        // Shown to the minute, rounded up: the door opens again at the time it reads.
        let until = until.replace_nanosecond(0).unwrap_or(until);
        let until = if until.second() > 0 {
            until + time::Duration::seconds(60 - i64::from(until.second()))
        } else {
            until
        };
        return Ok(RedeemError::Throttled {
            until_ms: to_millis(until),
        });
    }
    for (key, state) in keys.iter().zip(states) {
        let row = security::ThrottleRow::of(&state.after_failure(now));
        security::put_throttle(&mut tx, key, row, to_millis(now)).await?;
    }
    tx.commit().await?;
    Ok(RedeemError::Unknown)
}

/// A reservation found at the door and allowed to be redeemed now.
type Found = (orders::DoorTicket, Date);

/// Finds the reservation behind `code` and checks it may be redeemed now. Reads only (the
/// database's single writer is not held while looking); an unknown code counts as a wrong guess.
async fn checked(app: &App, actor: &Actor, device: &DoorDevice, code: &str) -> Result<std::result::Result<Found, RedeemError>> {
    let m = actor.merchant()?;
    crate::access::check_may_redeem(actor)?;
    // Digits typed with a Japanese IME (５１４４５９) are the same ID.
    let typed = kippu_domain::normalize::text(code);
    let code = typed.trim();
    if code.is_empty() || code.len() > 100 {
        return Err(FieldError::new("code", "6桁の電子チケットIDかQRコードの内容を指定してください").into());
    }
    let by_id = code.len() <= 6;
    if by_id && parse_eticket_id(code).is_none() {
        return Err(FieldError::new("code", "電子チケットIDは6桁の数字です").into());
    }
    let now = app.clock.now();
    let mut conn = app.store.conn().await?;
    // Another channel's booking does not exist for an OTA's token: it counts as a wrong guess.
    let found = orders::door_ticket(&mut conn, m, code, by_id)
        .await?
        .filter(|t| actor.sees_channel(t.channel_id));
    drop(conn);
    let Some(t) = found else {
        return Ok(Err(refuse_unknown(app, &throttle_keys(m, device, code)).await?));
    };
    if let Some(at) = t.redeemed_at {
        return Ok(Err(RedeemError::AlreadyRedeemed {
            at_ms: at,
            by: t.redeemed_by_label.clone().unwrap_or_default(),
        }));
    }
    if t.order_status == kippu_domain::web_ticket::Status::Cancelled {
        return Ok(Err(RedeemError::Cancelled));
    }
    if t.ticket_status == kippu_domain::reservation::TicketState::NoShow {
        return Ok(Err(RedeemError::NoShow));
    }
    if matches!(
        t.order_status,
        kippu_domain::web_ticket::Status::Unpaid
            | kippu_domain::web_ticket::Status::Authorized
            | kippu_domain::web_ticket::Status::CancelRequested
    ) {
        return Ok(Err(RedeemError::Unpaid));
    }
    let visit = t
        .visit_date
        .as_deref()
        .and_then(kippu_domain::clock::parse_date)
        .ok_or_else(|| AppError::Internal("reservation without visit date".into()))?;
    if let Err(kippu_domain::reservation::RedeemRefusal::WrongDay(d)) = check_visit_day(visit, now) {
        return Ok(Err(RedeemError::WrongDay(d)));
    }
    Ok(Ok((t, visit)))
}

/// The booking behind `code`, if it can be redeemed now; nothing changes but the count of
/// wrong guesses.
pub async fn lookup(app: &App, actor: &Actor, device: &DoorDevice, code: &str) -> Result<std::result::Result<DoorView, RedeemError>> {
    let found = checked(app, actor, device, code).await?;
    Ok(found.map(|(t, visit)| DoorView {
        collect: to_collect(&t),
        order_number: t.order_number,
        ticket_number: t.ticket_number,
        visit_date: visit.to_string(),
        time_slot: t.time_slot,
        party_size: t.party_size.unwrap_or(1),
        holder_name: t.holder_name,
        product_name: t.product_name,
        day_remaining: t.day_remaining,
    }))
}

/// What the door collects for a booking paid at the venue and not yet received.
fn to_collect(t: &orders::DoorTicket) -> Option<i64> {
    (t.payment_method == kippu_domain::order::PaymentMethod::PayAtVenue && t.order_status == kippu_domain::web_ticket::Status::Unreceived)
        .then_some(t.amount)
}

/// Redeems the reservation behind `code` (6 digits, or the QR payload). `party_size` records
/// how many actually came when it differs from the booking.
pub async fn redeem(
    app: &App,
    actor: &Actor,
    device: &DoorDevice,
    code: &str,
    party_size: Option<i64>,
) -> Result<std::result::Result<Redemption, RedeemError>> {
    let m = actor.merchant()?;
    let now = app.clock.now();
    let now_ms = to_millis(now);
    let (t, visit) = match checked(app, actor, device, code).await? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let booked = t.party_size.unwrap_or(1);
    let actual = party_size.unwrap_or(booked);
    if !(1..=1000).contains(&actual) {
        return Err(FieldError::new("party_size", "来店人数は1以上で指定してください").into());
    }
    let note = if actual == booked {
        String::new()
    } else {
        format!("予約{booked}名 → 来店{actual}名")
    };
    // The write holds the database briefly: one guarded UPDATE (still open, not redeemed, not
    // cancelled or no-show since the look-up), its history and audit rows.
    let mut tx = app.store.begin().await?;
    if !orders::redeem(
        &mut tx,
        (t.order_id, t.ticket_id),
        actual,
        &note,
        actor.user_id.map(|u| u.0),
        &actor.label,
        now_ms,
    )
    .await?
    {
        // It changed between the look-up and the write (redeemed by another scanner, cancelled,
        // swept): look again to say why.
        drop(tx);
        return match checked(app, actor, device, code).await? {
            Err(refused) => Ok(Err(refused)),
            Ok(_) => Err(AppError::Internal("a reservation refused the redemption without a reason".into())),
        };
    }
    // Extra people are seated from the day's stock, so the storefront and the OTAs cannot sell
    // those seats again; fewer people give nothing back (the booking is paid out in full).
    if let (true, Some(stock_id)) = (actual > booked, t.stock_id)
        && let Err(remaining) = orders::take_more_stock(&mut tx, stock_id, actual - booked, now_ms).await?
    {
        drop(tx);
        return Ok(Err(RedeemError::NoRoom {
            extra: actual - booked,
            remaining,
        }));
    }
    orders::insert_history(
        &mut tx,
        &orders::HistoryEntry {
            merchant_id: m,
            order_id: t.order_id,
            ticket_id: Some(t.ticket_id),
            flow: "redemption",
            from_status: None,
            to_status: "redeemed",
            actor_user_id: actor.user_id.map(|u| u.0),
            actor_label: &actor.label,
            note: &note,
            at: now_ms,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("redeem", "ticket", &t.ticket_number),
        audit::NONE,
        Some(&serde_json::json!({"party_size": actual})),
        now_ms,
    )
    .await?;
    tx.commit().await?;
    let collect = to_collect(&t);
    Ok(Ok(Redemption {
        order_number: t.order_number,
        ticket_number: t.ticket_number,
        visit_date: visit.to_string(),
        time_slot: t.time_slot,
        party_size: actual,
        booked_party_size: booked,
        holder_name: t.holder_name,
        product_name: t.product_name,
        redeemed_at: now,
        collect,
    }))
}
