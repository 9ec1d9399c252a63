//! リジェクト注文情報 (`/callcenter/rejected`): orders refused by the card company or a fraud rule,
//! searched by date range, reason and customer (`?customer=` filters to the picked one); each
//! opens on its 内訳 and 注文者情報 with 「再入力」; and the fraud-rule settings
//! (`/callcenter/settings/fraud`, merchant admins only).

use super::{ConsoleBar, Panel, Picked};
use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::{ok, render};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::callcenter::fraud::{self, FraudRulesInput, FraudRulesRow};
use kippu_app::callcenter::rejected::{self, AttemptLine, RejectedRow};
use kippu_app::{App, AppError};
use kippu_domain::paging::Paging;
use serde::Deserialize;

const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "callcenter_rejected.html")]
struct ListPage {
    c: Chrome,
    bar: ConsoleBar,
    q: ListQuery,
    rows: Vec<ListRow>,
    total: i64,
    capped: bool,
    page: i64,
    reasons: Vec<(&'static str, String)>,
    errors: FormErrors,
}

/// A row as the list shows it: the reason and the payment method in words, not their codes.
struct ListRow {
    r: RejectedRow,
    reason: String,
    method: String,
}

fn list_row(c: &Chrome, r: RejectedRow) -> ListRow {
    let method = kippu_domain::order::PaymentMethod::parse(&r.payment_method)
        .map_or_else(|| r.payment_method.clone(), |m| c.t.l(m.label()).to_string());
    ListRow {
        reason: c.t.said(&rejected::reason_said(&r.reason)),
        method,
        r,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
    customer: Option<i64>,
    page: Option<i64>,
}

impl ListQuery {
    fn customer_suffix(&self) -> String {
        self.customer.map(|c| format!("&customer={c}")).unwrap_or_default()
    }
}

fn reason_label(code: &str) -> String {
    rejected::reason_said(code).ja
}

pub async fn list(State(app): State<App>, s: SignedIn, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let bar = ConsoleBar::new(&app, &s, Panel::Rejected, &Picked { customer: q.customer }).await?;
    let paging = Paging::new(q.page, None, PER_PAGE).map_err(AppError::from)?;
    let reasons = rejected::REASONS.iter().map(|r| (*r, reason_label(r))).collect();
    let found = rejected::filter_of(Some(&q.from), Some(&q.to), Some(&q.reason), q.customer);
    let result = match found {
        Ok(f) => rejected::list(&app, &s.user.actor, &f, paging).await,
        Err(e) => Err(e),
    };
    let c = Chrome::signed_in(&s.ctx, "console.rejected");
    match result {
        Ok(p) => ok(ListPage {
            rows: p.rows.into_iter().map(|r| list_row(&c, r)).collect(),
            c,
            bar,
            total: p.total,
            capped: p.capped,
            page: paging.page(),
            q,
            reasons,
            errors: FormErrors::default(),
        }),
        Err(AppError::Invalid(e)) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            ListPage {
                c,
                bar,
                rows: Vec::new(),
                total: 0,
                capped: false,
                page: 1,
                q,
                reasons,
                errors: FormErrors::by_field(&e),
            },
        ),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "callcenter_rejected_detail.html")]
struct DetailPage {
    c: Chrome,
    bar: ConsoleBar,
    r: RejectedRow,
    reason: String,
    method: String,
    lines: Vec<AttemptLine>,
    reenter: String,
}

pub async fn detail(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    let r = rejected::get(&app, &s.user.actor, id).await?;
    let bar = ConsoleBar::new(&app, &s, Panel::Rejected, &Picked { customer: r.customer_id }).await?;
    let reenter = match r.customer_id {
        Some(c) => format!("/callcenter/order?customer={c}&from_rejected={}", r.id),
        None => format!("/callcenter/order?from_rejected={}", r.id),
    };
    let c = Chrome::signed_in(&s.ctx, "rejected.detail");
    let ListRow { r, reason, method } = list_row(&c, r);
    ok(DetailPage {
        c,
        bar,
        reason,
        method,
        lines: rejected::lines_of(&r)?,
        reenter,
        r,
    })
}

#[derive(Template)]
#[template(path = "callcenter_fraud.html")]
struct FraudPage {
    c: Chrome,
    bar: ConsoleBar,
    f: FraudRulesRow,
    errors: FormErrors,
}

pub async fn fraud_page(State(app): State<App>, s: SignedIn, Query(picked): Query<Picked>) -> Result<Response, WebError> {
    s.user.actor.require_settings_rights()?;
    let bar = ConsoleBar::new(&app, &s, Panel::Settings, &picked).await?;
    let f = fraud::rules(&app, &s.user.actor).await?;
    ok(FraudPage {
        c: Chrome::signed_in(&s.ctx, "fraud.title"),
        bar,
        f,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct FraudForm {
    #[serde(default)]
    max_amount: String,
    #[serde(default)]
    max_orders_per_phone_hour: String,
    #[serde(default)]
    blocked_phones: String,
    #[serde(default)]
    blocked_addresses: String,
}

pub async fn fraud_save(State(app): State<App>, s: SignedIn, Form(f): Form<FraudForm>) -> Result<Response, WebError> {
    let mut errs = kippu_domain::validate::Collect::default();
    let mut number = |field: &'static str, v: &str| -> i64 {
        let t = kippu_domain::normalize::digits(v);
        if v.trim().is_empty() {
            0
        } else if t.len() != v.trim().len() || t.len() > 12 {
            errs.push(kippu_domain::validate::FieldError::new(field, "半角数字で入力してください"));
            0
        } else {
            t.parse().unwrap_or(0)
        }
    };
    let input = FraudRulesInput {
        max_amount: number("max_amount", &f.max_amount),
        max_orders_per_phone_hour: number("max_orders_per_phone_hour", &f.max_orders_per_phone_hour),
        blocked_phones: f.blocked_phones.clone(),
        blocked_addresses: f.blocked_addresses.clone(),
    };
    let result = match errs.finish() {
        Err(e) => Err(AppError::Invalid(e)),
        Ok(()) => fraud::save(&app, &s.user.actor, &input).await,
    };
    match result {
        Ok(_) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            "/callcenter/settings/fraud",
            Flash::done(s.ctx.t().s("common.saved")),
        )),
        Err(AppError::Invalid(e)) => {
            let bar = ConsoleBar::new(&app, &s, Panel::Settings, &Picked::default()).await?;
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                FraudPage {
                    c: Chrome::signed_in(&s.ctx, "fraud.title"),
                    bar,
                    f: FraudRulesRow {
                        max_amount: input.max_amount,
                        max_orders_per_phone_hour: input.max_orders_per_phone_hour,
                        blocked_phones: f.blocked_phones,
                        blocked_addresses: f.blocked_addresses,
                    },
                    errors: FormErrors::by_field(&e),
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}
