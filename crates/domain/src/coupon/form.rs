//! A coupon as the merchant admin types it (the form and the API): every field read as meant
//! (full width, lower case) and checked against the maxima of [`super`].

use super::{Discount, MAX_CODE, MAX_DISCOUNT_YEN, MAX_MIN_AMOUNT, MAX_NAME, MAX_USES};
use crate::typed::{code, optional_count, period};
use crate::validate::{Collect, FieldError, FieldErrors};

/// A coupon as typed in the admin's form or the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct CouponInput {
    pub code: String,
    pub name: String,
    /// `yen` or `percent`.
    pub discount_kind: String,
    pub discount_value: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
    #[serde(default)]
    pub min_amount: String,
    #[serde(default)]
    pub per_customer: String,
    #[serde(default)]
    pub total_limit: String,
    #[serde(default)]
    pub enabled: bool,
}

/// A coupon's settings after every field passed its rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CouponFields {
    pub code: String,
    pub name: String,
    pub discount: Discount,
    /// `YYYY-MM-DD` or empty.
    pub valid_from: String,
    pub valid_to: String,
    pub min_amount: i64,
    pub per_customer: Option<i64>,
    pub total_limit: Option<i64>,
    pub enabled: bool,
}

/// Every field checked; every bad one named at once.
pub fn validate(i: &CouponInput) -> Result<CouponFields, FieldErrors> {
    let mut errs = Collect::default();
    let code = errs.take(code("code", "クーポンコード", &i.code, MAX_CODE));
    let name = errs.take(crate::validate::required_text("name", &i.name, MAX_NAME));
    let discount = match i.discount_kind.trim() {
        "yen" => errs.take(
            optional_count("discount_value", &i.discount_value, 1, MAX_DISCOUNT_YEN)
                .and_then(|v| v.ok_or_else(|| FieldError::new("discount_value", "入力してください")))
                .map(Discount::Yen),
        ),
        "percent" => errs.take(
            optional_count("discount_value", &i.discount_value, 1, 100)
                .and_then(|v| v.ok_or_else(|| FieldError::new("discount_value", "入力してください")))
                .map(Discount::Percent),
        ),
        _ => {
            errs.push(FieldError::new("discount_kind", "値引きの種類（円 または %）を選んでください"));
            None
        }
    };
    let period = errs.take_all(period(&i.valid_from, &i.valid_to));
    let min_amount = errs.take(optional_count("min_amount", &i.min_amount, 0, MAX_MIN_AMOUNT));
    let per_customer = errs.take(optional_count("per_customer", &i.per_customer, 1, MAX_USES));
    let total_limit = errs.take(optional_count("total_limit", &i.total_limit, 1, MAX_USES));
    errs.finish()?;
    let (Some(code), Some(name), Some(discount), Some((valid_from, valid_to)), Some(min_amount), Some(per_customer), Some(total_limit)) =
        (code, name, discount, period, min_amount, per_customer, total_limit)
    else {
        return Err(FieldError::new("code", "入力内容を確認してください").into());
    };
    Ok(CouponFields {
        code,
        name,
        discount,
        valid_from,
        valid_to,
        min_amount: min_amount.unwrap_or(0),
        per_customer,
        total_limit,
        enabled: i.enabled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_names_every_bad_field() {
        let bad = CouponInput {
            code: "x".into(),
            name: "".into(),
            discount_kind: "percent".into(),
            discount_value: "101".into(),
            valid_from: "2026-12-31".into(),
            valid_to: "2026-12-01".into(),
            min_amount: "-1".into(),
            per_customer: "0".into(),
            total_limit: "abc".into(),
            enabled: true,
        };
        let e = validate(&bad).unwrap_err();
        for f in [
            "code",
            "name",
            "discount_value",
            "valid_to",
            "min_amount",
            "per_customer",
            "total_limit",
        ] {
            assert!(e.on(f).is_some(), "{f}: {e:?}");
        }
    }

    #[test]
    fn typed_with_the_ime_the_form_reads_as_meant() {
        let ok = CouponInput {
            code: " ｗｉｎｔｅｒ－１０ ".into(),
            name: "冬の10%引き".into(),
            discount_kind: "percent".into(),
            discount_value: "１０".into(),
            valid_from: "2026/12/01".into(),
            valid_to: "".into(),
            min_amount: "３，０００".into(),
            per_customer: "1".into(),
            total_limit: "".into(),
            enabled: true,
        };
        let f = validate(&ok).unwrap();
        assert_eq!(f.code, "WINTER-10");
        assert_eq!(f.discount, Discount::Percent(10));
        assert_eq!((f.valid_from.as_str(), f.valid_to.as_str()), ("2026-12-01", ""));
        assert_eq!((f.min_amount, f.per_customer, f.total_limit), (3000, Some(1), None));
    }
}
