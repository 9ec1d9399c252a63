//! Reservations at the door (spec §5): cancellation policies, the visit-day rule, no-shows and
//! the monthly payout arithmetic. Pure rules; the use cases in kippu-app apply them.

use crate::clock::JST;
use crate::label::Said;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

crate::catalog::code_enum!(
    /// A ticket's state beyond usage: valid, cancelled with its order, or a no-show (final).
    TicketState {
        Active => "active", "有効", "Valid";
        Cancelled => "cancelled", "キャンセル", "Cancelled";
        NoShow => "no_show", "ノーショー", "No-show";
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelRefusal {
    VisitPassed(Date),
    FullFee { days: u32, visit: Date },
}

impl CancelRefusal {
    pub fn said(&self) -> Said {
        match self {
            CancelRefusal::VisitPassed(d) => Said::new(
                format!("来店日（{d}）を過ぎているためキャンセルできません"),
                format!("The visit date ({d}) has passed; the booking cannot be cancelled"),
            ),
            CancelRefusal::FullFee { days, visit } => {
                let (ja, en) = if *days == 0 {
                    ("来店日当日".to_string(), "On the visit day".to_string())
                } else {
                    (format!("来店日の{days}日前から"), format!("From {days} days before the visit"))
                };
                Said::new(
                    format!("{ja}はキャンセル料が100%のため、お客様によるキャンセルはお受けできません（来店日 {visit}）"),
                    format!("{en} the cancellation fee is 100%, so the customer cannot cancel (visit {visit})"),
                )
            }
        }
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelReservationRefusal {
    AlreadyCancelled,
    Redeemed,
    NoShow,
    CancelRequested,
    Policy(CancelRefusal),
}

impl From<CancelRefusal> for CancelReservationRefusal {
    fn from(r: CancelRefusal) -> Self {
        CancelReservationRefusal::Policy(r)
    }
}

crate::display_said!(CancelRefusal, CancelReservationRefusal);

impl CancelReservationRefusal {
    pub fn said(&self) -> Said {
        use CancelReservationRefusal as R;
        match self {
            R::AlreadyCancelled => Said::new("この予約はすでにキャンセルされています", "This booking is already cancelled"),
            R::Redeemed => Said::new(
                "来店済み（引き換え済み）の予約はキャンセルできません",
                "A booking that has been redeemed at the door cannot be cancelled",
            ),
            R::NoShow => Said::new(
                "ノーショーになった予約はキャンセルできません（ノーショーは変更できません）",
                "A no-show booking cannot be cancelled (a no-show is final)",
            ),
            R::CancelRequested => Said::new(
                "カードのキャンセル申請中です。事務局の処理をお待ちください",
                "A card cancel request is pending; wait for the platform operator",
            ),
            R::Policy(p) => p.said(),
        }
    }

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

crate::catalog::code_enum!(
    /// The door's outcome kept on a reservation's order (`orders.door_state`).
    DoorState {
        Open => "open", "未来店", "To come";
        Redeemed => "redeemed", "引き換え済み", "Redeemed";
        NoShow => "no_show", "ノーショー", "No-show";
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

    /// The label in both languages (Japanese is the manual's).
    pub fn label(self) -> crate::label::Label {
        match self {
            BookingState::Open => crate::label::Label::new("未来店", "To come"),
            BookingState::Redeemed => crate::label::Label::new("引き換え済み", "Redeemed"),
            BookingState::NoShow => crate::label::Label::new("ノーショー", "No-show"),
            BookingState::Cancelled => crate::label::Label::new("キャンセル", "Cancelled"),
        }
    }

    pub fn label_ja(self) -> &'static str {
        self.label().ja
    }

    /// Where a booking's money stands, in the words of 予約一覧 (a paid booking is 支払い済み,
    /// whatever the web-ticket flow calls its sending steps).
    pub fn payment_label(order_status: crate::web_ticket::Status) -> crate::label::Label {
        use crate::label::Label;
        use crate::web_ticket::Status as S;
        match order_status {
            S::Unpaid => Label::new("未入金", "Unpaid"),
            S::Unreceived => Label::new("未領収（現地払い）", "To collect at the venue"),
            S::Authorized => Label::new("与信済", "Authorized"),
            S::AwaitingSend | S::Sent => Label::new("支払い済み", "Paid"),
            S::CancelRequested => Label::new("キャンセル申請中", "Cancel requested"),
            S::Cancelled => Label::new("キャンセル", "Cancelled"),
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

/// The settlement is every sale's now; its old home keeps the names.
pub use crate::settlement::*;

#[cfg(test)]
mod tests;
