//! A master made with its first order: `subscription` of `POST /api/v1/orders` checked before
//! any money moves ([`plan`]), and written in the order's own transaction ([`after_write`]);
//! the same hook links a child order to its master and steps the master exactly once.

use crate::{Actor, App, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::order::PaymentMethod;
use kippu_domain::subscription::{Course, Cycle, CycleInput};
use kippu_domain::validate::{FieldError, FieldErrors};
use kippu_store::AnyConnection;
use kippu_store::subscriptions::{courses, write};
use serde::Deserialize;

/// `subscription` of an order: one cycle (`every_days`; `every_months` with `day`;
/// `every_weeks` with `weekday`), or a 頒布会 `course` code (monthly on the order's day unless a
/// cycle is given).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionRequest {
    #[serde(default)]
    pub every_days: Option<i64>,
    #[serde(default)]
    pub every_months: Option<i64>,
    #[serde(default)]
    pub day: Option<i64>,
    #[serde(default)]
    pub every_weeks: Option<i64>,
    #[serde(default)]
    pub weekday: Option<String>,
    #[serde(default)]
    pub course: Option<String>,
}

impl SubscriptionRequest {
    fn cycle_input(&self) -> CycleInput {
        CycleInput {
            every_days: self.every_days,
            every_months: self.every_months,
            day: self.day,
            every_weeks: self.every_weeks,
            weekday: self.weekday.clone(),
        }
    }
}

/// Where and what the first order ships, as the order's intake checked it.
#[derive(Debug, Clone)]
pub struct Origin {
    pub pickup: bool,
    pub destinations: usize,
    /// (product id, quantity), in the order's line order: the first is the main product.
    pub items: Vec<(i64, i64)>,
    pub ship: [String; 5],
}

/// A master to write with its order.
#[derive(Debug, Clone)]
pub struct Plan {
    cycle: Cycle,
    next_date: String,
    course_id: Option<i64>,
    method: PaymentMethod,
    coupon_id: Option<i64>,
    stored_card_id: Option<i64>,
    origin: Origin,
}

/// A child order's cycle: its master, due date, the date after, whether the master finishes.
#[derive(Debug, Clone)]
pub struct Child {
    pub master_id: i64,
    pub due: String,
    pub next: String,
    pub finished: bool,
}

/// What an order's transaction does for subscriptions.
#[derive(Debug, Clone, Default)]
pub enum Link {
    #[default]
    None,
    New(Box<Plan>),
    Child(Child),
}

/// Checks `subscription` against the order: a cycle that makes sense, one destination (not a
/// store pickup), a course of the merchant's whose first product is ordered. Every problem is
/// named under `subscription.*`.
pub async fn plan(
    app: &App,
    m: MerchantId,
    r: &SubscriptionRequest,
    method: PaymentMethod,
    coupon_id: Option<i64>,
    stored_card_id: Option<i64>,
    origin: Origin,
) -> Result<Plan> {
    let today = app.clock.today();
    let mut errs = kippu_domain::validate::Collect::default();
    let course = match r.course.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(code) => {
            let mut conn = app.store.conn().await?;
            match courses::by_code(&mut conn, m, code).await? {
                None => {
                    errs.push(FieldError::new("subscription.course", format!("頒布会コード {code} はありません")));
                    None
                }
                Some(c) => {
                    let steps = courses::steps(&mut conn, m, c.id).await?;
                    let first = steps.first().map(|s| (s.product_id, s.product_code.clone()));
                    if origin.items.first().map(|i| i.0) != first.as_ref().map(|f| f.0) {
                        errs.push(FieldError::new(
                            "subscription.course",
                            format!(
                                "頒布会の1回目の商品（{}）を注文してください",
                                first.map(|f| f.1).unwrap_or_default()
                            ),
                        ));
                    }
                    Some(c.id)
                }
            }
        }
    };
    let input = r.cycle_input();
    let asked_course = r.course.as_deref().is_some_and(|c| !c.trim().is_empty());
    let cycle = if asked_course && input == CycleInput::default() {
        Some(Cycle::Months {
            every_months: 1,
            day: today.day(),
        })
    } else {
        errs.take_all(input.check())
    };
    if origin.pickup {
        errs.push(FieldError::new("subscription", "店舗受取の注文は定期にできません"));
    } else if origin.destinations > 1 {
        errs.push(FieldError::new("subscription", "お届け先が複数の注文は定期にできません"));
    }
    errs.finish_all()?;
    let cycle = cycle.ok_or_else(|| FieldErrors::from(FieldError::new("subscription", "サイクルが不正です")))?;
    Ok(Plan {
        next_date: cycle.next_date(today).to_string(),
        cycle,
        course_id: course,
        method,
        coupon_id,
        stored_card_id,
        origin,
    })
}

