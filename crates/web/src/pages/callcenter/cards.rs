//! 登録クレジットカード (`/callcenter/cards?customer={id}`), part of 注文入力's 支払方法: the picked
//! customer's cards as kippu last fetched them (brand, last 4, expiry), 「情報取得」 to fetch them
//! again from the payment company, the trash icon to delete one (with a confirmation), and the
//! sandbox's registration by token standing in for the payment company's tablet.

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
use kippu_app::callcenter::cards::{self, StoredCardRow};
use kippu_app::{App, AppError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "callcenter_cards.html")]
struct CardsPage {
    c: Chrome,
    bar: ConsoleBar,
    /// The picked customer's id (the page needs one; without, it points to 受付).
    customer: Option<i64>,
    cards: Vec<StoredCardRow>,
    token: String,
    errors: FormErrors,
}

async fn page_with(
    app: &App,
    s: &SignedIn,
    picked: &Picked,
    status: StatusCode,
    token: String,
    errors: FormErrors,
) -> Result<Response, WebError> {
    let bar = ConsoleBar::new(app, s, Panel::OrderEntry, picked).await?;
    let cards = match picked.customer {
        Some(id) => cards::list(app, &s.user.actor, id).await?,
        None => Vec::new(),
    };
    render(
        status,
        CardsPage {
            c: Chrome::signed_in(&s.ctx, "cards.title"),
            bar,
            customer: picked.customer,
            cards,
            token,
            errors,
        },
    )
}

pub async fn page(State(app): State<App>, s: SignedIn, Query(picked): Query<Picked>) -> Result<Response, WebError> {
    page_with(&app, &s, &picked, StatusCode::OK, String::new(), FormErrors::default()).await
}

fn picked_customer(picked: &Picked) -> Result<i64, WebError> {
    picked.customer.ok_or_else(|| AppError::NotFound.into())
}

fn back(s: &SignedIn, customer: i64, flash: Flash) -> Response {
    flash::redirect(s.ctx.secure_cookies, &format!("/callcenter/cards?customer={customer}"), flash)
}

/// 情報取得.
pub async fn refresh(State(app): State<App>, s: SignedIn, Query(picked): Query<Picked>) -> Result<Response, WebError> {
    let customer = picked_customer(&picked)?;
    let rows = cards::refresh(&app, &s.user.actor, customer).await?;
    let message = format!(
        "{}（{}{}）",
        s.ctx.t().s("cards.refreshed"),
        rows.len(),
        s.ctx.t().s("common.count")
    );
    Ok(back(&s, customer, Flash::done(message)))
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    token: String,
}

/// The sandbox's registration by token.
pub async fn register(
    State(app): State<App>,
    s: SignedIn,
    Query(picked): Query<Picked>,
    Form(f): Form<RegisterForm>,
) -> Result<Response, WebError> {
    let customer = picked_customer(&picked)?;
    match cards::register(&app, &s.user.actor, customer, &f.token).await {
        Ok(card) => {
            let message = format!("{}: {} ****{}", s.ctx.t().s("cards.registered"), card.brand, card.last4);
            Ok(back(&s, customer, Flash::done(message)))
        }
        Err(AppError::Invalid(e)) => {
            page_with(
                &app,
                &s,
                &picked,
                StatusCode::UNPROCESSABLE_ENTITY,
                f.token,
                FormErrors::by_field(&e),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    card_id: String,
}

/// The trash icon: the card deleted at the payment company and here.
pub async fn delete(
    State(app): State<App>,
    s: SignedIn,
    Query(picked): Query<Picked>,
    Form(f): Form<DeleteForm>,
) -> Result<Response, WebError> {
    let customer = picked_customer(&picked)?;
    cards::delete(&app, &s.user.actor, customer, &f.card_id).await?;
    Ok(back(&s, customer, Flash::done(s.ctx.t().s("cards.deleted"))))
}
