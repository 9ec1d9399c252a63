//! 検索結果をダウンロード: the goods order list as a CSV in a column layout the merchant chooses,
//! names and saves. One row per destination (お届け先), the order's columns repeated on each, so
//! a multi-destination order reads like the carriers' files. The built-in 標準 layout has every
//! column; the carriers' label layouts are separate (`labels`), since their files are not ours.

use crate::catalog::code_enum;
use crate::validate::{Collect, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

code_enum!(
    /// A column of the goods order CSV, in the order the layout form lists them.
    GoodsColumn {
        OrderNumber => "order_number", "受注番号", "Order number";
        OrderedAt => "ordered_at", "注文日時", "Ordered at";
        OrderStatus => "order_status", "ステータス", "Status";
        PaymentMethod => "payment_method", "決済種別", "Payment method";
        PaymentStatus => "payment_status", "入金状況", "Payment status";
        PaymentDate => "payment_date", "入金日", "Payment date";
        CardState => "card_state", "カード決済状況", "Card payment";
        Amount => "amount", "合計金額", "Total";
        GoodsTotal => "goods_total", "商品合計", "Goods total";
        ShippingFee => "shipping_fee", "送料", "Shipping fee";
        HandlingFee => "handling_fee", "代引手数料", "COD fee";
        Refunded => "refunded", "返金額", "Refunded";
        Points => "points", "付与ポイント", "Points earned";
        CouponCode => "coupon_code", "クーポンコード", "Coupon code";
        Discount => "discount", "割引額", "Discount";
        AdCode => "ad_code", "広告コード", "AD code";
        EntryChannel => "entry_channel", "受注経路", "Order channel";
        CustomerName => "customer_name", "注文者氏名", "Customer name";
        CustomerKana => "customer_kana", "注文者フリガナ", "Customer kana";
        CustomerEmail => "customer_email", "注文者メールアドレス", "Customer email";
        CustomerPhone => "customer_phone", "注文者電話番号", "Customer phone";
        Destination => "destination", "お届け先番号", "Destination";
        DeliveryMethod => "delivery_method", "受取方法", "Delivery or pickup";
        RecipientName => "recipient_name", "お届け先氏名", "Recipient";
        RecipientKana => "recipient_kana", "お届け先フリガナ", "Recipient kana";
        PostalCode => "postal_code", "お届け先郵便番号", "Postal code";
        Address => "address", "お届け先住所", "Address";
        Phone => "phone", "お届け先電話番号", "Recipient phone";
        Items => "items", "商品", "Goods";
        Size => "size", "サイズ", "Parcel size";
        Weight => "weight", "重量（g）", "Weight (g)";
        RequestedDate => "requested_date", "お届け希望日", "Requested date";
        TimeBand => "time_band", "お届け希望時間帯", "Time band";
        ShippingStatus => "shipping_status", "発送状況", "Shipping status";
        ShipDate => "ship_date", "商品発送日", "Ship date";
        Carrier => "carrier", "配送サービス", "Carrier";
        TrackingNumber => "tracking_number", "送り状番号", "Tracking number";
        DeliveryDate => "delivery_date", "配達予定日", "Delivery date";
    }
);

/// The longest layout name.
pub const NAME_MAX: usize = 40;

/// A named column layout, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvLayout {
    pub name: String,
    pub columns: Vec<GoodsColumn>,
}

impl CsvLayout {
    /// 標準: every column, in the catalogue's order.
    pub fn standard() -> CsvLayout {
        CsvLayout {
            name: "標準".into(),
            columns: GoodsColumn::ALL.to_vec(),
        }
    }

