//! The console's order form (注文入力) as the operator typed it, and what it orders: a goods
//! order for the picked customer, priced by `goods::quote` and placed by `goods::create` with
//! the operator's actor (so it is 代理注文 and records the operator).

use crate::goods::{DestinationRequest, GoodsOrderRequest, LineRequest, MAX_LINES};
use kippu_domain::goods::fee::Fees;
use serde::{Deserialize, Serialize};

use super::Overridden;

/// The fees with the operator's overrides: `shipping` replaces the order's whole shipping fee
/// (on its first destination), `handling` the 手数料. What each replaced is answered for the
/// audit entry.
pub fn override_fees(mut fees: Fees, shipping: Option<i64>, handling: Option<i64>) -> (Fees, Vec<Overridden>) {
    let mut overridden = Vec::new();
    if let Some(set) = shipping {
        let computed: i64 = fees.per_destination.iter().sum();
        for (i, fee) in fees.per_destination.iter_mut().enumerate() {
            *fee = if i == 0 { set } else { 0 };
        }
        overridden.push(Overridden {
            field: "shipping_fee",
            computed,
            set,
        });
    }
    if let Some(set) = handling {
        overridden.push(Overridden {
            field: "handling_fee",
            computed: fees.cod,
            set,
        });
        fees.cod = set;
    }
    (fees, overridden)
}

/// A product in the console's cart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_code: String,
    pub quantity: i64,
}

/// Where the order goes (お届け先).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShipTo {
    /// 顧客情報からコピー: the customer's own address.
    #[default]
    Customer,
    /// An entry of the customer's address book (お届先リスト).
    Book(i64),
    /// A new address typed here.
    New,
}

/// The order being typed in the console for one customer: the cart and every field, kept as a
/// draft between requests (see `draft`). Fees are kept as typed: empty means the computed one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderForm {
    pub cart: Vec<CartLine>,
    pub ad_code: String,
    pub payment_method: String,
    pub requested_date: String,
    pub time_band: String,
    pub coupon_code: String,
    pub shipping_fee: String,
    pub handling_fee: String,
    pub ship_to: ShipTo,
    pub dest_name: String,
    pub dest_kana: String,
    pub dest_postal_code: String,
    pub dest_address: String,
    pub dest_phone: String,
    pub memo_inquiry: String,
    pub memo_shop: String,
    /// 「購入者に注文完了メールを送信する」.
    pub send_mail: bool,
    /// 注文種別 and what 定期 and 頒布会 ask, as typed (`regular` reads them).
    pub order_kind: super::regular::OrderKind,
    pub cycle_kind: super::regular::CycleKind,
    pub every_days: String,
    pub every_months: String,
    pub day: String,
    pub every_weeks: String,
    pub weekday: String,
    pub course: String,
    /// The stored card (登録クレジットカード) a card payment is made with.
    pub card_id: String,
    /// The web-ticket product chosen instead of a cart (`ticket`), and what a ticket asks:
    /// 枚数, 来場日, 時間帯 (room and court rentals) and 泊数 (宿泊タイプ), as typed.
    pub ticket_code: String,
    pub ticket_quantity: String,
    pub visit_date: String,
    pub time_slot: String,
    pub nights: String,
}

impl Default for OrderForm {
    fn default() -> Self {
        OrderForm {
            cart: Vec::new(),
            ad_code: String::new(),
            payment_method: String::new(),
            requested_date: String::new(),
            time_band: String::new(),
            coupon_code: String::new(),
            shipping_fee: String::new(),
            handling_fee: String::new(),
            ship_to: ShipTo::Customer,
            dest_name: String::new(),
            dest_kana: String::new(),
            dest_postal_code: String::new(),
            dest_address: String::new(),
            dest_phone: String::new(),
            memo_inquiry: String::new(),
            memo_shop: String::new(),
            send_mail: true,
            order_kind: super::regular::OrderKind::Normal,
            cycle_kind: super::regular::CycleKind::Days,
            every_days: String::new(),
            every_months: String::new(),
            day: String::new(),
            every_weeks: String::new(),
            weekday: String::new(),
            course: String::new(),
            card_id: String::new(),
            ticket_code: String::new(),
            ticket_quantity: String::new(),
            visit_date: String::new(),
            time_slot: String::new(),
            nights: String::new(),
        }
    }
}

impl OrderForm {
    /// Puts a product in the cart (one more when it is there already); the cart holds at most
    /// [`MAX_LINES`] products.
    pub fn add(&mut self, code: &str) {
        let code = code.trim();
        if code.is_empty() {
            return;
        }
        let full = self.cart.len() >= MAX_LINES;
        match self.cart.iter_mut().find(|l| l.product_code == code) {
            Some(l) => l.quantity = (l.quantity + 1).min(999),
            None if !full => self.cart.push(CartLine {
                product_code: code.to_string(),
                quantity: 1,
            }),
            None => {}
        }
    }

    pub fn remove(&mut self, code: &str) {
        self.cart.retain(|l| l.product_code != code);
    }

    /// The goods order this form asks for, for customer `customer_id`; `book` is the chosen
    /// address book entry, read by the caller.
    pub fn request(&self, customer_id: i64, book: Option<&kippu_store::customers::AddressRow>) -> GoodsOrderRequest {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let lines: Vec<LineRequest> = self
            .cart
            .iter()
            .map(|l| LineRequest {
                product_code: l.product_code.clone(),
                quantity: l.quantity,
            })
            .collect();
        let to = |name: &str, kana: &str, postal: &str, address: &str, phone: &str| DestinationRequest {
            name: name.to_string(),
            kana: kana.to_string(),
            postal_code: postal.to_string(),
            address: address.to_string(),
            phone: phone.to_string(),
            lines: lines.clone(),
            requested_date: text(&self.requested_date),
            time_band: text(&self.time_band),
        };
        let destinations = match (&self.ship_to, book) {
            (ShipTo::Customer, _) | (ShipTo::Book(_), None) => vec![],
            (ShipTo::Book(_), Some(a)) => vec![to(&a.name, "", &a.postal_code, &a.address, &a.phone)],
            (ShipTo::New, _) => vec![to(
                &self.dest_name,
                &self.dest_kana,
                &self.dest_postal_code,
                &self.dest_address,
                &self.dest_phone,
            )],
        };
        let own = destinations.is_empty();
        GoodsOrderRequest {
            lines: if own { lines } else { vec![] },
            payment_method: self.payment_method.clone(),
            customer_id: Some(customer_id),
            destinations,
            requested_date: if own { text(&self.requested_date) } else { None },
            time_band: if own { text(&self.time_band) } else { None },
            coupon_code: text(&self.coupon_code),
            ad_code: text(&self.ad_code),
            shipping_fee: fee(&self.shipping_fee),
            handling_fee: fee(&self.handling_fee),
            memo_inquiry: text(&self.memo_inquiry),
            memo_shop: text(&self.memo_shop),
            send_mail: Some(self.send_mail),
            card_id: self.card(),
            ..GoodsOrderRequest::default()
        }
    }
}

/// A fee as typed: empty is the computed fee; anything not a whole number of yen is kept as an
/// impossible value so the order's check names the field (never silently the computed fee).
fn fee(typed: &str) -> Option<i64> {
    let t = kippu_domain::normalize::text(typed).replace([',', '円'], "");
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    Some(t.parse::<i64>().unwrap_or(-1))
}
