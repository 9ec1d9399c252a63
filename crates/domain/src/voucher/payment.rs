//! A payment at the counter: the store's 6-digit passcode as the holder types it, the amount,
//! the 16-character payment number (決済番号, letters and digits as the manual shows them:
//! `sVCsZr5zWJFV8H5I`), and the 24-hour window in which the merchant may cancel it.

use crate::label::Said;

/// The QR mount's 6-digit passcode, full-width digits accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passcode(String);

impl Passcode {
    pub fn parse(typed: &str) -> Result<Passcode, Said> {
        let s = crate::normalize::text(typed).trim().to_string();
        if s.len() == 6 && s.chars().all(|c| c.is_ascii_digit()) {
            Ok(Passcode(s))
        } else {
            Err(Said::new(
                "パスコードはQR台紙に記載の6桁の数字です",
                "The passcode is the 6 digits printed on the QR mount",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// 決済番号: 16 letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PaymentNumber(String);

impl PaymentNumber {
    pub const LEN: usize = 16;

    /// A number from random bytes (a CSPRNG's), each kept only when it maps evenly onto the 62
    /// characters; `None` when the bytes run out first (give more: 32 are nearly always enough).
    pub fn from_random(bytes: impl IntoIterator<Item = u8>) -> Option<PaymentNumber> {
        let s: String = bytes
            .into_iter()
            .filter(|b| usize::from(*b) < ALPHABET.len() * 4)
            .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()] as char)
            .take(Self::LEN)
            .collect();
        (s.len() == Self::LEN).then_some(PaymentNumber(s))
    }

    /// A number as typed in a search or a URL; anything else is not one.
    pub fn parse(s: &str) -> Option<PaymentNumber> {
        let s = s.trim();
        (s.len() == Self::LEN && s.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| PaymentNumber(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayRefusal {
    NotPositive,
    /// Above [`MAX_AMOUNT`]: a typing error, not a payment (and sums could not overflow).
    TooLarge,
    Insufficient {
        balance: i64,
    },
}

impl PayRefusal {
    pub fn said(&self) -> Said {
        match *self {
            PayRefusal::NotPositive => Said::new(
                "金額は1円以上の整数で入力してください",
                "The amount must be a whole number of yen, at least 1",
            ),
            PayRefusal::TooLarge => Said::new(
                format!("金額は{}以下で入力してください", crate::money::Yen(MAX_AMOUNT).display_ja()),
                format!("The amount may be at most {}", crate::money::Yen(MAX_AMOUNT).display_ja()),
            ),
            PayRefusal::Insufficient { balance } => Said::new(
                format!("残高が足りません（残高 {}）", crate::money::Yen(balance).display_ja()),
                format!("Not enough balance ({} left)", crate::money::Yen(balance).display_ja()),
            ),
        }
    }
}

/// The largest grant or payment, one at a time: 10,000,000円. A balance is a sum of grants, so
/// it would take more than 900 billion grants to overflow; every sum over payments likewise.
pub const MAX_AMOUNT: i64 = 10_000_000;

/// The amount as typed: whole yen, full-width digits and commas accepted; a fraction, a sign or
/// a word is not an amount, nor is one above [`MAX_AMOUNT`].
pub fn parse_amount(typed: &str) -> Result<i64, PayRefusal> {
    let s = crate::normalize::text(typed).trim().replace([',', '，', '円'], "");
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PayRefusal::NotPositive);
    }
    // All digits: a number too long for i64 is too large, not "not positive".
    match s.parse::<i64>() {
        Ok(a) if a > MAX_AMOUNT => Err(PayRefusal::TooLarge),
        Ok(a) if a >= 1 => Ok(a),
        Ok(_) => Err(PayRefusal::NotPositive),
        Err(_) if s.trim_start_matches('0').is_empty() => Err(PayRefusal::NotPositive),
        Err(_) => Err(PayRefusal::TooLarge),
    }
}

/// The balance after paying `amount` from `balance`; never below zero.
pub fn pay(balance: i64, amount: i64) -> Result<i64, PayRefusal> {
    if amount < 1 {
        return Err(PayRefusal::NotPositive);
    }
    if amount > MAX_AMOUNT {
        return Err(PayRefusal::TooLarge);
    }
    match balance.checked_sub(amount) {
        Some(after) if after >= 0 => Ok(after),
        _ => Err(PayRefusal::Insufficient { balance }),
    }
}

/// Who cancels: the merchant within the window, the platform operator at any time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Canceller {
    Merchant,
    Platform,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelRefusal {
    AlreadyCancelled,
    WindowPassed,
}

impl CancelRefusal {
    pub fn said(&self) -> Said {
        match self {
            CancelRefusal::AlreadyCancelled => Said::new("すでに取り消されています", "Already cancelled"),
            CancelRefusal::WindowPassed => Said::new(
                "取消できるのは利用から24時間以内です（それ以降は事務局にご依頼ください）",
                "A payment can be cancelled within 24 hours of it (after that, ask the programme's office)",
            ),
        }
    }
}

/// The merchant's window: 24 hours from the payment, to the second.
pub const CANCEL_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// Whether `by` may cancel a payment made at `paid_at_ms` now.
pub fn may_cancel(paid_at_ms: i64, cancelled: bool, now_ms: i64, by: Canceller) -> Result<(), CancelRefusal> {
    if cancelled {
        return Err(CancelRefusal::AlreadyCancelled);
    }
    if by == Canceller::Merchant && now_ms - paid_at_ms > CANCEL_WINDOW_MS {
        return Err(CancelRefusal::WindowPassed);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_passcode_is_six_digits_as_typed_on_a_phone() {
        assert_eq!(Passcode::parse("５１４４５９").unwrap().as_str(), "514459");
        assert!(Passcode::parse("51445").is_err());
        assert!(Passcode::parse("51445a").is_err());
        assert!(Passcode::parse("5144590").is_err());
    }

    #[test]
    fn amounts_are_whole_yen_and_the_balance_never_goes_below_zero() {
        assert_eq!(parse_amount("１，２００円"), Ok(1200));
        for bad in ["0", "-5", "1.5", "", "abc"] {
            assert_eq!(parse_amount(bad), Err(PayRefusal::NotPositive), "{bad}");
        }
        assert_eq!(pay(1000, 1000), Ok(0));
        assert_eq!(pay(1000, 1001), Err(PayRefusal::Insufficient { balance: 1000 }));
        assert_eq!(pay(1000, 0), Err(PayRefusal::NotPositive));
    }

    #[test]
    fn an_amount_above_ten_million_yen_is_a_typing_error() {
        assert_eq!(parse_amount("10,000,000"), Ok(MAX_AMOUNT));
        for big in [
            "10000001",
            "9223372036854775807",
            "99999999999999999999999",
            "000000000000000000000000010000001",
        ] {
            assert_eq!(parse_amount(big), Err(PayRefusal::TooLarge), "{big}");
        }
        assert_eq!(parse_amount("000000000000000000000000"), Err(PayRefusal::NotPositive));
        assert_eq!(pay(i64::MAX, i64::MAX), Err(PayRefusal::TooLarge));
    }

    #[test]
    fn the_merchant_cancels_within_24_hours_to_the_second_and_the_platform_after() {
        let paid = 1_000_000;
        assert_eq!(may_cancel(paid, false, paid + CANCEL_WINDOW_MS, Canceller::Merchant), Ok(()));
        assert_eq!(
            may_cancel(paid, false, paid + CANCEL_WINDOW_MS + 1000, Canceller::Merchant),
            Err(CancelRefusal::WindowPassed)
        );
        assert_eq!(may_cancel(paid, false, paid + CANCEL_WINDOW_MS + 1000, Canceller::Platform), Ok(()));
        assert_eq!(
            may_cancel(paid, true, paid, Canceller::Platform),
            Err(CancelRefusal::AlreadyCancelled)
        );
    }

    proptest! {
        #[test]
        fn payment_numbers_are_sixteen_letters_and_digits(bytes in prop::collection::vec(any::<u8>(), 32..64)) {
            if let Some(n) = PaymentNumber::from_random(bytes) {
                prop_assert_eq!(n.as_str().len(), 16);
                prop_assert_eq!(PaymentNumber::parse(n.as_str()), Some(n.clone()));
            }
        }
    }
}
