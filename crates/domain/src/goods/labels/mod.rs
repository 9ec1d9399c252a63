//! The carriers' label-issuing *import* layouts (送り状発行ソフトの外部データ取込), written
//! from kippu's goods orders so labels are printed from kippu's data and the shipped-data file
//! that comes back closes the round trip: B2クラウド (97 columns), e飛伝Ⅲ 標準 (74 columns) and
//! ゆうパックプリントR (52 columns). Each layout is data — a column's title and what fills it —
//! so the columns are written by one function and checked by one test.

mod b2;
mod ehiden3;
mod yupri;

use super::{Carrier, TimeBand};
use crate::catalog::code_enum;
use serde::{Deserialize, Serialize};

code_enum!(
    /// A carrier's label layout that kippu writes.
    LabelFormat {
        B2 => "b2", "B2クラウド（外部データ取込）", "Yamato B2 Cloud (import)";
        Ehiden3 => "ehiden3", "e飛伝Ⅲ（標準レイアウト）", "Sagawa e-Hiden III (standard)";
        Yupri => "yupri", "ゆうパックプリントR（外部データ取込）", "Japan Post Yu-Pack Print R (import)";
    }
);

/// What fills a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// お客様管理番号: `T…`, or `T…-N` for the N-th destination of a multi-destination order.
    Management,
    Phone,
    /// `123-4567`.
    Postal,
    /// The address cut into `of` parts of at most `width` characters; this is part `part`
    /// (0-based), the last part taking the rest.
    Address {
        part: usize,
        of: usize,
        width: usize,
    },
    /// The recipient's name cut the same way.
    Name {
        part: usize,
        of: usize,
        width: usize,
    },
    Kana,
    /// 敬称.
    Honorific,
    /// The first goods line's name.
    Product,
    /// 個数, always 1 parcel per destination.
    Count,
    /// 出荷予定日 in the layout's date form.
    ShipDate(DateForm),
    /// お届け希望日 in the layout's date form.
    RequestedDate(DateForm),
    /// The carrier's code of the delivery time band.
    Band,
    /// The amount to collect: the whole order on a cash-on-delivery order's first parcel.
    CodAmount,
    /// The layout's code for a cash-on-delivery parcel or an ordinary one.
    CodKind {
        cod: &'static str,
        prepaid: &'static str,
    },
    SenderName,
    SenderPhone,
    /// ご依頼主郵便番号 (物販の設定).
    SenderPostal,
    SenderAddress,
    /// B2クラウド's ご請求先顧客コード, its 分類コード and 運賃管理番号 (物販の設定).
    BillingCustomer,
    BillingClass,
    FreightNumber,
    Fixed(&'static str),
    Blank,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// `2026/11/30`.
    Slash,
    /// `20261130`.
    Compact,
}

/// One destination to label, as the layouts read it.
#[derive(Debug, Clone, Default)]
pub struct Parcel {
    pub management: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
    pub name: String,
    pub kana: String,
    pub product: String,
    /// `YYYY-MM-DD`.
    pub ship_date: String,
    pub requested_date: Option<String>,
    pub band: Option<TimeBand>,
    pub cod: bool,
    /// What the carrier collects on this parcel (cash on delivery), if anything.
    pub cod_amount: Option<i64>,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_postal_code: String,
    pub sender_address: String,
    /// What B2クラウド bills the parcel to (物販の設定): ご請求先顧客コード, 分類コード, 運賃管理番号.
    pub billing_customer_code: String,
    pub billing_class_code: String,
    pub freight_number: String,
}

impl LabelFormat {
    pub fn carrier(self) -> Carrier {
        match self {
            LabelFormat::B2 => Carrier::Yamato,
            LabelFormat::Ehiden3 => Carrier::Sagawa,
            LabelFormat::Yupri => Carrier::JapanPost,
        }
    }

