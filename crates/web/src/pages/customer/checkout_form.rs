//! The storefront checkout's form as typed: the buyer, the destinations (`d0_to`, `d0_name`,
//! `d0_q_GOODS-TOWEL`, …) and the way to pay; the goods order it asks for; and the input each of
//! the order's field errors goes beside.

use kippu_app::customers::CustomerInput;
use kippu_app::goods::{self, DestinationRequest, GoodsOrderRequest, LineRequest};
use kippu_domain::goods::buyer::GoodsChoice;
use kippu_domain::goods::cart::{self as rule, Cart};

/// The buyer's own inputs, named as the order names its customer's fields.
const EMAIL: &str = "email";
const BUYER_INPUTS: [&str; 8] = [
    "name",
    "kana",
    EMAIL,
    "phone",
    "postal_code",
    "address",
    "payment_method",
    "card_token",
];

/// One destination as typed. `to`: `self` (the buyer), `gift` (someone else) or `pickup`.
#[derive(Debug, Clone, Default)]
pub struct DestForm {
    pub(super) to: String,
    pub(super) name: String,
    pub(super) kana: String,
    pub(super) phone: String,
    pub(super) postal_code: String,
    pub(super) address: String,
    pub(super) requested_date: String,
    pub(super) time_band: String,
    pub(super) store_code: String,
    /// (product code, quantity as typed).
    pub(super) quantities: Vec<(String, String)>,
}

impl DestForm {
    pub(super) fn quantity(&self, code: &str) -> &str {
        self.quantities.iter().find(|(c, _)| c == code).map_or("", |(_, q)| q.as_str())
    }
}

/// The checkout form as typed: the buyer, the destinations, the way to pay; `pairs` is the form
/// as posted, carried through the confirmation in hidden inputs.
#[derive(Debug, Clone, Default)]
pub struct Checkout {
    pub name: String,
    pub kana: String,
    pub email: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
    pub payment_method: String,
    pub card_token: String,
    pub nonce: String,
    pub(super) dests: Vec<DestForm>,
    pub(super) op: String,
    pub(super) pairs: Vec<(String, String)>,
}

/// `d3_name` → (3, "name").
fn dest_key(k: &str) -> Option<(usize, &str)> {
    let rest = k.strip_prefix('d')?;
    let (i, field) = rest.split_once('_')?;
    Some((i.parse().ok()?, field))
}

