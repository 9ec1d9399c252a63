//! The payment choices a buyer of goods reads on the storefront, in plain words. The card's
//! mode (与信 or 仮実同時) is the merchant's setting, never the buyer's choice.

use crate::catalog::code_enum;
use crate::order::{BuyerPayment, Offered, PaymentMethod};
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
    /// The choices a storefront offers for goods: the card and the bank transfer when the
    /// merchant's storefront offers them, and the goods-only ways to pay.
    pub fn offered(offered: &Offered) -> Vec<GoodsChoice> {
        GoodsChoice::ALL
            .iter()
            .copied()
            .filter(|c| match c {
                GoodsChoice::Card => offered.contains(BuyerPayment::Card),
                GoodsChoice::Bank => offered.contains(BuyerPayment::Bank),
                _ => true,
            })
            .collect()
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
    fn the_card_and_bank_follow_the_storefront_and_the_rest_always_show() {
        let only_bank = Offered::of(&[BuyerPayment::Bank]).unwrap();
        assert_eq!(
            GoodsChoice::offered(&only_bank),
            vec![GoodsChoice::Bank, GoodsChoice::Cod, GoodsChoice::Konbini, GoodsChoice::Store]
        );
        assert_eq!(GoodsChoice::offered(&Offered::all()), GoodsChoice::ALL.to_vec());
    }

    #[test]
    fn cash_on_delivery_needs_a_delivery_and_store_payment_a_pickup() {
        assert!(!GoodsChoice::Cod.fits(true) && GoodsChoice::Cod.fits(false));
        assert!(GoodsChoice::Store.fits(true) && !GoodsChoice::Store.fits(false));
        assert!(GoodsChoice::Card.fits(true) && GoodsChoice::Card.fits(false));
    }
}
