//! 定期マスタ情報: the merchant's masters (search by name, furigana or email and by status; with
//! `?customer=` the picked customer's, and 「全て開く」 opens all of theirs at once), and one
//! master's page with its child orders, history, status buttons and マスタ編集's forms (商品・数量,
//! 手数料, カード変更, サイクル, お届け先, クーポン適用 / クーポン解除). Each form calls one app function; a
//! field error is shown beside its field, a refusal as the flash.

use super::{ConsoleBar, Panel, Picked};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::callcenter::subscriptions::edit::{AddressPatch, ItemPatch, MasterPatch};
use kippu_app::callcenter::subscriptions::{self as subs, ListQuery, MasterRow, MasterView};
use kippu_app::{App, AppError};
use kippu_domain::subscription::{CycleInput, MasterAction, MasterStatus};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "callcenter_subscriptions.html")]
struct ListPage {
    c: Chrome,
    bar: ConsoleBar,
    q: String,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    rows: Vec<MasterRow>,
    page: i64,
    more: bool,
    /// 「全て開く」: every master of the picked customer, in full.
    opened: Vec<MasterView>,
    customer: Option<i64>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    customer: Option<i64>,
    page: Option<i64>,
    /// 「全て開く」.
    #[serde(default)]
    all: Option<String>,
}

