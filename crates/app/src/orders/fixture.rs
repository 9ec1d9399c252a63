//! An order row for tests of the rules over orders (here and in the web layer's tests of what
//! a page offers), so every test builds its orders the same way.

use kippu_domain::catalog::ProductKind;
use kippu_domain::order::{OrderType, PaymentMethod};
use kippu_domain::reservation::DoorState;
use kippu_domain::web_ticket::Status;
use kippu_domain::{MerchantId, OrderId};
use kippu_store::orders::OrderRow;

/// Order T00000000000001 of merchant 1 for 1,000 yen, with only what the rules read set.
pub fn order(kind: ProductKind, method: PaymentMethod, status: Status, door: DoorState, authorized_ms: Option<i64>) -> OrderRow {
    OrderRow {
        id: OrderId(1),
        merchant_id: MerchantId(1),
        order_number: "T00000000000001".into(),
        channel_id: None,
        customer_id: None,
        customer_name: String::new(),
        customer_kana: String::new(),
        customer_email: String::new(),
        customer_phone: String::new(),
        ordered_at: 0,
        order_type: OrderType::Normal,
        kind,
        payment_method: method,
        status,
        amount: 1000,
        promotion_cost: 0,
        discount: 0,
        coupon_code: None,
        ad_code: None,
        subscription_id: None,
        pin: None,
        pin_failures: 0,
        pin_locked_until: None,
        paid_at: None,
        sent_at: None,
        send_mode: None,
        cancelled_at: None,
        cancel_fee: 0,
        refunded_amount: 0,
        visit_date: None,
        authorized_at: authorized_ms,
        captured_at: None,
        gateway_ref: None,
        payment_state: None,
        access_token: None,
        time_slot: None,
        party_size: None,
        nights: None,
        cancellation_fee_kept: 0,
        cancel_reason: None,
        cancelled_by: None,
        cancellation_policy: None,
        door_state: door,
    }
}
