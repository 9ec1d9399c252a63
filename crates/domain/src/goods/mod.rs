//! Shipped goods (spec §6, seed 002): an order's three statuses as the manual has them — order
//! status 「通常処理」→「処理済み」, payment status 「未入金」/「入金済」, shipping status per destination
//! 「未発送」/「発送済み」 — the one rule that changes them ([`flow::transition`]), tracking numbers,
//! shipping fees and the carriers' shipped-data files.

use crate::catalog::code_enum;
use crate::order::PaymentMethod;
use serde::{Deserialize, Serialize};

pub mod address;
pub mod buyer;
pub mod carrier;
pub mod cart;
pub mod cod_fee;
pub mod csv_layout;
pub mod edit;
pub mod fee;
pub mod flow;
pub mod labels;
pub mod ledger;
pub mod points;
mod refusal;
pub mod tracking;

code_enum!(
    /// ステータス of a goods order.
    OrderStatus {
        Normal => "normal", "通常処理", "In progress";
        Processed => "processed", "処理済み", "Processed";
        Cancelled => "cancelled", "キャンセル", "Cancelled";
    }
);

code_enum!(
    /// 入金状況.
    PaymentStatus {
        Unpaid => "unpaid", "未入金", "Unpaid";
        Paid => "paid", "入金済", "Paid";
    }
);

code_enum!(
    /// 発送状況 of one destination (and of the order: 発送済み once every destination is).
    ShippingStatus {
        Unshipped => "unshipped", "未発送", "Not shipped";
        Shipped => "shipped", "発送済み", "Shipped";
    }
);

code_enum!(
    /// 発送状況 of a whole order as the order page and the list read it: 一部発送 when some
    /// destinations are shipped and others not (never 未発送 for a partly shipped order).
    ShippingProgress {
        Unshipped => "unshipped", "未発送", "Not shipped";
        Partly => "partly_shipped", "一部発送", "Partly shipped";
        Shipped => "shipped", "発送済み", "Shipped";
    }
);

code_enum!(
    /// The card gateway's state as the order shows it (与信済 / 売上確定 / 失敗).
    CardState {
        Authorized => "authorized", "与信済", "Authorized";
        Captured => "captured", "売上確定", "Captured";
        Failed => "failed", "失敗", "Failed";
        Voided => "voided", "与信取消", "Authorization voided";
        Refunded => "refunded", "全額返金", "Refunded in full";
    }
);

code_enum!(
    /// Why money went back to the buyer: with the order's cancellation, or a part of it.
    RefundKind {
        Cancel => "cancel", "キャンセルによる返金", "Refund on cancellation";
        Partial => "partial", "一部返金", "Partial refund";
    }
);

code_enum!(
    /// A goods order's points: earned and waiting (有効待ち), or usable (有効).
    PointStatus {
        Pending => "pending", "有効待ち", "Pending";
        Active => "active", "有効", "Active";
        Cancelled => "cancelled", "取消（注文キャンセル）", "Cancelled with the order";
    }
);

code_enum!(
    /// サイズ: the carriers' parcel size class (the sum of the three sides in cm), optional on a
    /// goods product; the label layouts and the goods CSV carry it.
    SizeClass {
        S60 => "60", "60サイズ", "60 size";
        S80 => "80", "80サイズ", "80 size";
        S100 => "100", "100サイズ", "100 size";
        S120 => "120", "120サイズ", "120 size";
        S140 => "140", "140サイズ", "140 size";
        S160 => "160", "160サイズ", "160 size";
        S180 => "180", "180サイズ", "180 size";
        S200 => "200", "200サイズ", "200 size";
    }
);

/// The heaviest parcel weight a goods product may declare, in grams (the carriers take up to
/// 30 kg on their ordinary services, 50 kg on large-parcel ones).
pub const MAX_WEIGHT_G: i64 = 50_000;

code_enum!(
    /// 配達時間帯: the carriers' common bands.
    TimeBand {
        Morning => "morning", "午前中", "Morning";
        H14 => "14-16", "14時〜16時", "14:00–16:00";
        H16 => "16-18", "16時〜18時", "16:00–18:00";
        H18 => "18-20", "18時〜20時", "18:00–20:00";
        H19 => "19-21", "19時〜21時", "19:00–21:00";
    }
);

code_enum!(
    /// 配送サービス: who carries a destination's parcel.
    Carrier {
        Yamato => "yamato", "ヤマト運輸", "Yamato Transport";
        Sagawa => "sagawa", "佐川急便", "Sagawa Express";
        JapanPost => "japan_post", "日本郵便", "Japan Post";
    }
);

impl Carrier {
    /// Where a customer follows the parcel, with the tracking number filled in.
    pub fn tracking_url(self, number: &str) -> String {
        match self {
            Carrier::Yamato => format!("https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01={number}"),
            Carrier::Sagawa => format!("https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo={number}"),
            Carrier::JapanPost => format!("https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1={number}"),
        }
    }
}

/// The payment methods a goods order may use (API codes `card_auth`, `card_capture`,
/// `bank_store`, `cod`, `konbini`, `store_pay`).
pub const PAYMENT_METHODS: [PaymentMethod; 6] = [
    PaymentMethod::CardAuth,
    PaymentMethod::CardCapture,
    PaymentMethod::BankStore,
    PaymentMethod::Cod,
    PaymentMethod::Konbini,
    PaymentMethod::StorePay,
];

/// How the payment of a method is confirmed: by the gateway, by hand, only by the payment
/// company's notification, or not tracked at all (cash on delivery: the carrier collects).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentConfirmation {
    Gateway,
    ByHand,
    NotificationOnly,
    NotTracked,
}

pub fn confirmation_of(m: PaymentMethod) -> PaymentConfirmation {
    match m {
        PaymentMethod::CardAuth | PaymentMethod::CardCapture => PaymentConfirmation::Gateway,
        PaymentMethod::Konbini => PaymentConfirmation::NotificationOnly,
        PaymentMethod::Cod => PaymentConfirmation::NotTracked,
        _ => PaymentConfirmation::ByHand,
    }
}

/// The words of a status code a goods order's history records (order, payment or shipping
/// status: their codes never collide), or `None` for a code this version does not know.
pub fn history_label(code: &str) -> Option<crate::label::Label> {
    OrderStatus::parse(code)
        .map(OrderStatus::label)
        .or_else(|| PaymentStatus::parse(code).map(PaymentStatus::label))
        .or_else(|| ShippingProgress::parse(code).map(ShippingProgress::label))
}

#[cfg(test)]
mod history_tests {
    use super::*;

    #[test]
    fn every_recorded_status_code_reads_in_words() {
        for code in [
            "normal",
            "processed",
            "cancelled",
            "unpaid",
            "paid",
            "unshipped",
            "partly_shipped",
            "shipped",
        ] {
            assert!(history_label(code).is_some(), "{code}");
        }
        assert_eq!(history_label("partly_shipped").map(|l| l.ja), Some("一部発送"));
        assert_eq!(history_label("half_done"), None);
    }
}
