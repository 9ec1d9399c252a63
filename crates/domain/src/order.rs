//! Order-wide types shared by every flow (spec §3). The per-flow state machines build on these.

use crate::catalog::code_enum;
use serde::{Deserialize, Serialize};
use std::fmt;

/// `T` + 14 digits, unique across the platform and never reused.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrderNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("order number must be T followed by 14 digits, got {0:?}")]
pub struct BadOrderNumber(pub String);

impl OrderNumber {
    pub const MAX_SEQUENCE: i64 = 99_999_999_999_999;

    /// The order number for a value of the platform-wide sequence.
    pub fn from_sequence(n: i64) -> OrderNumber {
        assert!((1..=Self::MAX_SEQUENCE).contains(&n), "order sequence out of range: {n}");
        OrderNumber(format!("T{n:014}"))
    }

    pub fn parse(s: &str) -> Result<OrderNumber, BadOrderNumber> {
        let ok = s.len() == 15 && s.starts_with('T') && s[1..].bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(OrderNumber(s.to_string()))
        } else {
            Err(BadOrderNumber(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

code_enum!(
    /// 決済種別 (spec §4.1 and §6).
    PaymentMethod {
        BankPlatform => "bank_platform", "前払い銀行払い・事務局口座", "Bank transfer (platform account)";
        BankStore => "bank_store", "前払い銀行払い・店舗口座", "Bank transfer (store account)";
        PayAtVenue => "pay_at_venue", "現地払い", "Pay at venue";
        CardAuth => "card_auth", "クレジットカード（与信モード）", "Card (authorize, capture later)";
        CardCapture => "card_capture", "クレジットカード（仮実同時モード）", "Card (authorize and capture)";
        Konbini => "konbini", "コンビニ支払い", "Convenience store";
        Cod => "cod", "代金引換", "Cash on delivery";
        StorePay => "store_pay", "店頭払い", "Pay at the store";
        Voucher => "voucher", "電子チケット", "E-voucher";
    }
);

code_enum!(
    /// What a buyer picks on the storefront, in plain words; the merchant's settings decide the
    /// payment method (flow) behind 「クレジットカード」 and 「銀行振込」.
    BuyerPayment {
        Card => "card", "クレジットカード", "Credit card";
        Bank => "bank", "銀行振込", "Bank transfer";
        Venue => "venue", "現地払い", "Pay at the venue";
    }
);

impl BuyerPayment {
    /// The plain word a buyer reads for a payment method (none for the voucher and convenience
    /// store methods the storefront does not offer).
    pub fn of(method: PaymentMethod) -> Option<BuyerPayment> {
        match method {
            PaymentMethod::CardAuth | PaymentMethod::CardCapture => Some(BuyerPayment::Card),
            PaymentMethod::BankPlatform | PaymentMethod::BankStore => Some(BuyerPayment::Bank),
            PaymentMethod::PayAtVenue => Some(BuyerPayment::Venue),
            PaymentMethod::Konbini | PaymentMethod::Cod | PaymentMethod::StorePay | PaymentMethod::Voucher => None,
        }
    }

    /// The payment method behind the choice under the merchant's card mode and bank account.
    pub fn method(self, card_mode: PaymentMethod, bank_account: PaymentMethod) -> PaymentMethod {
        match self {
            BuyerPayment::Card => card_mode,
            BuyerPayment::Bank => bank_account,
            BuyerPayment::Venue => PaymentMethod::PayAtVenue,
        }
    }
}

impl PaymentMethod {
    /// The word a buyer reads for this method: 「クレジットカード」 whatever the merchant's card
    /// mode, 「銀行振込」 whichever account; the method's own label where no plain word exists.
    pub fn buyer_label(self) -> crate::label::Label {
        BuyerPayment::of(self).map_or_else(|| self.label(), BuyerPayment::label)
    }

    /// The family the platform allows and the merchant switches on (none for the voucher).
    pub fn family(self) -> Option<MethodFamily> {
        match self {
            PaymentMethod::CardAuth | PaymentMethod::CardCapture => Some(MethodFamily::Card),
            PaymentMethod::BankPlatform | PaymentMethod::BankStore => Some(MethodFamily::Bank),
            PaymentMethod::PayAtVenue => Some(MethodFamily::Venue),
            PaymentMethod::Cod => Some(MethodFamily::Cod),
            PaymentMethod::Konbini => Some(MethodFamily::Konbini),
            PaymentMethod::StorePay => Some(MethodFamily::StorePay),
            PaymentMethod::Voucher => None,
        }
    }
}

code_enum!(
    /// The payment method families kippu knows: what the platform operator allows a merchant
    /// (加盟店管理) and the merchant switches on or off (決済設定). A family stands for every
    /// method of it (the card's two modes, the bank's two accounts).
    MethodFamily {
        Card => "card", "クレジットカード", "Credit card";
        Bank => "bank", "銀行振込", "Bank transfer";
        Venue => "venue", "現地払い", "Pay at the venue";
        Cod => "cod", "代金引換", "Cash on delivery";
        Konbini => "konbini", "コンビニ支払い", "Convenience store";
        StorePay => "store_pay", "店頭払い", "Pay at the store";
    }
);

impl From<BuyerPayment> for MethodFamily {
    fn from(b: BuyerPayment) -> MethodFamily {
        match b {
            BuyerPayment::Card => MethodFamily::Card,
            BuyerPayment::Bank => MethodFamily::Bank,
            BuyerPayment::Venue => MethodFamily::Venue,
        }
    }
}

/// A set of method families in kippu's order, never empty: what the platform allows a merchant
/// (`allowed_payments`) or what the merchant has switched on (`offered_payments`, within it).
/// Every channel — the storefront, the API, an OTA, bulk forms — takes only what is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offered(Vec<MethodFamily>);

impl Offered {
    /// Every family: what a merchant is allowed and has on until someone says otherwise.
    pub fn all() -> Offered {
        Offered(MethodFamily::ALL.to_vec())
    }

    /// The families given, in kippu's order; `None` when there are none.
    pub fn of(families: &[MethodFamily]) -> Option<Offered> {
        let kept: Vec<MethodFamily> = MethodFamily::ALL.iter().copied().filter(|c| families.contains(c)).collect();
        (!kept.is_empty()).then_some(Offered(kept))
    }

    /// Whether a family is in the set.
    pub fn has(&self, f: MethodFamily) -> bool {
        self.0.contains(&f)
    }

    /// Whether a web-ticket storefront choice is in the set.
    pub fn contains(&self, c: BuyerPayment) -> bool {
        self.has(c.into())
    }

    /// Whether a payment method's family is in the set (never the voucher, which has none).
    pub fn allows(&self, method: PaymentMethod) -> bool {
        method.family().is_some_and(|f| self.has(f))
    }

    /// This set once only `allowed` may be on; `allowed` itself when none is left, as a
    /// merchant always takes some way to pay.
    pub fn within(&self, allowed: &Offered) -> Offered {
        Offered::of(&self.0.iter().copied().filter(|c| allowed.has(*c)).collect::<Vec<_>>()).unwrap_or_else(|| allowed.clone())
    }

    pub fn families(&self) -> &[MethodFamily] {
        &self.0
    }

    /// The web-ticket storefront's choices among these (card, bank, venue), in order.
    pub fn choices(&self) -> Vec<BuyerPayment> {
        BuyerPayment::ALL.iter().copied().filter(|c| self.contains(*c)).collect()
    }

    /// As stored: `card,bank,venue,cod,konbini,store_pay`.
    pub fn to_code(&self) -> String {
        self.0.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")
    }
}

impl TryFrom<String> for Offered {
    type Error = crate::catalog::UnknownCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        let unknown = || crate::catalog::UnknownCode {
            what: "Offered",
            value: s.clone(),
        };
        let parsed: Option<Vec<MethodFamily>> = s.split(',').map(|c| MethodFamily::parse(c.trim())).collect();
        Offered::of(&parsed.ok_or_else(unknown)?).ok_or_else(unknown)
    }
}

/// Whether a merchant takes an order of `method`, on any channel: its family must be on (`on`,
/// within what the platform allows), and a card order must be in the merchant's card mode — an
/// order asking for the other mode is refused, never converted (docs/decisions.md).
pub fn check_method(on: &Offered, card_mode: PaymentMethod, method: PaymentMethod) -> Result<(), crate::validate::FieldError> {
    if !on.allows(method) {
        return Err(crate::validate::FieldError::new(
            "payment_method",
            format!(
                "{}はこの加盟店では利用できません",
                method.family().map_or_else(|| method.label_ja(), |f| f.label_ja())
            ),
        ));
    }
    if matches!(method, PaymentMethod::CardAuth | PaymentMethod::CardCapture) && method != card_mode {
        return Err(crate::validate::FieldError::new(
            "payment_method",
            format!(
                "この加盟店のカード決済は{}です（payment_method は {} を指定してください）",
                card_mode.label_ja(),
                card_mode.as_str()
            ),
        ));
    }
    Ok(())
}

/// The methods a merchant takes on a new order, on any channel, in [`PaymentMethod::ALL`]'s
/// order: those [`check_method`] lets through. What a form or a bulk path offers for new
/// orders; a search over existing orders keeps every method.
pub fn methods_on(on: &Offered, card_mode: PaymentMethod) -> Vec<PaymentMethod> {
    PaymentMethod::ALL
        .iter()
        .copied()
        .filter(|m| check_method(on, card_mode, *m).is_ok())
        .collect()
}

/// The card modes a merchant may set (the manual's 基本設定).
pub const CARD_MODES: [PaymentMethod; 2] = [PaymentMethod::CardCapture, PaymentMethod::CardAuth];
/// The accounts a storefront bank transfer may go to.
pub const BANK_ACCOUNTS: [PaymentMethod; 2] = [PaymentMethod::BankStore, PaymentMethod::BankPlatform];

code_enum!(
    /// Who wrote a message in an order's thread.
    MessageSender {
        Merchant => "merchant", "加盟店", "Merchant";
        Buyer => "buyer", "購入者", "Buyer";
    }
);

code_enum!(
    /// Which side cancelled a booking (`orders.cancelled_by`).
    Side {
        Merchant => "merchant", "加盟店", "Merchant";
        Customer => "customer", "お客様", "Customer";
    }
);

code_enum!(
    /// 注文種別.
    OrderType {
        Normal => "normal", "通常注文", "Regular order";
        SubscriptionChild => "subscription_child", "定期便", "Subscription";
    }
);

code_enum!(
    /// 受注経路 (`orders.entry_channel`): an order placed by the buyer or a connected system, or
    /// entered for the buyer by a signed-in operator (代理注文, seed 003).
    EntryChannel {
        Direct => "direct", "通常", "Direct";
        Proxy => "proxy", "代理注文", "Call centre";
    }
);

#[cfg(test)]
mod offered_tests {
    use super::*;

    #[test]
    fn offered_choices_read_back_in_the_storefronts_order_and_never_empty() {
        let o = Offered::try_from("venue,konbini,card".to_string()).unwrap();
        assert_eq!(o.choices(), [BuyerPayment::Card, BuyerPayment::Venue]);
        assert_eq!(o.to_code(), "card,venue,konbini");
        assert!(Offered::try_from(String::new()).is_err());
        assert!(Offered::try_from("card,cash".to_string()).is_err(), "an unknown code is loud");
        assert_eq!(Offered::all().to_code(), "card,bank,venue,cod,konbini,store_pay");
    }

    #[test]
    fn offers_shrink_to_what_the_platform_allows_and_never_to_nothing() {
        let offered = Offered::try_from("card,venue".to_string()).unwrap();
        let allowed = Offered::try_from("card,bank".to_string()).unwrap();
        assert_eq!(offered.within(&allowed).to_code(), "card");
        let bank_only = Offered::try_from("bank".to_string()).unwrap();
        assert_eq!(offered.within(&bank_only).to_code(), "bank", "nothing left: the allowed choices");
        assert!(allowed.allows(PaymentMethod::CardAuth) && allowed.allows(PaymentMethod::BankPlatform));
        assert!(!allowed.allows(PaymentMethod::PayAtVenue));
        assert!(!Offered::all().allows(PaymentMethod::Voucher), "not a method family");
        assert!(!allowed.allows(PaymentMethod::Konbini) && Offered::all().allows(PaymentMethod::Cod));
    }

    #[test]
    fn an_order_takes_only_what_is_on_and_the_merchants_card_mode() {
        let on = Offered::of(&[MethodFamily::Card, MethodFamily::Konbini]).unwrap();
        assert_eq!(check_method(&on, PaymentMethod::CardAuth, PaymentMethod::CardAuth), Ok(()));
        assert_eq!(check_method(&on, PaymentMethod::CardAuth, PaymentMethod::Konbini), Ok(()));
        let e = check_method(&on, PaymentMethod::CardAuth, PaymentMethod::CardCapture).unwrap_err();
        assert_eq!(e.field, "payment_method");
        assert!(e.message.contains("card_auth"), "{}", e.message);
        let e = check_method(&on, PaymentMethod::CardAuth, PaymentMethod::BankStore).unwrap_err();
        assert_eq!(e.message, "銀行振込はこの加盟店では利用できません");
    }

    #[test]
    fn a_new_order_is_offered_exactly_what_check_method_takes() {
        let on = Offered::of(&[MethodFamily::Card, MethodFamily::Bank, MethodFamily::Cod]).unwrap();
        let mut capture = methods_on(&on, PaymentMethod::CardCapture);
        capture.sort_by_key(|m| m.as_str());
        assert_eq!(
            capture,
            [
                PaymentMethod::BankPlatform,
                PaymentMethod::BankStore,
                PaymentMethod::CardCapture,
                PaymentMethod::Cod
            ]
        );
        let methods = methods_on(&on, PaymentMethod::CardAuth);
        assert!(methods.contains(&PaymentMethod::CardAuth) && !methods.contains(&PaymentMethod::CardCapture));
        assert!(!methods.contains(&PaymentMethod::Konbini) && !methods.contains(&PaymentMethod::Voucher));
        for m in PaymentMethod::ALL {
            assert_eq!(methods.contains(m), check_method(&on, PaymentMethod::CardAuth, *m).is_ok(), "{m:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_like_the_manual() {
        assert_eq!(OrderNumber::from_sequence(1641142).as_str(), "T00000001641142");
    }

    #[test]
    fn rejects_malformed_numbers() {
        for bad in ["", "T123", "X00000001641142", "T0000000164114a", "T000000016411420"] {
            assert!(OrderNumber::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_sequence_value_parses_back(n in 1i64..=OrderNumber::MAX_SEQUENCE) {
            let num = OrderNumber::from_sequence(n);
            prop_assert_eq!(OrderNumber::parse(num.as_str()).unwrap(), num);
        }
    }
}
