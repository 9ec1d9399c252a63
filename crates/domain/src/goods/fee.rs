//! 送料: a merchant's shipping fee rule. Each shipped destination pays the fee of its prefecture
//! (or the base fee), every destination ships free once the order's goods reach `free_from`, a
//! store pickup never pays, and cash on delivery adds the 代引手数料 once per order.

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

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShippingRule {
    /// Yen per shipped destination where no prefecture row applies (0: shipping included).
    pub base: i64,
    /// The order's goods total from which every destination ships free.
    pub free_from: Option<i64>,
    /// (prefecture, yen) rows that replace the base fee, e.g. 北海道 and 沖縄県.
    pub by_prefecture: Vec<(String, i64)>,
    /// 代引手数料, once per cash-on-delivery order.
    pub cod_fee: i64,
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
            .collect();
        Fees {
            per_destination,
            cod: if method == PaymentMethod::Cod { self.cod_fee } else { 0 },
        }
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
            cod_fee: 330,
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
        assert_eq!(rule().fees(10_000, &parcels, PaymentMethod::Cod).total(), 330);
        assert_eq!(rule().fees(9_999, &parcels, PaymentMethod::CardCapture).total(), 2_000);
    }

    #[test]
    fn every_prefecture_is_found_at_the_start_of_an_address() {
        for p in PREFECTURES {
            assert_eq!(prefecture_of(&format!("{p}どこか1-2-3")), Some(p));
        }
        assert_eq!(prefecture_of("京都市左京区"), None, "a city alone is not a prefecture");
    }
}
