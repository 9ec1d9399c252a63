//! What only a goods product has on its form: the parcel's サイズ and weight, both optional.

use kippu_domain::catalog::ProductKind;
use kippu_domain::goods::{MAX_WEIGHT_G, SizeClass};
use kippu_domain::validate::{Collect, FieldError, FieldErrors};

/// A goods product's parcel, as checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Parcel {
    pub size_class: Option<SizeClass>,
    pub weight_g: Option<i64>,
}

/// The size class and weight as typed; other kinds of product take neither.
pub fn check(kind: Option<ProductKind>, size: &str, weight: &str) -> Result<Parcel, FieldErrors> {
    let (size, weight) = (size.trim(), weight.trim());
    if kind != Some(ProductKind::Goods) {
        let mut errs = Collect::default();
        if !size.is_empty() {
            errs.push(FieldError::new("size_class", "サイズは物販の商品だけに指定できます"));
        }
        if !weight.is_empty() {
            errs.push(FieldError::new("weight_g", "重量は物販の商品だけに指定できます"));
        }
        errs.finish()?;
        return Ok(Parcel::default());
    }
    let mut errs = Collect::default();
    let size_class = errs.take(kippu_domain::validate::choice("size_class", size));
    let weight_g = errs.take(match weight {
        "" => Ok(None),
        w => kippu_domain::normalize::integer(w)
            .filter(|g| (1..=MAX_WEIGHT_G).contains(g))
            .map(Some)
            .ok_or_else(|| FieldError::new("weight_g", format!("重量は1〜{MAX_WEIGHT_G}グラムの数字で入力してください"))),
    });
    errs.finish()?;
    Ok(Parcel {
        size_class: size_class.flatten(),
        weight_g: weight_g.flatten(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_goods_product_takes_a_size_and_a_weight_and_nothing_else_does() {
        assert_eq!(
            check(Some(ProductKind::Goods), "80", "１２００"),
            Ok(Parcel {
                size_class: Some(SizeClass::S80),
                weight_g: Some(1200)
            })
        );
        assert_eq!(check(Some(ProductKind::Goods), "", ""), Ok(Parcel::default()));
        let e = check(Some(ProductKind::Goods), "90", "0").unwrap_err();
        assert_eq!(e.on("size_class"), Some("「90」は選択肢にありません"));
        assert_eq!(e.on("weight_g"), Some("重量は1〜50000グラムの数字で入力してください"));
        let e = check(Some(ProductKind::WebTicket), "60", "").unwrap_err();
        assert_eq!(e.on("size_class"), Some("サイズは物販の商品だけに指定できます"));
    }
}
