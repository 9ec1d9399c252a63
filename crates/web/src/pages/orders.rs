//! ウェブチケット受注管理: the order list with search, bulk actions and CSV; the order detail;
//! the confirmation screens of every status change and of sending.

use super::{ok, render};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kippu_app::orders::OrderFilter;
use kippu_app::orders::{self, BulkAction, BulkReport, OrderView};
use kippu_app::{App, AppError};
use kippu_domain::Yen;
use kippu_domain::catalog::TicketType;
use kippu_domain::clock::{JST, format_jst, from_millis, to_millis};
use kippu_domain::order::{OrderType, PaymentMethod};
use kippu_domain::paging::Paging;
use kippu_domain::web_ticket::{Action, Facts, Status, Usage};
use serde::Deserialize;

/// The list's search form; every field optional, kept in the query string so a page can be
/// bookmarked and the CSV export gets exactly the same search.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Search {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub usage: String,
    #[serde(default)]
    pub ticket_type: String,
    #[serde(default)]
    pub order_type: String,
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub holder: String,
    #[serde(default)]
    pub page: Option<i64>,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn day(s: &str) -> Option<i64> {
    time::Date::parse(s.trim(), &time::format_description::well_known::Iso8601::DATE)
        .ok()
        .map(|d| to_millis(d.midnight().assume_offset(JST)))
}

impl Search {
    pub fn filter(&self) -> OrderFilter {
        OrderFilter {
            merchant: None,
            order_number: opt(&self.number),
            from_ms: day(&self.from),
            to_ms: day(&self.to).map(|d| d + 86_400_000),
            name: opt(&self.name),
            email: opt(&self.email),
            phone: opt(&self.phone),
            payment_method: opt(&self.method).filter(|m| PaymentMethod::parse(m).is_some()),
            status: opt(&self.status).filter(|s| Status::parse(s).is_some()),
            usage: opt(&self.usage).filter(|u| Usage::parse(u).is_some()),
            ticket_type: opt(&self.ticket_type).filter(|t| TicketType::parse(t).is_some()),
            order_type: opt(&self.order_type).filter(|t| OrderType::parse(t).is_some()),
            product_code: opt(&self.product),
            holder: opt(&self.holder),
        }
    }

    /// The non-empty fields of this search, as (name, value).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let pairs = [
            ("number", &self.number),
            ("from", &self.from),
            ("to", &self.to),
            ("name", &self.name),
            ("email", &self.email),
            ("phone", &self.phone),
            ("method", &self.method),
            ("status", &self.status),
            ("usage", &self.usage),
            ("ticket_type", &self.ticket_type),
            ("order_type", &self.order_type),
            ("product", &self.product),
            ("holder", &self.holder),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (*k, v.trim().to_string()))
            .collect()
    }

    /// The query string of this search without the page number.
    pub fn query(&self) -> String {
        self.pairs()
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::ctx::encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

pub struct Step {
    pub label: &'static str,
    pub time: String,
    pub current: bool,
    pub done: bool,
    pub href: String,
}

pub struct TicketLine {
    pub number: String,
    pub price: String,
    pub type_label: &'static str,
    pub holder: String,
    pub product: String,
    pub code: String,
    pub used: bool,
    pub usage_label: &'static str,
    pub used_at: String,
}

/// One order as the list and the detail page show it.
pub struct OrderLine {
    pub number: String,
    pub ordered_at: String,
    pub name: String,
    pub kana: String,
    pub email: String,
    pub phone: String,
    pub amount: String,
    pub promotion: String,
    pub method: &'static str,
    pub pin: String,
    pub order_type: &'static str,
    pub status: String,
    pub status_label: &'static str,
    pub steps: Vec<Step>,
    pub tickets: Vec<TicketLine>,
    pub can_cancel: bool,
    pub can_cancel_request: bool,
    pub auth_note: String,
    pub cancel_fee: String,
    pub refunded: String,
}

/// The steps a payment method's flow goes through, in order.
fn path_of(method: PaymentMethod) -> &'static [Status] {
    use Status::*;
    match method {
        PaymentMethod::PayAtVenue => &[Unreceived, AwaitingSend, Sent],
        PaymentMethod::CardAuth => &[Authorized, AwaitingSend, Sent],
        PaymentMethod::CardCapture => &[AwaitingSend, Sent],
        _ => &[Unpaid, AwaitingSend, Sent],
    }
}