impl Checkout {
    /// The form as posted; more destinations than a storefront order may have is refused whole.
    pub(super) fn parse(pairs: Vec<(String, String)>) -> Result<Checkout, String> {
        let mut f = Checkout::default();
        for (k, v) in &pairs {
            match k.as_str() {
                "name" => f.name = v.clone(),
                "kana" => f.kana = v.clone(),
                EMAIL => f.email = v.clone(),
                "phone" => f.phone = v.clone(),
                "postal_code" => f.postal_code = v.clone(),
                "address" => f.address = v.clone(),
                "payment_method" => f.payment_method = v.clone(),
                "card_token" => f.card_token = v.clone(),
                "nonce" => f.nonce = v.clone(),
                "op" => f.op = v.clone(),
                other => {
                    let Some((i, field)) = dest_key(other) else { continue };
                    if i >= rule::MAX_DESTINATIONS {
                        return Err(format!("お届け先は{}件までです", rule::MAX_DESTINATIONS));
                    }
                    if f.dests.len() <= i {
                        f.dests.resize_with(i + 1, DestForm::default);
                    }
                    let d = &mut f.dests[i];
                    match field {
                        "to" => d.to = v.clone(),
                        "name" => d.name = v.clone(),
                        "kana" => d.kana = v.clone(),
                        "phone" => d.phone = v.clone(),
                        "postal_code" => d.postal_code = v.clone(),
                        "address" => d.address = v.clone(),
                        "requested_date" => d.requested_date = v.clone(),
                        "time_band" => d.time_band = v.clone(),
                        "store" => d.store_code = v.clone(),
                        q => {
                            if let Some(code) = q.strip_prefix("q_") {
                                if d.quantities.len() >= rule::MAX_LINES {
                                    return Err(format!("カートに入る商品は{}種類までです", rule::MAX_LINES));
                                }
                                d.quantities.push((code.to_string(), v.clone()));
                            }
                        }
                    }
                }
            }
        }
        if f.dests.is_empty() {
            f.dests.push(DestForm {
                to: "self".into(),
                ..Default::default()
            });
        }
        f.pairs = pairs
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "op" | "_csrf" | "nonce"))
            .collect();
        Ok(f)
    }

    /// A new checkout: one destination, to the buyer, with the cart's quantities.
    pub(super) fn blank(cart: &Cart) -> Checkout {
        Checkout {
            payment_method: GoodsChoice::Card.as_str().into(),
            card_token: "tok_visa".into(),
            dests: vec![DestForm {
                to: "self".into(),
                quantities: cart.lines().iter().map(|(c, q)| (c.clone(), q.to_string())).collect(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    /// The products the destinations name, in the order first named (the confirmed form carries
    /// them, so 注文する does not depend on the cart cookie).
    pub(super) fn codes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (code, _) in self.dests.iter().flat_map(|d| &d.quantities) {
            if !out.contains(code) {
                out.push(code.clone());
            }
        }
        out
    }

    /// A single 店舗受取 (a pickup beside other destinations is the order's own refusal).
    pub(super) fn pickup(&self) -> bool {
        self.dests.len() == 1 && self.dests[0].to == "pickup"
    }

    /// The goods of destination `d`: a quantity left empty or 0 sends none of it there; one that
    /// is not a number is sent as -1, so the order's check names it.
    pub(super) fn lines(d: &DestForm, codes: &[String]) -> Vec<LineRequest> {
        codes
            .iter()
            .filter_map(|code| {
                let typed = d.quantity(code).trim();
                let quantity = match kippu_domain::normalize::integer(typed) {
                    _ if typed.is_empty() => return None,
                    Some(0) => return None,
                    Some(q) => q,
                    None => -1,
                };
                Some(LineRequest {
                    product_code: code.clone(),
                    quantity,
                })
            })
            .collect()
    }

    /// The order the form asks for, paid by `method` (empty when the choice is not offered: the
    /// order's own check then names the field).
    pub(super) fn request(&self, products: &[String], method: &str) -> GoodsOrderRequest {
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let customer = CustomerInput {
            name: self.name.clone(),
            kana: self.kana.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            postal_code: self.postal_code.clone(),
            address: self.address.clone(),
        };
        let any_pickup = self.dests.iter().position(|d| d.to == "pickup");
        let pickup_store = any_pickup.map(|i| self.dests[i].store_code.clone()).and_then(|s| some(&s));
        if self.pickup() {
            return GoodsOrderRequest {
                product_code: None,
                quantity: None,
                lines: Self::lines(&self.dests[0], products),
                payment_method: method.to_string(),
                card_token: some(&self.card_token),
                customer,
                destinations: vec![],
                pickup: true,
                store_code: pickup_store,
                requested_date: None,
                time_band: None,
                coupon_code: None,
                ad_code: None,
                subscription: None,
            };
        }
        let destinations = self
            .dests
            .iter()
            .filter(|d| d.to != "pickup")
            .map(|d| {
                let own = d.to != "gift";
                let pick = |buyer: &str, theirs: &str| if own { buyer.to_string() } else { theirs.to_string() };
                DestinationRequest {
                    name: pick(&self.name, &d.name),
                    kana: pick(&self.kana, &d.kana),
                    postal_code: pick(&self.postal_code, &d.postal_code),
                    address: pick(&self.address, &d.address),
                    phone: pick(&self.phone, &d.phone),
                    lines: Self::lines(d, products),
                    requested_date: some(&d.requested_date),
                    time_band: some(&d.time_band),
                }
            })
            .collect();
        GoodsOrderRequest {
            product_code: None,
            quantity: None,
            lines: vec![],
            payment_method: method.to_string(),
            card_token: some(&self.card_token),
            customer,
            destinations,
            // A pickup beside deliveries: the order refuses the mix and names it.
            pickup: any_pickup.is_some(),
            store_code: pickup_store,
            requested_date: None,
            time_band: None,
            coupon_code: None,
            ad_code: None,
            subscription: None,
        }
    }

    /// The input an order field's error goes beside. Destinations are numbered among the
    /// deliveries sent (a pickup is not one), so the number is mapped back to the block.
    pub(super) fn input_of(&self, field: &'static str) -> String {
        let first_pickup = self.dests.iter().position(|d| d.to == "pickup").unwrap_or(0);
        if let Some((sent, f)) = goods::parse_destination_field(field) {
            let i = self
                .dests
                .iter()
                .enumerate()
                .filter(|(_, d)| d.to != "pickup")
                .nth(sent)
                .map_or(0, |(i, _)| i);
            let own = self.dests.get(i).is_some_and(|d| d.to != "gift");
            return match f {
                "name" | "kana" | "phone" | "postal_code" | "address" if own => f.to_string(),
                "lines" | "lines.quantity" | "lines.product_code" => format!("d{i}_items"),
                other => format!("d{i}_{other}"),
            };
        }
        let bare = field.strip_prefix("customer.").unwrap_or(field);
        match bare {
            b if BUYER_INPUTS.contains(&b) => bare.to_string(),
            "lines" | "lines.quantity" | "lines.product_code" | "quantity" => format!("d{first_pickup}_items"),
            "store_code" => format!("d{first_pickup}_store"),
            "pickup" => format!("d{first_pickup}_to"),
            _ => "destinations".to_string(),
        }
    }
}
