//! Pages for buyers, reached without an account: the storefront, "my web tickets" (behind the
//! order's unguessable link, with each ticket's QR code) and the online slip (オンライン伝票) on
//! which the merchant types the order's PIN at the venue.

use super::{ok, render};
use crate::chrome::Chrome;
use crate::ctx::Ctx;
use crate::error::WebError;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kippu_app::customers::CustomerInput;
use kippu_app::orders::{self, OrderRequest};
use kippu_app::{Actor, App, AppError, secrets};
use kippu_domain::account::Role;
use kippu_domain::clock::{format_jst, from_millis};
use kippu_domain::order::PaymentMethod;
use kippu_domain::web_ticket::{Action, Status, Usage};
use kippu_domain::{MerchantId, Yen};
use serde::Deserialize;

async fn merchant(app: &App, code: &str) -> Result<kippu_app::merchants::MerchantRow, WebError> {
    Ok(kippu_app::merchants::storefront(app, code).await?)
}

/// The buyer behind an order's link, as the audit log names them.
fn buyer(o: &kippu_app::orders::OrderRow) -> Actor {
    Actor::unattended(o.merchant_id, Role::Customer, format!("customer:{}", o.customer_email))
}

fn storefront_actor(m: MerchantId) -> Actor {
    Actor::unattended(m, Role::Customer, "storefront")
}

pub struct ProductCard {
    code: String,
    name: String,
    price: String,
    type_label: &'static str,
}

#[derive(Template)]
#[template(path = "shop.html")]
struct ShopPage {
    c: Chrome,
    merchant_code: String,
    merchant_name: String,
    products: Vec<ProductCard>,
}