impl Plan {
    /// The first child after `first` instead of after today: a dated web ticket's master repeats
    /// the visit a cycle after the first order's own visit date.
    pub fn first_child_after(mut self, first: time::Date) -> Plan {
        self.next_date = self.cycle.next_date(first).to_string();
        self
    }
}

/// Inside the order's transaction, after the order is written: a new master for `Link::New`,
/// or for `Link::Child` the order linked to its master and the master stepped — refused (and
/// the whole order rolled back) when another run stepped it first.
pub async fn after_write(
    tx: &mut AnyConnection,
    actor: &Actor,
    m: MerchantId,
    order_id: i64,
    customer_id: i64,
    link: &Link,
    now: i64,
) -> Result<Option<i64>> {
    match link {
        Link::None => Ok(None),
        Link::New(p) => {
            let o = &p.origin;
            let id = write::insert(
                tx,
                &write::NewMaster {
                    merchant_id: m,
                    customer_id,
                    cycle: p.cycle,
                    next_date: &p.next_date,
                    payment_method: p.method,
                    stored_card_id: p.stored_card_id,
                    coupon_id: p.coupon_id,
                    course_id: p.course_id,
                    origin_order_id: order_id,
                    ship: write::Ship {
                        name: &o.ship[0],
                        kana: &o.ship[1],
                        postal_code: &o.ship[2],
                        address: &o.ship[3],
                        phone: &o.ship[4],
                    },
                    items: &o.items,
                    now,
                },
            )
            .await?;
            let note = format!("{}、次回 {}", p.cycle.words(false), p.next_date);
            write::add_history(tx, m, id, actor.user_id.map(|u| u.0), "create", &note, now).await?;
            let after = serde_json::json!({"cycle": p.cycle, "next_date": p.next_date, "items": o.items, "course_id": p.course_id});
            audit::record(
                tx,
                actor,
                Some(m),
                audit::Subject::new("create", "subscription", id),
                audit::NONE,
                Some(&after),
                now,
            )
            .await?;
            Ok(Some(id))
        }
        Link::Child(c) => {
            write::link_child(tx, order_id, c.master_id, &c.due).await?;
            if !write::step(tx, c.master_id, &c.due, &c.next, c.finished, now).await? {
                return Err(kippu_store::StoreError::Conflict {
                    entity: "subscription_child",
                    detail: format!("{}/{}", c.master_id, c.due),
                }
                .into());
            }
            let note = if c.finished {
                format!("{} 分の子受注を作成、頒布会の最後のお届けで終了", c.due)
            } else {
                format!("{} 分の子受注を作成、次回 {}", c.due, c.next)
            };
            write::add_history(tx, m, c.master_id, None, "child", &note, now).await?;
            Ok(Some(c.master_id))
        }
    }
}

/// The product of a course master's delivery `made` (0 = the first order).
pub async fn course_product(conn: &mut AnyConnection, m: MerchantId, course_id: i64, made: usize) -> Result<(Option<i64>, bool)> {
    let steps = courses::steps(conn, m, course_id).await?;
    let course = Course {
        products: steps.iter().map(|s| s.product_id).collect(),
    };
    Ok((course.product_of(made), course.finishes_after(made)))
}
