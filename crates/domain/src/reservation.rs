//! Reservations at the door (spec §5): cancellation policies, the visit-day rule, no-shows and
//! the monthly payout arithmetic. Pure rules; the use cases in kippu-app apply them.

use crate::clock::JST;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

crate::catalog::code_enum!(
    /// A ticket's state beyond usage: valid, cancelled with its order, or a no-show (final).
    TicketState {
        Active => "active", "有効";
        Cancelled => "cancelled", "キャンセル";
        NoShow => "no_show", "ノーショー";
    }
);

/// One tier of a cancellation policy: from `days_before` days before the visit (and closer),
/// `percent_kept` of the amount is kept as the cancellation fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub days_before: u32,
    pub percent_kept: u32,
}

/// Tiers sorted from the visit day outwards. Before the widest tier, cancelling is free.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CancellationPolicy {
    pub tiers: Vec<Tier>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("{0}日前の段階が重複しています")]
    Overlap(u32),
    #[error("{days}日前の段階の割合 {percent}% は0〜100で指定してください")]
    Percent { days: u32, percent: u32 },
    #[error("日数は365日前までで指定してください（{0}日前）")]
    TooFar(u32),
    #[error("来店日に近い段階ほど取消料の割合を大きくしてください（{closer}日前 {closer_pct}% < {farther}日前 {farther_pct}%）")]
    NotMonotonic {
        closer: u32,
        closer_pct: u32,
        farther: u32,
        farther_pct: u32,
    },
}

impl CancellationPolicy {
    /// Validates and normalises (sorts) tiers: no two tiers for the same day, 0–100 %, and a
    /// fee that never shrinks as the visit approaches.
    pub fn new(mut tiers: Vec<Tier>) -> Result<CancellationPolicy, PolicyError> {
        tiers.sort_by_key(|t| t.days_before);
        for t in &tiers {
            if t.percent_kept > 100 {
                return Err(PolicyError::Percent {
                    days: t.days_before,
                    percent: t.percent_kept,
                });
            }
            if t.days_before > 365 {
                return Err(PolicyError::TooFar(t.days_before));
            }
        }
        for w in tiers.windows(2) {
            if w[0].days_before == w[1].days_before {
                return Err(PolicyError::Overlap(w[0].days_before));
            }
            if w[0].percent_kept < w[1].percent_kept {
                return Err(PolicyError::NotMonotonic {
                    closer: w[0].days_before,
                    closer_pct: w[0].percent_kept,
                    farther: w[1].days_before,
                    farther_pct: w[1].percent_kept,
                });
            }
        }
        Ok(CancellationPolicy { tiers })
    }

    /// The percentage kept when cancelling `days_before` days before the visit.
    pub fn percent_kept(&self, days_before: i64) -> u32 {
        self.tiers
            .iter()
            .find(|t| days_before <= t.days_before as i64)
            .map(|t| t.percent_kept)
            .unwrap_or(0)
    }

    /// Text for the customer before ordering, e.g. 「当日: 100%、3日前から: 50%、それ以前: 無料」.
    pub fn describe_ja(&self) -> String {
        if self.tiers.is_empty() {
            return "キャンセル料はかかりません（来店日の前日まで）".into();
        }
        let mut parts: Vec<String> = self
            .tiers
            .iter()
            .map(|t| {
                if t.days_before == 0 {
                    format!("当日: {}%", t.percent_kept)
                } else {
                    format!("{}日前から: {}%", t.days_before, t.percent_kept)
                }
            })
            .collect();
        parts.push("それ以前: 無料".into());
        parts.join("、")
    }
}

/// The split of a cancelled reservation's amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CancelSplit {
    pub fee_kept: i64,
    pub refunded: i64,
    pub percent_kept: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CancelRefusal {
    #[error("来店日（{0}）を過ぎているためキャンセルできません")]
    VisitPassed(Date),
    #[error("{}はキャンセル料が100%のため、お客様によるキャンセルはお受けできません（来店日 {visit}）", when_ja(.days))]
    FullFee { days: u32, visit: Date },
}

