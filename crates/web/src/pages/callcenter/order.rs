//! 注文入力 (`/callcenter/order?customer={id}`): 媒体 (an AD code), 商品検索 and the cart, 送料 and
//! 手数料, 支払方法等, お届け先 (the customer's address, an address book entry, or a new one with
//! 「お届先リストに保存」), メモ, the priced confirmation and 【注文登録】. One form: every button
//! submits it with its operation (`op`), so nothing typed is lost; the server keeps the form as
//! the operator's draft for this customer (`entry::draft`), so it survives a reload and a
//! move to another panel. Works without JavaScript.

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
use axum::response::{IntoResponse, Redirect, Response};
use kippu_app::entry::console::{self, AdCodeRow, AddressRow, CartItem};
use kippu_app::entry::form::{OrderForm, ShipTo};
use kippu_app::entry::regular::{self, Confirmation, CycleKind, OrderKind, StoredCardRow};
use kippu_app::entry::{draft, ticket};
use kippu_app::goods::Quote;
use kippu_app::{App, AppError};
use kippu_domain::goods::TimeBand;
use kippu_domain::order::PaymentMethod;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "callcenter_order.html")]
struct OrderPage {
    c: Chrome,
    bar: ConsoleBar,
    customer: i64,
    q: String,
    searched: bool,
    found: Vec<kippu_app::storefront::ProductForSale>,
    form: OrderForm,
    cart: Vec<CartItem>,
    ad_codes: Vec<AdCodeRow>,
    book: Vec<AddressRow>,
    methods: Vec<(&'static str, &'static str)>,
    bands: Vec<(&'static str, &'static str)>,
    quote: Option<Quote>,
    /// The confirmation's 定期 / 頒布会 and card, with the quote.
    confirmed: Option<Confirmation>,
    /// 注文種別 and 定期サイクル's kinds (value, words); the 頒布会 (code, words); the cards.
    kinds: Vec<(&'static str, &'static str)>,
    cycle_kinds: Vec<(&'static str, &'static str)>,
    weekdays: Vec<(&'static str, &'static str)>,
    courses: Vec<(String, String)>,
    cards: Vec<StoredCardRow>,
    /// The chosen web ticket (the order's one product) and what its type asks: (来場日, 時間帯, 泊数).
    ticket: Option<(kippu_app::storefront::ProductForSale, (bool, bool, bool))>,
    errors: FormErrors,
}

impl OrderPage {
    fn ship_to_book(&self, id: &i64) -> bool {
        self.form.ship_to == ShipTo::Book(*id)
    }
    fn ship_to_new(&self) -> bool {
        self.form.ship_to == ShipTo::New
    }
    fn ship_to_customer(&self) -> bool {
        self.form.ship_to == ShipTo::Customer
    }
    fn kind_is(&self, v: &&str) -> bool {
        self.form.order_kind.as_str() == *v
    }
    fn cycle_is(&self, v: &&str) -> bool {
        self.form.cycle_kind.as_str() == *v
    }
    fn card_is(&self, id: &str) -> bool {
        self.form.card_id == id
    }
    fn is_ticket(&self, p: &kippu_app::storefront::ProductForSale) -> bool {
        ticket::is_ticket(p)
    }
    /// A ticket was chosen (even one no longer on sale): no delivery fields.
    fn ticket_order(&self) -> bool {
        !self.form.ticket_code.is_empty()
    }
    fn discount(&self, q: &Quote) -> i64 {
        q.goods_total + q.shipping + q.cod_fee - q.amount
    }
}

#[derive(Deserialize)]
pub struct OrderQuery {
    customer: Option<i64>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    search: Option<String>,
}

/// `GET /callcenter/order?customer={id}`: without a picked customer, back to 受付.
pub async fn page(State(app): State<App>, s: SignedIn, Query(q): Query<OrderQuery>) -> Result<Response, WebError> {
    let Some(customer) = q.customer else {
        return Ok(Redirect::to("/callcenter").into_response());
    };
    let form = draft::load(&app, &s.user.actor, customer).await?;
    let searched = q.search.is_some() || !q.q.trim().is_empty();
    show(&app, &s, customer, form, (q.q, searched), None).await
}

