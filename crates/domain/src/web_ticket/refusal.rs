//! Why the web-ticket flow refuses an action, in both languages (the Japanese is the error's
//! `Display`, what the API and CSV say).

use super::{Action, Status};
use crate::label::Said;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    WrongStatus { status: Status, action: Action },
    WrongMethod { action: Action },
    PlatformOnly,
    AuthorizationExpired,
    CancelRequestPeriodOver,
    MethodNotOffered,
}

impl Refusal {
    pub fn said(&self) -> Said {
        match *self {
            Refusal::WrongStatus { status, action } => Said::new(
                format!("「{}」の受注には「{}」を実行できません", status.label_ja(), action.label_ja()),
                format!("“{}” cannot be done to an order that is “{}”", action.label().en, status.label().en),
            ),
            Refusal::WrongMethod { action } => Said::new(
                format!("この決済種別の受注には「{}」を実行できません", action.label_ja()),
                format!("“{}” cannot be done to an order with this payment method", action.label().en),
            ),
            Refusal::PlatformOnly => Said::new("事務局のみが実行できる処理です", "Only the platform operator can do this"),
            Refusal::AuthorizationExpired => Said::new(
                "与信期限（与信日から25日）を過ぎているため実決済できません",
                "The card authorization has expired (25 days after it was given); it cannot be captured",
            ),
            Refusal::CancelRequestPeriodOver => Said::new(
                "キャンセル申請の期間（実決済から60日）を過ぎています",
                "The period for a cancel request (60 days after capture) is over",
            ),
            Refusal::MethodNotOffered => Said::new(
                "この決済種別はウェブチケットでは受け付けていません",
                "Web tickets do not accept this payment method",
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageRefusal {
    NotPaid,
    AlreadyUsed,
    NotUsed,
}

impl UsageRefusal {
    pub fn said(&self) -> Said {
        match self {
            UsageRefusal::NotPaid => Said::new(
                "入金確認前またはキャンセルされた受注のチケットは使用できません",
                "A ticket of an unpaid or cancelled order cannot be used",
            ),
            UsageRefusal::AlreadyUsed => Said::new("すでに使用済みです", "Already used"),
            UsageRefusal::NotUsed => Said::new("未使用のチケットです", "The ticket is unused"),
        }
    }
}

crate::display_said!(Refusal, UsageRefusal);

#[cfg(test)]
mod tests {
    use super::*;

    /// Japanese outside 「」 (a quoted label of the manual may stay as it is).
    fn japanese_outside_quotes(s: &str) -> bool {
        let mut quoted = 0;
        s.chars().any(|c| {
            match c {
                '「' => quoted += 1,
                '」' => quoted -= 1,
                _ => {}
            }
            quoted == 0 && (('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c))
        })
    }

    fn every_refusal() -> Vec<Said> {
        let mut all = vec![];
        for status in Status::ALL {
            for action in Action::ALL {
                all.push(Refusal::WrongStatus { status, action }.said());
                all.push(Refusal::WrongMethod { action }.said());
            }
        }
        for r in [
            Refusal::PlatformOnly,
            Refusal::AuthorizationExpired,
            Refusal::CancelRequestPeriodOver,
            Refusal::MethodNotOffered,
        ] {
            all.push(r.said());
        }
        for r in [UsageRefusal::NotPaid, UsageRefusal::AlreadyUsed, UsageRefusal::NotUsed] {
            all.push(r.said());
        }
        all
    }

    #[test]
    fn every_refusal_has_english_for_the_english_screen_and_japanese_for_the_rest() {
        for said in every_refusal() {
            assert!(!japanese_outside_quotes(&said.en), "{}", said.en);
            assert!(japanese_outside_quotes(&said.ja), "{}", said.ja);
        }
    }

    #[test]
    fn the_error_text_is_the_japanese_sentence() {
        let r = Refusal::WrongStatus {
            status: Status::Unpaid,
            action: Action::RevertPayment,
        };
        assert_eq!(r.to_string(), r.said().ja);
        assert!(r.said().en.contains("“Unpaid”"), "{}", r.said().en);
    }
}
