//! 定期マスタ (a subscription master) and 頒布会 (a course): the cycle's arithmetic ([`cycle`]),
//! the master's status and its one transition function, and which delivery of a course is next.

pub mod cycle;

use crate::catalog::code_enum;
use crate::label::Said;
pub use cycle::{Cycle, CycleInput};
use serde::{Deserialize, Serialize};

code_enum!(
    /// A master's status.
    MasterStatus {
        Active => "active", "有効", "Active";
        Paused => "paused", "一時停止中", "Paused";
        Cancelled => "cancelled", "解約", "Cancelled";
        Finished => "finished", "終了", "Finished";
    }
);

code_enum!(
    /// What may happen to a master.
    MasterAction {
        Pause => "pause", "一時停止", "Pause";
        Resume => "resume", "再開", "Resume";
        Cancel => "cancel", "解約", "Cancel";
        Revive => "revive", "解約からの復活", "Revive";
        Finish => "finish", "終了", "Finish";
    }
);

/// What the rule needs to know beyond the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub status: MasterStatus,
    /// The master's main product (or, for a course, its next product) still exists.
    pub product_exists: bool,
}

/// Why a master may not do something, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotActive,
    NotPaused,
    AlreadyCancelled,
    AlreadyFinished,
    NotCancelled,
    ProductGone,
    /// Editing (マスタ編集) a cancelled or finished master.
    Closed(MasterStatus),
    /// A coupon is already applied: クーポン解除 first.
    CouponApplied,
    NoCouponApplied,
    /// The card may be changed only when the customer has two or more stored cards.
    OneCardOnly,
    /// A course's last delivery has been made.
    CourseOver,
}

impl Refusal {
    pub fn said(&self) -> Said {
        match *self {
            Refusal::NotActive => Said::new("有効な定期マスタではありません", "The subscription is not active"),
            Refusal::NotPaused => Said::new("一時停止中ではありません", "The subscription is not paused"),
            Refusal::AlreadyCancelled => Said::new("すでに解約されています", "The subscription is already cancelled"),
            Refusal::AlreadyFinished => Said::new("すでに終了しています", "The subscription has already finished"),
            Refusal::NotCancelled => Said::new(
                "解約されていない定期マスタは復活できません",
                "Only a cancelled subscription can be revived",
            ),
            Refusal::ProductGone => Said::new(
                "購入商品が削除されているため復活できません",
                "The product was deleted: the subscription cannot be revived",
            ),
            Refusal::Closed(s) => Said::new(
                format!("{}の定期マスタは編集できません", s.label_ja()),
                format!("A {} subscription cannot be edited", s.label().en.to_lowercase()),
            ),
            Refusal::CouponApplied => Said::new(
                "クーポン適用済みです。変更する場合は適用済みのクーポンを解除してから適用してください",
                "A coupon is applied: remove it (クーポン解除) before applying another",
            ),
            Refusal::NoCouponApplied => Said::new("適用済みのクーポンはありません", "No coupon is applied"),
            Refusal::OneCardOnly => Said::new(
                "クレジットカードが2枚以上登録されている場合のみ変更できます",
                "The card can be changed only when the customer has two or more cards",
            ),
            Refusal::CourseOver => Said::new("頒布会の最後のお届けが済んでいます", "The course's last delivery has been made"),
        }
    }
}

crate::display_said!(Refusal);

impl MasterStatus {
    /// マスタ編集 is open while the master runs or rests.
    pub fn check_editable(self) -> Result<(), Refusal> {
        match self {
            MasterStatus::Active | MasterStatus::Paused => Ok(()),
            s => Err(Refusal::Closed(s)),
        }
    }
}

/// The one transition function of a master: the status after `action`, or why not.
pub fn transition(f: Facts, action: MasterAction) -> Result<MasterStatus, Refusal> {
    use MasterAction as A;
    use MasterStatus as S;
    match (f.status, action) {
        (S::Cancelled, A::Revive) if !f.product_exists => Err(Refusal::ProductGone),
        (S::Cancelled, A::Revive) => Ok(S::Active),
        (_, A::Revive) => Err(Refusal::NotCancelled),
        (S::Cancelled, _) => Err(Refusal::AlreadyCancelled),
        (S::Finished, _) => Err(Refusal::AlreadyFinished),
        (S::Active, A::Pause) => Ok(S::Paused),
        (S::Paused, A::Pause) => Err(Refusal::NotActive),
        (S::Paused, A::Resume) => Ok(S::Active),
        (S::Active, A::Resume) => Err(Refusal::NotPaused),
        (S::Active | S::Paused, A::Cancel) => Ok(S::Cancelled),
        (S::Active, A::Finish) => Ok(S::Finished),
        (S::Paused, A::Finish) => Err(Refusal::NotActive),
    }
}

/// The actions a master offers now (its buttons).
pub fn available(f: Facts) -> Vec<MasterAction> {
    MasterAction::ALL.iter().copied().filter(|a| transition(f, *a).is_ok()).collect()
}

/// 頒布会: a merchant's ordered list of products, one per delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub products: Vec<i64>,
}

/// At most this many deliveries in one course.
pub const MAX_COURSE_STEPS: usize = 24;

impl Course {
    /// The product of delivery `made` (0-based: the order that created the master is delivery 0),
    /// or `None` after the last.
    pub fn product_of(&self, made: usize) -> Option<i64> {
        self.products.get(made).copied()
    }

    /// Whether the master finishes once delivery `made` has been made.
    pub fn finishes_after(&self, made: usize) -> bool {
        made + 1 >= self.products.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MasterAction as A;
    use MasterStatus as S;

    fn f(status: MasterStatus) -> Facts {
        Facts {
            status,
            product_exists: true,
        }
    }

    #[test]
    fn pause_resume_cancel_revive() {
        assert_eq!(transition(f(S::Active), A::Pause), Ok(S::Paused));
        assert_eq!(transition(f(S::Paused), A::Resume), Ok(S::Active));
        assert_eq!(transition(f(S::Paused), A::Cancel), Ok(S::Cancelled));
        assert_eq!(transition(f(S::Cancelled), A::Revive), Ok(S::Active));
        assert_eq!(transition(f(S::Active), A::Finish), Ok(S::Finished));
    }

    #[test]
    fn refusals() {
        assert_eq!(transition(f(S::Active), A::Resume), Err(Refusal::NotPaused));
        assert_eq!(transition(f(S::Cancelled), A::Pause), Err(Refusal::AlreadyCancelled));
        assert_eq!(transition(f(S::Finished), A::Cancel), Err(Refusal::AlreadyFinished));
        assert_eq!(transition(f(S::Active), A::Revive), Err(Refusal::NotCancelled));
        let gone = Facts {
            status: S::Cancelled,
            product_exists: false,
        };
        assert_eq!(transition(gone, A::Revive), Err(Refusal::ProductGone));
        assert!(S::Cancelled.check_editable().is_err());
        assert!(S::Paused.check_editable().is_ok());
    }

    #[test]
    fn every_status_and_action_has_an_answer_and_words() {
        for s in S::ALL {
            for a in A::ALL {
                if let Err(r) = transition(f(*s), *a) {
                    assert!(!r.said().ja.is_empty());
                }
            }
        }
        assert_eq!(available(f(S::Active)), vec![A::Pause, A::Cancel, A::Finish]);
    }

    #[test]
    fn a_course_finishes_after_its_last_product() {
        let c = Course { products: vec![1, 2, 3] };
        assert_eq!(c.product_of(1), Some(2));
        assert!(!c.finishes_after(1));
        assert!(c.finishes_after(2));
        assert_eq!(c.product_of(3), None);
    }
}
