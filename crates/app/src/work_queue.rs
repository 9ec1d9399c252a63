//! The home page's work queue: how many orders wait for each next step, each count taken with
//! the very filter of the list it links to (so the number on the home page is the number the
//! list shows).

use crate::reservations::bookings::{self, BookingQuery};
use crate::{Actor, App, Result};
use kippu_domain::clock::to_millis;
use kippu_domain::order::PaymentMethod;
use kippu_domain::reservation::{BookingState, PayoutStatus};
use kippu_domain::web_ticket::{Status, auth_warning_cutoff};
use kippu_store::orders::{self, OrderFilter};
use time::Duration;

/// One kind of waiting work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    Unpaid,
    Unreceived,
    Authorized,
    /// Of the authorized, those expiring within five days (or expired).
    AuthExpiring,
    AwaitingSend,
    CancelRequested,
    Unanswered,
    BookingsToday,
    BookingsTomorrow,
    /// The platform's: bank transfers to the platform's account still unpaid.
    Deposits,
    /// The platform's: cancel requests of every merchant.
    PlatformCancelRequests,
    /// The platform's: payouts scheduled and not yet paid.
    PayoutsScheduled,
}

impl Work {
    pub const ALL: [Work; 12] = [
        Work::Unpaid,
        Work::Unreceived,
        Work::Authorized,
        Work::AuthExpiring,
        Work::AwaitingSend,
        Work::CancelRequested,
        Work::Unanswered,
        Work::BookingsToday,
        Work::BookingsTomorrow,
        Work::Deposits,
        Work::PlatformCancelRequests,
        Work::PayoutsScheduled,
    ];

    /// A stable name (the page's label key and test id).
    pub fn code(self) -> &'static str {
        match self {
            Work::Unpaid => "unpaid",
            Work::Unreceived => "unreceived",
            Work::Authorized => "authorized",
            Work::AuthExpiring => "auth_expiring",
            Work::AwaitingSend => "awaiting_send",
            Work::CancelRequested => "cancel_requested",
            Work::Unanswered => "unanswered",
            Work::BookingsToday => "bookings_today",
            Work::BookingsTomorrow => "bookings_tomorrow",
            Work::Deposits => "deposits",
            Work::PlatformCancelRequests => "platform_cancel_requests",
            Work::PayoutsScheduled => "payouts_scheduled",
        }
    }
}

/// A count and the list that shows exactly those rows.
#[derive(Debug, Clone)]
pub struct WorkCount {
    pub work: Work,
    /// Counted up to [`orders::COUNT_CAP`] + 1 (more than the cap reads "10,000以上").
    pub count: i64,
    /// People booked, for the day's bookings.
    pub people: Option<i64>,
    pub href: String,
}

const CAP: i64 = crate::orders::COUNT_CAP + 1;

fn status_filter(status: Status) -> OrderFilter {
    OrderFilter {
        status: Some(status),
        ..Default::default()
    }
}

async fn count_orders(app: &App, actor: &Actor, mut f: OrderFilter) -> Result<i64> {
    f.merchant = actor.scope()?;
    let mut conn = app.store.conn().await?;
    Ok(orders::count_capped(&mut conn, app.store.backend(), &f, CAP).await?)
}

/// `OrderFilter::authorized_by` of 「与信期限間近」 now: authorizations ending within five days.
pub fn auth_expiring_by(app: &App) -> i64 {
    to_millis(auth_warning_cutoff(app.clock.now()))
}

fn auth_expiring_filter(app: &App) -> OrderFilter {
    OrderFilter {
        status: Some(Status::Authorized),
        authorized_by: Some(auth_expiring_by(app)),
        ..Default::default()
    }
}

/// The platform's deposits to confirm: bank transfers into its account, unpaid.
pub fn deposits_filter() -> OrderFilter {
    OrderFilter {
        payment_method: Some(PaymentMethod::BankPlatform),
        status: Some(Status::Unpaid),
        ..Default::default()
    }
}

/// The platform's cancel requests to process.
pub fn cancel_requests_filter() -> OrderFilter {
    status_filter(Status::CancelRequested)
}

/// Bookings still to come on `date` (the door's list of the day).
fn day_query(date: time::Date) -> BookingQuery {
    BookingQuery {
        visit_from: date.to_string(),
        visit_to: date.to_string(),
        state: BookingState::Open.as_str().to_string(),
        ..Default::default()
    }
}

async fn day(app: &App, actor: &Actor, work: Work, date: time::Date) -> Result<WorkCount> {
    let q = day_query(date);
    let (count, people) = bookings::count(app, actor, &q).await?;
    Ok(WorkCount {
        work,
        count,
        people: people.map(|(booked, _)| booked),
        href: format!(
            "/reservations/bookings?visit_from={date}&visit_to={date}&state={}",
            BookingState::Open.as_str()
        ),
    })
}

async fn orders_count(app: &App, actor: &Actor, work: Work, f: OrderFilter, href: &str) -> Result<WorkCount> {
    Ok(WorkCount {
        work,
        count: count_orders(app, actor, f).await?,
        people: None,
        href: href.to_string(),
    })
}

/// What the signed-in user has waiting, in the order of the day's work.
pub async fn for_actor(app: &App, actor: &Actor) -> Result<Vec<WorkCount>> {
    if actor.is_platform() {
        let scheduled = crate::reservations::payouts::list(app, actor)
            .await?
            .iter()
            .filter(|s| s.status == PayoutStatus::Scheduled)
            .count() as i64;
        return Ok(vec![
            orders_count(app, actor, Work::Deposits, deposits_filter(), "/platform/deposits").await?,
            orders_count(
                app,
                actor,
                Work::PlatformCancelRequests,
                cancel_requests_filter(),
                "/platform/cancel-requests",
            )
            .await?,
            WorkCount {
                work: Work::PayoutsScheduled,
                count: scheduled,
                people: None,
                href: "/reservations/payouts".into(),
            },
        ]);
    }
    actor.merchant()?;
    let by_status = |work, status: Status| (work, status_filter(status), format!("/orders?status={}", status.as_str()));
    let mut out = Vec::new();
    for (work, f, href) in [
        by_status(Work::Unpaid, Status::Unpaid),
        by_status(Work::Unreceived, Status::Unreceived),
        by_status(Work::Authorized, Status::Authorized),
        (
            Work::AuthExpiring,
            auth_expiring_filter(app),
            format!("/orders?status={}&expiring=1", Status::Authorized.as_str()),
        ),
        by_status(Work::AwaitingSend, Status::AwaitingSend),
        by_status(Work::CancelRequested, Status::CancelRequested),
        (
            Work::Unanswered,
            OrderFilter {
                unanswered: true,
                ..Default::default()
            },
            "/orders?unanswered=1".to_string(),
        ),
    ] {
        out.push(orders_count(app, actor, work, f, &href).await?);
    }
    let today = app.clock.today();
    out.push(day(app, actor, Work::BookingsToday, today).await?);
    out.push(day(app, actor, Work::BookingsTomorrow, today + Duration::days(1)).await?);
    Ok(out)
}
