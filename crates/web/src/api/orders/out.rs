//! An order as the API answers it (one shape for every endpoint).

use kippu_app::App;
use kippu_app::orders::{self, OrderView};
use kippu_domain::clock::{from_millis, rfc3339_jst};
use kippu_domain::order::PaymentMethod;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CustomerOut {
    pub name: String,
    pub kana: String,
    pub email: String,
    pub phone: String,
}

#[derive(Serialize, ToSchema)]
pub struct TicketOut {
    pub ticket_number: String,
    pub holder_name: String,
    /// `unused` or `used`.
    pub usage: String,
    pub used_at: Option<String>,
    pub product_code: String,
    pub product_name: String,
    pub price: i64,
    pub visit_date: Option<String>,
    /// 回数券: the uses the ticket carries (1 for every other ticket) and those spent; it is
    /// `used` once they are all spent.
    pub uses_total: i64,
    pub uses_spent: i64,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryOut {
    pub flow: String,
    pub from: Option<String>,
    pub to: String,
    pub by: String,
    pub note: String,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuthorizationOut {
    pub authorized_at: String,
    pub expires_at: String,
    /// Whole days left before the authorization expires; `null` once expired.
    pub days_left: Option<i64>,
}

/// A bank account to transfer to.
#[derive(Serialize, ToSchema)]
pub struct AccountOut {
    pub bank: String,
    pub branch: String,
    /// `ordinary` (普通) or `checking` (当座).
    #[serde(rename = "type")]
    pub kind: String,
    pub number: String,
    pub holder: String,
}

/// How the buyer pays an order not paid at the order: `konbini` (the payment company's
/// `number` and the `chains` it is paid at) or a bank transfer (`bank_platform`, `bank_store`:
/// the `account`), each by `due_at` (RFC 3339, Japan). An unpaid order past it is cancelled by
/// the daily job when the merchant's 決済設定 says so.
#[derive(Serialize, ToSchema)]
pub struct PaymentInstructionsOut {
    pub method: String,
    pub due_at: String,
    /// コンビニ: the 受付番号 (12 digits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// コンビニ: the chains the number is paid at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chains: Option<Vec<String>>,
    /// Bank transfers: the 振込先口座.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountOut>,
}

pub fn instructions_out(i: &kippu_domain::payment_due::Instructions) -> PaymentInstructionsOut {
    use kippu_domain::payment_due::Instructions;
    let due_at = t(i.due_at());
    match i {
        Instructions::Konbini { number, chains, .. } => PaymentInstructionsOut {
            method: i.method().as_str().into(),
            due_at,
            number: Some(number.clone()),
            chains: Some(chains.clone()),
            account: None,
        },
        Instructions::Bank { account, .. } => PaymentInstructionsOut {
            method: i.method().as_str().into(),
            due_at,
            number: None,
            chains: None,
            account: Some(AccountOut {
                bank: account.bank_name.clone(),
                branch: account.branch_name.clone(),
                kind: account.kind.as_str().into(),
                number: account.number.clone(),
                holder: account.holder.clone(),
            }),
        },
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrderOut {
    pub order_number: String,
    /// `unpaid`, `unreceived`, `authorized`, `awaiting_send`, `sent`, `cancel_requested`,
    /// `cancelled`; for reservations also `redeemed` and `no_show`.
    pub status: String,
    /// `web_ticket` or `reservation`.
    pub kind: String,
    /// The visit date (`YYYY-MM-DD`, Japan): a reservation's or a rental's day, a stay's
    /// check-in date. Reservations also carry a party size and a 6-digit e-ticket ID.
    pub visit_date: Option<String>,
    pub time_slot: Option<String>,
    /// 宿泊タイプ: the nights from `visit_date` and the check-out date (`YYYY-MM-DD`).
    pub nights: Option<i64>,
    pub check_out: Option<String>,
    pub party_size: Option<i64>,
    pub eticket_id: Option<String>,
    pub status_label: String,
    pub payment_method: String,
    /// Total in yen, tax included.
    pub amount: i64,
    pub promotion_cost: i64,
    /// クーポン割引: yen the coupon took off the tickets (already out of `amount`); left out
    /// without a coupon.
    #[serde(skip_serializing_if = "is_zero")]
    pub discount: i64,
    /// The coupon the order used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon_code: Option<String>,
    /// The AD code (媒体) the order came from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ad_code: Option<String>,
    /// 定期: the master this order started (or, for a 定期便 child, was made by).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<i64>,
    /// `subscription_child` for a 定期便 child order; left out for a normal order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_type: Option<String>,
    /// The order's PIN (pay at venue only).
    pub pin: Option<String>,
    pub ordered_at: String,
    pub paid_at: Option<String>,
    pub sent_at: Option<String>,
    /// `email` or `silent` once sent.
    pub send_mode: Option<String>,
    pub cancelled_at: Option<String>,
    /// Cancel-request fee charged to the merchant (yen, tax included).
    pub cancel_fee: i64,
    /// Reservations cancelled by the customer: the cancellation fee kept under the policy.
    pub cancellation_fee_kept: i64,
    /// What was (or will be) given back to the customer.
    pub refunded_amount: i64,
    /// Reservations: the cancellation policy shown at booking, e.g. 「当日: 100%、3日前から: 50%、それ以前: 無料」.
    pub cancellation_policy: Option<String>,
    /// Reservations: who cancelled (`customer` or `merchant`) and the merchant's reason.
    pub cancelled_by: Option<String>,
    pub cancel_reason: Option<String>,
    pub authorization: Option<AuthorizationOut>,
    pub customer: CustomerOut,
    pub tickets: Vec<TicketOut>,
    pub history: Vec<HistoryOut>,
    /// Bank transfers: the account and the 振込期限 (left out for other methods and in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_instructions: Option<Box<PaymentInstructionsOut>>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

fn t(ms: i64) -> String {
    rfc3339_jst(from_millis(ms))
}

pub fn order_out(app: &App, v: OrderView) -> OrderOut {
    let o = v.order;
    let authorization = (o.payment_method == PaymentMethod::CardAuth)
        .then_some(())
        .and(o.authorized_at)
        .map(|at| {
            let f = orders::next::facts(&o, app.clock.now());
            AuthorizationOut {
                authorized_at: t(at),
                expires_at: f.auth_expires_at().map(rfc3339_jst).unwrap_or_default(),
                days_left: f.auth_days_left(),
            }
        });
    use kippu_app::reservations::eticket_of;
    let (status_code, status_label) = (orders::status_code(&o).to_string(), orders::status_label(&o).ja.to_string());
    let eticket_id = Some(eticket_of(&v.tickets)).filter(|e| !e.is_empty());
    let check_out = match orders::visit_of(&o) {
        Some(kippu_domain::web_ticket::stay::Visit::Stay(stay)) => Some(stay.check_out().to_string()),
        _ => None,
    };
    let policy = (o.kind == kippu_domain::catalog::ProductKind::Reservation).then(|| kippu_app::reservations::policy_of(&o).describe_ja());
    let payment_instructions = v.instructions.as_deref().map(|i| Box::new(instructions_out(i)));
    OrderOut {
        payment_instructions,
        order_number: o.order_number,
        status_label,
        status: status_code,
        kind: o.kind.as_str().into(),
        visit_date: o.visit_date,
        time_slot: o.time_slot,
        nights: o.nights,
        check_out,
        party_size: o.party_size,
        eticket_id,
        payment_method: o.payment_method.as_str().into(),
        amount: o.amount,
        promotion_cost: o.promotion_cost,
        discount: o.discount,
        coupon_code: o.coupon_code,
        ad_code: o.ad_code,
        subscription_id: o.subscription_id,
        order_type: (o.order_type != kippu_domain::order::OrderType::Normal).then(|| o.order_type.as_str().into()),
        pin: o.pin,
        ordered_at: t(o.ordered_at),
        paid_at: o.paid_at.map(t),
        sent_at: o.sent_at.map(t),
        send_mode: o.send_mode.map(|m| m.as_str().into()),
        cancelled_at: o.cancelled_at.map(t),
        cancel_fee: o.cancel_fee,
        cancellation_fee_kept: o.cancellation_fee_kept,
        refunded_amount: o.refunded_amount,
        cancellation_policy: policy,
        cancelled_by: o.cancelled_by.map(|c| c.as_str().into()),
        cancel_reason: o.cancel_reason.clone(),
        authorization,
        customer: CustomerOut {
            name: o.customer_name,
            kana: o.customer_kana,
            email: o.customer_email,
            phone: o.customer_phone,
        },
        tickets: v
            .tickets
            .into_iter()
            .map(|k| TicketOut {
                ticket_number: k.ticket_number,
                holder_name: k.holder_name,
                usage: k.usage.as_str().into(),
                used_at: k.used_at.map(t),
                product_code: k.product_code,
                product_name: k.product_name,
                price: k.price,
                visit_date: k.visit_date,
                uses_total: k.uses_total,
                uses_spent: k.uses_spent,
            })
            .collect(),
        history: v
            .history
            .into_iter()
            .map(|h| HistoryOut {
                flow: h.flow,
                from: h.from_status,
                to: h.to_status,
                by: h.actor_label,
                note: h.note,
                at: t(h.at),
            })
            .collect(),
    }
}
