//! A goods order: its three statuses, destinations with their tracking numbers (editable), and
//! the actions the goods rule allows now — nothing else is offered.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::goods::{self, Command, GoodsView, Offered, TrackingInput};
use kippu_app::{App, AppError};
use kippu_domain::Yen;
use kippu_domain::goods::Carrier;
use serde::Deserialize;

pub struct DestinationLine {
    number: i64,
    pickup: bool,
    name: String,
    address: String,
    lines: Vec<String>,
    shipping: &'static str,
    shipped: bool,
    ship_date: String,
    tracking: String,
    carrier: String,
    tracking_url: String,
    delivery_date: String,
    fee: String,
    can_ship: bool,
}

#[derive(Template)]
#[template(path = "goods_detail.html")]
struct DetailPage {
    c: Chrome,
    number: String,
    ordered_at: String,
    customer: String,
    amount: String,
    /// 「商品合計 … / 送料 … / 代引手数料 …」.
    breakdown: String,
    method: &'static str,
    card: &'static str,
    status: &'static str,
    payment: &'static str,
    payment_date: String,
    shipping: &'static str,
    destinations: Vec<DestinationLine>,
    carriers: Vec<(&'static str, &'static str)>,
    offered: Offered,
    today: String,
    error: String,
    /// The emails that can be sent by hand: (template key, label).
    mails: Vec<(&'static str, &'static str)>,
    refunded: String,
    refundable: String,
    refunds: Vec<RefundLine>,
}

pub struct RefundLine {
    at: String,
    kind: &'static str,
    amount: String,
    reason: String,
    by: String,
}

async fn page(app: &App, s: &SignedIn, number: &str, status: StatusCode, error: String) -> Result<Response, WebError> {
    let v: GoodsView = goods::get(app, &s.user.actor, number).await?;
    let t = s.ctx.t();
    let offered = goods::offered(&v);
    let refunds = goods::refunds(app, &v)
        .await?
        .into_iter()
        .map(|r| RefundLine {
            at: t.datetime_ms(r.refunded_at),
            kind: t.l(r.kind.label()),
            amount: Yen(r.amount).display_ja(),
            reason: r.reason,
            by: r.actor_label,
        })
        .collect();
    let o = &v.order;
    let destinations = v
        .shipments
        .iter()
        .map(|d| DestinationLine {
            number: d.position,
            pickup: d.is_pickup(),
            name: d.recipient_name.clone(),
            address: format!("〒{} {}", d.postal_code, d.address),
            lines: v.items_of(d),
            shipping: t.l(d.status.label()),
            shipped: d.status == kippu_domain::goods::ShippingStatus::Shipped,
            ship_date: d.ship_date.as_deref().map(|x| t.date_str(x)).unwrap_or_default(),
            tracking: d.tracking_number.clone(),
            carrier: d.carrier.map(|c| c.as_str().to_string()).unwrap_or_default(),
            tracking_url: d.tracking_url().unwrap_or_default(),
            delivery_date: d.delivery_date.clone().unwrap_or_default(),
            fee: Yen(d.shipping_fee).display_ja(),
            can_ship: offered.ship.contains(&(d.position as usize)),
        })
        .collect();
    render(
        status,
        DetailPage {
            c: Chrome::signed_in(&s.ctx, "goods.detail_title"),
            number: o.order_number.clone(),
            ordered_at: t.datetime_ms(o.ordered_at),
            customer: format!("{}（{}） {}", o.customer_name, o.customer_kana, o.customer_email),
            amount: Yen(o.amount).display_ja(),
            breakdown: kippu_app::goods::mail::breakdown(&v),
            method: t.l(o.payment_method.label()),
            card: o.card.map(|c| t.l(c.label())).unwrap_or(""),
            status: t.l(o.status.label()),
            payment: if v.payment_tracked() {
                t.l(o.payment_status.label())
            } else {
                t.s("goods.cod_untracked")
            },
            payment_date: o.payment_date.as_deref().map(|x| t.date_str(x)).unwrap_or_default(),
            shipping: t.l(v.shipping().label()),
            destinations,
            carriers: Carrier::ALL.iter().map(|c| (c.as_str(), t.l(c.label()))).collect(),
            today: app.clock.today().to_string(),
            error,
            mails: goods::mail::MANUAL
                .iter()
                .filter_map(|k| kippu_app::notify::templates::def(k))
                .map(|d| (d.key, if t.code() == "en" { d.label_en } else { d.label_ja }))
                .collect(),
            refunded: Yen(o.refunded_amount).display_ja(),
            refundable: Yen(offered.refundable).display_ja(),
            offered,
            refunds,
        },
    )
}

