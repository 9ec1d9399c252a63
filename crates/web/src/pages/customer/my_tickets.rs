//! "My web tickets" behind the order's unguessable link: tickets with QR codes, usage, a
//! reservation's cancellation under its policy, the message thread.

use super::buyer;
use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kippu_app::orders::{self};
use kippu_app::{App, AppError};
use kippu_domain::Yen;
use kippu_domain::order::PaymentMethod;
use kippu_domain::web_ticket::{Status, Usage};
use serde::Deserialize;

pub struct TicketCard {
    number: String,
    product: String,
    holder: String,
    used: bool,
    used_at: String,
    visit: String,
    /// Given to someone with their own link: the orderer no longer holds its QR code.
    transferred: bool,
    /// The transfer form is offered (a web ticket not used, of an order not cancelled).
    can_transfer: bool,
    /// 回数券: `2/5回 使用（残り3回）`; empty for a ticket of one use.
    uses: String,
    /// One more use can be marked.
    can_use: bool,
}

/// A refused transfer shown on its ticket's card: the errors and what was typed.
#[derive(Default)]
pub struct TransferShown {
    pub ticket: String,
    pub errors: crate::form_errors::FormErrors,
    pub holder_name: String,
    pub holder_email: String,
}

#[derive(Template)]
#[template(path = "my_tickets.html")]
struct MyTicketsPage {
    c: Chrome,
    token: String,
    number: String,
    merchant: String,
    status_label: &'static str,
    /// Cancelled: no QR code, and the page says why.
    cancelled: bool,
    amount: String,
    method: &'static str,
    paid: bool,
    venue: bool,
    placed: bool,
    error: String,
    tickets: Vec<TicketCard>,
    messages: Vec<(String, String, String)>,
    rsv: Option<MyReservation>,
    transfer: TransferShown,
    /// Bank transfers: the account and the 振込期限, while unpaid.
    instructions: Option<super::instructions::Shown>,
}

/// A reservation on "my tickets": what to show at the door, and the cancellation offer under
/// the booking's policy (or why there is none).
struct MyReservation {
    visit: String,
    party: i64,
    eticket: String,
    door: String,
    policy: String,
    offer: String,
    cannot_cancel: String,
    cancelled: bool,
}

async fn my_reservation(app: &App, v: &orders::OrderView, token: &str, t: crate::i18n::T) -> Result<Option<MyReservation>, WebError> {
    use kippu_app::reservations::cancel::{self, Target};
    use kippu_domain::reservation::Canceller;
    let o = &v.order;
    if o.kind != kippu_domain::catalog::ProductKind::Reservation {
        return Ok(None);
    }
    use kippu_app::reservations::Door;
    let door = match Door::of(o, &v.tickets) {
        Door::Redeemed { .. } => t.s("my.door_redeemed").to_string(),
        Door::NoShow => t.s("my.door_no_show").to_string(),
        Door::Open if o.status == Status::Cancelled => t.s("my.door_cancelled").to_string(),
        Door::Open => t.s("my.door_open").to_string(),
    };
    let actor = buyer(o);
    let (offer, cannot_cancel) = match cancel::preview(app, &actor, Target::Token(token), &Canceller::Customer).await? {
        Ok(p) if p.fee_kept > 0 => (
            t.s("my.offer_fee")
                .replace("{fee}", &Yen(p.fee_kept).display_ja())
                .replace("{pct}", &p.percent_kept.to_string())
                .replace("{refund}", &Yen(p.refunded).display_ja()),
            String::new(),
        ),
        Ok(p) if p.refunded > 0 => (
            t.s("my.offer_free_refund").replace("{refund}", &Yen(p.refunded).display_ja()),
            String::new(),
        ),
        Ok(_) => (t.s("my.offer_free").to_string(), String::new()),
        Err(e) => (String::new(), t.said(&e.said())),
    };
    Ok(Some(MyReservation {
        visit: kippu_app::reservations::visit_label(o),
        party: o.party_size.unwrap_or(1),
        eticket: kippu_app::reservations::eticket_of(&v.tickets),
        door,
        policy: kippu_app::reservations::policy_of(o).describe_ja(),
        offer,
        cannot_cancel,
        cancelled: o.status == Status::Cancelled,
    }))
}

