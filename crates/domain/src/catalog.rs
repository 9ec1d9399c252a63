//! Product kinds and ticket types (spec §2). Codes are what the database and the API store.

use serde::{Deserialize, Serialize};

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $code:literal, $ja:literal, $en:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $code),* } }
            pub fn label_ja(self) -> &'static str { match self { $($name::$variant => $ja),* } }
            /// The label in both languages: Japanese (the manual's) and English (the toggle's).
            pub fn label(self) -> $crate::label::Label { match self { $($name::$variant => $crate::label::Label::new($ja, $en)),* } }
            pub fn parse(s: &str) -> Option<Self> { Self::ALL.iter().copied().find(|v| v.as_str() == s) }
        }

        $crate::catalog::stored_code!($name);
    };
}
pub(crate) use code_enum;

/// A stored code that no variant knows: the database or a request holds a value this version
/// of kippu never writes. Always an error, never a guessed default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} code {value:?}")]
pub struct UnknownCode {
    pub what: &'static str,
    pub value: String,
}

/// `TryFrom<String>` through the type's `parse`, so rows decode straight into the enum at the
/// storage boundary (`#[sqlx(try_from = "String")]`).
macro_rules! stored_code {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = $crate::catalog::UnknownCode;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $name::parse(&s).ok_or($crate::catalog::UnknownCode {
                    what: stringify!($name),
                    value: s,
                })
            }
        }
    };
}
pub(crate) use stored_code;

code_enum!(
    /// What a product is, which decides the flow its orders take.
    ProductKind {
        WebTicket => "web_ticket", "ウェブチケット", "Web ticket";
        Reservation => "reservation", "予約", "Reservation";
        Goods => "goods", "物販", "Goods";
        Voucher => "voucher", "電子チケット", "E-voucher";
    }
);

code_enum!(
    /// The ticket type of a web-ticket product (seed 000).
    TicketType {
        Basic => "basic", "基本タイプ", "Basic";
        MultiUse => "multi_use", "回数券タイプ・イベント・レッスンタイプ", "Multi-use, event or lesson";
        Rental => "rental", "会議室・レンタルコートタイプ", "Room or court rental";
        Accommodation => "accommodation", "宿泊タイプ", "Accommodation";
    }
);

impl TicketType {
    /// Room and court rentals sell by date and time slot.
    pub fn has_time_slots(self) -> bool {
        self == TicketType::Rental
    }
}

/// An order takes the kind of what it sells, which decides the flow it goes through.
pub type OrderKind = ProductKind;

impl ProductKind {
    /// The word a buyer reads on the storefront for what a product is: the back office's kinds
    /// and ticket types (「基本タイプ」, 「物販」) are the merchant's words, not the buyer's.
    pub fn buyer_label(self) -> crate::label::Label {
        let (ja, en) = match self {
            ProductKind::WebTicket => ("チケット", "Ticket"),
            ProductKind::Reservation => ("ご予約", "Booking"),
            ProductKind::Goods => ("商品（配送・店舗受取）", "Goods (delivery or pickup)"),
            ProductKind::Voucher => ("電子チケット", "E-voucher"),
        };
        crate::label::Label { ja, en }
    }
}

code_enum!(
    /// Where an order came from (販売チャネル).
    ChannelKind {
        OwnSite => "own_site", "自社サイト", "Own site";
        Ota => "ota", "OTA", "OTA";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in ProductKind::ALL {
            assert_eq!(ProductKind::parse(k.as_str()), Some(*k));
        }
        for t in TicketType::ALL {
            assert_eq!(TicketType::parse(t.as_str()), Some(*t));
        }
        assert_eq!(ProductKind::parse("WEB_TICKET"), None);
    }
}

code_enum!(
    /// What a day of the stock calendar is: a normal day, 休日 (stock 0) or 特定日 (its own
    /// number).
    DayKind {
        Normal => "normal", "通常", "Normal";
        Holiday => "holiday", "休日", "Holiday";
        Special => "special", "特定日", "Special day";
    }
);