    /// The layout's columns: title and what fills it.
    pub fn columns(self) -> &'static [(&'static str, Field)] {
        match self {
            LabelFormat::B2 => &b2::COLUMNS,
            LabelFormat::Ehiden3 => &ehiden3::COLUMNS,
            LabelFormat::Yupri => &yupri::COLUMNS,
        }
    }

    pub fn header(self) -> Vec<&'static str> {
        self.columns().iter().map(|(title, _)| *title).collect()
    }

    /// The carrier's code of a delivery time band.
    fn band_code(self, b: TimeBand) -> &'static str {
        match (self, b) {
            (LabelFormat::B2, TimeBand::Morning) => "0812",
            (LabelFormat::B2, TimeBand::H14) => "1416",
            (LabelFormat::B2, TimeBand::H16) => "1618",
            (LabelFormat::B2, TimeBand::H18) => "1820",
            (LabelFormat::B2, TimeBand::H19) => "1921",
            (LabelFormat::Ehiden3, TimeBand::Morning) => "01",
            (LabelFormat::Ehiden3, TimeBand::H14) => "14",
            (LabelFormat::Ehiden3, TimeBand::H16) => "16",
            (LabelFormat::Ehiden3, TimeBand::H18) => "18",
            (LabelFormat::Ehiden3, TimeBand::H19) => "19",
            (LabelFormat::Yupri, TimeBand::Morning) => "51",
            (LabelFormat::Yupri, TimeBand::H14) => "54",
            (LabelFormat::Yupri, TimeBand::H16) => "55",
            (LabelFormat::Yupri, TimeBand::H18) => "56",
            (LabelFormat::Yupri, TimeBand::H19) => "57",
        }
    }

    /// The parcel's line in this layout.
    pub fn row(self, p: &Parcel) -> Vec<String> {
        self.columns().iter().map(|(_, f)| self.cell(*f, p)).collect()
    }

    fn cell(self, f: Field, p: &Parcel) -> String {
        let date = |d: &str, form: DateForm| match form {
            DateForm::Slash => d.replace('-', "/"),
            DateForm::Compact => d.replace('-', ""),
        };
        match f {
            Field::Management => p.management.clone(),
            Field::Phone => p.phone.clone(),
            Field::Postal => p.postal_code.clone(),
            Field::Address { part, of, width } => piece(&p.address, part, of, width),
            Field::Name { part, of, width } => piece(&p.name, part, of, width),
            Field::Kana => p.kana.clone(),
            Field::Honorific => "様".into(),
            Field::Product => p.product.clone(),
            Field::Count => "1".into(),
            Field::ShipDate(form) => date(&p.ship_date, form),
            Field::RequestedDate(form) => p.requested_date.as_deref().map(|d| date(d, form)).unwrap_or_default(),
            Field::Band => p.band.map(|b| self.band_code(b)).unwrap_or("").into(),
            Field::CodAmount => p.cod_amount.map(|a| a.to_string()).unwrap_or_default(),
            Field::CodKind { cod, prepaid } => if p.cod { cod } else { prepaid }.into(),
            Field::SenderName => p.sender_name.clone(),
            Field::SenderPhone => p.sender_phone.clone(),
            Field::SenderPostal => p.sender_postal_code.clone(),
            Field::SenderAddress => p.sender_address.clone(),
            Field::BillingCustomer => p.billing_customer_code.clone(),
            Field::BillingClass => p.billing_class_code.clone(),
            Field::FreightNumber => p.freight_number.clone(),
            Field::Fixed(s) => s.into(),
            Field::Blank => String::new(),
        }
    }
}