/// `/callcenter/subscriptions`.
pub async fn list(State(app): State<App>, s: SignedIn, Query(p): Query<ListParams>) -> Result<Response, WebError> {
    let bar = ConsoleBar::new(&app, &s, Panel::Subscriptions, &Picked { customer: p.customer }).await?;
    let t = s.ctx.t();
    let statuses = MasterStatus::ALL.iter().map(|x| (x.as_str(), t.l(x.label()))).collect();
    let c = Chrome::signed_in(&s.ctx, "console.subscriptions");
    let query = ListQuery {
        customer: p.customer,
        status: Some(p.status.clone()),
        q: Some(p.q.clone()),
        page: p.page,
    };
    let (found, errors) = match subs::list(&app, &s.user.actor, &query).await {
        Ok(found) => (Some(found), FormErrors::default()),
        Err(AppError::Invalid(e)) => (None, FormErrors::by_field(&e)),
        Err(e) => return Err(e.into()),
    };
    let opened = match (p.customer, p.all.is_some()) {
        (Some(customer), true) => subs::all_of_customer(&app, &s.user.actor, customer).await?,
        _ => Vec::new(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (rows, page, more) = found.map_or((Vec::new(), 1, false), |f| (f.rows, f.page, f.more));
    render(
        status,
        ListPage {
            c,
            bar,
            q: p.q,
            status: p.status,
            statuses,
            rows,
            page,
            more,
            opened,
            customer: p.customer,
            errors,
        },
    )
}

#[derive(Template)]
#[template(path = "callcenter_subscription.html")]
struct DetailPage {
    c: Chrome,
    bar: ConsoleBar,
    v: MasterView,
    /// The buttons: (action code, label).
    buttons: Vec<(&'static str, &'static str)>,
    f: EditForm,
    errors: FormErrors,
    editable: bool,
    /// The customer's stored cards to change the card among: offered only for a master paid by
    /// card when the customer has two or more (the manual's rule).
    cards: Vec<CardChoice>,
}

/// One stored card as a radio of the カード変更 form.
struct CardChoice {
    card_id: String,
    words: String,
    current: bool,
}

/// The radios of カード変更: the customer's cards, when the master is paid by card and there
/// are two or more to choose from; none otherwise.
async fn card_choices(app: &App, s: &SignedIn, v: &MasterView) -> Result<Vec<CardChoice>, WebError> {
    use kippu_domain::order::PaymentMethod;
    if !matches!(v.master.payment_method, PaymentMethod::CardAuth | PaymentMethod::CardCapture) {
        return Ok(Vec::new());
    }
    let cards = kippu_app::callcenter::cards::list(app, &s.user.actor, v.master.customer_id).await?;
    if cards.len() < 2 {
        return Ok(Vec::new());
    }
    Ok(cards
        .into_iter()
        .map(|c| CardChoice {
            words: format!("{} ****{} {:02}/{}", c.brand, c.last4, c.exp_month, c.exp_year),
            current: Some(c.id) == v.master.stored_card_id,
            card_id: c.card_id,
        })
        .collect())
}

fn items_text(v: &MasterView) -> String {
    v.items
        .iter()
        .map(|i| format!("{},{}", i.product_code, i.quantity))
        .collect::<Vec<_>>()
        .join("\n")
}

fn detail_page(
    s: &SignedIn,
    bar: ConsoleBar,
    cards: Vec<CardChoice>,
    v: MasterView,
    f: Option<EditForm>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let buttons = v
        .actions
        .iter()
        .filter(|a| **a != MasterAction::Finish)
        .map(|a| (a.as_str(), t.l(a.label())))
        .collect();
    let f = f.unwrap_or_else(|| EditForm::of(&v));
    render(
        status,
        DetailPage {
            c: Chrome::signed_in(&s.ctx, "subs.detail_title"),
            bar,
            buttons,
            editable: v.master.status.check_editable().is_ok(),
            cards,
            v,
            f,
            errors,
        },
    )
}

/// `/callcenter/subscriptions/{id}`.
pub async fn detail(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    let v = subs::get(&app, &s.user.actor, id).await?;
    let bar = ConsoleBar::new(
        &app,
        &s,
        Panel::Subscriptions,
        &Picked {
            customer: Some(v.master.customer_id),
        },
    )
    .await?;
    let cards = card_choices(&app, &s, &v).await?;
    detail_page(&s, bar, cards, v, None, FormErrors::default(), StatusCode::OK)
}

#[derive(Deserialize)]
pub struct ActForm {
    action: String,
}

fn back(id: i64) -> String {
    format!("/callcenter/subscriptions/{id}")
}

/// A status button: pause, resume, cancel, revive.
pub async fn act(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(f): Form<ActForm>) -> Result<Response, WebError> {
    let t = s.ctx.t();
    let Some(action) = MasterAction::parse(&f.action).filter(|a| *a != MasterAction::Finish) else {
        return Ok(flash::redirect(
            s.ctx.secure_cookies,
            &back(id),
            Flash::refused(t.s("subs.unknown_action")),
        ));
    };
    let flash = match subs::act::act(&app, &s.user.actor, id, action).await {
        Ok(v) => Flash::done(format!("{}: {}", t.l(action.label()), t.l(v.master.status.label()))),
        Err(AppError::NotFound) => return Err(AppError::NotFound.into()),
        Err(e) if !e.is_internal() => Flash::refused(t.said(&e.said())),
        Err(e) => return Err(e.into()),
    };
    Ok(flash::redirect(s.ctx.secure_cookies, &back(id), flash))
}

/// マスタ編集's forms: `section` says which (items, fees, cycle, address, coupon, uncoupon).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    section: String,
    #[serde(default)]
    items: String,
    #[serde(default)]
    shipping_fee: String,
    #[serde(default)]
    handling_fee: String,
    #[serde(default)]
    cycle_kind: String,
    #[serde(default)]
    every: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    weekday: String,
    #[serde(default)]
    next_date: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kana: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    coupon_code: String,
    #[serde(default)]
    card_id: String,
}

impl EditForm {
    fn of(v: &MasterView) -> EditForm {
        let m = &v.master;
        let n = |x: Option<i64>| x.map(|x| x.to_string()).unwrap_or_default();
        EditForm {
            section: String::new(),
            items: items_text(v),
            shipping_fee: n(m.shipping_fee),
            handling_fee: n(m.handling_fee),
            cycle_kind: m.cycle_kind.clone(),
            every: m.cycle_every.to_string(),
            day: n(m.cycle_day),
            weekday: m.cycle_weekday.clone().unwrap_or_default(),
            next_date: m.next_date.clone(),
            name: m.ship_name.clone(),
            kana: m.ship_kana.clone(),
            postal_code: m.ship_postal_code.clone(),
            address: m.ship_address.clone(),
            phone: m.ship_phone.clone(),
            coupon_code: String::new(),
            card_id: String::new(),
        }
    }

    /// The form as the API's patch: a number that is not one is passed on as out of range, so
    /// the app names the field.
    fn patch(&self) -> MasterPatch {
        let num = |s: &str| s.trim().parse::<i64>().unwrap_or(-1);
        let opt = |s: &str| (!s.trim().is_empty()).then(|| num(s));
        match self.section.as_str() {
            "items" => MasterPatch {
                items: Some(
                    self.items
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(|l| {
                            let (code, q) = l.split_once([',', ' ', '\t']).unwrap_or((l, "1"));
                            ItemPatch {
                                product_code: code.trim().to_string(),
                                quantity: num(q),
                            }
                        })
                        .collect(),
                ),
                ..Default::default()
            },
            "fees" => MasterPatch {
                shipping_fee: opt(&self.shipping_fee),
                handling_fee: opt(&self.handling_fee),
                ..Default::default()
            },
            "cycle" => {
                let every = opt(&self.every);
                let cycle = match self.cycle_kind.as_str() {
                    "months" => CycleInput {
                        every_months: every,
                        day: opt(&self.day),
                        ..Default::default()
                    },
                    "weeks" => CycleInput {
                        every_weeks: every,
                        weekday: Some(self.weekday.clone()),
                        ..Default::default()
                    },
                    _ => CycleInput {
                        every_days: every,
                        ..Default::default()
                    },
                };
                MasterPatch {
                    subscription: Some(cycle),
                    next_date: Some(self.next_date.clone()).filter(|d| !d.trim().is_empty()),
                    ..Default::default()
                }
            }
            "address" => MasterPatch {
                address: Some(AddressPatch {
                    name: self.name.clone(),
                    kana: self.kana.clone(),
                    postal_code: self.postal_code.clone(),
                    address: self.address.clone(),
                    phone: self.phone.clone(),
                }),
                ..Default::default()
            },
            "coupon" => MasterPatch {
                coupon_code: Some(self.coupon_code.clone()),
                ..Default::default()
            },
            "card" => MasterPatch {
                card_id: Some(self.card_id.clone()),
                ..Default::default()
            },
            "uncoupon" => MasterPatch {
                remove_coupon: true,
                ..Default::default()
            },
            _ => MasterPatch::default(),
        }
    }
}

/// マスタ編集: one section's form.
pub async fn edit(State(app): State<App>, s: SignedIn, Path(id): Path<i64>, Form(f): Form<EditForm>) -> Result<Response, WebError> {
    let t = s.ctx.t();
    match subs::edit::edit(&app, &s.user.actor, id, &f.patch()).await {
        Ok(_) => Ok(flash::redirect(s.ctx.secure_cookies, &back(id), Flash::done(t.s("common.saved")))),
        Err(AppError::Invalid(e)) => {
            let v = subs::get(&app, &s.user.actor, id).await?;
            let bar = ConsoleBar::new(
                &app,
                &s,
                Panel::Subscriptions,
                &Picked {
                    customer: Some(v.master.customer_id),
                },
            )
            .await?;
            let cards = card_choices(&app, &s, &v).await?;
            detail_page(
                &s,
                bar,
                cards,
                v,
                Some(f),
                FormErrors::by_field(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(AppError::NotFound) => Err(AppError::NotFound.into()),
        Err(e) if !e.is_internal() => Ok(flash::redirect(s.ctx.secure_cookies, &back(id), Flash::refused(t.said(&e.said())))),
        Err(e) => Err(e.into()),
    }
}
