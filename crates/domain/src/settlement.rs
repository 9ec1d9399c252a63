//! 精算: the monthly settlement of every sale the platform collected for a merchant — web
//! tickets paid into the platform's account (bank transfer to the platform, card capture) and
//! reservations — with the platform fee per kind, refunds, kept cancellation fees, card
//! cancel-request fees and promotion costs; sales the merchant collected itself are listed,
//! charged the fee, and not paid out. The arithmetic and the settlement's one transition
//! (お支払い予定 → お支払い済み); the use cases in kippu-app gather the lines.

use serde::{Deserialize, Serialize};

crate::catalog::code_enum!(
    /// What a settlement line is. Its sign on a statement: + what the merchant receives, − what
    /// is deducted ([`LineKind::sign`]).
    LineKind {
        Used => "used", "予約 利用", "Reservation used";
        NoShow => "no_show", "予約 ノーショー", "Reservation no-show";
        TicketSale => "ticket_sale", "ウェブチケット売上", "Web ticket sale";
        GoodsSale => "goods_sale", "物販売上", "Goods sale";
        CancellationFeeKept => "cancellation_fee", "キャンセル料", "Cancellation fee kept";
        Refund => "refund", "返金（精算済み分）", "Refund";
        CancelRequestFee => "cancel_request_fee", "キャンセル申請手数料", "Card cancel-request fee";
        PromotionCost => "promotion_cost", "販促費", "Promotion cost";
        CollectedByMerchant => "collected_by_merchant", "店舗受領済み（現地払い・店舗口座）", "Collected by the merchant";
        PointsUsed => "points_used", "ポイント利用（加盟店負担）", "Points spent (borne by the merchant)";
        CouponDiscount => "coupon_discount", "クーポン割引（加盟店負担）", "Coupon discounts (borne by the merchant)";
    }
);

impl LineKind {
    /// Lines the platform fee applies to: the merchant's revenue (the manual:
    /// キャンセル料金を…手数料を差し引いて貴社へお振り込み).
    pub fn is_revenue(self) -> bool {
        matches!(
            self,
            LineKind::Used | LineKind::NoShow | LineKind::TicketSale | LineKind::GoodsSale | LineKind::CancellationFeeKept
        )
    }

    /// The platform fee's own line for this kind of sale (none for a deduction).
    pub fn fee_label(self) -> Option<crate::label::Label> {
        use crate::label::Label as L;
        match self {
            LineKind::Used => Some(L::new("プラットフォーム手数料（予約 利用）", "Platform fee (reservations used)")),
            LineKind::NoShow => Some(L::new("プラットフォーム手数料（予約 ノーショー）", "Platform fee (no-shows)")),
            LineKind::TicketSale => Some(L::new(
                "プラットフォーム手数料（ウェブチケット売上）",
                "Platform fee (web ticket sales)",
            )),
            LineKind::GoodsSale => Some(L::new("プラットフォーム手数料（物販売上）", "Platform fee (goods sales)")),
            LineKind::CancellationFeeKept => Some(L::new("プラットフォーム手数料（キャンセル料）", "Platform fee (cancellation fees)")),
            LineKind::Refund
            | LineKind::CancelRequestFee
            | LineKind::PromotionCost
            | LineKind::CollectedByMerchant
            | LineKind::PointsUsed
            | LineKind::CouponDiscount => None,
        }
    }

