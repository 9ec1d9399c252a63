//! AD codes (媒体): the advertising medium an order came from (a newspaper ad, a TV spot, a
//! leaflet). A merchant sets each up with its code, name and the period it runs; an order can
//! be given one while it is on and in its period. Pure: the caller brings today's date.
//!
//! Maxima: a code of up to [`MAX_CODE`] characters, a name of up to [`MAX_NAME`].

use crate::label::Said;
use crate::typed::{code, period};
use crate::validate::{Collect, FieldError, FieldErrors};
use time::Date;

pub const MAX_CODE: usize = 32;
pub const MAX_NAME: usize = 100;

/// An AD code as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdCode {
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    Disabled,
    OutOfPeriod,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Unknown => "ad_code_unknown",
            Refusal::Disabled => "ad_code_disabled",
            Refusal::OutOfPeriod => "ad_code_out_of_period",
        }
    }

    pub fn said(&self) -> Said {
        match self {
            Refusal::Unknown => Said::new("そのADコードはありません", "There is no AD code like this"),
            Refusal::Disabled => Said::new("このADコードは停止中です", "This AD code is switched off"),
            Refusal::OutOfPeriod => Said::new("このADコードは期間外です", "This AD code is outside its period"),
        }
    }
}

crate::display_said!(Refusal);

impl AdCode {
    /// Whether an order placed today may carry it: on, and within its period (both days
    /// included).
    pub fn check(&self, today: Date) -> Result<(), Refusal> {
        if !self.enabled {
            return Err(Refusal::Disabled);
        }
        let after_start = self.valid_from.is_none_or(|f| today >= f);
        let before_end = self.valid_to.is_none_or(|t| today <= t);
        if after_start && before_end {
            Ok(())
        } else {
            Err(Refusal::OutOfPeriod)
        }
    }
}

/// An AD code as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct AdCodeInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
    #[serde(default)]
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AdCodeFields {
    pub code: String,
    pub name: String,
    pub valid_from: String,
    pub valid_to: String,
    pub enabled: bool,
}

pub fn validate(i: &AdCodeInput) -> Result<AdCodeFields, FieldErrors> {
    let mut errs = Collect::default();
    let code = errs.take(code("code", "ADコード", &i.code, MAX_CODE));
    let name = errs.take(crate::validate::required_text("name", &i.name, MAX_NAME));
    let period = errs.take_all(period(&i.valid_from, &i.valid_to));
    errs.finish()?;
    let (Some(code), Some(name), Some((valid_from, valid_to))) = (code, name, period) else {
        return Err(FieldError::new("code", "入力内容を確認してください").into());
    };
    Ok(AdCodeFields {
        code,
        name,
        valid_from,
        valid_to,
        enabled: i.enabled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn an_ad_code_runs_within_its_period_while_on() {
        let a = AdCode {
            valid_from: Some(date!(2026 - 12 - 01)),
            valid_to: Some(date!(2026 - 12 - 31)),
            enabled: true,
        };
        assert_eq!(a.check(date!(2026 - 12 - 01)), Ok(()));
        assert_eq!(a.check(date!(2026 - 12 - 31)), Ok(()));
        assert_eq!(a.check(date!(2027 - 01 - 01)), Err(Refusal::OutOfPeriod));
        let off = AdCode { enabled: false, ..a };
        assert_eq!(off.check(date!(2026 - 12 - 10)), Err(Refusal::Disabled));
    }

    #[test]
    fn the_form_reads_codes_as_meant_and_names_bad_fields() {
        let f = validate(&AdCodeInput {
            code: "ｔｖ－２０２６".into(),
            name: "テレビCM".into(),
            valid_from: "".into(),
            valid_to: "2026-12-31".into(),
            enabled: true,
        })
        .unwrap();
        assert_eq!(f.code, "TV-2026");
        let e = validate(&AdCodeInput {
            code: "広告".into(),
            name: " ".into(),
            valid_from: "2026-13-01".into(),
            valid_to: "".into(),
            enabled: true,
        })
        .unwrap_err();
        for field in ["code", "name", "valid_from"] {
            assert!(e.on(field).is_some(), "{field}");
        }
    }

    proptest! {
        #[test]
        fn an_open_period_is_always_on(day in 0i32..3650) {
            let a = AdCode { valid_from: None, valid_to: None, enabled: true };
            let d = date!(2020 - 01 - 01) + time::Duration::days(day.into());
            prop_assert_eq!(a.check(d), Ok(()));
        }

        #[test]
        fn within_means_between_both_days(from in 0i32..400, len in 0i32..400, probe in 0i32..1200) {
            let base = date!(2026 - 01 - 01);
            let f = base + time::Duration::days(from.into());
            let t = f + time::Duration::days(len.into());
            let d = base + time::Duration::days(probe.into());
            let a = AdCode { valid_from: Some(f), valid_to: Some(t), enabled: true };
            prop_assert_eq!(a.check(d).is_ok(), f <= d && d <= t);
        }
    }
}
