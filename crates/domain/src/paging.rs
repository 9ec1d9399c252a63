//! Which page of a list is asked for. Bounded here, once, so `(page - 1) * per_page` can never
//! overflow and a list never silently answers with other rows than the ones asked for.

use crate::validate::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    page: i64,
    per_page: i64,
}

impl Paging {
    pub const MAX_PER_PAGE: i64 = 200;
    /// Deeper than any list is read by hand; keeps the offset far from overflow.
    pub const MAX_PAGE: i64 = 100_000;

    /// `page` from 1, `per_page` from 1 to [`Self::MAX_PER_PAGE`]; absent values take the first
    /// page and `default_per_page`. Anything else is refused, naming the parameter.
    pub fn new(page: Option<i64>, per_page: Option<i64>, default_per_page: i64) -> Result<Paging, FieldError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(default_per_page);
        if !(1..=Self::MAX_PAGE).contains(&page) {
            return Err(FieldError::new("page", format!("1〜{}で指定してください", Self::MAX_PAGE)));
        }
        if !(1..=Self::MAX_PER_PAGE).contains(&per_page) {
            return Err(FieldError::new("per_page", format!("1〜{}で指定してください", Self::MAX_PER_PAGE)));
        }
        Ok(Paging { page, per_page })
    }

    /// The first page of `per_page` rows (for code that pages on its own).
    pub fn first(per_page: i64) -> Paging {
        Paging {
            page: 1,
            per_page: per_page.clamp(1, Self::MAX_PER_PAGE),
        }
    }

    pub fn page(&self) -> i64 {
        self.page
    }

    pub fn per_page(&self) -> i64 {
        self.per_page
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// How many pages `total` rows fill (at least one).
    pub fn pages(&self, total: i64) -> i64 {
        ((total.max(0) + self.per_page - 1) / self.per_page).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn defaults_and_bounds() {
        let p = Paging::new(None, None, 50).unwrap();
        assert_eq!((p.page(), p.per_page(), p.offset()), (1, 50, 0));
        assert_eq!(Paging::new(Some(3), Some(20), 50).unwrap().offset(), 40);
        assert_eq!(Paging::new(Some(i64::MAX), None, 50).unwrap_err().field, "page");
        assert_eq!(Paging::new(Some(0), None, 50).unwrap_err().field, "page");
        assert_eq!(Paging::new(None, Some(201), 50).unwrap_err().field, "per_page");
        assert_eq!(Paging::new(None, Some(0), 50).unwrap_err().field, "per_page");
    }

    proptest! {
        #[test]
        fn an_accepted_paging_never_overflows(page in any::<i64>(), per in any::<i64>()) {
            if let Ok(p) = Paging::new(Some(page), Some(per), 50) {
                prop_assert!(p.offset() >= 0);
                prop_assert!(p.offset().checked_add(p.per_page()).is_some());
            }
        }
    }
}