fn when_ja(days: &u32) -> String {
    if *days == 0 {
        "来店日当日".into()
    } else {
        format!("来店日の{days}日前から")
    }
}

/// The customer's cancellation on `today` (Japan) of a reservation for `visit` worth `amount`.
/// The fee is rounded down to the yen; the rest is refunded.
pub fn customer_cancel(policy: &CancellationPolicy, amount: i64, visit: Date, today: Date) -> Result<CancelSplit, CancelRefusal> {
    let days_before = (visit - today).whole_days();
    if days_before < 0 {
        return Err(CancelRefusal::VisitPassed(visit));
    }
    let pct = policy.percent_kept(days_before);
    if pct >= 100 {
        let from = policy
            .tiers
            .iter()
            .filter(|t| t.percent_kept >= 100)
            .map(|t| t.days_before)
            .max()
            .unwrap_or(0);
        return Err(CancelRefusal::FullFee { days: from, visit });
    }
    let fee = amount * pct as i64 / 100;
    Ok(CancelSplit {
        fee_kept: fee,
        refunded: amount - fee,
        percent_kept: pct,
    })
}

/// Why the merchant cancels (force majeure): the customer gets everything back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MerchantReason {
    Weather,
    TooFewParticipants,
    EquipmentFailure,
    Other(String),
}

impl MerchantReason {
    pub fn parse(code: &str, text: &str) -> Result<MerchantReason, crate::validate::FieldError> {
        match code {
            "weather" => Ok(MerchantReason::Weather),
            "too_few" => Ok(MerchantReason::TooFewParticipants),
            "equipment" => Ok(MerchantReason::EquipmentFailure),
            "other" => {
                let t = crate::validate::required_text("reason_text", text, 500)
                    .map_err(|_| crate::validate::FieldError::new("reason_text", "「その他」の場合は理由を入力してください"))?;
                Ok(MerchantReason::Other(t))
            }
            _ => Err(crate::validate::FieldError::new(
                "reason",
                "天候・催行人数未達・設備故障・その他 から選んでください",
            )),
        }
    }

    pub fn label_ja(&self) -> String {
        match self {
            MerchantReason::Weather => "天候".into(),
            MerchantReason::TooFewParticipants => "催行人数未達".into(),
            MerchantReason::EquipmentFailure => "設備故障".into(),
            MerchantReason::Other(t) => format!("その他（{t}）"),
        }
    }
}

/// Who cancels a reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Canceller {
    /// The customer (from "my tickets", or an OTA on the customer's behalf): the policy applies.
    Customer,
    /// The merchant for force majeure: everything is given back.
    Merchant(MerchantReason),
}

/// What the cancellation must know about the reservation.
#[derive(Debug, Clone, Copy)]
pub struct CancelFacts {
    pub method: crate::order::PaymentMethod,
    pub status: crate::web_ticket::Status,
    pub redeemed: bool,
    pub no_show: bool,
    pub amount: i64,
    pub visit: Date,
    pub today: Date,
}

/// A side effect of a cancellation, carried out by the use case (gateway calls before the
/// transaction, the rest inside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelEffect {
    /// Capture this part of a card authorization (the fee kept) and release the rest.
    CaptureCard(i64),
    VoidAuthorization,
    /// Refund this much of a captured card payment.
    RefundCard(i64),
    /// Pay this much back by bank transfer (the platform, or the store for 店舗口座).
    RefundByTransfer(i64),
    /// The card company's cancellation: the merchant pays the cancel-request fee.
    ChargeCancelRequestFee,
    RestoreStock,
}

