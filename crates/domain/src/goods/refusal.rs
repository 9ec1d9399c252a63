//! Why the goods rule refuses an action, in the manual's words: the order page, the API, a
//! bulk row and an import line all say the same sentence.

use crate::label::Said;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    AlreadyPaid,
    PaidByCard,
    KonbiniByNoticeOnly,
    CodNotTracked,
    NotKonbini,
    NotAuthorized,
    NoSuchDestination(usize),
    AlreadyShipped(usize),
    NotShipped(usize),
    CodRefundedCannotUnship,
    AlreadyProcessed,
    NotProcessed,
    Unshipped,
    Unpaid,
    NotCaptured,
    Cancelled,
    ShippedCannotCancel,
    NothingToRefund,
    RefundTooLarge { left: i64 },
    RefundNotPositive,
}

impl Refusal {
    pub fn said(&self) -> Said {
        match *self {
            Refusal::AlreadyPaid => Said::new("すでに入金済みです", "Already paid"),
            Refusal::PaidByCard => Said::new(
                "カード決済は売上確定で入金済みになります（手作業では入金済みにできません）",
                "A card payment is paid by capturing it, not by hand",
            ),
            Refusal::KonbiniByNoticeOnly => Said::new(
                "コンビニ支払いは決済会社からの入金通知でのみ入金済みになります",
                "A convenience-store payment is confirmed only by the payment company's notice",
            ),
            Refusal::CodNotTracked => Said::new(
                "代金引換は入金状況を管理しません（配送業者が集金します）",
                "Cash on delivery has no payment status here (the carrier collects)",
            ),
            Refusal::NotKonbini => Said::new("コンビニ支払いの注文ではありません", "Not a convenience-store payment"),
            Refusal::NotAuthorized => Said::new(
                "与信済みのカード決済ではないため売上確定できません",
                "There is no card authorization to capture",
            ),
            Refusal::NoSuchDestination(n) => Said::new(format!("お届け先{n}はありません"), format!("There is no destination {n}")),
            Refusal::AlreadyShipped(n) => Said::new(
                format!("お届け先{n}はすでに発送済みです"),
                format!("Destination {n} is already shipped"),
            ),
            Refusal::NotShipped(n) => Said::new(format!("お届け先{n}は未発送です"), format!("Destination {n} is not shipped")),
            Refusal::CodRefundedCannotUnship => Said::new(
                "返金済みの代金引換は未発送に戻せません",
                "A cash-on-delivery order with a refund cannot be set back to not shipped",
            ),
            Refusal::AlreadyProcessed => Said::new(
                "処理済みの注文です（変更するには通常処理に戻してください）",
                "The order is processed (reopen it to change it)",
            ),
            Refusal::NotProcessed => Said::new("処理済みの注文ではありません", "The order is not processed"),
            Refusal::Unshipped => Said::new("未発送のお届け先があります", "A destination is not shipped yet"),
            Refusal::Unpaid => Said::new("未入金です", "The order is not paid"),
            Refusal::NotCaptured => Said::new(
                "カード決済が売上確定していません。先に売上確定してください（このまま処理済みにすると売上確定漏れになります）",
                "The card payment is not captured; capture it first (processing it now would miss the capture)",
            ),
            Refusal::Cancelled => Said::new("キャンセルされた注文です", "The order is cancelled"),
            Refusal::ShippedCannotCancel => Said::new(
                "発送済みのお届け先があるためキャンセルできません（返品は一部返金で扱ってください）",
                "A destination is already shipped, so the order cannot be cancelled (refund a return instead)",
            ),
            Refusal::NothingToRefund => Said::new(
                "返金できる入金がありません（未入金の注文はキャンセルしてください）",
                "Nothing was paid to refund (cancel an unpaid order instead)",
            ),
            Refusal::RefundTooLarge { left } => Said::new(
                format!("返金できるのは残り{}までです", crate::money::Yen(left).display_ja()),
                format!("At most {} can still be refunded", crate::money::Yen(left).display_ja()),
            ),
            Refusal::RefundNotPositive => Said::new("返金額は1円以上で入力してください", "The refund must be at least 1 yen"),
        }
    }
}

crate::display_said!(Refusal);
