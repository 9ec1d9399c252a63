//! 注文入力's form as posted → the operator's `OrderForm`, and an order's field errors → the
//! inputs they go beside (`destinations[0].name` → `dest_name`, `lines…` → the cart).

use crate::form_errors::FormErrors;
use kippu_app::entry::form::{OrderForm, ShipTo};
use kippu_app::entry::regular::{CycleKind, OrderKind};
use kippu_domain::validate::FieldErrors;

/// Reads the posted fields into `form`. Fields the form always carries are set even when empty;
/// an unchecked box is absent, so `send_mail` is read from its marker.
pub fn read(form: &mut OrderForm, pairs: &[(String, String)]) {
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    if get("form").as_deref() != Some("order") {
        return;
    }
    let text = |name: &str| get(name).unwrap_or_default();
    form.ad_code = text("ad_code");
    form.payment_method = text("payment_method");
    form.requested_date = text("requested_date");
    form.time_band = text("time_band");
    form.coupon_code = text("coupon_code");
    form.shipping_fee = text("shipping_fee");
    form.handling_fee = text("handling_fee");
    form.dest_name = text("dest_name");
    form.dest_kana = text("dest_kana");
    form.dest_postal_code = text("dest_postal_code");
    form.dest_address = text("dest_address");
    form.dest_phone = text("dest_phone");
    form.memo_inquiry = text("memo_inquiry");
    form.memo_shop = text("memo_shop");
    form.send_mail = get("send_mail").is_some();
    // The radios always post one of their values; anything else leaves the choice as it was.
    if let Some(k) = OrderKind::parse(&text("order_kind")) {
        form.order_kind = k;
    }
    if let Some(k) = CycleKind::parse(&text("cycle_kind")) {
        form.cycle_kind = k;
    }
    form.every_days = text("every_days");
    form.every_months = text("every_months");
    form.day = text("day");
    form.every_weeks = text("every_weeks");
    form.weekday = text("weekday");
    form.course = text("course");
    form.card_id = text("card_id");
    // A ticket's fields are posted only while a ticket is chosen.
    if !form.ticket_code.is_empty() {
        form.ticket_quantity = text("ticket_quantity");
        form.visit_date = text("visit_date");
        form.time_slot = text("time_slot");
        form.nights = text("nights");
    }
    form.ship_to = match text("ship_to").as_str() {
        "new" => ShipTo::New,
        other => match other.strip_prefix("book:").and_then(|id| id.parse().ok()) {
            Some(id) => ShipTo::Book(id),
            None => ShipTo::Customer,
        },
    };
    for line in &mut form.cart {
        if let Some(q) = get(&format!("qty.{}", line.product_code)) {
            line.quantity = kippu_domain::normalize::integer(&q).unwrap_or(0);
        }
    }
}

/// The input a field of the goods order goes beside on this page.
fn input_of(field: &str) -> String {
    if let Some((_, f)) = kippu_app::goods::parse_destination_field(field) {
        return match f {
            "requested_date" | "time_band" => f.to_string(),
            f if f.starts_with("lines") => "cart".into(),
            f => format!("dest_{f}"),
        };
    }
    if let Some(f) = field.strip_prefix("subscription.") {
        // 定期サイクル's inputs are named as the API's `subscription` fields.
        return f.to_string();
    }
    match field {
        "subscription" => "order_kind".into(),
        "card_token" => "card_id".into(),
        // A ticket order's 枚数 (a goods order names its quantities `lines…`).
        "quantity" => "ticket_quantity".into(),
        f if f.starts_with("lines") || f == "product_code" => "cart".into(),
        f if f.starts_with("customer") => "customer".into(),
        f => f.to_string(),
    }
}

pub fn errors(e: &FieldErrors) -> FormErrors {
    FormErrors::of_inputs(e, input_of)
}