    /// +1 for what the merchant receives, −1 for what is deducted.
    pub fn sign(self) -> i64 {
        match self {
            LineKind::Used | LineKind::NoShow | LineKind::TicketSale | LineKind::GoodsSale | LineKind::CancellationFeeKept => 1,
            LineKind::Refund
            | LineKind::CancelRequestFee
            | LineKind::PromotionCost
            | LineKind::CollectedByMerchant
            | LineKind::PointsUsed
            | LineKind::CouponDiscount => -1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutLine {
    pub channel: String,
    pub kind: LineKind,
    pub amount: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayoutTotals {
    /// Used and no-show reservations (利用・ノーショー).
    pub gross: i64,
    /// Web tickets paid in the period (ウェブチケット売上).
    pub ticket_sales: i64,
    /// Goods paid (or, cash on delivery, shipped) in the period (物販売上).
    pub goods_sales: i64,
    pub platform_fee: i64,
    pub cancel_request_fees: i64,
    pub refunds: i64,
    pub cancellation_fees_kept: i64,
    pub promotion_costs: i64,
    pub collected_by_merchant: i64,
    /// Points goods buyers spent (ポイント利用): part of the goods sales, paid by no one but the
    /// merchant, so deducted.
    pub points_used: i64,
    /// Coupon discounts on goods sales (クーポン割引): part of the goods sales at their price,
    /// paid by no one but the merchant, so deducted.
    pub coupon_discounts: i64,
    pub net: i64,
}

impl PayoutTotals {
    fn add(&mut self, o: &PayoutTotals) {
        self.gross += o.gross;
        self.ticket_sales += o.ticket_sales;
        self.goods_sales += o.goods_sales;
        self.platform_fee += o.platform_fee;
        self.cancel_request_fees += o.cancel_request_fees;
        self.refunds += o.refunds;
        self.cancellation_fees_kept += o.cancellation_fees_kept;
        self.promotion_costs += o.promotion_costs;
        self.collected_by_merchant += o.collected_by_merchant;
        self.points_used += o.points_used;
        self.coupon_discounts += o.coupon_discounts;
        self.net += o.net;
    }
}

/// The platform's fee rates of a merchant, in basis points, per kind of sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeRates {
    /// Reservations used or no-show, and the cancellation fees kept on them.
    pub reservation_bp: i64,
    /// Web tickets sold.
    pub ticket_bp: i64,
    /// Goods sold.
    pub goods_bp: i64,
}

impl FeeRates {
    /// One rate for every kind of sale.
    pub fn flat(bp: i64) -> FeeRates {
        FeeRates {
            reservation_bp: bp,
            ticket_bp: bp,
            goods_bp: bp,
        }
    }

    /// The rate a line of `kind` is charged (0 for a deduction).
    pub fn of(self, kind: LineKind) -> i64 {
        match kind {
            LineKind::TicketSale => self.ticket_bp,
            LineKind::GoodsSale => self.goods_bp,
            LineKind::Used | LineKind::NoShow | LineKind::CancellationFeeKept => self.reservation_bp,
            LineKind::Refund
            | LineKind::CancelRequestFee
            | LineKind::PromotionCost
            | LineKind::CollectedByMerchant
            | LineKind::PointsUsed
            | LineKind::CouponDiscount => 0,
        }
    }

    /// The platform fee of one line under these rates.
    pub fn fee(self, kind: LineKind, amount: i64) -> i64 {
        if kind.is_revenue() {
            platform_fee(amount, self.of(kind))
        } else {
            0
        }
    }
}

/// The platform fee of one line, rounded down per line so that the channels' fees add up to
/// the total exactly.
pub fn platform_fee(amount: i64, fee_bp: i64) -> i64 {
    amount * fee_bp / 10_000
}

/// The settlement of a month: per channel and in total. net = reservations + ticket sales + goods sales −
/// platform fee − cancel-request fees − refunds + cancellation fees kept − promotion costs −
/// collected by the merchant − points spent − coupon discounts; which is also the sum of the lines' signed amounts minus the fee.
pub fn payout(lines: &[PayoutLine], rates: FeeRates) -> (Vec<(String, PayoutTotals)>, PayoutTotals) {
    let mut per: Vec<(String, PayoutTotals)> = Vec::new();
    for l in lines {
        let idx = match per.iter().position(|(c, _)| *c == l.channel) {
            Some(i) => i,
            None => {
                per.push((l.channel.clone(), PayoutTotals::default()));
                per.len() - 1
            }
        };
        let t = &mut per[idx].1;
        t.platform_fee += rates.fee(l.kind, l.amount);
        match l.kind {
            LineKind::Used | LineKind::NoShow => t.gross += l.amount,
            LineKind::TicketSale => t.ticket_sales += l.amount,
            LineKind::GoodsSale => t.goods_sales += l.amount,
            LineKind::CancellationFeeKept => t.cancellation_fees_kept += l.amount,
            LineKind::Refund => t.refunds += l.amount,
            LineKind::CancelRequestFee => t.cancel_request_fees += l.amount,
            LineKind::PromotionCost => t.promotion_costs += l.amount,
            LineKind::CollectedByMerchant => t.collected_by_merchant += l.amount,
            LineKind::PointsUsed => t.points_used += l.amount,
            LineKind::CouponDiscount => t.coupon_discounts += l.amount,
        }
    }
    let mut total = PayoutTotals::default();
    for (_, t) in per.iter_mut() {
        t.net = t.gross + t.ticket_sales + t.goods_sales - t.platform_fee - t.cancel_request_fees - t.refunds + t.cancellation_fees_kept
            - t.promotion_costs
            - t.collected_by_merchant
            - t.points_used
            - t.coupon_discounts;
        total.add(t);
    }
    per.sort_by(|a, b| a.0.cmp(&b.0));
    (per, total)
}

/// A statement's summary, per channel and in total, as (label, signed amount) pairs: the screen,
/// the CSV, the PDF and the API all print these same figures.
pub fn summary_rows(t: &PayoutTotals) -> [(crate::label::Label, i64); 12] {
    use crate::label::Label as L;
    [
        (L::new("予約（利用・ノーショー）", "Reservations (used, no-show)"), t.gross),
        (L::new("ウェブチケット売上", "Web ticket sales"), t.ticket_sales),
        (L::new("物販売上", "Goods sales"), t.goods_sales),
        (L::new("キャンセル料", "Cancellation fees kept"), t.cancellation_fees_kept),
        (L::new("プラットフォーム手数料", "Platform fee"), -t.platform_fee),
        (L::new("キャンセル申請手数料", "Card cancel-request fees"), -t.cancel_request_fees),
        (L::new("返金（精算済み分）", "Refunds"), -t.refunds),
        (L::new("販促費", "Promotion costs"), -t.promotion_costs),
        (L::new("店舗受領済み", "Collected by the merchant"), -t.collected_by_merchant),
        (
            L::new("ポイント利用（加盟店負担）", "Points spent (borne by the merchant)"),
            -t.points_used,
        ),
        (
            L::new("クーポン割引（加盟店負担）", "Coupon discounts (borne by the merchant)"),
            -t.coupon_discounts,
        ),
        (L::new("入金額", "Payout"), t.net),
    ]
}

crate::catalog::code_enum!(
    /// A payout's state: 支払予定 until the platform has transferred it, then 支払済み; never back.
    PayoutStatus {
        Scheduled => "scheduled", "お支払い予定", "Scheduled";
        Paid => "paid", "お支払い済み", "Paid";
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayoutRefusal {
    AlreadyPaid,
}

impl PayoutRefusal {
    pub fn said(&self) -> crate::label::Said {
        match self {
            PayoutRefusal::AlreadyPaid => crate::label::Said::new("この入金はすでにお支払い済みです", "This payout is already paid"),
        }
    }
}

crate::display_said!(PayoutRefusal);

impl PayoutStatus {
    /// The one transition of a payout: the platform records the transfer.
    pub fn mark_paid(self) -> Result<PayoutStatus, PayoutRefusal> {
        match self {
            PayoutStatus::Scheduled => Ok(PayoutStatus::Paid),
            PayoutStatus::Paid => Err(PayoutRefusal::AlreadyPaid),
        }
    }
}
