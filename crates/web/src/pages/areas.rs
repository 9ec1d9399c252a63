//! Home and the area pages of the navigation.

use super::ok;
use crate::chrome::{Chrome, areas};
use crate::ctx::SignedIn;
use crate::error::WebError;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kippu_app::App;
use kippu_domain::money::grouped;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    queue: Vec<QueueCard>,
}

/// One count of the work queue, ready to show.
struct QueueCard {
    code: &'static str,
    label: &'static str,
    count: String,
    /// Nothing waits: the card is quiet.
    zero: bool,
    people: Option<i64>,
    href: String,
}

/// Home is the work queue: what waits for the user, each count linking to its list.
pub async fn home(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let c = Chrome::signed_in(&s.ctx, "home.title");
    let queue = kippu_app::work_queue::for_actor(&app, &s.user.actor)
        .await?
        .into_iter()
        .map(|w| QueueCard {
            code: w.work.code(),
            label: c.t.s(&format!("queue.{}", w.work.code())),
            count: if w.count > kippu_app::orders::COUNT_CAP {
                format!("{}+", grouped(kippu_app::orders::COUNT_CAP))
            } else {
                grouped(w.count)
            },
            zero: w.count == 0,
            people: w.people,
            href: w.href,
        })
        .collect();
    ok(HomePage { c, queue })
}

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    c: Chrome,
    description: &'static str,
    links: Vec<(&'static str, &'static str)>,
}

/// An area of the navigation: its page is the way in to its screens. Every link is a built
/// screen (DEVELOPERS.md: no menu item leads to a placeholder).
pub struct Area {
    pub path: &'static str,
    title: &'static str,
    description: &'static str,
    /// Sub-pages that already exist: (path, label key).
    links: &'static [(&'static str, &'static str)],
}

const fn area_def(
    path: &'static str,
    title: &'static str,
    description: &'static str,
    links: &'static [(&'static str, &'static str)],
) -> Area {
    Area {
        path,
        title,
        description,
        links,
    }
}

pub const AREAS: &[Area] = &[
    area_def(
        "/reservations",
        "nav.reservations",
        "area.reservations",
        &[
            ("/reservations/bookings", "bookings.title"),
            ("/reservations/door", "door.title"),
            ("/reservations/products", "products.title"),
            ("/reservations/channels", "channels.title"),
            ("/reservations/availability", "stock.import"),
            ("/reservations/payouts", "payouts.title"),
        ],
    ),
    area_def(
        "/shipping",
        "nav.shipping",
        "area.shipping",
        &[
            ("/shipping/orders", "goods.list_title"),
            ("/shipping/import", "goods.import_title"),
            ("/shipping/points", "goods.points_title"),
        ],
    ),
    area_def(
        "/proxy",
        "nav.proxy",
        "area.proxy",
        &[
            ("/callcenter", "console.title"),
            ("/proxy/customers", "customers.title"),
            ("/proxy/customers/new", "reception.new_title"),
            ("/proxy/coupons", "coupons.title"),
            ("/proxy/adcodes", "adcodes.title"),
            ("/proxy/report", "report.title"),
            ("/proxy/courses", "courses.title"),
        ],
    ),
    area_def("/vouchers", "nav.vouchers", "area.vouchers", super::vouchers::MENU),
    area_def(
        "/settlements",
        "nav.settlements",
        "area.settlements",
        &[("/reservations/payouts", "payouts.title")],
    ),
];

/// An area page, shown only to roles whose navigation has it; anyone else gets a 404.
pub async fn area(s: SignedIn) -> Result<Response, WebError> {
    let href = s.ctx.path.as_str();
    let allowed = areas(s.user.actor.role).iter().any(|(h, _)| *h == href);
    let Some(a) = AREAS.iter().find(|a| a.path == href) else {
        return Err(WebError::NotFound);
    };
    if !allowed {
        return Err(WebError::NotFound);
    }
    let t = s.ctx.t();
    ok(AreaPage {
        c: Chrome::signed_in(&s.ctx, a.title),
        description: t.s(a.description),
        links: a.links.iter().map(|(h, k)| (*h, t.s(k))).collect(),
    })
}