pub async fn detail(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    page(&app, &s, &number, StatusCode::OK, String::new()).await
}

/// The order page's action forms as posted: a date, one destination or the checked ones
/// (`destination` repeated), the notice checkbox, a refund's amount and a reason.
#[derive(Debug, Default)]
pub struct ActForm {
    date: String,
    destination: Option<usize>,
    destinations: Option<Vec<usize>>,
    notify: String,
    amount: String,
    reason: String,
}

impl ActForm {
    fn parse(body: &[u8]) -> Result<ActForm, WebError> {
        let form = crate::posted::Posted::parse(body)?;
        // A destination number is the page's own hidden field or checkbox: anything else is a
        // request this page never sends.
        let numbers: Vec<usize> = form
            .all("destination")
            .map(|v| v.parse().map_err(|_| WebError::NotFound))
            .collect::<Result<_, _>>()?;
        let checked = form.one("pick") == "1";
        Ok(ActForm {
            date: form.one("date"),
            destination: if checked { None } else { numbers.first().copied() },
            destinations: checked.then_some(numbers),
            notify: form.one("notify"),
            amount: form.one("amount"),
            reason: form.one("reason"),
        })
    }
}

/// One action of the order page: `mark-paid`, `capture`, `ship` (one destination, or the
/// checked ones with `pick=1`), `process`, `reopen`, `cancel`, `refund`.
pub async fn act(
    State(app): State<App>,
    s: SignedIn,
    Path((number, action)): Path<(String, String)>,
    RawForm(body): RawForm,
) -> Result<Response, WebError> {
    let f = ActForm::parse(&body)?;
    let date = Some(f.date.clone()).filter(|d| !d.trim().is_empty());
    let amount = match f.amount.trim() {
        "" => None,
        typed => match kippu_domain::normalize::integer(&typed.replace([',', '円'], "")) {
            Some(n) => Some(n),
            None => {
                let why = format!(
                    "{}: {}",
                    s.ctx.t().s("goods.refund_amount"),
                    s.ctx.t().s("goods.refund_amount_invalid")
                );
                return page(&app, &s, &number, StatusCode::UNPROCESSABLE_ENTITY, why).await;
            }
        },
    };
    let input = goods::CommandInput {
        payment_date: date.clone(),
        ship_date: date,
        destination: f.destination,
        destinations: f.destinations,
        amount,
        reason: Some(f.reason),
    };
    let cmd = Command::named(&action, input).ok_or(WebError::NotFound)?;
    match goods::act(&app, &s.user.actor, &number, &cmd, !f.notify.is_empty()).await {
        Ok(_) => {
            let message = format!("{number}: {}", s.ctx.t().s("goods.done"));
            Ok(flash::redirect(
                s.ctx.secure_cookies,
                &format!("/shipping/orders/{number}"),
                Flash::done(message),
            ))
        }
        Err(e @ (AppError::Order(_) | AppError::Invalid(_))) => page(&app, &s, &number, StatusCode::CONFLICT, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DestinationForm {
    #[serde(default)]
    tracking_number: String,
    #[serde(default)]
    carrier: String,
    #[serde(default)]
    delivery_date: String,
}

/// お届け先・送り状番号編集.
pub async fn edit_destination(
    State(app): State<App>,
    s: SignedIn,
    Path((number, k)): Path<(String, usize)>,
    Form(f): Form<DestinationForm>,
) -> Result<Response, WebError> {
    let input = TrackingInput {
        tracking_number: f.tracking_number,
        carrier: f.carrier,
        delivery_date: f.delivery_date,
    };
    match goods::edit_destination(&app, &s.user.actor, &number, k, &input).await {
        Ok(_) => {
            let message = format!("{number}-{k}: {}", s.ctx.t().s("goods.tracking_saved"));
            Ok(flash::redirect(
                s.ctx.secure_cookies,
                &format!("/shipping/orders/{number}"),
                Flash::done(message),
            ))
        }
        Err(AppError::Invalid(e)) => {
            let why = e.messages();
            page(
                &app,
                &s,
                &number,
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{}{k}: {why}", s.ctx.t().s("goods.destination")),
            )
            .await
        }
        Err(e @ AppError::Order(_)) => page(&app, &s, &number, StatusCode::CONFLICT, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}
