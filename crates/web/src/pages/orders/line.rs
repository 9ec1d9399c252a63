//! One order as the list, the detail page and the confirmation screens show it. What may be
//! done next comes from `kippu_app::orders::available_actions`: this file only shows it.

use crate::i18n::T;
use kippu_app::Actor;
use kippu_app::orders::{self, OrderView};
use kippu_domain::Yen;
use kippu_domain::action_names::TicketActionName;
use kippu_domain::clock::to_millis;
use kippu_domain::order::PaymentMethod;
use kippu_domain::web_ticket::stay::Visit;
use kippu_domain::web_ticket::{Action, SendMode, Status};
use time::OffsetDateTime;

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
    /// 回数券: `2/5回（残り3回）`; empty for a ticket of one use.
    pub uses: String,
    /// The times of a 回数券's uses (the detail page fills them).
    pub use_times: Vec<String>,
    pub can_use: bool,
    /// 未使用に戻す, or for a 回数券 the last use undone.
    pub can_undo: bool,
    pub id: i64,
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
    /// クーポン割引 as printed (−500円), the coupon's and the AD code's codes; empty without.
    pub discount: String,
    pub coupon: String,
    pub ad_code: String,
    /// 定期: the master the order started or was made by (its id), empty otherwise.
    pub subscription: String,
    pub method: &'static str,
    pub pin: String,
    pub order_type: &'static str,
    /// The status code, for the badge's colour.
    pub status: &'static str,
    pub status_label: &'static str,
    pub steps: Vec<Step>,
    pub tickets: Vec<TicketLine>,
    pub can_cancel: bool,
    pub can_cancel_request: bool,
    pub can_revert: bool,
    pub can_confirm_deposit: bool,
    pub can_complete_cancel_request: bool,
    pub auth_note: String,
    pub cancel_fee: String,
    pub refunded: String,
    /// A rental's day and slot or a stay's dates and nights, with its label; empty otherwise.
    pub visit_label: &'static str,
    pub visit: String,
}

/// The statuses a payment method's flow goes through, in order.
fn path_of(method: PaymentMethod) -> &'static [Status] {
    use Status::*;
    match method {
        PaymentMethod::PayAtVenue => &[Unreceived, AwaitingSend, Sent],
        PaymentMethod::CardAuth => &[Authorized, AwaitingSend, Sent],
        PaymentMethod::CardCapture => &[AwaitingSend, Sent],
        _ => &[Unpaid, AwaitingSend, Sent],
    }
}

/// The screen of the action that moves an order on from its current step, among those the
/// actor may take now (the first offered of receipt, payment, capture, sending).
fn forward_screen(number: &str, offered: &[Action]) -> String {
    // Receipt and sending have their own screens; the others are `do/{name}`, named as the API
    // names them.
    let screens = [Action::Receive, Action::MarkPaid, Action::Capture, Action::Send];
    screens
        .iter()
        .find(|a| offered.contains(a))
        .map(|a| match a {
            Action::Receive | Action::Send => format!("/orders/{number}/{}", TicketActionName::of(*a).as_str()),
            _ => format!("/orders/{number}/do/{}", TicketActionName::of(*a).as_str()),
        })
        .unwrap_or_default()
}