/// The cancellation decided: the fee kept, what the customer gets back (or is released from),
/// and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelPlan {
    pub fee_kept: i64,
    pub refunded: i64,
    pub percent_kept: u32,
    pub effects: Vec<CancelEffect>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CancelReservationRefusal {
    #[error("この予約はすでにキャンセルされています")]
    AlreadyCancelled,
    #[error("来店済み（引き換え済み）の予約はキャンセルできません")]
    Redeemed,
    #[error("ノーショーになった予約はキャンセルできません（ノーショーは変更できません）")]
    NoShow,
    #[error("カードのキャンセル申請中です。事務局の処理をお待ちください")]
    CancelRequested,
    #[error("{0}")]
    Policy(#[from] CancelRefusal),
}

impl CancelReservationRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            CancelReservationRefusal::AlreadyCancelled => "already_cancelled",
            CancelReservationRefusal::Redeemed => "already_redeemed",
            CancelReservationRefusal::NoShow => "no_show",
            CancelReservationRefusal::CancelRequested => "cancel_requested",
            CancelReservationRefusal::Policy(CancelRefusal::VisitPassed(_)) => "visit_passed",
            CancelReservationRefusal::Policy(CancelRefusal::FullFee { .. }) => "outside_cancellation_window",
        }
    }
}

