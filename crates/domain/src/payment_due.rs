//! What a buyer is told to pay by, for the methods paid after the order (issue 22): the payment
//! company's コンビニ受付番号 with its chains and 支払期限, or a bank transfer's 振込先口座 and
//! 振込期限; when the reminder goes; and the merchant's settings behind the days.

use crate::clock::{JST, datetime_with_weekday, from_millis, to_millis};
use crate::merchant::{AccountKind, BankAccount};
use crate::order::PaymentMethod;
use crate::validate::{Collect, FieldError, FieldErrors};
use time::{Duration, OffsetDateTime, Time};

/// The chains where the simulated payment company's numbers are paid.
pub const KONBINI_CHAINS: [&str; 4] = ["セブン-イレブン", "ローソン", "ファミリーマート", "ミニストップ"];

/// A コンビニ受付番号: 11 digits and a check digit (Luhn), shown in groups of four.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KonbiniNumber(String);

impl KonbiniNumber {
    pub const LEN: usize = 12;

    /// A number from random bytes (a CSPRNG's), each kept only when it maps evenly onto the ten
    /// digits; `None` when the bytes run out first (24 are nearly always enough).
    pub fn from_random(bytes: impl IntoIterator<Item = u8>) -> Option<KonbiniNumber> {
        let body: Vec<u8> = bytes.into_iter().filter(|b| *b < 250).map(|b| b % 10).take(Self::LEN - 1).collect();
        if body.len() < Self::LEN - 1 {
            return None;
        }
        let check = luhn_check_digit(&body);
        Some(KonbiniNumber(
            body.iter().chain(std::iter::once(&check)).map(|d| char::from(b'0' + d)).collect(),
        ))
    }

