//! The password rule of the voucher manual (seed 004), applied to every account: at least
//! 8 characters including digits, upper-case and lower-case letters.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    NoDigit,
    NoUpper,
    NoLower,
}

pub const MIN_LEN: usize = 8;
/// Argon2 accepts any length, but a cap stops a megabyte "password" from being hashed.
pub const MAX_LEN: usize = 128;

/// Every part of the rule the password breaks, so the message can name them all at once.
pub fn check(password: &str) -> Vec<PasswordProblem> {
    let mut problems = Vec::new();
    let len = password.chars().count();
    if len < MIN_LEN {
        problems.push(PasswordProblem::TooShort);
    }
    if len > MAX_LEN {
        problems.push(PasswordProblem::TooLong);
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        problems.push(PasswordProblem::NoDigit);
    }
    if !password.chars().any(|c| c.is_ascii_uppercase()) {
        problems.push(PasswordProblem::NoUpper);
    }
    if !password.chars().any(|c| c.is_ascii_lowercase()) {
        problems.push(PasswordProblem::NoLower);
    }
    problems
}

impl PasswordProblem {
    pub fn message_ja(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "8文字以上にしてください",
            PasswordProblem::TooLong => "128文字以内にしてください",
            PasswordProblem::NoDigit => "数字を含めてください",
            PasswordProblem::NoUpper => "英大文字を含めてください",
            PasswordProblem::NoLower => "英小文字を含めてください",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "use at least 8 characters",
            PasswordProblem::TooLong => "use at most 128 characters",
            PasswordProblem::NoDigit => "include a digit",
            PasswordProblem::NoUpper => "include an upper-case letter",
            PasswordProblem::NoLower => "include a lower-case letter",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PasswordProblem::*;
    use proptest::prelude::*;

    #[test]
    fn names_each_missing_part() {
        assert_eq!(check("Abcdefg1"), vec![]);
        assert_eq!(check("abcdefg1"), vec![NoUpper]);
        assert_eq!(check("ABCDEFG1"), vec![NoLower]);
        assert_eq!(check("Abcdefgh"), vec![NoDigit]);
        assert_eq!(check("Ab1"), vec![TooShort]);
        assert_eq!(check(""), vec![TooShort, NoDigit, NoUpper, NoLower]);
    }

    #[test]
    fn full_width_digits_do_not_count() {
        // "１" is not an ASCII digit: a rule people type on a Japanese keyboard must still hold.
        assert_eq!(check("Abcdefg１"), vec![NoDigit]);
    }

    proptest! {
        #[test]
        fn accepted_passwords_satisfy_every_part(p in "[ -~]{0,20}") {
            if check(&p).is_empty() {
                prop_assert!(p.len() >= 8);
                prop_assert!(p.chars().any(|c| c.is_ascii_digit()));
                prop_assert!(p.chars().any(|c| c.is_ascii_uppercase()));
                prop_assert!(p.chars().any(|c| c.is_ascii_lowercase()));
            }
        }
    }
}