/// Part `part` of `of` of `text` cut every `width` characters, the last part taking the rest
/// (label software refuses a line it cannot print rather than cutting it silently).
fn piece(text: &str, part: usize, of: usize, width: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let start = (part * width).min(chars.len());
    let end = if part + 1 == of {
        chars.len()
    } else {
        ((part + 1) * width).min(chars.len())
    };
    chars[start..end].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goods::carrier::FileType;

    fn parcel() -> Parcel {
        Parcel {
            management: "T00000001641142-2".into(),
            phone: "090-1234-5678".into(),
            postal_code: "111-0032".into(),
            address: "東京都台東区浅草一丁目二番三号浅草ビルディング五階".into(),
            name: "髙橋 美咲".into(),
            kana: "タカハシ ミサキ".into(),
            product: "今治タオル".into(),
            ship_date: "2026-11-30".into(),
            requested_date: Some("2026-12-02".into()),
            band: Some(TimeBand::Morning),
            cod: true,
            cod_amount: Some(4430),
            sender_name: "さくら商店".into(),
            sender_phone: "03-1234-5678".into(),
            sender_postal_code: "100-0005".into(),
            sender_address: "東京都千代田区丸の内1-1".into(),
            billing_customer_code: "012345678901".into(),
            billing_class_code: "001".into(),
            freight_number: "01".into(),
        }
    }

    #[test]
    fn each_layout_has_the_carriers_column_count_and_every_row_fits_it() {
        for (f, n) in [(LabelFormat::B2, 97), (LabelFormat::Ehiden3, 74), (LabelFormat::Yupri, 52)] {
            assert_eq!(f.header().len(), n, "{f:?}");
            assert_eq!(f.row(&parcel()).len(), n, "{f:?}");
        }
    }

    #[test]
    fn every_field_a_label_needs_is_written_once() {
        for f in LabelFormat::ALL {
            let cols = f.columns();
            for needed in [
                Field::Management,
                Field::Phone,
                Field::Postal,
                Field::Product,
                Field::CodAmount,
                Field::Band,
            ] {
                assert_eq!(cols.iter().filter(|(_, x)| *x == needed).count(), 1, "{f:?} {needed:?}");
            }
            let row = f.row(&parcel());
            assert_eq!(row.concat().matches("今治タオル").count(), 1, "{f:?}");
        }
    }

    #[test]
    fn the_address_and_name_are_cut_where_the_layout_cuts_them_and_nothing_is_lost() {
        for f in LabelFormat::ALL {
            let row = f.row(&parcel());
            let cols = f.columns();
            let joined = |want: fn(&Field) -> bool| -> String {
                cols.iter()
                    .zip(&row)
                    .filter(|((_, x), _)| want(x))
                    .map(|(_, v)| v.as_str())
                    .collect()
            };
            assert_eq!(joined(|x| matches!(x, Field::Address { .. })), parcel().address, "{f:?}");
            assert_eq!(joined(|x| matches!(x, Field::Name { .. })), parcel().name, "{f:?}");
        }
    }

    #[test]
    fn the_b2_label_layout_is_the_layout_b2_gives_back_as_issued_data() {
        let b2 = FileType::B2.layout();
        let cols = LabelFormat::B2.columns();
        assert_eq!(cols.len(), b2.columns);
        assert_eq!(cols[b2.management - 1].1, Field::Management);
        assert_eq!(cols[b2.tracking - 1].0, "伝票番号");
    }

    #[test]
    fn b2_carries_the_billing_codes_and_the_senders_postal_code_in_their_own_columns() {
        let row = LabelFormat::B2.row(&parcel());
        let at = |title: &str| LabelFormat::B2.header().iter().position(|t| *t == title).unwrap();
        assert_eq!(row[at("請求先顧客コード")], "012345678901");
        assert_eq!(row[at("請求先分類コード")], "001");
        assert_eq!(row[at("運賃管理番号")], "01");
        assert_eq!(row[at("ご依頼主郵便番号")], "100-0005");
        assert_eq!(row[at("ご依頼主住所")], "東京都千代田区丸の内1-1");
        for f in [LabelFormat::Ehiden3, LabelFormat::Yupri] {
            let cols = f.columns();
            assert_eq!(cols.iter().filter(|(_, x)| *x == Field::SenderPostal).count(), 1, "{f:?}");
        }
    }

    #[test]
    fn a_prepaid_parcel_collects_nothing() {
        let mut p = parcel();
        p.cod = false;
        p.cod_amount = None;
        for f in LabelFormat::ALL {
            let cols = f.columns();
            let row = f.row(&p);
            let at = cols.iter().position(|(_, x)| *x == Field::CodAmount).unwrap();
            assert_eq!(row[at], "", "{f:?}");
        }
    }
}
