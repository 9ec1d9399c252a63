//! 送料: a merchant's shipping fee rule. Each shipped destination pays the fee of its prefecture
//! (or the base fee), every destination ships free once the order's goods reach `free_from`, a
//! store pickup never pays, and cash on delivery adds the 代引手数料 once per order, by the
//! amount collected ([`super::cod_fee`]).

pub use super::cod_fee::{CodFeeRow, CodFeeTable, OverLimit};
use crate::order::PaymentMethod;

/// The 47 prefectures, as addresses begin.
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// The prefecture an address begins with.
pub fn prefecture_of(address: &str) -> Option<&'static str> {
    PREFECTURES.iter().copied().find(|p| address.trim_start().starts_with(p))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingRule {
    /// Yen per shipped destination where no prefecture row applies (0: shipping included).
    pub base: i64,
    /// The order's goods total from which every destination ships free.
    pub free_from: Option<i64>,
    /// (prefecture, yen) rows that replace the base fee, e.g. 北海道 and 沖縄県.
    pub by_prefecture: Vec<(String, i64)>,
    /// 代引手数料 by the amount collected, once per cash-on-delivery order.
    pub cod_fees: CodFeeTable,
}

impl Default for ShippingRule {
    fn default() -> ShippingRule {
        ShippingRule {
            base: 0,
            free_from: None,
            by_prefecture: Vec::new(),
            cod_fees: CodFeeTable::carriers_default(),
        }
    }
}

/// A destination as the fee sees it.
pub struct Parcel<'a> {
    pub pickup: bool,
    pub address: &'a str,
}

/// The fees of an order: one per destination, in order, and the COD fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fees {
    pub per_destination: Vec<i64>,
    pub cod: i64,
}

impl Fees {
    pub fn total(&self) -> i64 {
        self.per_destination.iter().sum::<i64>() + self.cod
    }
}

impl ShippingRule {
    /// The fees of an order of `goods_total` yen of goods to `parcels`, paid by `method`. The
    /// 代引手数料 is the table's for the goods and shipping; above the table's last row it is the
    /// last row's fee, and [`Self::check_cod`] refuses the order.
    pub fn fees(&self, goods_total: i64, parcels: &[Parcel<'_>], method: PaymentMethod) -> Fees {
        let free = self.free_from.is_some_and(|f| goods_total >= f);
        let per_destination = parcels
            .iter()
            .map(|p| {
                if p.pickup || free {
                    return 0;
                }
                prefecture_of(p.address)
                    .and_then(|pref| self.by_prefecture.iter().find(|(name, _)| name == pref).map(|(_, fee)| *fee))
                    .unwrap_or(self.base)
            })
            .collect::<Vec<i64>>();
        let cod = if method == PaymentMethod::Cod {
            self.cod_fees.fee_or_last(goods_total + per_destination.iter().sum::<i64>())
        } else {
            0
        };
        Fees { per_destination, cod }
    }

    /// Whether the carrier collects an order priced at `fees` for `goods_total` of goods: a
    /// cash-on-delivery total above the table's last row is refused; other methods always pass.
    pub fn check_cod(&self, goods_total: i64, fees: &Fees, method: PaymentMethod) -> Result<(), OverLimit> {
        if method != PaymentMethod::Cod {
            return Ok(());
        }
        self.cod_fees
            .fee_for(goods_total + fees.per_destination.iter().sum::<i64>())
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> ShippingRule {
        ShippingRule {
            base: 800,
            free_from: Some(10_000),
            by_prefecture: vec![("北海道".into(), 1_500), ("沖縄県".into(), 2_000)],
            cod_fees: CodFeeTable::carriers_default(),
        }
    }

    #[test]
    fn each_destination_pays_its_prefecture_and_pickup_pays_nothing() {
        let parcels = [
            Parcel {
                pickup: false,
                address: "東京都台東区浅草1-2-3",
            },
            Parcel {
                pickup: false,
                address: "北海道札幌市中央区北1条西2-1",
            },
            Parcel { pickup: true, address: "" },
        ];
        let f = rule().fees(5_000, &parcels, PaymentMethod::Cod);
        assert_eq!(f.per_destination, vec![800, 1_500, 0]);
        assert_eq!((f.cod, f.total()), (330, 2_630));
    }

    #[test]
    fn from_the_free_amount_every_destination_ships_free_but_cod_still_pays_its_fee() {
        let parcels = [Parcel {
            pickup: false,
            address: "沖縄県那覇市泉崎1-1-1",
        }];
        assert_eq!(
            rule().fees(10_000, &parcels, PaymentMethod::Cod).total(),
            440,
            "10,000 collected with its fee is the 〜30,000円 row"
        );
        assert_eq!(rule().fees(9_999, &parcels, PaymentMethod::CardCapture).total(), 2_000);
    }

    #[test]
    fn the_cod_fee_follows_the_goods_and_shipping_and_above_the_table_the_order_is_refused() {
        let parcels = [Parcel {
            pickup: false,
            address: "東京都台東区浅草1-2-3",
        }];
        let f = rule().fees(9_000, &parcels, PaymentMethod::Cod);
        assert_eq!((f.per_destination[0], f.cod), (800, 440), "9,000 + 800 + 330 passes 10,000");
        assert_eq!(rule().fees(50_000, &parcels, PaymentMethod::Cod).cod, 660);
        assert_eq!(rule().check_cod(50_000, &f, PaymentMethod::Cod), Ok(()));
        let big = rule().fees(299_000, &parcels, PaymentMethod::Cod);
        assert_eq!(big.cod, 1_100, "the last fee, shown while the order is refused");
        assert_eq!(
            rule().check_cod(299_000, &big, PaymentMethod::Cod),
            Err(OverLimit { limit: 300_000 })
        );
        let card = rule().fees(299_000, &parcels, PaymentMethod::CardCapture);
        assert_eq!(
            (card.cod, rule().check_cod(299_000, &card, PaymentMethod::CardCapture)),
            (0, Ok(()))
        );
    }

    #[test]
    fn every_prefecture_is_found_at_the_start_of_an_address() {
        for p in PREFECTURES {
            assert_eq!(prefecture_of(&format!("{p}どこか1-2-3")), Some(p));
        }
        assert_eq!(prefecture_of("京都市左京区"), None, "a city alone is not a prefecture");
    }
}
