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
use kippu_domain::goods::{Carrier, PointStatus};
use serde::Deserialize;

pub struct DestinationLine {
    number: i64,
    pickup: bool,
    name: String,
    address: String,
    phone: String,
    requested_date: String,
    time_band: &'static str,
    lines: Vec<ItemLine>,
    shipping: &'static str,
    shipped: bool,
    ship_date: String,
    tracking: String,
    carrier: String,
    tracking_url: String,
    delivery_date: String,
    fee: String,
    can_ship: bool,
    can_unship: bool,
    /// The tracking form as typed when it was refused, with the message beside the field.
    typed: Option<TrackingTyped>,
}

/// One goods line of a destination: 単価 × 数量 = 金額.
pub struct ItemLine {
    name: String,
    code: String,
    unit_price: String,
    quantity: i64,
    amount: String,
    tax_rate: i64,
}

/// A refused tracking form: what was typed and why, shown in the open form.
#[derive(Clone)]
pub struct TrackingTyped {
    destination: usize,
    tracking_number: String,
    carrier: String,
    delivery_date: String,
    /// (field, message) of each bad field.
    errors: Vec<(String, String)>,
}

impl TrackingTyped {
    fn error(&self, field: &str) -> &str {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str()).unwrap_or("")
    }
}

/// 消費税 by rate: 「10%対象 6,000円（内消費税 545円）」.
pub struct TaxLine {
    rate: i64,
    total: String,
    tax: String,
}

pub use super::history::HistoryLine;

/// 付与ポイント with its status and the change the manual offers (有効にする / 有効取消).
pub struct PointsLine {
    id: i64,
    points: i64,
    status: &'static str,
    /// `activate` or `cancel`, with the option's words; `None` for cancelled points and for
    /// pending ones the rule does not let become usable yet.
    change: Option<(&'static str, &'static str)>,
    /// Why pending points cannot become usable yet (未入金, 与信のみ, 代引 not shipped).
    not_yet: Option<String>,
}

#[derive(Template)]
#[template(path = "goods_detail.html")]
struct DetailPage {
    c: Chrome,
    number: String,
    ordered_at: String,
    customer: String,
    phone: String,
    amount: String,
    goods_total: String,
    /// クーポン割引 as printed (−¥500), empty without one.
    discount: String,
    coupon: String,
    /// The AD code and its medium's name.
    ad_code: String,
    /// The 広告コード form's value (the code as typed when refused) and the refusal beside it.
    ad_code_value: String,
    ad_code_error: String,
    taxes: Vec<TaxLine>,
    shipping_fee: String,
    handling_fee: String,
    /// ポイント利用, taken off the total: `-100円`; empty when none was spent.
    points_used: String,
    cod: bool,
    points: Vec<PointsLine>,
    history: Vec<HistoryLine>,
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
    /// 受注編集 is offered (not for a cancelled, processed or shipped order).
    can_edit: bool,
    /// 代理注文: the entry channel, the operator and the memos.
    entry: Option<kippu_app::entry::EntryRow>,
}

pub struct RefundLine {
    at: String,
    kind: &'static str,
    amount: String,
    reason: String,
    by: String,
}

pub(super) async fn page(app: &App, s: &SignedIn, number: &str, status: StatusCode, error: String) -> Result<Response, WebError> {
    page_with(app, s, number, status, error, Typed::Nothing).await
}

/// A form of the page refused, shown open with what was typed and why.
pub(super) enum Typed {
    Nothing,
    Tracking(TrackingTyped),
    /// The 広告コード form: the code typed and the message beside it.
    AdCode {
        typed: String,
        error: String,
    },
}

