//! 引き換え at the door, for merchant staff on a phone: scan the e-ticket QR with the camera or
//! type the 6-digit e-ticket ID, check plan, date, party and holder, then redeem.

use super::render;
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::ctx::cookie;
use crate::error::WebError;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use kippu_app::redemption::{self, DoorDevice, DoorView, RedeemError};
use kippu_app::{App, AppError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "door.html")]
struct DoorPage {
    c: Chrome,
    code: String,
    found: Option<DoorView>,
    error: String,
    /// The code matched no booking: the page says whom to call.
    unknown: bool,
    done: Option<Done>,
}

struct Done {
    order_number: String,
    product_name: String,
    visit_date: String,
    holder_name: String,
    party_size: i64,
    booked_party_size: i64,
    redeemed_at: String,
    /// 現地払い to collect now, in yen.
    collect: Option<i64>,
}

/// The door tablet's own name: failures are counted per device, not per signed-in person.
const DEVICE_COOKIE: &str = "kippu_door";

fn device(jar: &CookieJar) -> DoorDevice {
    DoorDevice::browser(jar.get(DEVICE_COOKIE).map(|c| c.value()))
}

fn door_actor(s: &SignedIn) -> Result<(), WebError> {
    if s.user.actor.merchant_id.is_none() {
        return Err(WebError::NotFound);
    }
    Ok(())
}

fn page(
    s: &SignedIn,
    status: StatusCode,
    code: String,
    found: Option<DoorView>,
    error: String,
    done: Option<Done>,
) -> Result<Response, WebError> {
    render(
        status,
        DoorPage {
            c: Chrome::signed_in(&s.ctx, "door.title"),
            code,
            found,
            unknown: status == StatusCode::NOT_FOUND,
            error,
            done,
        },
    )
}

fn refusal(e: &RedeemError) -> StatusCode {
    match e {
        RedeemError::Unknown => StatusCode::NOT_FOUND,
        RedeemError::AlreadyRedeemed { .. } => StatusCode::CONFLICT,
        RedeemError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The door page; a browser opening it for the first time is given its device cookie.
pub async fn index(s: SignedIn, jar: CookieJar) -> Result<Response, WebError> {
    door_actor(&s)?;
    let page = page(&s, StatusCode::OK, String::new(), None, String::new(), None)?;
    if jar.get(DEVICE_COOKIE).is_some() {
        return Ok(page);
    }
    let mut c = cookie(DEVICE_COOKIE, kippu_app::secrets::random_token(16), s.ctx.secure_cookies);
    c.set_max_age(time::Duration::days(400));
    Ok((jar.add(c), page).into_response())
}

#[derive(Deserialize)]
pub struct LookupForm {
    #[serde(default)]
    code: String,
}

pub async fn lookup(State(app): State<App>, s: SignedIn, jar: CookieJar, Form(f): Form<LookupForm>) -> Result<Response, WebError> {
    door_actor(&s)?;
    match redemption::lookup(&app, &s.user.actor, &device(&jar), &f.code).await {
        Ok(Ok(v)) => page(&s, StatusCode::OK, f.code.trim().to_string(), Some(v), String::new(), None),
        Ok(Err(e)) => page(&s, refusal(&e), f.code, None, s.ctx.t().said(&e.said()), None),
        Err(AppError::Invalid(fe)) => page(&s, StatusCode::UNPROCESSABLE_ENTITY, f.code, None, fe.message.clone(), None),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RedeemForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    party_size: String,
}

pub async fn redeem(State(app): State<App>, s: SignedIn, jar: CookieJar, Form(f): Form<RedeemForm>) -> Result<Response, WebError> {
    door_actor(&s)?;
    let party = match f.party_size.trim() {
        "" => None,
        n => match n.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return page(
                    &s,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    f.code,
                    None,
                    s.ctx.t().s("door.party_digits").into(),
                    None,
                );
            }
        },
    };
    let device = device(&jar);
    match redemption::redeem(&app, &s.user.actor, &device, &f.code, party).await {
        Ok(Ok(r)) => page(
            &s,
            StatusCode::OK,
            String::new(),
            None,
            String::new(),
            Some(Done {
                order_number: r.order_number,
                product_name: r.product_name,
                visit_date: s.ctx.t().date_str(&r.visit_date),
                holder_name: r.holder_name,
                party_size: r.party_size,
                booked_party_size: r.booked_party_size,
                redeemed_at: s.ctx.t().datetime_ms(kippu_domain::clock::to_millis(r.redeemed_at)),
                collect: r.collect,
            }),
        ),
        Ok(Err(e @ RedeemError::NoRoom { .. })) => {
            // Show the booking again, so the staff can redeem with the booked party instead.
            let found = redemption::lookup(&app, &s.user.actor, &device, &f.code).await?.ok();
            page(&s, refusal(&e), f.code.trim().to_string(), found, s.ctx.t().said(&e.said()), None)
        }
        Ok(Err(e)) => page(&s, refusal(&e), f.code, None, s.ctx.t().said(&e.said()), None),
        Err(AppError::Invalid(fe)) => page(&s, StatusCode::UNPROCESSABLE_ENTITY, f.code, None, fe.message.clone(), None),
        Err(e) => Err(e.into()),
    }
}
