//! 注文入力's 注文種別 (通常 / 定期 / 頒布会) and its card: what the form's typed cycle, course and
//! stored card ask of the order (`subscription`, `card_id` of `POST /api/v1/orders`), and the
//! confirmation's words for them. The order's own checks (`subscriptions::plan`, the card's
//! authorization) decide; this only reads what was typed, naming a field that is not a number.

use super::form::OrderForm;
use crate::callcenter::subscriptions::SubscriptionRequest;
use crate::callcenter::subscriptions::plan;
use crate::{Actor, App, Result};
use kippu_domain::order::PaymentMethod;
use kippu_domain::validate::{Collect, FieldError, FieldErrors};
pub use kippu_store::cards::StoredCardRow;
pub use kippu_store::subscriptions::courses::{CourseRow, CourseStep};
use serde::{Deserialize, Serialize};

/// 注文種別: 通常, 定期 (a cycle) or 頒布会 (a course).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    #[default]
    Normal,
    Regular,
    Course,
}

/// 定期サイクル's kinds: N日ごと, Nヶ月ごと D日, N週ごと 曜日.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CycleKind {
    #[default]
    Days,
    Months,
    Weeks,
}

impl OrderKind {
    pub const ALL: [OrderKind; 3] = [OrderKind::Normal, OrderKind::Regular, OrderKind::Course];
    /// As the form posts it.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::Normal => "normal",
            OrderKind::Regular => "regular",
            OrderKind::Course => "course",
        }
    }
    pub fn parse(s: &str) -> Option<OrderKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl CycleKind {
    pub const ALL: [CycleKind; 3] = [CycleKind::Days, CycleKind::Months, CycleKind::Weeks];
    /// As the form posts it.
    pub fn as_str(self) -> &'static str {
        match self {
            CycleKind::Days => "days",
            CycleKind::Months => "months",
            CycleKind::Weeks => "weeks",
        }
    }
    pub fn parse(s: &str) -> Option<CycleKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A whole number as typed (full-width digits and commas allowed), or the field named.
fn number(errs: &mut Collect, field: &'static str, what: &str, typed: &str) -> Option<i64> {
    match kippu_domain::normalize::integer(typed) {
        Some(n) => Some(n),
        None => {
            errs.push(FieldError::new(field, format!("{what}を数字で入力してください")));
            None
        }
    }
}

impl OrderForm {
    /// Whether the chosen payment method is a card (the stored card is then the order's).
    pub fn pays_by_card(&self) -> bool {
        PaymentMethod::parse(&self.payment_method).is_some_and(|m| matches!(m, PaymentMethod::CardAuth | PaymentMethod::CardCapture))
    }

    /// The stored card the order is paid with: the chosen one, for a card payment only.
    pub fn card(&self) -> Option<String> {
        let id = self.card_id.trim();
        (self.pays_by_card() && !id.is_empty()).then(|| id.to_string())
    }

    /// The `subscription` this form asks for: none for 通常; the cycle typed for 定期; the course
    /// for 頒布会. A number that is not one names its field.
    pub fn subscription(&self) -> std::result::Result<Option<SubscriptionRequest>, FieldErrors> {
        let mut errs = Collect::default();
        let r = match self.order_kind {
            OrderKind::Normal => None,
            OrderKind::Course => Some(SubscriptionRequest {
                course: Some(self.course.trim().to_string()).filter(|c| !c.is_empty()),
                ..SubscriptionRequest::default()
            })
            .filter(|r| r.course.is_some())
            .or_else(|| {
                errs.push(FieldError::new("subscription.course", "頒布会を選んでください"));
                None
            }),
            OrderKind::Regular => Some(match self.cycle_kind {
                CycleKind::Days => SubscriptionRequest {
                    every_days: number(&mut errs, "subscription.every_days", "日数", &self.every_days),
                    ..SubscriptionRequest::default()
                },
                CycleKind::Months => SubscriptionRequest {
                    every_months: number(&mut errs, "subscription.every_months", "月数", &self.every_months),
                    day: number(&mut errs, "subscription.day", "お届け日", &self.day),
                    ..SubscriptionRequest::default()
                },
                CycleKind::Weeks => SubscriptionRequest {
                    every_weeks: number(&mut errs, "subscription.every_weeks", "週数", &self.every_weeks),
                    weekday: Some(self.weekday.trim().to_string()).filter(|w| !w.is_empty()),
                    ..SubscriptionRequest::default()
                },
            }),
        };
        errs.finish()?;
        Ok(r)
    }
}

/// The confirmation's 定期 part: the cycle in words and the first child's date, and the course.
pub struct Regular {
    pub cycle: String,
    pub next_date: String,
    pub course: Option<(CourseRow, Vec<CourseStep>)>,
}

/// What the confirmation shows besides the price: the 定期 (when one is asked) and the card.
pub struct Confirmation {
    pub regular: Option<Regular>,
    pub card: Option<StoredCardRow>,
}

/// The merchant's 頒布会, each with its products in delivery order.
pub async fn courses(app: &App, actor: &Actor) -> Result<Vec<(CourseRow, Vec<CourseStep>)>> {
    crate::callcenter::subscriptions::courses::list(app, actor).await
}

/// The customer's stored cards (登録クレジットカード) as last fetched.
pub async fn cards(app: &App, actor: &Actor, customer: i64) -> Result<Vec<StoredCardRow>> {
    crate::callcenter::cards::list(app, actor, customer).await
}

/// The form's 定期 and card for the confirmation, checked as the order will check them (the
/// cycle, the course and its first product); the card is shown when it is the customer's.
pub async fn confirmation(app: &App, actor: &Actor, customer: i64, form: &OrderForm) -> Result<Confirmation> {
    let m = actor.merchant()?;
    let regular = match form.subscription()? {
        None => None,
        Some(r) => {
            let first = form.cart.first().map(|l| l.product_code.as_str());
            let p = plan::preview(app, m, &r, first).await?;
            Some(Regular {
                cycle: p.cycle.words(false),
                next_date: p.next_date,
                course: p.course,
            })
        }
    };
    let card = match form.card() {
        None => None,
        Some(id) => cards(app, actor, customer).await?.into_iter().find(|c| c.card_id == id),
    };
    Ok(Confirmation { regular, card })
}