pub(super) async fn page_with(
    app: &App,
    s: &SignedIn,
    number: &str,
    status: StatusCode,
    error: String,
    typed: Typed,
) -> Result<Response, WebError> {
    let (typed, ad_typed) = match typed {
        Typed::Nothing => (None, None),
        Typed::Tracking(x) => (Some(x), None),
        Typed::AdCode { typed, error } => (None, Some((typed, error))),
    };
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
            phone: d.phone.clone(),
            requested_date: d.requested_date.as_deref().map(|x| t.date_str(x)).unwrap_or_default(),
            time_band: d.time_band.map(|b| t.l(b.label())).unwrap_or(""),
            lines: v
                .lines_of(d)
                .map(|l| ItemLine {
                    name: l.product_name.clone(),
                    code: l.product_code.clone(),
                    unit_price: Yen(l.unit_price).display_ja(),
                    quantity: l.quantity,
                    amount: Yen(l.amount).display_ja(),
                    tax_rate: l.tax_rate,
                })
                .collect(),
            shipping: t.l(d.status.label()),
            shipped: d.status == kippu_domain::goods::ShippingStatus::Shipped,
            ship_date: d.ship_date.as_deref().map(|x| t.date_str(x)).unwrap_or_default(),
            tracking: d.tracking_number.clone(),
            carrier: d.carrier.map(|c| c.as_str().to_string()).unwrap_or_default(),
            tracking_url: d.tracking_url().unwrap_or_default(),
            delivery_date: d.delivery_date.clone().unwrap_or_default(),
            fee: Yen(d.shipping_fee).display_ja(),
            can_ship: offered.ship.contains(&(d.position as usize)),
            can_unship: offered.unship.contains(&(d.position as usize)),
            typed: typed.clone().filter(|x| x.destination == d.position as usize),
        })
        .collect();
    let history = goods::history(app, &v)
        .await?
        .into_iter()
        .map(|h| super::history::line(&t, h))
        .collect();
    let not_yet = v.points_not_yet().map(|said| t.said(&said));
    let points = goods::points(app, &v)
        .await?
        .into_iter()
        .map(|p| PointsLine {
            id: p.id,
            points: p.points,
            status: t.l(p.status.label()),
            change: match p.status {
                PointStatus::Pending if not_yet.is_some() => None,
                PointStatus::Pending => Some(("activate", t.s("goods.points_activate"))),
                PointStatus::Active => Some(("cancel", t.s("goods.points_cancel"))),
                PointStatus::Cancelled => None,
            },
            not_yet: (p.status == PointStatus::Pending).then(|| not_yet.clone()).flatten(),
        })
        .collect();
    let taxes = v
        .taxes()
        .into_iter()
        .map(|x| TaxLine {
            rate: x.rate.percent(),
            total: x.amount.display_ja(),
            tax: x.tax.display_ja(),
        })
        .collect();
    render(
        status,
        DetailPage {
            c: Chrome::signed_in(&s.ctx, "goods.detail_title"),
            number: o.order_number.clone(),
            ordered_at: t.datetime_ms(o.ordered_at),
            customer: format!("{}（{}） {}", o.customer_name, o.customer_kana, o.customer_email),
            phone: o.customer_phone.clone(),
            amount: Yen(o.amount).display_ja(),
            goods_total: Yen(v.goods_total()).display_ja(),
            discount: if o.discount > 0 {
                format!("−{}", Yen(o.discount).display_ja())
            } else {
                String::new()
            },
            coupon: o.coupon_code.clone().unwrap_or_default(),
            ad_code: match (&o.ad_code, &o.ad_code_name) {
                (Some(code), Some(name)) => format!("{code}（{name}）"),
                (Some(code), None) => code.clone(),
                _ => String::new(),
            },
            ad_code_value: ad_typed
                .as_ref()
                .map(|(v, _)| v.clone())
                .unwrap_or_else(|| o.ad_code.clone().unwrap_or_default()),
            ad_code_error: ad_typed.map(|(_, e)| e).unwrap_or_default(),
            taxes,
            shipping_fee: Yen(o.shipping_fee).display_ja(),
            handling_fee: Yen(o.handling_fee).display_ja(),
            points_used: if o.points_used > 0 {
                format!("-{}", Yen(o.points_used).display_ja())
            } else {
                String::new()
            },
            cod: o.payment_method == kippu_domain::order::PaymentMethod::Cod,
            points,
            history,
            method: t.l(o.payment_method.label()),
            card: o.card.map(|c| t.l(c.label())).unwrap_or(""),
            status: t.l(o.status.label()),
            payment: if v.payment_tracked() {
                t.l(o.payment_status.label())
            } else {
                t.s("goods.cod_untracked")
            },
            payment_date: o.payment_date.as_deref().map(|x| t.date_str(x)).unwrap_or_default(),
            shipping: t.l(v.progress().label()),
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
            can_edit: goods::edit::can_edit(&v),
            entry: kippu_app::entry::of_order(app, &s.user.actor, &o.order_number).await?,
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
    let before = goods::get(&app, &s.user.actor, &number).await?;
    match goods::act(&app, &s.user.actor, &number, &cmd, !f.notify.is_empty()).await {
        Ok(after) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/shipping/orders/{number}"),
            super::said::said_done(&s, &number, &before, &after),
        )),
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
        tracking_number: f.tracking_number.clone(),
        carrier: f.carrier.clone(),
        delivery_date: f.delivery_date.clone(),
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
        // Each message beside its field, the form open with what was typed.
        Err(AppError::Invalid(e)) => {
            let typed = TrackingTyped {
                destination: k,
                tracking_number: f.tracking_number,
                carrier: f.carrier,
                delivery_date: f.delivery_date,
                errors: e.all().iter().map(|x| (x.field.to_string(), x.message.clone())).collect(),
            };
            page_with(
                &app,
                &s,
                &number,
                StatusCode::UNPROCESSABLE_ENTITY,
                String::new(),
                Typed::Tracking(typed),
            )
            .await
        }
        Err(e @ AppError::Order(_)) => page(&app, &s, &number, StatusCode::CONFLICT, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}