pub async fn shop(State(app): State<App>, ctx: Ctx, Path(code): Path<String>) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let products = kippu_app::storefront::products(&app, m.id).await?;
    let mut c = Chrome::public(&ctx, "shop.title");
    c.title = m.name.clone();
    ok(ShopPage {
        c,
        merchant_code: m.code,
        merchant_name: m.name,
        products: products
            .into_iter()
            .map(|p| ProductCard {
                type_label: if p.kind == kippu_domain::catalog::ProductKind::Reservation {
                    "予約"
                } else {
                    p.ticket_type.map(|t| t.label_ja()).unwrap_or("")
                },
                code: p.code,
                name: p.name,
                price: Yen(p.price).display_ja(),
            })
            .collect(),
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ShopForm {
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    visit: String,
    #[serde(default)]
    payment_method: String,
    #[serde(default)]
    card_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kana: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    nonce: String,
    /// Reservations: people in the party.
    #[serde(default)]
    party_size: String,
}

impl ShopForm {
    fn request(&self, product: &str) -> OrderRequest {
        let (date, slot) = match self.visit.split_once(' ') {
            Some((d, s)) => (Some(d.to_string()), Some(s.to_string())),
            None if !self.visit.is_empty() => (Some(self.visit.clone()), None),
            None => (None, None),
        };
        OrderRequest {
            product_code: product.to_string(),
            quantity: self.quantity.trim().parse().unwrap_or(0),
            visit_date: date,
            time_slot: slot,
            payment_method: self.payment_method.clone(),
            card_token: (!self.card_token.is_empty()).then(|| self.card_token.clone()),
            channel: Some("OWN".into()),
            party_size: match self.party_size.trim() {
                "" => None,
                n => Some(n.parse().unwrap_or(0)),
            },
            customer: CustomerInput {
                name: self.name.clone(),
                kana: self.kana.clone(),
                email: self.email.clone(),
                phone: self.phone.clone(),
                postal_code: String::new(),
                address: String::new(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "shop_product.html")]
struct ProductPage {
    c: Chrome,
    merchant_code: String,
    merchant_name: String,
    product_code: String,
    product_name: String,
    price: String,
    dated: bool,
    visits: Vec<(String, String)>,
    methods: Vec<(&'static str, &'static str)>,
    f: ShopForm,
    error: String,
    max_quantity: i64,
    /// Reservations: the party size input and the cancellation policy.
    reservation: bool,
    party_max: i64,
    policy: String,
}

async fn product_page(app: &App, ctx: &Ctx, code: &str, product: &str, f: ShopForm, error: String) -> Result<Response, WebError> {
    let m = merchant(app, code).await?;
    let mid = m.id;
    let (p, stock) = kippu_app::storefront::product(app, mid, product).await?;
    let reservation = p.kind == kippu_domain::catalog::ProductKind::Reservation;
    let policy = kippu_app::reservations::parse_policy_json(&p.cancellation_policy).describe_ja();
    let party_max = orders::party_max(&p);
    let dated = stock.iter().any(|s| !s.stock_date.is_empty());
    let visits = stock
        .iter()
        .filter(|s| !s.stock_date.is_empty())
        .map(|s| {
            let value = if s.time_slot.is_empty() {
                s.stock_date.clone()
            } else {
                format!("{} {}", s.stock_date, s.time_slot)
            };
            let label = if s.remaining > 0 {
                format!("{value}（残り{}）", s.remaining)
            } else {
                format!("{value}（売り切れ）")
            };
            (value, label)
        })
        .collect();
    let mut c = Chrome::public(ctx, "shop.title");
    c.title = p.name.clone();
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let methods = [
        PaymentMethod::CardCapture,
        PaymentMethod::CardAuth,
        PaymentMethod::BankStore,
        PaymentMethod::BankPlatform,
        PaymentMethod::PayAtVenue,
    ];
    render(
        status,
        ProductPage {
            c,
            merchant_code: m.code,
            merchant_name: m.name,
            product_code: p.code,
            product_name: p.name,
            price: Yen(p.price).display_ja(),
            dated,
            visits,
            methods: methods.iter().map(|m| (m.as_str(), m.label_ja())).collect(),
            f,
            error,
            max_quantity: orders::MAX_QUANTITY,
            reservation,
            party_max,
            policy,
        },
    )
}

pub async fn product(State(app): State<App>, ctx: Ctx, Path((code, product)): Path<(String, String)>) -> Result<Response, WebError> {
    let f = ShopForm {
        quantity: "1".into(),
        payment_method: "card_capture".into(),
        card_token: "tok_visa".into(),
        party_size: "2".into(),
        ..Default::default()
    };
    product_page(&app, &ctx, &code, &product, f, String::new()).await
}

#[derive(Template)]
#[template(path = "shop_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    merchant_code: String,
    product_code: String,
    product_name: String,
    amount: String,
    method: &'static str,
    f: ShopForm,
    policy: Option<String>,
}

fn field_label(field: &str) -> &'static str {
    match field {
        "quantity" => "数量",
        "party_size" => "人数",
        "visit_date" | "time_slot" => "利用日時",
        "payment_method" => "お支払い方法",
        "card_token" => "カード",
        "customer.name" => "お名前",
        "customer.kana" => "フリガナ",
        "customer.email" => "メールアドレス",
        "customer.phone" => "電話番号",
        _ => "入力内容",
    }
}

fn form_error(e: AppError) -> Result<String, WebError> {
    match e {
        AppError::Invalid(f) => Ok(format!("{}: {}", field_label(f.field), f.message)),
        AppError::Order(o) => Ok(o.to_string()),
        other => Err(other.into()),
    }
}

pub async fn confirm(
    State(app): State<App>,
    ctx: Ctx,
    Path((code, product)): Path<(String, String)>,
    Form(mut f): Form<ShopForm>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let actor = storefront_actor(m.id);
    match orders::precheck(&app, &actor, &f.request(&product)).await {
        Ok(orders::Precheck { name, amount, policy }) => {
            // One nonce per confirmation screen: pressing 注文する twice makes one order.
            f.nonce = secrets::random_token(16);
            let mut c = Chrome::public(&ctx, "shop.confirm");
            c.title = "ご注文内容の確認".into();
            ok(ConfirmPage {
                c,
                merchant_code: m.code,
                product_code: product,
                product_name: name,
                amount: Yen(amount).display_ja(),
                method: PaymentMethod::parse(&f.payment_method).map(|m| m.label_ja()).unwrap_or(""),
                f,
                policy,
            })
        }
        Err(e) => {
            let msg = form_error(e)?;
            product_page(&app, &ctx, &code, &product, f, msg).await
        }
    }
}

pub async fn place(
    State(app): State<App>,
    ctx: Ctx,
    Path((code, product)): Path<(String, String)>,
    Form(f): Form<ShopForm>,
) -> Result<Response, WebError> {
    let m = merchant(&app, &code).await?;
    let actor = storefront_actor(m.id);
    let key = (!f.nonce.is_empty()).then(|| format!("shop-{}", f.nonce));
    match orders::create(&app, &actor, &f.request(&product), key.as_deref()).await {
        Ok(out) => {
            let token = out.order.order.access_token.clone().unwrap_or_default();
            Ok(Redirect::to(&format!("/my/tickets/{token}?placed=1")).into_response())
        }
        Err(e) => {
            let msg = form_error(e)?;
            product_page(&app, &ctx, &code, &product, f, msg).await
        }
    }
}

pub struct TicketCard {
    number: String,
    product: String,
    holder: String,
    used: bool,
    used_at: String,
    visit: String,
}

#[derive(Template)]
#[template(path = "my_tickets.html")]
struct MyTicketsPage {
    c: Chrome,
    token: String,
    number: String,
    merchant: String,
    status_label: &'static str,
    amount: String,
    method: &'static str,
    paid: bool,
    venue: bool,
    placed: bool,
    error: String,
    tickets: Vec<TicketCard>,
    messages: Vec<(String, String, String)>,
    rsv: Option<MyReservation>,
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

async fn my_reservation(app: &App, v: &orders::OrderView, token: &str) -> Result<Option<MyReservation>, WebError> {
    use kippu_app::reservations::cancel::{self, Target};
    use kippu_domain::reservation::Canceller;
    let o = &v.order;
    if o.kind != kippu_domain::catalog::ProductKind::Reservation {
        return Ok(None);
    }
    use kippu_app::reservations::Door;
    let door = match Door::of(o, &v.tickets) {
        Door::Redeemed { .. } => "ご来店済み".to_string(),
        Door::NoShow => "ノーショー（ご来店なし）".to_string(),
        Door::Open if o.status == Status::Cancelled => "キャンセル済み".to_string(),
        Door::Open => "ご来店時に下のQRコードか6桁のeチケットIDをご提示ください".to_string(),
    };
    let actor = buyer(o);
    let (offer, cannot_cancel) = match cancel::preview(app, &actor, Target::Token(token), &Canceller::Customer).await? {
        Ok(p) if p.fee_kept > 0 => (
            format!(
                "今キャンセルすると、キャンセル料 {}（{}%）がかかり、{} を返金します。",
                Yen(p.fee_kept).display_ja(),
                p.percent_kept,
                Yen(p.refunded).display_ja()
            ),
            String::new(),
        ),
        Ok(p) if p.refunded > 0 => (
            format!("今なら無料でキャンセルできます（{} を返金します）。", Yen(p.refunded).display_ja()),
            String::new(),
        ),
        Ok(_) => ("今なら無料でキャンセルできます。".to_string(), String::new()),
        Err(e) => (String::new(), e.to_string()),
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
        Ok(_) => Ok(Redirect::to(&format!("/my/tickets/{token}")).into_response()),
        Err(AppError::Order(e)) => my_tickets_page(&app, &ctx, &token, false, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct Placed {
    #[serde(default)]
    placed: String,
}

async fn my_tickets_page(app: &App, ctx: &Ctx, token: &str, placed: bool, error: String) -> Result<Response, WebError> {
    let v = orders::get_by_token(app, token).await?;
    let o = &v.order;
    let status = o.status;
    let merchant = kippu_app::merchants::name_of(app, o.merchant_id).await?;
    let messages = {
        orders::messages(app, &v)
            .await?
            .into_iter()
            .map(|m| {
                (
                    format_jst(from_millis(m.created_at)),
                    if m.sender == kippu_domain::order::MessageSender::Merchant {
                        merchant.clone()
                    } else {
                        "あなた".to_string()
                    },
                    m.body,
                )
            })
            .collect()
    };
    let rsv = my_reservation(app, &v, token).await?;
    let mut c = Chrome::public(ctx, "my.title");
    c.title = if rsv.is_some() {
        "ご予約".into()
    } else {
        "マイウェブチケット".into()
    };
    let code = if error.is_empty() { StatusCode::OK } else { StatusCode::CONFLICT };
    render(
        code,
        MyTicketsPage {
            c,
            token: token.to_string(),
            number: o.order_number.clone(),
            merchant,
            status_label: status.label_ja(),
            amount: Yen(o.amount).display_ja(),
            method: o.payment_method.label_ja(),
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
                    used_at: t.used_at.map(|u| format_jst(from_millis(u))).unwrap_or_default(),
                    visit: t.visit_date.clone().unwrap_or_default(),
                })
                .collect(),
            messages,
            rsv,
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
    let t = v.tickets.iter().find(|t| t.ticket_number == number).ok_or(WebError::NotFound)?;
    let png = crate::qr::png(&t.code, 8).map_err(WebError::Internal)?;
    Ok((
        [(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, max-age=300")],
        png,
    )
        .into_response())
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
        Ok(_) => Ok(Redirect::to(&format!("/my/tickets/{token}")).into_response()),
        Err(AppError::Order(e)) => my_tickets_page(&app, &ctx, &token, false, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "slip.html")]
struct SlipPage {
    c: Chrome,
    token: String,
    number: String,
    name: String,
    amount: String,
    items: Vec<(String, String)>,
    open: bool,
    status_label: &'static str,
    error: String,
    done: bool,
}

async fn slip_page(app: &App, ctx: &Ctx, token: &str, error: String, done: bool) -> Result<Response, WebError> {
    let v = orders::get_by_token(app, token).await?;
    let o = &v.order;
    if o.payment_method != PaymentMethod::PayAtVenue {
        return Err(WebError::NotFound);
    }
    let status = o.status;
    let mut c = Chrome::public(ctx, "slip.title");
    c.title = "オンライン伝票".into();
    let code = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        code,
        SlipPage {
            c,
            token: token.to_string(),
            number: o.order_number.clone(),
            name: o.customer_name.clone(),
            amount: Yen(o.amount).display_ja(),
            items: v
                .tickets
                .iter()
                .map(|t| (t.ticket_number.clone(), t.product_name.clone()))
                .collect(),
            open: status == Status::Unreceived,
            status_label: status.label_ja(),
            error,
            done,
        },
    )
}

pub async fn slip(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, WebError> {
    slip_page(&app, &ctx, &token, String::new(), false).await
}

#[derive(Deserialize)]
pub struct PinForm {
    pin: String,
}

/// 【暗証番号を入れてポイント発行】: the merchant types the order's PIN on the buyer's slip.
pub async fn slip_receive(
    State(app): State<App>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<PinForm>,
) -> Result<Response, WebError> {
    let v = orders::get_by_token(&app, &token).await?;
    let actor = Actor::unattended(v.order.merchant_id, Role::MerchantStaff, "online-slip");
    match orders::act(&app, &actor, &v.order.order_number, Action::Receive, Some(&f.pin)).await {
        Ok(_) => slip_page(&app, &ctx, &token, String::new(), true).await,
        Err(AppError::Order(e)) => slip_page(&app, &ctx, &token, e.to_string(), false).await,
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
        Err(AppError::Invalid(e)) => my_tickets_page(&app, &ctx, &token, false, e.message).await,
        Err(e) => Err(e.into()),
    }
}