    /// A number as stored or typed (hyphens and spaces ignored); a wrong check digit is not one.
    pub fn parse(s: &str) -> Option<KonbiniNumber> {
        let digits: String = s.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
        if digits.len() != Self::LEN || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        (luhn_check_digit(&d[..Self::LEN - 1]) == d[Self::LEN - 1]).then_some(KonbiniNumber(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `1234-5678-9012`, as the buyer types it at the store's terminal.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

fn luhn_check_digit(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// The deadline `days` days after the order: the end of that day in Japan (23:59:59).
pub fn due_at(ordered: OffsetDateTime, days: i64) -> OffsetDateTime {
    let day = ordered.to_offset(JST).date() + Duration::days(days);
    day.with_time(Time::from_hms(23, 59, 59).unwrap_or(Time::MIDNIGHT))
        .assume_offset(JST)
}

/// When the reminder goes: the start of the day `days_before` days before the deadline (Japan);
/// none when the merchant wants none or that moment is not after the order.
pub fn remind_at(ordered: OffsetDateTime, due: OffsetDateTime, days_before: i64) -> Option<OffsetDateTime> {
    if days_before <= 0 {
        return None;
    }
    let at = (due.to_offset(JST).date() - Duration::days(days_before))
        .midnight()
        .assume_offset(JST);
    (at > ordered).then_some(at)
}

/// What the buyer is told, as written with the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instructions {
    Konbini {
        number: String,
        chains: Vec<String>,
        due_at: i64,
    },
    Bank {
        method: PaymentMethod,
        account: BankAccount,
        due_at: i64,
    },
}

impl Instructions {
    pub fn method(&self) -> PaymentMethod {
        match self {
            Instructions::Konbini { .. } => PaymentMethod::Konbini,
            Instructions::Bank { method, .. } => *method,
        }
    }

    pub fn due_at(&self) -> i64 {
        match self {
            Instructions::Konbini { due_at, .. } | Instructions::Bank { due_at, .. } => *due_at,
        }
    }

    /// The lines every email and page shows, in the manual's words.
    pub fn lines_ja(&self) -> Vec<(&'static str, String)> {
        let due = datetime_with_weekday(from_millis(self.due_at()), false);
        match self {
            Instructions::Konbini { number, chains, .. } => vec![
                ("お支払い先", chains.join("、")),
                (
                    "受付番号",
                    KonbiniNumber::parse(number).map_or_else(|| number.clone(), |n| n.grouped()),
                ),
                ("支払期限", due),
            ],
            Instructions::Bank { account, .. } => vec![
                (
                    "振込先口座",
                    format!(
                        "{} {} {} {} {}",
                        account.bank_name,
                        account.branch_name,
                        account.kind.label_ja(),
                        account.number,
                        account.holder
                    ),
                ),
                ("振込期限", due),
            ],
        }
    }

    /// The `{{ payment_instructions }}` of an email: one line per item.
    pub fn text_ja(&self) -> String {
        self.lines_ja()
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A bank account as the instructions keep it, from its stored columns.
pub fn account(bank: &str, branch: &str, kind: &str, number: &str, holder: &str) -> BankAccount {
    BankAccount {
        bank_name: bank.to_string(),
        branch_name: branch.to_string(),
        kind: AccountKind::parse(kind).unwrap_or(AccountKind::Ordinary),
        number: number.to_string(),
        holder: holder.to_string(),
    }
}

/// The longest a buyer may be given to pay, in days (the payment companies' longest コンビニ
/// 支払期限 is about two months; a month is plenty for a transfer).
pub const MAX_DUE_DAYS: i64 = 60;

/// 決済設定's deadlines: the days to pay a transfer and at the コンビニ, the reminder, and
/// whether unpaid orders past the deadline are cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueSettings {
    pub bank_due_days: i64,
    /// Days before the 振込期限 the reminder goes; 0 for none.
    pub bank_reminder_days: i64,
    pub konbini_due_days: i64,
    pub cancel_unpaid: bool,
}

impl Default for DueSettings {
    fn default() -> Self {
        DueSettings {
            bank_due_days: 7,
            bank_reminder_days: 2,
            konbini_due_days: 3,
            cancel_unpaid: true,
        }
    }
}

fn days(field: &'static str, raw: &str, min: i64, max: i64) -> Result<i64, FieldError> {
    crate::normalize::text(raw.trim())
        .parse::<i64>()
        .ok()
        .filter(|d| (min..=max).contains(d))
        .ok_or_else(|| FieldError::new(field, format!("{min}〜{max}の日数を入力してください")))
}

impl DueSettings {
    /// The settings as typed; every field checked at once.
    pub fn check(bank_due: &str, reminder: &str, konbini_due: &str, cancel_unpaid: bool) -> Result<DueSettings, FieldErrors> {
        let mut c = Collect::default();
        let bank_due_days = c.take(days("bank_due_days", bank_due, 1, MAX_DUE_DAYS));
        let bank_reminder_days = c.take(days("bank_reminder_days", reminder, 0, MAX_DUE_DAYS - 1));
        let konbini_due_days = c.take(days("konbini_due_days", konbini_due, 1, MAX_DUE_DAYS));
        if let (Some(due), Some(r)) = (bank_due_days, bank_reminder_days)
            && r >= due
        {
            c.push(FieldError::new(
                "bank_reminder_days",
                "リマインドは振込期限の日数より前の日にしてください",
            ));
        }
        c.finish()?;
        Ok(DueSettings {
            bank_due_days: bank_due_days.unwrap_or_default(),
            bank_reminder_days: bank_reminder_days.unwrap_or_default(),
            konbini_due_days: konbini_due_days.unwrap_or_default(),
            cancel_unpaid,
        })
    }

    /// The deadline of an order of `method` made at `ordered`, in milliseconds; none for methods
    /// paid at the order or on delivery.
    pub fn due_ms(&self, method: PaymentMethod, ordered: OffsetDateTime) -> Option<i64> {
        let days = match method {
            PaymentMethod::Konbini => self.konbini_due_days,
            PaymentMethod::BankPlatform | PaymentMethod::BankStore => self.bank_due_days,
            _ => return None,
        };
        Some(to_millis(due_at(ordered, days)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    #[test]
    fn the_deadline_is_the_end_of_the_day_in_japan() {
        // 2026-12-07 23:30 in Japan is still the 7th there.
        let ordered = datetime!(2026-12-07 14:30 UTC);
        assert_eq!(due_at(ordered, 3), datetime!(2026-12-10 23:59:59 +09:00));
        assert_eq!(datetime_with_weekday(due_at(ordered, 3), false), "2026/12/10(木) 23:59");
        let after_midnight = datetime!(2026-12-07 15:30 UTC);
        assert_eq!(due_at(after_midnight, 3), datetime!(2026-12-11 23:59:59 +09:00));
    }

    #[test]
    fn the_reminder_starts_its_day_and_is_skipped_when_it_would_come_first() {
        let ordered = datetime!(2026-12-07 10:00 +09:00);
        let due = due_at(ordered, 7);
        assert_eq!(remind_at(ordered, due, 2), Some(datetime!(2026-12-12 00:00 +09:00)));
        assert_eq!(remind_at(ordered, due, 0), None);
        assert_eq!(remind_at(ordered, due, 7), None, "the reminder would precede the order");
    }

    #[test]
    fn settings_are_checked_together() {
        assert_eq!(
            DueSettings::check("7", "2", "3", true),
            Ok(DueSettings {
                bank_due_days: 7,
                bank_reminder_days: 2,
                konbini_due_days: 3,
                cancel_unpaid: true
            })
        );
        let e = DueSettings::check("0", "x", "61", false).unwrap_err();
        let fields: Vec<&str> = e.all().iter().map(|f| f.field).collect();
        assert_eq!(fields, ["bank_due_days", "bank_reminder_days", "konbini_due_days"]);
        let e = DueSettings::check("3", "3", "3", true).unwrap_err();
        assert_eq!(e.all()[0].field, "bank_reminder_days");
    }

    #[test]
    fn instructions_read_like_a_payment_slip() {
        let due = crate::clock::to_millis(datetime!(2026-12-10 23:59:59 +09:00));
        let k = Instructions::Konbini {
            number: "123456789015".into(),
            chains: vec!["ローソン".into(), "ミニストップ".into()],
            due_at: due,
        };
        assert_eq!(
            k.text_ja(),
            "お支払い先: ローソン、ミニストップ\n受付番号: 1234-5678-9015\n支払期限: 2026/12/10(木) 23:59"
        );
    }

    proptest! {
        #[test]
        fn konbini_numbers_carry_a_valid_check_digit(bytes in prop::collection::vec(any::<u8>(), 24..64)) {
            if let Some(n) = KonbiniNumber::from_random(bytes) {
                prop_assert_eq!(n.as_str().len(), KonbiniNumber::LEN);
                prop_assert_eq!(KonbiniNumber::parse(&n.grouped()), Some(n.clone()));
                let mut wrong = n.as_str().as_bytes().to_vec();
                wrong[0] = if wrong[0] == b'9' { b'0' } else { wrong[0] + 1 };
                prop_assert_eq!(KonbiniNumber::parse(std::str::from_utf8(&wrong).unwrap()), None);
            }
        }
    }
}
