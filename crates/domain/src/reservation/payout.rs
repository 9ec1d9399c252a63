//! The monthly payout arithmetic of reservations: lines, platform fee, totals per channel, and
//! the payout's one transition (お支払い予定 → お支払い済み).

use serde::{Deserialize, Serialize};

/// What a payout line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LineKind {
    /// A reservation used in the period: paid out, minus the platform fee.
    Used,
    /// A no-show in the period: still paid out, minus the platform fee.
    NoShow,
    /// A cancellation fee the merchant keeps.
    CancellationFeeKept,
    /// Money given back to a customer and charged to the merchant.
    Refund,
    /// 200 yen + tax per card cancel request.
    CancelRequestFee,
    /// Money the merchant took itself (現地払い, 店舗口座への振込): counted in the gross so the
    /// platform fee applies, then deducted because the platform never held it.
    CollectedByMerchant,
}

impl LineKind {
    pub const ALL: [LineKind; 6] = [
        LineKind::Used,
        LineKind::NoShow,
        LineKind::CancellationFeeKept,
        LineKind::Refund,
        LineKind::CancelRequestFee,
        LineKind::CollectedByMerchant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Used => "used",
            LineKind::NoShow => "no_show",
            LineKind::CancellationFeeKept => "cancellation_fee",
            LineKind::Refund => "refund",
            LineKind::CancelRequestFee => "cancel_request_fee",
            LineKind::CollectedByMerchant => "collected_by_merchant",
        }
    }

    pub fn parse(s: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            LineKind::Used => "利用",
            LineKind::NoShow => "ノーショー",
            LineKind::CancellationFeeKept => "キャンセル料",
            LineKind::Refund => "返金（精算済み分）",
            LineKind::CancelRequestFee => "キャンセル申請手数料",
            LineKind::CollectedByMerchant => "店舗受領済み（現地払い・店舗口座）",
        }
    }

    /// Lines the platform fee applies to: the merchant's revenue.
    pub fn is_revenue(self) -> bool {
        matches!(self, LineKind::Used | LineKind::NoShow | LineKind::CancellationFeeKept)
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
    pub platform_fee: i64,
    pub cancel_request_fees: i64,
    pub refunds: i64,
    pub cancellation_fees_kept: i64,
    pub collected_by_merchant: i64,
    pub net: i64,
}

impl PayoutTotals {
    fn add(&mut self, o: &PayoutTotals) {
        self.gross += o.gross;
        self.platform_fee += o.platform_fee;
        self.cancel_request_fees += o.cancel_request_fees;
        self.refunds += o.refunds;
        self.cancellation_fees_kept += o.cancellation_fees_kept;
        self.collected_by_merchant += o.collected_by_merchant;
        self.net += o.net;
    }
}

/// The platform fee of one line, rounded down per line so that the channels' fees add up to
/// the total exactly.
pub fn platform_fee(amount: i64, fee_bp: i64) -> i64 {
    amount * fee_bp / 10_000
}

/// The payout of a month: per channel and in total. net = gross − platform fee − cancel-request
/// fees − refunds + cancellation fees kept − collected by the merchant. The platform fee is
/// taken on the merchant's revenue: used, no-show and the cancellation fees kept (the manual:
/// キャンセル料金を…手数料を差し引いて貴社へお振り込み).
pub fn payout(lines: &[PayoutLine], fee_bp: i64) -> (Vec<(String, PayoutTotals)>, PayoutTotals) {
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
        if l.kind.is_revenue() {
            t.platform_fee += platform_fee(l.amount, fee_bp);
        }
        match l.kind {
            LineKind::Used | LineKind::NoShow => t.gross += l.amount,
            LineKind::CancellationFeeKept => t.cancellation_fees_kept += l.amount,
            LineKind::Refund => t.refunds += l.amount,
            LineKind::CancelRequestFee => t.cancel_request_fees += l.amount,
            LineKind::CollectedByMerchant => t.collected_by_merchant += l.amount,
        }
    }
    let mut total = PayoutTotals::default();
    for (_, t) in per.iter_mut() {
        t.net = t.gross - t.platform_fee - t.cancel_request_fees - t.refunds + t.cancellation_fees_kept - t.collected_by_merchant;
        total.add(t);
    }
    per.sort_by(|a, b| a.0.cmp(&b.0));
    (per, total)
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