/// The screen that moves an order on from `status`, if the merchant can act there.
fn next_screen(number: &str, method: PaymentMethod, status: Status) -> String {
    match (method, status) {
        (PaymentMethod::BankStore, Status::Unpaid) => format!("/orders/{number}/do/mark-paid"),
        (PaymentMethod::PayAtVenue, Status::Unreceived) => format!("/orders/{number}/receive"),
        (PaymentMethod::CardAuth, Status::Authorized) => format!("/orders/{number}/do/capture"),
        (_, Status::AwaitingSend) => format!("/orders/{number}/send"),
        _ => String::new(),
    }
}

pub fn line(app: &App, v: &OrderView) -> OrderLine {
    let o = &v.order;
    let method = PaymentMethod::parse(&o.payment_method).unwrap_or(PaymentMethod::BankStore);
    let status = Status::parse(&o.status).unwrap_or(Status::Unpaid);
    let reached = |s: Status| v.history.iter().rev().find(|h| h.to_status == s.as_str()).map(|h| h.at);
    let mut path: Vec<Status> = path_of(method)
        .iter()
        .copied()
        .filter(|s| !(method == PaymentMethod::PayAtVenue && *s == Status::AwaitingSend) || reached(*s).is_some() || status == *s)
        .collect();
    for extra in [Status::CancelRequested, Status::Cancelled] {
        if reached(extra).is_some() || status == extra {
            path.push(extra);
        }
    }
    let current_index = path.iter().position(|s| *s == status).unwrap_or(0);
    let steps: Vec<Step> = path
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let silent = *s == Status::Sent && o.send_mode.as_deref() == Some("silent");
            Step {
                label: if silent { "送信処理" } else { s.label_ja() },
                time: if silent {
                    String::new()
                } else {
                    reached(*s).map(|t| format_jst(from_millis(t))).unwrap_or_default()
                },
                current: *s == status,
                done: i < current_index,
                href: if *s == status {
                    next_screen(&o.order_number, method, status)
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let facts = Facts {
        method,
        status,
        authorized_at: o.authorized_at.map(from_millis),
        captured_at: o.captured_at.map(from_millis),
        now: app.clock.now(),
    };
    // A reservation's door outcome: a no-show is final (no action may reach it), a redeemed
    // booking shows 来店済み.
    let door = kippu_app::reservations::Door::of(o, &v.tickets);
    let no_show = door == kippu_app::reservations::Door::NoShow;
    let redeemed = matches!(door, kippu_app::reservations::Door::Redeemed { .. });
    let reservation_cancel = |a: Action| o.kind == "reservation" && a == Action::Cancel;
    let allowed = |a: Action| {
        !no_show
            && !reservation_cancel(a)
            && kippu_domain::web_ticket::transition(&facts, a, kippu_domain::web_ticket::Party::Merchant).is_ok()
    };
    let auth_note = if method == PaymentMethod::CardAuth && status == Status::Authorized {
        match facts.auth_days_left() {
            Some(d) => format!(
                "与信期限まであと{d}日（{}まで）",
                facts.auth_expires_at().map(format_jst).unwrap_or_default()
            ),
            None => "与信期限切れ（実決済できません）".to_string(),
        }
    } else {
        String::new()
    };
    OrderLine {
        number: o.order_number.clone(),
        ordered_at: format_jst(from_millis(o.ordered_at)),
        name: o.customer_name.clone(),
        kana: o.customer_kana.clone(),
        email: o.customer_email.clone(),
        phone: o.customer_phone.clone(),
        amount: Yen(o.amount).display_ja(),
        promotion: Yen(o.promotion_cost).display_ja(),
        method: method.label_ja(),
        pin: o.pin.clone().filter(|_| method == PaymentMethod::PayAtVenue).unwrap_or_default(),
        order_type: OrderType::parse(&o.order_type).map(|t| t.label_ja()).unwrap_or(""),
        status: o.status.clone(),
        status_label: if no_show {
            "ノーショー"
        } else if redeemed && status != Status::Cancelled && status != Status::CancelRequested {
            "来店済み"
        } else {
            status.label_ja()
        },
        steps: if no_show {
            steps
                .into_iter()
                .map(|mut s| {
                    s.href = String::new();
                    s
                })
                .collect()
        } else {
            steps
        },
        tickets: v
            .tickets
            .iter()
            .map(|t| {
                let used = t.usage == Usage::Used.as_str();
                TicketLine {
                    number: t.ticket_number.clone(),
                    price: Yen(t.price).display_ja(),
                    type_label: t
                        .ticket_type
                        .as_deref()
                        .and_then(TicketType::parse)
                        .map(|t| t.label_ja())
                        .unwrap_or(""),
                    holder: t.holder_name.clone(),
                    product: t.product_name.clone(),
                    code: if t.jan.is_empty() { t.product_code.clone() } else { t.jan.clone() },
                    used,
                    usage_label: if used { Usage::Used.label_ja() } else { Usage::Unused.label_ja() },
                    used_at: t.used_at.map(|u| format_jst(from_millis(u))).unwrap_or_default(),
                }
            })
            .collect(),
        can_cancel: allowed(Action::Cancel),
        can_cancel_request: allowed(Action::RequestCancel),
        auth_note,
        cancel_fee: if o.cancel_fee > 0 {
            Yen(o.cancel_fee).display_ja()
        } else {
            String::new()
        },
        refunded: if o.refunded_amount > 0 {
            Yen(o.refunded_amount).display_ja()
        } else {
            String::new()
        },
    }
}

#[derive(Template)]
#[template(path = "orders.html")]
struct ListPage {
    c: Chrome,
    s: Search,
    query: String,
    pairs: Vec<(&'static str, String)>,
    rows: Vec<OrderLine>,
    total: String,
    page: i64,
    pages: i64,
    methods: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    ticket_types: Vec<(&'static str, &'static str)>,
    order_types: Vec<(&'static str, &'static str)>,
    default_encoding: &'static str,
}

const PER_PAGE: i64 = 50;

pub async fn list(State(app): State<App>, s: SignedIn, Query(q): Query<Search>) -> Result<Response, WebError> {
    if s.user.actor.merchant_id.is_none() {
        return Err(WebError::NotFound);
    }
    let paging = Paging::new(q.page, None, PER_PAGE).map_err(AppError::from)?;
    let page = paging.page();
    let p = orders::list(&app, &s.user.actor, q.filter(), paging).await?;
    let methods = [
        PaymentMethod::BankPlatform,
        PaymentMethod::BankStore,
        PaymentMethod::PayAtVenue,
        PaymentMethod::CardAuth,
        PaymentMethod::CardCapture,
    ];
    ok(ListPage {
        c: Chrome::signed_in(&s.ctx, "orders.title"),
        query: q.query(),
        pairs: q.pairs(),
        rows: p.orders.iter().map(|v| line(&app, v)).collect(),
        total: if p.total > orders::COUNT_CAP {
            format!("{}以上", orders::COUNT_CAP)
        } else {
            p.total.to_string()
        },
        page,
        pages: ((p.total.min(orders::COUNT_CAP) + PER_PAGE - 1) / PER_PAGE).max(1),
        methods: methods.iter().map(|m| (m.as_str(), m.label_ja())).collect(),
        statuses: Status::ALL.iter().map(|x| (x.as_str(), x.label_ja())).collect(),
        ticket_types: TicketType::ALL.iter().map(|x| (x.as_str(), x.label_ja())).collect(),
        order_types: OrderType::ALL.iter().map(|x| (x.as_str(), x.label_ja())).collect(),
        default_encoding: crate::csv_stream::default_for(s.ctx.lang).label(),
        s: q,
    })
}

#[derive(Template)]
#[template(path = "order.html")]
struct DetailPage {
    c: Chrome,
    o: OrderLine,
    history: Vec<(String, String, String, String)>,
    can_revert: bool,
    platform: bool,
    messages: Vec<(String, String, String)>,
    /// Reservations: the door, cancellation and resend panel.
    rsv: Option<super::reservation_order::Panel>,
    notice: String,
    error: String,
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    #[serde(default)]
    notice: String,
}

pub async fn detail(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, WebError> {
    let notice = match q.notice.as_str() {
        "resent" => "注文確認メール（eチケット）を再送しました。",
        "cancelled" => "予約をキャンセルしました。お客様と加盟店ユーザーにメールで通知しました。",
        _ => "",
    };
    detail_page(&app, &s, &number, StatusCode::OK, notice.to_string(), String::new()).await
}

/// The order page, with a notice after an action or the error of a refused one (the form's
/// input is kept in the page).
pub(super) async fn detail_page(
    app: &App,
    s: &SignedIn,
    number: &str,
    status: StatusCode,
    notice: String,
    error: String,
) -> Result<Response, WebError> {
    let app = app.clone();
    let v = orders::get(&app, &s.user.actor, number).await?;
    let can_revert = v.order.payment_method == "bank_store" && v.order.status == "awaiting_send";
    let history = v
        .history
        .iter()
        .map(|h| {
            let to = match h.to_status.as_str() {
                "redeemed" => "引き換え済み".to_string(),
                "no_show" => "ノーショー".to_string(),
                other => Status::parse(other)
                    .map(|x| x.label_ja().to_string())
                    .unwrap_or_else(|| other.to_string()),
            };
            (format_jst(from_millis(h.at)), to, h.note.clone(), h.actor_label.clone())
        })
        .collect();
    let messages = {
        orders::messages(&app, &v)
            .await?
            .into_iter()
            .map(|m| {
                (
                    format_jst(from_millis(m.created_at)),
                    if m.sender == "merchant" {
                        "加盟店".to_string()
                    } else {
                        "購入者".to_string()
                    },
                    m.body,
                )
            })
            .collect()
    };
    let rsv = super::reservation_order::panel(&app, &s.user.actor, &v).await?;
    render(
        status,
        DetailPage {
            c: Chrome::signed_in(&s.ctx, "orders.detail"),
            o: line(&app, &v),
            history,
            can_revert,
            platform: s.user.actor.is_platform(),
            messages,
            rsv,
            notice,
            error,
        },
    )
}

/// A status change reachable from the UI, with its confirmation screen's texts.
struct ScreenAction {
    action: Action,
    title: &'static str,
    button: &'static str,
    needs_approval: bool,
}

fn screen_action(name: &str) -> Option<ScreenAction> {
    let (action, title, button, needs_approval) = match name {
        "mark-paid" => (Action::MarkPaid, "入金済みに変更", "入金済みに変更する", false),
        "revert-payment" => (Action::RevertPayment, "未入金に戻す", "未入金に変更する", false),
        "capture" => (Action::Capture, "実決済", "実決済処理を実行する", false),
        "cancel" => (Action::Cancel, "受注キャンセル", "キャンセルを実行する", false),
        "cancel-request" => (Action::RequestCancel, "キャンセル申請", "キャンセル申請実行", true),
        "confirm-deposit" => (Action::ConfirmDeposit, "入金確認", "入金確認を実行する", false),
        "complete-cancel-request" => (
            Action::CompleteCancelRequest,
            "キャンセル申請の完了（返金）",
            "返金してキャンセルを完了する",
            false,
        ),
        _ => return None,
    };
    Some(ScreenAction {
        action,
        title,
        button,
        needs_approval,
    })
}

#[derive(Template)]
#[template(path = "order_action.html")]
struct ActionPage {
    c: Chrome,
    o: OrderLine,
    title: &'static str,
    button: &'static str,
    action: String,
    needs_approval: bool,
    error: String,
    receipt: bool,
}

async fn action_page(app: &App, s: &SignedIn, number: &str, name: &str, error: String) -> Result<Response, WebError> {
    let (title, button, needs_approval, receipt) = if name == "receive" {
        ("現地払い領収処理", "現地払い領収処理を実行する", false, true)
    } else {
        let a = screen_action(name).ok_or(WebError::NotFound)?;
        (a.title, a.button, a.needs_approval, false)
    };
    let v = orders::get(app, &s.user.actor, number).await?;
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::CONFLICT };
    render(
        status,
        ActionPage {
            c: Chrome::signed_in(&s.ctx, "orders.confirm_title"),
            o: line(app, &v),
            title,
            button,
            action: if receipt {
                format!("/orders/{number}/receive")
            } else {
                format!("/orders/{number}/do/{name}")
            },
            needs_approval,
            error,
            receipt,
        },
    )
}

pub async fn action_screen(
    State(app): State<App>,
    s: SignedIn,
    Path((number, name)): Path<(String, String)>,
) -> Result<Response, WebError> {
    action_page(&app, &s, &number, &name, String::new()).await
}

#[derive(Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    approve: String,
}

fn after_action(_s: &SignedIn, number: &str) -> Response {
    Redirect::to(&format!("/orders/{number}")).into_response()
}

pub async fn action_run(
    State(app): State<App>,
    s: SignedIn,
    Path((number, name)): Path<(String, String)>,
    Form(f): Form<ApproveForm>,
) -> Result<Response, WebError> {
    let a = screen_action(&name).ok_or(WebError::NotFound)?;
    if a.needs_approval && f.approve != "1" {
        return action_page(&app, &s, &number, &name, "「承認」にチェックを入れてください".into()).await;
    }
    match orders::act(&app, &s.user.actor, &number, a.action, None).await {
        Ok(_) => Ok(after_action(&s, &number)),
        Err(AppError::Order(e)) => action_page(&app, &s, &number, &name, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}

/// 店頭払い入金照合 (the matching URL of the order notification) and 現地払い領収処理.
pub async fn receive_screen(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    action_page(&app, &s, &number, "receive", String::new()).await
}

pub async fn receive_run(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    match orders::act(&app, &s.user.actor, &number, Action::Receive, None).await {
        Ok(_) => Ok(after_action(&s, &number)),
        Err(AppError::Order(e)) => action_page(&app, &s, &number, "receive", e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "order_send.html")]
struct SendPage {
    c: Chrome,
    o: OrderLine,
    notice: String,
    error: String,
    preview_subject: String,
    preview_body: String,
}

async fn send_page(app: &App, s: &SignedIn, number: &str, notice: String, error: String) -> Result<Response, WebError> {
    let v = orders::get(app, &s.user.actor, number).await?;
    let (preview_subject, preview_body) = orders::ticket_mail_preview(app, &v).await?;
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::CONFLICT };
    render(
        status,
        SendPage {
            c: Chrome::signed_in(&s.ctx, "orders.bulk_send"),
            o: line(app, &v),
            notice,
            error,
            preview_subject,
            preview_body,
        },
    )
}

pub async fn send_screen(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    send_page(&app, &s, &number, String::new(), String::new()).await
}

#[derive(Deserialize)]
pub struct SendForm {
    mode: String,
}

pub async fn send_run(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Form(f): Form<SendForm>,
) -> Result<Response, WebError> {
    let action = match f.mode.as_str() {
        "email" => Action::Send,
        "silent" => Action::SendSilently,
        "test" => {
            return match orders::test_send(&app, &s.user.actor, &number).await {
                Ok(to) => {
                    send_page(
                        &app,
                        &s,
                        &number,
                        format!("{to} 宛にテスト送信しました。ステータスは変わりません。"),
                        String::new(),
                    )
                    .await
                }
                Err(AppError::Invalid(e)) => send_page(&app, &s, &number, String::new(), e.message).await,
                Err(e) => Err(e.into()),
            };
        }
        _ => return Ok(Redirect::to("/orders").into_response()),
    };
    match orders::act(&app, &s.user.actor, &number, action, None).await {
        Ok(_) => Ok(after_action(&s, &number)),
        Err(AppError::Order(e)) => send_page(&app, &s, &number, String::new(), e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "usage_change.html")]
struct UsagePage {
    c: Chrome,
    number: String,
    ticket: String,
    used: bool,
    error: String,
}

#[derive(Deserialize)]
pub struct UsageQuery {
    #[serde(default)]
    used: String,
}

/// 使用状況の個別変更画面, only for a ticket of this merchant's order.
pub async fn usage_screen(
    State(app): State<App>,
    s: SignedIn,
    Path((number, ticket)): Path<(String, String)>,
    Query(q): Query<UsageQuery>,
) -> Result<Response, WebError> {
    let order = orders::get(&app, &s.user.actor, &number).await?;
    if !order.tickets.iter().any(|t| t.ticket_number == ticket) {
        return Err(WebError::NotFound);
    }
    ok(UsagePage {
        c: Chrome::signed_in(&s.ctx, "orders.usage"),
        number,
        ticket,
        used: q.used != "0",
        error: String::new(),
    })
}

#[derive(Deserialize)]
pub struct UsageForm {
    used: String,
}

pub async fn usage_run(
    State(app): State<App>,
    s: SignedIn,
    Path((number, ticket)): Path<(String, String)>,
    Form(f): Form<UsageForm>,
) -> Result<Response, WebError> {
    let used = f.used == "1";
    match orders::change_usage(&app, &s.user.actor, &ticket, used, None).await {
        Ok(_) => Ok(Redirect::to(&format!("/orders/{number}")).into_response()),
        Err(AppError::Order(e)) => render(
            StatusCode::CONFLICT,
            UsagePage {
                c: Chrome::signed_in(&s.ctx, "orders.usage"),
                number,
                ticket,
                used,
                error: e.to_string(),
            },
        ),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "bulk_confirm.html")]
struct BulkPage {
    c: Chrome,
    action: &'static str,
    title: &'static str,
    button: &'static str,
    report: BulkReport,
    executed: bool,
    keys: Vec<String>,
    back: String,
}

fn bulk_texts(a: BulkAction) -> (&'static str, &'static str) {
    match a {
        BulkAction::MarkPaid => ("ウェブチケット受注管理 (入金処理確認)", "入金処理を行う"),
        BulkAction::Capture => ("ウェブチケット受注管理 (クレジットカード実決済処理確認)", "実決済処理を行う"),
        BulkAction::Send => ("ウェブチケット受注管理 (ウェブチケ送信処理確認)", "ウェブチケット送信処理を行う"),
        BulkAction::SendSilent => (
            "ウェブチケット受注管理 (ウェブチケ送信処理確認)",
            "送信せずに送信済みステータスに切り替える",
        ),
        BulkAction::Use => ("ウェブチケット受注管理 (使用済み処理確認)", "使用済み処理を行う"),
        BulkAction::Unuse => (
            "ウェブチケット受注管理 (使用済みチケットのリセット処理確認)",
            "使用済みリセット処理を行う",
        ),
        BulkAction::ConfirmDeposit => ("入金確認 (一括)", "入金確認を行う"),
    }
}

/// The bulk form posts the chosen action with the selected rows (`order` or `ticket` values,
/// repeated). `execute=1` runs it; otherwise the confirmation screen lists every row OK / NG.
pub async fn bulk(State(app): State<App>, s: SignedIn, RawForm(body): RawForm) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).map_err(|_| WebError::NotFound)?;
    // The last value wins: a submit button's own value comes after the form's hidden fields.
    let get = |k: &str| pairs.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let action = BulkAction::parse(&get("bulk")).ok_or(WebError::NotFound)?;
    let field = if action.on_tickets() { "ticket" } else { "order" };
    let keys: Vec<String> = pairs.iter().filter(|(n, _)| n == field).map(|(_, v)| v.clone()).collect();
    let back = crate::pages::safe_local(&get("back")).to_string();
    let executed = get("execute") == "1";
    let (title, button) = bulk_texts(action);
    let report = match orders::bulk(&app, &s.user.actor, action, &keys, !executed).await {
        Ok(r) => r,
        Err(AppError::Invalid(_)) => return Ok(Redirect::to(&back).into_response()),
        Err(e) => return Err(e.into()),
    };
    ok(BulkPage {
        c: Chrome::signed_in(&s.ctx, "orders.title"),
        action: action.as_str(),
        title,
        button,
        report,
        executed,
        keys,
        back,
    })
}

/// 【CSV出力】: exactly the current search, all pages. CP932 by default for Japanese users.
pub async fn export_csv(
    State(app): State<App>,
    s: SignedIn,
    Query(search): Query<Search>,
    Query(q): Query<crate::csv_stream::CsvQuery>,
) -> Result<Response, WebError> {
    s.user.actor.merchant().map_err(|_| WebError::NotFound)?;
    let enc = crate::csv_stream::encoding(&q, crate::csv_stream::default_for(s.ctx.lang))?;
    let (actor, filter) = (s.user.actor.clone(), search.filter());
    Ok(crate::csv_stream::stream(&app.clone(), "orders", enc, move |tx| async move {
        kippu_app::orders::export::export(&app, &actor, filter, enc, tx).await
    }))
}

/// 明細: the order's statement as PDF.
pub async fn statement(State(app): State<App>, s: SignedIn, Path(number): Path<String>) -> Result<Response, WebError> {
    let v = orders::get(&app, &s.user.actor, &number).await?;
    let pdf = kippu_app::documents::statement::pdf(&app, &v).await?;
    Ok(crate::pdf_response(&number, pdf))
}

#[derive(Deserialize)]
pub struct MessageForm {
    body: String,
}

/// The merchant writes to the buyer in the order's thread.
pub async fn message(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Form(f): Form<MessageForm>,
) -> Result<Response, WebError> {
    orders::post_message(&app, &s.user.actor, &number, &f.body, None).await?;
    Ok(Redirect::to(&format!("/orders/{number}#messages")).into_response())
}

#[derive(Deserialize)]
pub struct TransferForm {
    ticket: String,
    holder_name: String,
    #[serde(default)]
    holder_email: String,
}

/// 譲渡 from the order detail: the list then shows the new holder.
pub async fn transfer(
    State(app): State<App>,
    s: SignedIn,
    Path(number): Path<String>,
    Form(f): Form<TransferForm>,
) -> Result<Response, WebError> {
    orders::transfer(&app, &s.user.actor, &f.ticket, &f.holder_name, Some(f.holder_email.as_str())).await?;
    Ok(Redirect::to(&format!("/orders/{number}")).into_response())
}