/// The line in the page's language `t` (labels, dates with their weekday).
pub fn line(v: &OrderView, actor: &Actor, now: OffsetDateTime, t: T) -> OrderLine {
    let o = &v.order;
    let method = o.payment_method;
    let status = o.status;
    let offered = orders::available_actions(o, actor, now);
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
            let silent = *s == Status::Sent && o.send_mode == Some(SendMode::Silent);
            Step {
                label: if silent { t.s("orders.step_silent") } else { t.l(s.label()) },
                time: if silent {
                    String::new()
                } else {
                    reached(*s).map(|at| t.datetime_ms(at)).unwrap_or_default()
                },
                current: *s == status,
                done: i < current_index,
                href: if *s == status {
                    forward_screen(&o.order_number, &offered)
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let facts = orders::next::facts(o, now);
    let auth_note = if method == PaymentMethod::CardAuth && status == Status::Authorized {
        match facts.auth_days_left() {
            Some(d) => format!(
                "{}{d}{}（{}{}{}）",
                t.s("orders.auth_left"),
                t.s("orders.auth_days"),
                t.s("orders.auth_until_pre"),
                facts.auth_expires_at().map(|e| t.datetime_ms(to_millis(e))).unwrap_or_default(),
                t.s("orders.auth_until_post")
            ),
            None => t.s("orders.auth_expired").to_string(),
        }
    } else {
        String::new()
    };
    let can = |a: Action| offered.contains(&a);
    let visit = orders::visit_of(o);
    let visit_label = match visit {
        Some(Visit::Stay(_)) => t.s("orders.stay"),
        Some(Visit::Day { .. }) => t.s("orders.visit"),
        None => "",
    };
    OrderLine {
        number: o.order_number.clone(),
        ordered_at: t.datetime_ms(o.ordered_at),
        name: o.customer_name.clone(),
        kana: o.customer_kana.clone(),
        email: o.customer_email.clone(),
        phone: o.customer_phone.clone(),
        amount: Yen(o.amount).display_ja(),
        promotion: Yen(o.promotion_cost).display_ja(),
        discount: if o.discount > 0 {
            format!("−{}", Yen(o.discount).display_ja())
        } else {
            String::new()
        },
        coupon: o.coupon_code.clone().unwrap_or_default(),
        ad_code: o.ad_code.clone().unwrap_or_default(),
        subscription: o.subscription_id.map(|id| id.to_string()).unwrap_or_default(),
        method: t.l(method.label()),
        pin: o.pin.clone().filter(|_| method == PaymentMethod::PayAtVenue).unwrap_or_default(),
        order_type: t.l(o.order_type.label()),
        status: o.status.as_str(),
        status_label: t.l(orders::status_label(o)),
        steps,
        tickets: v
            .tickets
            .iter()
            .map(|k| TicketLine {
                number: k.ticket_number.clone(),
                price: Yen(k.price).display_ja(),
                type_label: k.ticket_type.map(|x| t.l(x.label())).unwrap_or(""),
                holder: k.holder_name.clone(),
                product: k.product_name.clone(),
                code: if k.jan.is_empty() { k.product_code.clone() } else { k.jan.clone() },
                used: k.usage == kippu_domain::web_ticket::Usage::Used,
                usage_label: t.l(k.usage.label()),
                used_at: k.used_at.map(|u| t.datetime_ms(u)).unwrap_or_default(),
                uses: t.uses(k.uses()),
                use_times: Vec::new(),
                can_use: k.uses().can_use(),
                can_undo: k.uses().can_undo(),
                id: k.id.0,
            })
            .collect(),
        can_cancel: can(Action::Cancel),
        can_cancel_request: can(Action::RequestCancel),
        can_revert: can(Action::RevertPayment),
        can_confirm_deposit: can(Action::ConfirmDeposit),
        can_complete_cancel_request: can(Action::CompleteCancelRequest),
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
        visit_label,
        visit: visit.map(|v| v.describe(t.lang == crate::i18n::Lang::En)).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    //! The page offers exactly what the rule accepts: every button and step link of an order
    //! line is an action `available_actions` lists for that actor, and nothing it lists for a
    //! button is missing.
    use super::*;
    use kippu_domain::MerchantId;
    use kippu_domain::account::Role;
    use kippu_domain::catalog::ProductKind;
    use kippu_domain::reservation::DoorState;
    use proptest::prelude::*;

    /// The action behind a step link, from its URL.
    fn linked_action(href: &str) -> Option<Action> {
        let tail = href.rsplit_once("/orders/T00000000000001/")?.1;
        Some(match tail {
            "receive" => Action::Receive,
            "do/mark-paid" => Action::MarkPaid,
            "do/capture" => Action::Capture,
            "send" => Action::Send,
            other => panic!("a step links to an unknown screen {other}"),
        })
    }

    proptest! {
        #[test]
        fn the_line_offers_exactly_what_the_rule_accepts(
            kind in prop::sample::select(vec![ProductKind::WebTicket, ProductKind::Reservation]),
            method in prop::sample::select(vec![PaymentMethod::BankPlatform, PaymentMethod::BankStore, PaymentMethod::PayAtVenue, PaymentMethod::CardAuth, PaymentMethod::CardCapture]),
            status in prop::sample::select(Status::ALL.to_vec()),
            door in prop::sample::select(DoorState::ALL.to_vec()),
            auth_days_ago in prop::option::of(0i64..40),
            platform in any::<bool>(),
        ) {
            let now = time::macros::datetime!(2026-11-30 03:00 UTC);
            let authorized = auth_days_ago.map(|d| kippu_domain::clock::to_millis(now - time::Duration::days(d)));
            let v = OrderView { order: kippu_app::orders::fixture::order(kind, method, status, door, authorized), tickets: vec![], history: vec![], instructions: None };
            let actor = if platform { Actor::system() } else { Actor::unattended(MerchantId(1), Role::MerchantAdmin, "t") };
            let offered = orders::available_actions(&v.order, &actor, now);
            let l = line(&v, &actor, now, T { lang: crate::i18n::Lang::Ja });
            prop_assert_eq!(l.can_cancel, offered.contains(&Action::Cancel));
            prop_assert_eq!(l.can_cancel_request, offered.contains(&Action::RequestCancel));
            prop_assert_eq!(l.can_revert, offered.contains(&Action::RevertPayment));
            prop_assert_eq!(l.can_confirm_deposit, offered.contains(&Action::ConfirmDeposit));
            prop_assert_eq!(l.can_complete_cancel_request, offered.contains(&Action::CompleteCancelRequest));
            for step in &l.steps {
                if let Some(a) = linked_action(&step.href) {
                    prop_assert!(offered.contains(&a), "the step links to {:?}, which the rule refuses", a);
                }
            }
            prop_assert_eq!(l.status_label, orders::status_label(&v.order).ja);
        }
    }
}
