//! A web-ticket order in the console's 注文入力: the operator picks one of the merchant's
//! web-ticket products from the same search as goods, types what a ticket asks (枚数, and
//! 来場日 / 時間帯 / 泊数 as its ticket type needs) and 【注文登録】 places it with
//! `orders::create`, the function `POST /api/v1/orders` calls: the order starts in S000's flow
//! and is 代理注文 with the operator recorded, exactly as an API console order.
//!
//! Decision: one kind of order per console order. Choosing a ticket replaces the cart (goods
//! and a ticket never share an order: they go through different flows), and putting goods in
//! the cart drops the chosen ticket. Nothing is refused; the page shows what the order now is.

use super::form::OrderForm;
use crate::orders::{CreateOutcome, OrderRequest};
use crate::{Actor, App, Result};
use kippu_domain::catalog::{ProductKind, TicketType};
use kippu_domain::validate::FieldError;
use kippu_store::orders::ProductForSale;

/// What a product found by the console's search is, for its row.
pub fn is_ticket(p: &ProductForSale) -> bool {
    p.kind == ProductKind::WebTicket
}

/// What the chosen ticket's type asks beside 枚数: (来場日, 時間帯, 泊数).
pub fn asks(p: &ProductForSale) -> (bool, bool, bool) {
    let t = p.ticket_type;
    let dated = matches!(t, Some(TicketType::Rental | TicketType::Accommodation));
    (
        dated,
        t.is_some_and(TicketType::has_time_slots),
        t == Some(TicketType::Accommodation),
    )
}

/// 「カートに入れる」 on a found product: a web ticket becomes the order's one product (the cart
/// is emptied), goods go in the cart (the ticket is dropped). An unknown code changes nothing.
pub async fn choose(app: &App, actor: &Actor, form: &mut OrderForm, code: &str) -> Result<()> {
    let m = actor.merchant()?;
    let product = {
        let mut conn = app.store.conn().await?;
        kippu_store::orders::product_by_code(&mut conn, m, code.trim())
            .await?
            .filter(|p| p.archived == 0)
    };
    match product {
        Some(p) if is_ticket(&p) => {
            if form.ticket_code != p.code {
                form.ticket_quantity = "1".into();
                form.visit_date.clear();
                form.time_slot.clear();
                form.nights.clear();
            }
            form.ticket_code = p.code;
            form.cart.clear();
        }
        Some(p) if p.kind == ProductKind::Goods => {
            form.ticket_code.clear();
            form.add(&p.code);
        }
        _ => {}
    }
    Ok(())
}

/// 「削除」 on the chosen ticket.
pub fn remove(form: &mut OrderForm) {
    form.ticket_code.clear();
}

/// The chosen ticket product, when it is on sale.
pub async fn chosen(app: &App, actor: &Actor, form: &OrderForm) -> Result<Option<ProductForSale>> {
    if form.ticket_code.is_empty() {
        return Ok(None);
    }
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    Ok(kippu_store::orders::product_by_code(&mut conn, m, &form.ticket_code)
        .await?
        .filter(|p| p.archived == 0 && is_ticket(p)))
}

/// The ticket order the form asks for, for customer `customer_id`: the same request the API
/// takes. Typed numbers that are not numbers are kept as impossible values, so the order's
/// check names the field.
pub fn request(form: &OrderForm, customer_id: i64) -> OrderRequest {
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let number = |s: &str| kippu_domain::normalize::integer(s).unwrap_or(0);
    OrderRequest {
        product_code: form.ticket_code.clone(),
        quantity: number(&form.ticket_quantity),
        visit_date: text(&form.visit_date),
        time_slot: text(&form.time_slot),
        nights: text(&form.nights).map(|n| number(&n)),
        payment_method: form.payment_method.clone(),
        card_id: text(&form.card_id),
        customer_id: Some(customer_id),
        memo_inquiry: text(&form.memo_inquiry),
        memo_shop: text(&form.memo_shop),
        send_mail: Some(form.send_mail),
        coupon_code: text(&form.coupon_code),
        ad_code: text(&form.ad_code),
        ..OrderRequest::default()
    }
}

/// 【注文登録】 for a ticket: `orders::create` with the operator's actor.
pub async fn place(app: &App, actor: &Actor, customer: i64, form: &OrderForm) -> Result<CreateOutcome> {
    if chosen(app, actor, form).await?.is_none() {
        return Err(FieldError::new("cart", "選んだチケットは販売中ではありません").into());
    }
    let mut r = request(form, customer);
    // 定期 (web tickets only): the order starts its master, as `POST /api/v1/orders` does.
    r.subscription = form.subscription()?;
    crate::orders::create(app, actor, &r, None).await
}
