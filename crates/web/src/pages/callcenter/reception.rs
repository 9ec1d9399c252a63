//! 受付: 顧客検索 in one box (Enter searches; the first result is one Tab away) and the picked
//! customer's card with その他情報 and the address book. Picking a customer is a link to
//! `/callcenter?customer={id}`, which every other panel then carries.

use super::{ConsoleBar, Panel, Picked};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::form_errors::FormErrors;
use crate::pages::{ok, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::customers::CustomerRow;
use kippu_app::reception::{self, CustomerProfile};
use kippu_app::{App, AppError};
use kippu_domain::paging::Paging;
use serde::Deserialize;

/// At most this many customers answer one search; a longer list means the operator should type more.
const FOUND_MAX: i64 = 20;

#[derive(Template)]
#[template(path = "callcenter_reception.html")]
struct ReceptionPage {
    c: Chrome,
    bar: ConsoleBar,
    q: String,
    searched: bool,
    found: Vec<CustomerRow>,
    more: bool,
    profile: Option<CustomerProfile>,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct ReceptionQuery {
    #[serde(default)]
    q: String,
    customer: Option<i64>,
}

/// `/callcenter`: the console's first panel.
pub async fn page(State(app): State<App>, s: SignedIn, Query(q): Query<ReceptionQuery>) -> Result<Response, WebError> {
    let picked = Picked { customer: q.customer };
    let bar = ConsoleBar::new(&app, &s, Panel::Reception, &picked).await?;
    let profile = match q.customer {
        Some(id) => Some(reception::profile(&app, &s.user.actor, id).await?),
        None => None,
    };
    let c = Chrome::signed_in(&s.ctx, "console.title");
    let searched = !q.q.trim().is_empty();
    if !searched {
        return ok(ReceptionPage {
            c,
            bar,
            q: q.q,
            searched,
            found: Vec::new(),
            more: false,
            profile,
            errors: FormErrors::default(),
        });
    }
    let paging = Paging::new(Some(1), Some(FOUND_MAX), FOUND_MAX).map_err(AppError::from)?;
    match reception::search(&app, &s.user.actor, &q.q, paging).await {
        Ok(found) => ok(ReceptionPage {
            c,
            bar,
            more: found.total > FOUND_MAX,
            found: found.rows,
            q: q.q,
            searched,
            profile,
            errors: FormErrors::default(),
        }),
        Err(AppError::Invalid(e)) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            ReceptionPage {
                errors: FormErrors::by_field(&e),
                c,
                bar,
                q: q.q,
                searched,
                found: Vec::new(),
                more: false,
                profile,
            },
        ),
        Err(e) => Err(e.into()),
    }
}
