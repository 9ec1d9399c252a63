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
}

/// The choices a merchant's storefront offers buyers, in the storefront's order; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offered(Vec<BuyerPayment>);

impl Offered {
    /// Every choice: what a merchant offers until it says otherwise.
    pub fn all() -> Offered {
        Offered(BuyerPayment::ALL.to_vec())
    }

    /// The choices given, in the storefront's order; `None` when there are none.
    pub fn of(choices: &[BuyerPayment]) -> Option<Offered> {
        let kept: Vec<BuyerPayment> = BuyerPayment::ALL.iter().copied().filter(|c| choices.contains(c)).collect();
        (!kept.is_empty()).then_some(Offered(kept))
    }

    pub fn contains(&self, c: BuyerPayment) -> bool {
        self.0.contains(&c)
    }

    /// Whether a payment method's plain choice is among these (the platform's allowance checks
    /// every order with it, whatever channel the order comes through).
    pub fn allows(&self, method: PaymentMethod) -> bool {
        BuyerPayment::of(method).is_some_and(|c| self.contains(c))
    }

    /// These choices once only `allowed` may be offered; `allowed` itself when none is left, as
    /// a storefront always offers something.
    pub fn within(&self, allowed: &Offered) -> Offered {
        Offered::of(&self.0.iter().copied().filter(|c| allowed.contains(*c)).collect::<Vec<_>>()).unwrap_or_else(|| allowed.clone())
    }

    pub fn choices(&self) -> &[BuyerPayment] {
        &self.0
    }

    /// As stored: `card,bank,venue`.
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
        let parsed: Option<Vec<BuyerPayment>> = s.split(',').map(|c| BuyerPayment::parse(c.trim())).collect();
        Offered::of(&parsed.ok_or_else(unknown)?).ok_or_else(unknown)
    }
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

#[cfg(test)]
mod offered_tests {
    use super::*;

    #[test]
    fn offered_choices_read_back_in_the_storefronts_order_and_never_empty() {
        let o = Offered::try_from("venue,card".to_string()).unwrap();
        assert_eq!(o.choices(), [BuyerPayment::Card, BuyerPayment::Venue]);
        assert_eq!(o.to_code(), "card,venue");
        assert!(Offered::try_from(String::new()).is_err());
        assert!(Offered::try_from("card,cash".to_string()).is_err(), "an unknown code is loud");
        assert_eq!(Offered::all().to_code(), "card,bank,venue");
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
        assert!(!Offered::all().allows(PaymentMethod::Voucher), "not a storefront choice");
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