/// The customer cancels a reservation from "my tickets", under the booking's policy.
pub async fn my_cancel(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, WebError> {
    use kippu_app::reservations::cancel::{self, Target};
    let v = orders::get_by_token(&app, &token).await?;
    let actor = buyer(&v.order);
    match cancel::cancel(&app, &actor, Target::Token(&token), kippu_domain::reservation::Canceller::Customer).await {
        Ok(_) => Ok(crate::flash::redirect(
            ctx.secure_cookies,
            &format!("/my/tickets/{token}"),
            crate::flash::Flash::done(ctx.t().s("flash.my_cancelled")),
        )),
        Err(AppError::Order(e)) => my_tickets_page(&app, &ctx, &token, false, ctx.t().said(&e.said())).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct Placed {
    #[serde(default)]
    placed: String,
}

async fn my_tickets_page(app: &App, ctx: &Ctx, token: &str, placed: bool, error: String) -> Result<Response, WebError> {
    my_tickets_page_with(app, ctx, token, placed, error, TransferShown::default()).await
}

pub(super) async fn my_tickets_page_with(
    app: &App,
    ctx: &Ctx,
    token: &str,
    placed: bool,
    error: String,
    transfer: TransferShown,
) -> Result<Response, WebError> {
    let v = orders::get_by_token(app, token).await?;
    let o = &v.order;
    let status = o.status;
    let shop = kippu_app::merchants::of_order(app, o.merchant_id).await?;
    let merchant = shop.name.clone();
    let messages = {
        orders::messages(app, &v)
            .await?
            .into_iter()
            .map(|m| {
                (
                    ctx.t().datetime_ms(m.created_at),
                    if m.sender == kippu_domain::order::MessageSender::Merchant {
                        merchant.clone()
                    } else {
                        ctx.t().s("my.you").to_string()
                    },
                    m.body,
                )
            })
            .collect()
    };
    let rsv = my_reservation(app, &v, token, ctx.t()).await?;
    let mut c = Chrome::storefront(ctx, "my.title", &shop.name, &shop.code);
    c.title = if rsv.is_some() {
        ctx.t().s("my.booking_title").into()
    } else {
        ctx.t().s("my.title").into()
    };
    let code = if !transfer.errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    let web_ticket = o.kind == kippu_domain::catalog::ProductKind::WebTicket;
    let visit = orders::visit_of(o).map(|v| v.describe(ctx.t().lang == crate::i18n::Lang::En));
    render(
        code,
        MyTicketsPage {
            c,
            token: token.to_string(),
            number: o.order_number.clone(),
            merchant,
            status_label: ctx.t().l(status.label()),
            cancelled: status == Status::Cancelled,
            amount: Yen(o.amount).display_ja(),
            // The buyer's words, never the merchant's card mode or transfer account.
            method: ctx
                .t()
                .l(kippu_domain::order::BuyerPayment::of(o.payment_method).map_or_else(|| o.payment_method.label(), |b| b.label())),
            paid: status.is_paid(),
            venue: o.payment_method == PaymentMethod::PayAtVenue && status == Status::Unreceived,
            placed,
            error,
            tickets: v
                .tickets
                .iter()
                .map(|t| TicketCard {
                    number: t.ticket_number.clone(),
                    product: t.product_name.clone(),
                    holder: t.holder_name.clone(),
                    used: t.usage == Usage::Used,
                    used_at: t.used_at.map(|u| ctx.t().datetime_ms(u)).unwrap_or_default(),
                    // A rental's day and slot, a stay's dates and nights, a booking's date.
                    visit: visit.clone().unwrap_or_else(|| t.visit_date.clone().unwrap_or_default()),
                    transferred: t.holder_token.is_some(),
                    can_transfer: web_ticket && status != Status::Cancelled && t.usage == Usage::Unused,
                    uses: ctx.t().uses(t.uses()),
                    can_use: t.uses().can_use(),
                })
                .collect(),
            messages,
            rsv,
            transfer,
            instructions: v.instructions_pending().map(|i| super::instructions::shown(&ctx.t(), i)),
        },
    )
}

pub async fn my_tickets(
    State(app): State<App>,
    ctx: Ctx,
    Path(token): Path<String>,
    axum::extract::Query(q): axum::extract::Query<Placed>,
) -> Result<Response, WebError> {
    my_tickets_page(&app, &ctx, &token, q.placed == "1", String::new()).await
}

/// The QR code of one ticket, as PNG. It encodes the ticket's unguessable code, never the
/// sequential ticket number; only tickets of paid orders have one.
pub async fn ticket_qr(State(app): State<App>, Path((token, file)): Path<(String, String)>) -> Result<Response, WebError> {
    let number = file.strip_suffix(".png").ok_or(WebError::NotFound)?;
    let v = orders::get_by_token(&app, &token).await?;
    if !v.order.status.is_paid() {
        return Err(WebError::NotFound);
    }
    // A transferred ticket's QR code is its new holder's, behind their own link.
    let t = v
        .tickets
        .iter()
        .find(|t| t.ticket_number == number && t.holder_token.is_none())
        .ok_or(WebError::NotFound)?;
    crate::qr::png_response(&t.code)
}

#[derive(Deserialize)]
pub struct UseForm {
    ticket: String,
}

/// The customer marks a ticket used on "my web tickets" (e.g. shown at a gate without staff).
pub async fn my_ticket_use(
    State(app): State<App>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<UseForm>,
) -> Result<Response, WebError> {
    let v = orders::get_by_token(&app, &token).await?;
    let actor = buyer(&v.order);
    match orders::change_usage(&app, &actor, &f.ticket, true, Some(&token)).await {
        Ok(_) => Ok(crate::flash::redirect(
            ctx.secure_cookies,
            &format!("/my/tickets/{token}"),
            crate::flash::Flash::done(format!("{}: {}", f.ticket, ctx.t().s("flash.my_used"))),
        )),
        Err(AppError::Order(e)) => my_tickets_page(&app, &ctx, &token, false, ctx.t().said(&e.said())).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct MessageForm {
    body: String,
}

/// The buyer writes to the merchant from "my web tickets".
pub async fn my_message(
    State(app): State<App>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<MessageForm>,
) -> Result<Response, WebError> {
    let v = orders::get_by_token(&app, &token).await?;
    let actor = buyer(&v.order);
    match orders::post_message(&app, &actor, &v.order.order_number, &f.body, Some(&token)).await {
        Ok(()) => Ok(Redirect::to(&format!("/my/tickets/{token}#messages")).into_response()),
        Err(AppError::Invalid(e)) => my_tickets_page(&app, &ctx, &token, false, e.message.clone()).await,
        Err(e) => Err(e.into()),
    }
}
