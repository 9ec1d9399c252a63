//! The payment choices a buyer of goods reads on the storefront, in plain words. The card's
//! mode (与信 or 仮実同時) is the merchant's setting, never the buyer's choice.

use crate::catalog::code_enum;
use crate::order::{MethodFamily, Offered, PaymentMethod};
use serde::{Deserialize, Serialize};

code_enum!(
    /// お支払い方法 as the goods storefront offers it.
    GoodsChoice {
        Card => "card", "クレジットカード", "Credit card";
        Bank => "bank", "銀行振込", "Bank transfer";
        Cod => "cod", "代金引換", "Cash on delivery";
        Konbini => "konbini", "コンビニ支払い", "Convenience store";
        Store => "store", "店頭払い", "Pay at the store";
    }
);

impl GoodsChoice {
    /// The choices a storefront offers for goods: those whose family the merchant has on.
    pub fn offered(offered: &Offered) -> Vec<GoodsChoice> {
        GoodsChoice::ALL.iter().copied().filter(|c| offered.has(c.family())).collect()
    }

    /// The method family the choice belongs to.
    pub fn family(self) -> MethodFamily {
        match self {
            GoodsChoice::Card => MethodFamily::Card,
            GoodsChoice::Bank => MethodFamily::Bank,
            GoodsChoice::Cod => MethodFamily::Cod,
            GoodsChoice::Konbini => MethodFamily::Konbini,
            GoodsChoice::Store => MethodFamily::StorePay,
        }
    }

    /// The payment method behind the choice under the merchant's card mode. A goods bank
    /// transfer is paid to the store's account.
    pub fn method(self, card_mode: PaymentMethod) -> PaymentMethod {
        match self {
            GoodsChoice::Card => card_mode,
            GoodsChoice::Bank => PaymentMethod::BankStore,
            GoodsChoice::Cod => PaymentMethod::Cod,
            GoodsChoice::Konbini => PaymentMethod::Konbini,
            GoodsChoice::Store => PaymentMethod::StorePay,
        }
    }

    /// Whether the choice fits how the parcel reaches the buyer: no cash on delivery for a
    /// store pickup, and the store is paid only when the buyer comes to it.
    pub fn fits(self, pickup: bool) -> bool {
        match self {
            GoodsChoice::Cod => !pickup,
            GoodsChoice::Store => pickup,
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_is_a_goods_payment_method() {
        for c in GoodsChoice::ALL {
            for mode in [PaymentMethod::CardAuth, PaymentMethod::CardCapture] {
                assert!(super::super::PAYMENT_METHODS.contains(&c.method(mode)), "{c:?}");
            }
        }
    }

    #[test]
    fn only_the_families_the_merchant_has_on_show() {
        let some = Offered::of(&[MethodFamily::Bank, MethodFamily::Konbini, MethodFamily::Venue]).unwrap();
        assert_eq!(GoodsChoice::offered(&some), vec![GoodsChoice::Bank, GoodsChoice::Konbini]);
        assert_eq!(GoodsChoice::offered(&Offered::all()), GoodsChoice::ALL.to_vec());
    }

    #[test]
    fn cash_on_delivery_needs_a_delivery_and_store_payment_a_pickup() {
        assert!(!GoodsChoice::Cod.fits(true) && GoodsChoice::Cod.fits(false));
        assert!(GoodsChoice::Store.fits(true) && !GoodsChoice::Store.fits(false));
        assert!(GoodsChoice::Card.fits(true) && GoodsChoice::Card.fits(false));
    }
}