/// The one transition of a reservation into キャンセル. Money moves only as far as it was
/// collected: an unpaid booking is cancelled without a fee (there is nothing to keep it from),
/// an authorization keeps the fee by capturing that part, a paid booking is refunded the rest.
pub fn plan_cancel(f: &CancelFacts, who: &Canceller, policy: &CancellationPolicy) -> Result<CancelPlan, CancelReservationRefusal> {
    use crate::order::PaymentMethod as M;
    use crate::web_ticket::Status as S;
    match f.status {
        S::Cancelled => return Err(CancelReservationRefusal::AlreadyCancelled),
        S::CancelRequested => return Err(CancelReservationRefusal::CancelRequested),
        _ => {}
    }
    if f.redeemed {
        return Err(CancelReservationRefusal::Redeemed);
    }
    if f.no_show {
        return Err(CancelReservationRefusal::NoShow);
    }
    let split = match who {
        Canceller::Customer => customer_cancel(policy, f.amount, f.visit, f.today)?,
        Canceller::Merchant(_) => {
            if f.today > f.visit {
                return Err(CancelRefusal::VisitPassed(f.visit).into());
            }
            CancelSplit {
                fee_kept: 0,
                refunded: f.amount,
                percent_kept: 0,
            }
        }
    };
    let mut effects = vec![CancelEffect::RestoreStock];
    let (fee_kept, refunded) = match f.status {
        // Nothing was collected: nothing to keep and nothing to give back.
        S::Unpaid | S::Unreceived => (0, 0),
        S::Authorized => {
            effects.push(if split.fee_kept > 0 {
                CancelEffect::CaptureCard(split.fee_kept)
            } else {
                CancelEffect::VoidAuthorization
            });
            (split.fee_kept, split.refunded)
        }
        S::AwaitingSend | S::Sent => {
            if split.refunded > 0 {
                if f.method == M::CardCapture || f.method == M::CardAuth {
                    effects.push(CancelEffect::RefundCard(split.refunded));
                    effects.push(CancelEffect::ChargeCancelRequestFee);
                } else {
                    effects.push(CancelEffect::RefundByTransfer(split.refunded));
                }
            }
            (split.fee_kept, split.refunded)
        }
        S::Cancelled | S::CancelRequested => unreachable!("refused above"),
    };
    Ok(CancelPlan {
        fee_kept,
        refunded,
        percent_kept: split.percent_kept,
        effects,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedeemRefusal {
    #[error("このチケットの来店日は {0} です（本日は引き換えできません）")]
    WrongDay(Date),
}

/// Redemption is allowed at any hour of the visit date in Japan, and on no other day.
pub fn check_visit_day(visit: Date, now: OffsetDateTime) -> Result<(), RedeemRefusal> {
    if now.to_offset(JST).date() == visit {
        Ok(())
    } else {
        Err(RedeemRefusal::WrongDay(visit))
    }
}

/// An unredeemed reservation whose visit date has passed (in Japan) is a no-show.
pub fn is_no_show(visit: Date, redeemed: bool, today: Date) -> bool {
    !redeemed && today > visit
}

/// 6-digit e-ticket IDs: exactly six ASCII digits.
pub fn parse_eticket_id(s: &str) -> Option<&str> {
    let s = s.trim();
    (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

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
        Scheduled => "scheduled", "お支払い予定";
        Paid => "paid", "お支払い済み";
    }
);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayoutRefusal {
    #[error("この入金はすでにお支払い済みです")]
    AlreadyPaid,
}

impl PayoutStatus {
    /// The one transition of a payout: the platform records the transfer.
    pub fn mark_paid(self) -> Result<PayoutStatus, PayoutRefusal> {
        match self {
            PayoutStatus::Scheduled => Ok(PayoutStatus::Paid),
            PayoutStatus::Paid => Err(PayoutRefusal::AlreadyPaid),
        }
    }
}

crate::catalog::code_enum!(
    /// The door's outcome kept on a reservation's order (`orders.door_state`).
    DoorState {
        Open => "open", "未来店";
        Redeemed => "redeemed", "引き換え済み";
        NoShow => "no_show", "ノーショー";
    }
);

/// Where a booking stands at the door (the reservation list's 来店状況).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingState {
    /// Not cancelled, not redeemed, not no-show: still to come (paid or not).
    Open,
    Redeemed,
    NoShow,
    Cancelled,
}

impl BookingState {
    pub const ALL: [BookingState; 4] = [
        BookingState::Open,
        BookingState::Redeemed,
        BookingState::NoShow,
        BookingState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BookingState::Open => "open",
            BookingState::Redeemed => "redeemed",
            BookingState::NoShow => "no_show",
            BookingState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<BookingState> {
        BookingState::ALL.into_iter().find(|b| b.as_str() == s)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            BookingState::Open => "未来店",
            BookingState::Redeemed => "引き換え済み",
            BookingState::NoShow => "ノーショー",
            BookingState::Cancelled => "キャンセル",
        }
    }

    /// A booking's state from its order's status and the door's outcome kept on it.
    pub fn of(order_status: crate::web_ticket::Status, door: DoorState) -> BookingState {
        match (order_status, door) {
            (crate::web_ticket::Status::Cancelled, _) => BookingState::Cancelled,
            (_, DoorState::Open) => BookingState::Open,
            (_, DoorState::Redeemed) => BookingState::Redeemed,
            (_, DoorState::NoShow) => BookingState::NoShow,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    fn policy() -> CancellationPolicy {
        CancellationPolicy::new(vec![
            Tier {
                days_before: 3,
                percent_kept: 50,
            },
            Tier {
                days_before: 0,
                percent_kept: 100,
            },
        ])
        .unwrap()
    }

    #[test]
    fn tiers_apply_at_their_boundaries() {
        let p = policy();
        let visit = date!(2026 - 12 - 10);
        assert_eq!(
            customer_cancel(&p, 4400, visit, date!(2026 - 12 - 06)).unwrap(),
            CancelSplit {
                fee_kept: 0,
                refunded: 4400,
                percent_kept: 0
            }
        );
        assert_eq!(
            customer_cancel(&p, 4400, visit, date!(2026 - 12 - 07)).unwrap(),
            CancelSplit {
                fee_kept: 2200,
                refunded: 2200,
                percent_kept: 50
            }
        );
        assert_eq!(customer_cancel(&p, 4400, visit, date!(2026 - 12 - 09)).unwrap().percent_kept, 50);
        assert!(matches!(
            customer_cancel(&p, 4400, visit, visit),
            Err(CancelRefusal::FullFee { days: 0, .. })
        ));
        assert!(matches!(
            customer_cancel(&p, 4400, visit, date!(2026 - 12 - 11)),
            Err(CancelRefusal::VisitPassed(_))
        ));
        assert_eq!(p.describe_ja(), "当日: 100%、3日前から: 50%、それ以前: 無料");
    }

    #[test]
    fn bad_policies_are_refused_with_the_reason() {
        assert_eq!(
            CancellationPolicy::new(vec![
                Tier {
                    days_before: 3,
                    percent_kept: 50
                },
                Tier {
                    days_before: 3,
                    percent_kept: 80
                }
            ]),
            Err(PolicyError::Overlap(3))
        );
        assert!(matches!(
            CancellationPolicy::new(vec![Tier {
                days_before: 1,
                percent_kept: 120
            }]),
            Err(PolicyError::Percent { .. })
        ));
        assert!(matches!(
            CancellationPolicy::new(vec![
                Tier {
                    days_before: 0,
                    percent_kept: 30
                },
                Tier {
                    days_before: 7,
                    percent_kept: 50
                }
            ]),
            Err(PolicyError::NotMonotonic { .. })
        ));
    }

    #[test]
    fn the_visit_day_runs_from_midnight_to_midnight_in_japan() {
        let visit = date!(2026 - 12 - 10);
        assert!(check_visit_day(visit, datetime!(2026-12-09 23:59:59 +09:00)).is_err());
        assert!(check_visit_day(visit, datetime!(2026-12-10 00:00 +09:00)).is_ok());
        assert!(check_visit_day(visit, datetime!(2026-12-10 23:59:59 +09:00)).is_ok());
        assert_eq!(
            check_visit_day(visit, datetime!(2026-12-11 00:00 +09:00)),
            Err(RedeemRefusal::WrongDay(visit))
        );
        // 2026-12-09 15:00 UTC is already the visit day in Japan.
        assert!(check_visit_day(visit, datetime!(2026-12-09 15:00 UTC)).is_ok());
    }

    #[test]
    fn no_show_only_after_the_visit_day() {
        let visit = date!(2026 - 12 - 10);
        assert!(!is_no_show(visit, false, visit));
        assert!(is_no_show(visit, false, date!(2026 - 12 - 11)));
        assert!(!is_no_show(visit, true, date!(2026 - 12 - 11)));
    }

    #[test]
    fn eticket_ids_are_six_digits() {
        assert_eq!(parse_eticket_id(" 012345 "), Some("012345"));
        assert_eq!(parse_eticket_id("12345"), None);
        assert_eq!(parse_eticket_id("12345a"), None);
        assert_eq!(parse_eticket_id("１２３４５６"), None);
    }

    #[test]
    fn a_payout_is_paid_once() {
        assert_eq!(PayoutStatus::Scheduled.mark_paid(), Ok(PayoutStatus::Paid));
        assert_eq!(PayoutStatus::Paid.mark_paid(), Err(PayoutRefusal::AlreadyPaid));
        assert!(PayoutStatus::parse("lost").is_none());
    }

    #[test]
    fn merchant_reasons() {
        assert_eq!(MerchantReason::parse("weather", "").unwrap().label_ja(), "天候");
        assert_eq!(MerchantReason::parse("other", "").unwrap_err().field, "reason_text");
        assert_eq!(MerchantReason::parse("other", "停電").unwrap().label_ja(), "その他（停電）");
        assert!(MerchantReason::parse("rain", "").is_err());
    }

    fn facts(status: crate::web_ticket::Status, method: crate::order::PaymentMethod, today: Date) -> CancelFacts {
        CancelFacts {
            method,
            status,
            redeemed: false,
            no_show: false,
            amount: 8800,
            visit: date!(2026 - 12 - 10),
            today,
        }
    }

    #[test]
    fn cancelling_moves_only_the_money_that_was_collected() {
        use crate::order::PaymentMethod as M;
        use crate::web_ticket::Status as S;
        let p = policy();
        let three_before = date!(2026 - 12 - 07);
        let paid = plan_cancel(&facts(S::Sent, M::CardCapture, three_before), &Canceller::Customer, &p).unwrap();
        assert_eq!((paid.fee_kept, paid.refunded), (4400, 4400));
        assert!(paid.effects.contains(&CancelEffect::RefundCard(4400)));
        assert!(paid.effects.contains(&CancelEffect::ChargeCancelRequestFee));
        let auth = plan_cancel(&facts(S::Authorized, M::CardAuth, three_before), &Canceller::Customer, &p).unwrap();
        assert!(auth.effects.contains(&CancelEffect::CaptureCard(4400)));
        let free = plan_cancel(&facts(S::Authorized, M::CardAuth, date!(2026 - 12 - 01)), &Canceller::Customer, &p).unwrap();
        assert!(free.effects.contains(&CancelEffect::VoidAuthorization));
        let unpaid = plan_cancel(&facts(S::Unpaid, M::BankPlatform, three_before), &Canceller::Customer, &p).unwrap();
        assert_eq!((unpaid.fee_kept, unpaid.refunded), (0, 0));
        let bank = plan_cancel(&facts(S::AwaitingSend, M::BankPlatform, three_before), &Canceller::Customer, &p).unwrap();
        assert!(bank.effects.contains(&CancelEffect::RefundByTransfer(4400)));
        // Force majeure on the day: everything back, even inside the 100 % tier.
        let fm = plan_cancel(
            &facts(S::Sent, M::CardCapture, date!(2026 - 12 - 10)),
            &Canceller::Merchant(MerchantReason::Weather),
            &p,
        )
        .unwrap();
        assert_eq!((fm.fee_kept, fm.refunded), (0, 8800));
        assert_eq!(
            plan_cancel(&facts(S::Sent, M::CardCapture, date!(2026 - 12 - 10)), &Canceller::Customer, &p)
                .unwrap_err()
                .code(),
            "outside_cancellation_window"
        );
        let mut redeemed = facts(S::Sent, M::CardCapture, three_before);
        redeemed.redeemed = true;
        assert_eq!(
            plan_cancel(&redeemed, &Canceller::Customer, &p),
            Err(CancelReservationRefusal::Redeemed)
        );
        let mut ns = facts(S::Sent, M::CardCapture, date!(2026 - 12 - 11));
        ns.no_show = true;
        assert_eq!(
            plan_cancel(&ns, &Canceller::Merchant(MerchantReason::Weather), &p),
            Err(CancelReservationRefusal::NoShow)
        );
        assert_eq!(
            plan_cancel(&facts(S::Cancelled, M::CardCapture, three_before), &Canceller::Customer, &p),
            Err(CancelReservationRefusal::AlreadyCancelled)
        );
    }

    fn tiers() -> impl Strategy<Value = Vec<Tier>> {
        prop::collection::btree_map(0u32..60, 0u32..=100, 0..5).prop_map(|m| {
            // Make it monotonic: sort by day, then keep a non-increasing percentage outwards.
            let mut out: Vec<Tier> = Vec::new();
            let mut cap = 100;
            for (d, p) in m {
                let p = p.min(cap);
                cap = p;
                out.push(Tier {
                    days_before: d,
                    percent_kept: p,
                });
            }
            out
        })
    }

    proptest! {
        #[test]
        fn fee_plus_refund_is_the_amount_and_grows_towards_the_visit(t in tiers(), amount in 0i64..1_000_000, a in 0i64..90, b in 0i64..90) {
            let p = CancellationPolicy::new(t).unwrap();
            let visit = date!(2027 - 01 - 31);
            let (near, far) = if a <= b { (a, b) } else { (b, a) };
            let near_split = customer_cancel(&p, amount, visit, visit - time::Duration::days(near));
            let far_split = customer_cancel(&p, amount, visit, visit - time::Duration::days(far));
            if let Ok(s) = near_split { prop_assert_eq!(s.fee_kept + s.refunded, amount); }
            if let Ok(s) = far_split { prop_assert_eq!(s.fee_kept + s.refunded, amount); }
            prop_assert!(p.percent_kept(near) >= p.percent_kept(far));
        }

        #[test]
        fn a_cancellation_never_moves_more_than_was_collected(
            t in tiers(), amount in 0i64..1_000_000, days in 0i64..40, status in 0usize..5, method in 0usize..5, merchant in any::<bool>(),
        ) {
            use crate::order::PaymentMethod as M;
            use crate::web_ticket::Status as S;
            let statuses = [S::Unpaid, S::Unreceived, S::Authorized, S::AwaitingSend, S::Sent];
            let methods = [M::BankPlatform, M::BankStore, M::PayAtVenue, M::CardAuth, M::CardCapture];
            let p = CancellationPolicy::new(t).unwrap();
            let visit = date!(2027 - 01 - 31);
            let f = CancelFacts { method: methods[method], status: statuses[status], redeemed: false, no_show: false, amount, visit, today: visit - time::Duration::days(days) };
            let who = if merchant { Canceller::Merchant(MerchantReason::Weather) } else { Canceller::Customer };
            if let Ok(plan) = plan_cancel(&f, &who, &p) {
                let collected = !matches!(statuses[status], S::Unpaid | S::Unreceived);
                if collected {
                    prop_assert_eq!(plan.fee_kept + plan.refunded, amount);
                } else {
                    prop_assert_eq!((plan.fee_kept, plan.refunded), (0, 0));
                }
                if merchant { prop_assert_eq!(plan.fee_kept, 0); }
                prop_assert!(plan.effects.contains(&CancelEffect::RestoreStock));
                let card_refund: i64 = plan.effects.iter().map(|e| if let CancelEffect::RefundCard(a) = e { *a } else { 0 }).sum();
                prop_assert!(card_refund <= amount);
            } else {
                // Only the customer is ever refused here, and only inside the 100 % tier.
                prop_assert!(!merchant);
                prop_assert!(p.percent_kept(days) >= 100);
            }
        }

        #[test]
        fn payouts_are_the_sum_of_their_parts(
            lines in prop::collection::vec((0usize..3, 0usize..6, 0i64..100_000), 0..200),
            fee_bp in 0i64..2000,
        ) {
            let kinds = LineKind::ALL;
            let lines: Vec<PayoutLine> = lines.into_iter().map(|(c, k, a)| PayoutLine { channel: format!("CH{c}"), kind: kinds[k], amount: a }).collect();
            let (per, total) = payout(&lines, fee_bp);
            let sum = |k: LineKind| lines.iter().filter(|l| l.kind == k).map(|l| l.amount).sum::<i64>();
            prop_assert_eq!(total.gross, sum(LineKind::Used) + sum(LineKind::NoShow));
            prop_assert_eq!(total.refunds, sum(LineKind::Refund));
            prop_assert_eq!(total.cancellation_fees_kept, sum(LineKind::CancellationFeeKept));
            prop_assert_eq!(total.cancel_request_fees, sum(LineKind::CancelRequestFee));
            prop_assert_eq!(total.collected_by_merchant, sum(LineKind::CollectedByMerchant));
            prop_assert_eq!(total.net, total.gross - total.platform_fee - total.cancel_request_fees - total.refunds + total.cancellation_fees_kept - total.collected_by_merchant);
            // The channels add up to the total, to the yen.
            prop_assert_eq!(per.iter().map(|(_, t)| t.net).sum::<i64>(), total.net);
            prop_assert_eq!(per.iter().map(|(_, t)| t.platform_fee).sum::<i64>(), total.platform_fee);
            let fees: i64 = lines.iter().filter(|l| l.kind.is_revenue()).map(|l| platform_fee(l.amount, fee_bp)).sum();
            prop_assert_eq!(total.platform_fee, fees);
        }
    }

    #[test]
    fn booking_states_read_back_and_cancellation_wins() {
        for b in BookingState::ALL {
            assert_eq!(BookingState::parse(b.as_str()), Some(b));
        }
        use crate::web_ticket::Status as S;
        assert_eq!(BookingState::of(S::AwaitingSend, DoorState::Redeemed), BookingState::Redeemed);
        assert_eq!(BookingState::of(S::Sent, DoorState::NoShow), BookingState::NoShow);
        assert_eq!(BookingState::of(S::Unreceived, DoorState::Open), BookingState::Open);
        assert_eq!(BookingState::of(S::Cancelled, DoorState::Open), BookingState::Cancelled);
        assert_eq!(BookingState::parse("gone"), None);
    }
}