/// Renders the page; with `failed`, the errors of the last operation beside their fields.
async fn show(
    app: &App,
    s: &SignedIn,
    customer: i64,
    form: OrderForm,
    (q, searched): (String, bool),
    failed: Option<FormErrors>,
) -> Result<Response, WebError> {
    let a = &s.user.actor;
    let bar = ConsoleBar::new(app, s, Panel::OrderEntry, &Picked { customer: Some(customer) }).await?;
    let t = s.ctx.t();
    let found = if searched {
        console::search_goods(app, a, &q).await?
    } else {
        Vec::new()
    };
    let cart = console::cart(app, a, &form).await?;
    // A card payment is made with one of the customer's stored cards (登録クレジットカード).
    let methods = kippu_app::merchants::methods_for_new_orders(app, a)
        .await?
        .into_iter()
        .map(|m: PaymentMethod| (m.as_str(), t.l(m.label())))
        .collect();
    let bands = TimeBand::ALL.iter().map(|b| (b.as_str(), t.l(b.label()))).collect();
    let (quote, confirmed, errors) = match failed {
        Some(e) => (None, None, e),
        None if form.cart.is_empty() || form.payment_method.is_empty() => (None, None, FormErrors::default()),
        None => match confirm(app, a, customer, &form).await {
            Ok((q, c)) => (Some(q), Some(c), FormErrors::default()),
            Err(AppError::Invalid(e)) => (None, None, super::order_fields::errors(&e)),
            Err(e) => return Err(e.into()),
        },
    };
    let words = |list: &[&'static str], prefix: &str| list.iter().map(|v| (*v, t.s(&format!("{prefix}{v}")))).collect::<Vec<_>>();
    let courses = regular::courses(app, a)
        .await?
        .into_iter()
        .map(|(c, steps)| {
            let products: Vec<&str> = steps.iter().map(|s| s.product_name.as_str()).collect();
            (c.code.clone(), format!("{} {}（{}）", c.code, c.name, products.join(" → ")))
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { errors.status() };
    render(
        status,
        OrderPage {
            c: Chrome::signed_in(&s.ctx, "console.title"),
            bar,
            customer,
            q,
            searched,
            found,
            cart,
            ad_codes: console::ad_codes(app, a).await?,
            book: console::book(app, a, customer).await?,
            methods,
            bands,
            quote,
            confirmed,
            kinds: words(&OrderKind::ALL.map(OrderKind::as_str), "entry.kind_"),
            cycle_kinds: words(&CycleKind::ALL.map(CycleKind::as_str), "entry.cycle_"),
            weekdays: words(&["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "subs.wd_"),
            courses,
            cards: regular::cards(app, a, customer).await?,
            ticket: ticket::chosen(app, a, &form).await?.map(|p| {
                let asks = ticket::asks(&p);
                (p, asks)
            }),
            errors,
            form,
        },
    )
}

/// The priced order and its 定期 and card, as the order will check them.
async fn confirm(app: &App, a: &kippu_app::Actor, customer: i64, form: &OrderForm) -> Result<(Quote, Confirmation), AppError> {
    let q = console::quote(app, a, customer, form).await?;
    Ok((q, regular::confirmation(app, a, customer, form).await?))
}

/// `POST /callcenter/order?customer={id}`: the form with one operation — `search`, `add:{code}`,
/// `remove:{code}`, `save`, `cards` (登録クレジットカード, the draft kept), `address`
/// (お届先リストに保存) or `order` (【注文登録】).
pub async fn post(
    State(app): State<App>,
    s: SignedIn,
    Query(q): Query<OrderQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let customer = q.customer.ok_or(AppError::NotFound)?;
    let a = &s.user.actor;
    let mut form = draft::load(&app, a, customer).await?;
    super::order_fields::read(&mut form, &pairs);
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    let op = field("op").to_string();
    let search = field("q").to_string();
    let back = |search: &str| {
        let q = if search.trim().is_empty() {
            String::new()
        } else {
            format!("&search=1&q={}", urlencoding(search))
        };
        Redirect::to(&format!("/callcenter/order?customer={customer}{q}")).into_response()
    };
    if let Some(code) = op.strip_prefix("add:") {
        ticket::choose(&app, a, &mut form, code).await?;
    } else if op == "remove-ticket" {
        ticket::remove(&mut form);
    } else if let Some(code) = op.strip_prefix("remove:") {
        form.remove(code);
    }
    match op.as_str() {
        "address" => match console::save_address(&app, a, customer, &mut form).await {
            Ok(_) => Ok(back(&search)),
            Err(AppError::Invalid(e)) => {
                draft::save(&app, a, customer, &form).await?;
                show(&app, &s, customer, form, (search, false), Some(FormErrors::by_field(&e))).await
            }
            Err(e) => Err(e.into()),
        },
        "order" => {
            draft::save(&app, a, customer, &form).await?;
            match console::place(&app, a, customer, &form).await {
                Ok(created) => {
                    let t = s.ctx.t();
                    let number = created.number.clone();
                    let mut done = Flash::done(format!("{} {number}", t.s("entry.ordered")));
                    // 定期 / 頒布会: the completion links the master the order started.
                    if let Some(id) = created.subscription_id {
                        done = Flash::done(format!("{} {number}（{} {id}）", t.s("entry.ordered"), t.s("subs.master"))).with_undo(
                            format!("/callcenter/subscriptions/{id}"),
                            &format!("{} {id}", t.s("entry.open_master")),
                        );
                    }
                    Ok(flash::redirect(
                        s.ctx.secure_cookies,
                        &format!("/callcenter/orders?customer={customer}"),
                        done,
                    ))
                }
                Err(AppError::Invalid(e)) => show(&app, &s, customer, form, (search, false), Some(super::order_fields::errors(&e))).await,
                Err(AppError::Order(e)) => {
                    let errors = FormErrors::general(e.to_string());
                    show(&app, &s, customer, form, (search, false), Some(errors)).await
                }
                Err(e) => Err(e.into()),
            }
        }
        "cards" => {
            draft::save(&app, a, customer, &form).await?;
            Ok(Redirect::to(&format!("/callcenter/cards?customer={customer}")).into_response())
        }
        _ => {
            draft::save(&app, a, customer, &form).await?;
            Ok(back(if op == "search" || op.starts_with("add:") { &search } else { "" }))
        }
    }
}

/// `POST /callcenter/clear`: 「オールクリア」 — every draft of the operator goes, and the console
/// starts again at 受付 with nobody picked.
pub async fn clear(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    draft::clear(&app, &s.user.actor, None).await?;
    Ok(Redirect::to("/callcenter").into_response())
}

fn urlencoding(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
