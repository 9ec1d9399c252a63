//! 譲渡 by the buyer from "my web tickets", and the new holder's own page: their ticket and its
//! QR code behind the link their email carries, nothing of the orderer's.

use super::buyer;
use super::my_tickets::{TransferShown, my_tickets_page_with};
use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::ok;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use kippu_app::orders::{self, Transfer};
use kippu_app::{App, AppError};
use kippu_domain::web_ticket::Usage;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    ticket: String,
    #[serde(default)]
    holder_name: String,
    #[serde(default)]
    holder_email: String,
}

/// The buyer gives a ticket to someone by email; the page then names the new holder.
pub async fn my_transfer(
    State(app): State<App>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<TransferForm>,
) -> Result<Response, WebError> {
    let v = orders::get_by_token(&app, &token).await?;
    let actor = buyer(&v.order);
    let t = Transfer {
        ticket_number: &f.ticket,
        to_name: &f.holder_name,
        to_email: Some(&f.holder_email),
        order_token: Some(&token),
    };
    match orders::transfer(&app, &actor, &t).await {
        Ok(_) => {
            let message = ctx
                .t()
                .s("my.transferred_to")
                .replace("{ticket}", &f.ticket)
                .replace("{name}", f.holder_name.trim());
            Ok(flash::redirect(
                ctx.secure_cookies,
                &format!("/my/tickets/{token}"),
                Flash::done(message),
            ))
        }
        Err(AppError::Invalid(e)) => {
            // A refusal of the ticket itself (used, of a cancelled order) is the page's: that
            // ticket offers no form any more.
            if let Some(why) = e.on("ticket_number") {
                return my_tickets_page_with(&app, &ctx, &token, false, why.to_string(), TransferShown::default()).await;
            }
            let shown = TransferShown {
                errors: FormErrors::by_field(&e),
                ticket: f.ticket,
                holder_name: f.holder_name,
                holder_email: f.holder_email,
            };
            my_tickets_page_with(&app, &ctx, &token, false, String::new(), shown).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "held_ticket.html")]
struct HeldPage {
    c: Chrome,
    token: String,
    number: String,
    product: String,
    holder: String,
    paid: bool,
    used: bool,
    used_at: String,
}

/// The new holder's page.
pub async fn held_ticket(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, WebError> {
    let h = orders::held(&app, &token).await?;
    let t = &h.ticket;
    ok(HeldPage {
        c: Chrome::storefront(&ctx, "my.held_title", &h.merchant_name, &h.merchant_code),
        token,
        number: t.ticket_number.clone(),
        product: t.product_name.clone(),
        holder: t.holder_name.clone(),
        paid: h.paid,
        used: t.usage == Usage::Used,
        used_at: t.used_at.map(|u| ctx.t().datetime_ms(u)).unwrap_or_default(),
    })
}

/// The new holder's QR code (of a paid order only), as PNG.
pub async fn held_qr(State(app): State<App>, Path(token): Path<String>) -> Result<Response, WebError> {
    let h = orders::held(&app, &token).await?;
    if !h.paid {
        return Err(WebError::NotFound);
    }
    crate::qr::png_response(&h.ticket.code)
}