    /// The title line.
    pub fn header(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.label_ja()).collect()
    }

    /// A layout from a form or an API call: a name, and the chosen column codes with their
    /// place (`None`: after the placed ones, in the catalogue's order). Every problem is named:
    /// an empty or overlong name, no column, an unknown code, a column chosen twice.
    pub fn parse(name: &str, chosen: &[(String, Option<i64>)]) -> Result<CsvLayout, FieldErrors> {
        let mut errors = Collect::default();
        let name = errors.take(crate::validate::required_text("name", name, NAME_MAX));
        let mut columns: Vec<(i64, usize, GoodsColumn)> = Vec::new();
        for (code, place) in chosen {
            let Some(c) = GoodsColumn::parse(code.trim()) else {
                errors.push(FieldError::new("columns", format!("列「{code}」はありません")));
                continue;
            };
            if columns.iter().any(|(_, _, seen)| *seen == c) {
                errors.push(FieldError::new("columns", format!("列「{}」が二度選ばれています", c.label_ja())));
                continue;
            }
            let catalogue = GoodsColumn::ALL.iter().position(|x| *x == c).unwrap_or(usize::MAX);
            columns.push((place.unwrap_or(i64::MAX), catalogue, c));
        }
        if columns.is_empty() && chosen.is_empty() {
            errors.push(FieldError::new("columns", "列を1つ以上選んでください"));
        }
        errors.finish()?;
        columns.sort_by_key(|(place, catalogue, _)| (*place, *catalogue));
        Ok(CsvLayout {
            name: name.unwrap_or_default(),
            columns: columns.into_iter().map(|(_, _, c)| c).collect(),
        })
    }

    /// The columns as stored: their codes, comma-separated.
    pub fn stored_columns(&self) -> String {
        self.columns.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")
    }

    /// The columns read back from storage; an unknown code is an error, never skipped.
    pub fn columns_from_stored(s: &str) -> Result<Vec<GoodsColumn>, crate::catalog::UnknownCode> {
        s.split(',').map(|c| GoodsColumn::try_from(c.to_string())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chosen(codes: &[(&str, Option<i64>)]) -> Vec<(String, Option<i64>)> {
        codes.iter().map(|(c, p)| (c.to_string(), *p)).collect()
    }

    #[test]
    fn columns_follow_their_places_then_the_catalogue() {
        let l = CsvLayout::parse(
            " 発送用 ",
            &chosen(&[
                ("address", None),
                ("tracking_number", Some(1)),
                ("order_number", None),
                ("recipient_name", Some(2)),
            ]),
        )
        .unwrap();
        assert_eq!(l.name, "発送用");
        assert_eq!(
            l.columns,
            vec![
                GoodsColumn::TrackingNumber,
                GoodsColumn::RecipientName,
                GoodsColumn::OrderNumber,
                GoodsColumn::Address
            ]
        );
        assert_eq!(l.header(), vec!["送り状番号", "お届け先氏名", "受注番号", "お届け先住所"]);
    }

    #[test]
    fn every_problem_is_named() {
        let e = CsvLayout::parse("", &chosen(&[("nope", None)])).unwrap_err();
        assert_eq!(e.on("name"), Some("入力してください"));
        assert_eq!(e.on("columns"), Some("列「nope」はありません"));
        let e = CsvLayout::parse("x", &[]).unwrap_err();
        assert_eq!(e.on("columns"), Some("列を1つ以上選んでください"));
        let e = CsvLayout::parse("x", &chosen(&[("amount", None), ("amount", Some(3))])).unwrap_err();
        assert_eq!(e.on("columns"), Some("列「合計金額」が二度選ばれています"));
        let e = CsvLayout::parse(&"長".repeat(NAME_MAX + 1), &chosen(&[("amount", None)])).unwrap_err();
        assert_eq!(e.on("name"), Some("40文字以内で入力してください"));
    }

    #[test]
    fn an_unknown_stored_column_is_an_error() {
        assert!(CsvLayout::columns_from_stored("order_number,gone").is_err());
    }

    proptest! {
        #[test]
        fn a_layout_survives_storage(picks in proptest::sample::subsequence(GoodsColumn::ALL.to_vec(), 1..GoodsColumn::ALL.len())) {
            let chosen: Vec<(String, Option<i64>)> = picks.iter().rev().enumerate().map(|(i, c)| (c.as_str().to_string(), Some(i as i64))).collect();
            let l = CsvLayout::parse("p", &chosen).unwrap();
            let mut expected = picks.clone();
            expected.reverse();
            prop_assert_eq!(&l.columns, &expected);
            prop_assert_eq!(CsvLayout::columns_from_stored(&l.stored_columns()).unwrap(), expected);
        }
    }
}
