//! A merchant as the platform onboards it (spec §1): its profile, the bank account its payouts go
//! to, and the one transition of its status (稼働中 ⇄ 停止中). Suspending deletes nothing: staff
//! cannot sign in, the storefront and the API refuse, and resuming gives everything back.

use crate::account::MerchantStatus;
use crate::label::Said;
use crate::validate::{self, Collect, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

crate::catalog::code_enum!(
    /// 預金種目 of a bank account.
    AccountKind {
        Ordinary => "ordinary", "普通", "Ordinary";
        Checking => "checking", "当座", "Checking";
    }
);

/// A merchant's profile as typed on the operator's form, the 加盟店情報 page, the API or the CLI.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProfileInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kana: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact_name: String,
    /// 適格請求書発行事業者の登録番号 (T + 13 digits), optional.
    #[serde(default)]
    pub invoice_number: String,
}

/// A checked profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub kana: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub contact_name: String,
    pub invoice_number: String,
}

fn optional<T>(s: &str, check: impl FnOnce(&str) -> Result<T, FieldError>) -> Result<Option<T>, FieldError> {
    if s.trim().is_empty() { Ok(None) } else { check(s).map(Some) }
}

/// 適格請求書発行事業者の登録番号: `T` and 13 digits (full-width and hyphens forgiven).
pub fn invoice_number(field: &'static str, s: &str) -> Result<String, FieldError> {
    let typed: String = crate::normalize::text(s)
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{3000}'))
        .collect::<String>()
        .to_uppercase();
    let digits = typed.strip_prefix('T').unwrap_or("");
    if digits.len() == 13 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(typed)
    } else {
        Err(FieldError::new(
            field,
            "登録番号は T と13桁の数字で入力してください（例: T1234567890123）",
        ))
    }
}

impl ProfileInput {
    /// Every field checked at once: name (required), email (required: the operator's notices go
    /// there), kana (katakana), phone, address, contact and invoice number (optional; checked
    /// when given).
    pub fn check(&self) -> Result<Profile, FieldErrors> {
        let mut c = Collect::default();
        let name = c.take(validate::required_text("name", &self.name, 100));
        let kana = c.take(optional(&self.kana, |s| validate::kana("kana", s)));
        let email = c.take(validate::email("email", &self.email));
        let phone = c.take(optional(&self.phone, |s| validate::phone("phone", s)));
        let address = c.take(optional(&self.address, |s| validate::required_text("address", s, 200)));
        let contact_name = c.take(optional(&self.contact_name, |s| validate::required_text("contact_name", s, 100)));
        let invoice = c.take(optional(&self.invoice_number, |s| invoice_number("invoice_number", s)));
        c.finish()?;
        match (name, kana, email, phone, address, contact_name, invoice) {
            (Some(name), Some(kana), Some(email), Some(phone), Some(address), Some(contact_name), Some(invoice)) => Ok(Profile {
                name,
                kana: kana.unwrap_or_default(),
                email,
                phone: phone.unwrap_or_default(),
                address: address.unwrap_or_default(),
                contact_name: contact_name.unwrap_or_default(),
                invoice_number: invoice.unwrap_or_default(),
            }),
            _ => unreachable!("Collect::finish fails when a field failed"),
        }
    }
}

/// The bank account payouts go to, as typed. An empty account number on the 加盟店情報 form
/// keeps the stored one (the page never shows it whole).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BankInput {
    #[serde(default)]
    pub bank_name: String,
    #[serde(default)]
    pub branch_name: String,
    #[serde(default)]
    pub account_kind: String,
    #[serde(default)]
    pub account_number: String,
    /// 口座名義 in katakana, as the bank holds it.
    #[serde(default)]
    pub account_holder: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAccount {
    pub bank_name: String,
    pub branch_name: String,
    pub kind: AccountKind,
    /// 7 digits.
    pub number: String,
    pub holder: String,
}

impl BankInput {
    /// Every field checked at once; `stored_number` stands in for an empty account number.
    pub fn check(&self, stored_number: Option<&str>) -> Result<BankAccount, FieldErrors> {
        let mut c = Collect::default();
        let bank = c.take(validate::required_text("bank_name", &self.bank_name, 50));
        let branch = c.take(validate::required_text("branch_name", &self.branch_name, 50));
        let kind = c.take(
            AccountKind::parse(self.account_kind.trim()).ok_or_else(|| FieldError::new("account_kind", "普通か当座を選んでください")),
        );
        let typed = crate::normalize::digits(&self.account_number);
        let number = match (typed.is_empty(), stored_number) {
            (true, Some(stored)) if !stored.is_empty() => Some(stored.to_string()),
            _ if typed.len() == 7 && self.account_number.trim().chars().count() <= 10 => Some(typed),
            _ => {
                c.push(FieldError::new("account_number", "口座番号は7桁の数字で入力してください"));
                None
            }
        };
        let holder = c.take(validate::kana("account_holder", &self.account_holder));
        c.finish()?;
        match (bank, branch, kind, number, holder) {
            (Some(bank_name), Some(branch_name), Some(kind), Some(number), Some(holder)) => Ok(BankAccount {
                bank_name,
                branch_name,
                kind,
                number,
                holder,
            }),
            _ => unreachable!("Collect::finish fails when a field failed"),
        }
    }
}

/// An account number as every screen shows it: only its last 3 digits (`****567`).
pub fn masked_number(number: &str) -> String {
    let n = number.chars().count();
    if n == 0 {
        return String::new();
    }
    let shown: String = number.chars().skip(n.saturating_sub(3)).collect();
    format!("{}{shown}", "*".repeat(n.saturating_sub(3).max(1)))
}

/// Why a status change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusRefusal {
    AlreadySuspended,
    AlreadyActive,
}

impl StatusRefusal {
    pub fn said(&self) -> Said {
        match self {
            StatusRefusal::AlreadySuspended => Said::new("この加盟店はすでに停止中です", "This merchant is already suspended"),
            StatusRefusal::AlreadyActive => Said::new("この加盟店はすでに稼働中です", "This merchant is already active"),
        }
    }
}

crate::display_said!(StatusRefusal);

/// The one transition of a merchant's status: to `to` from `from`, or a refusal when it is
/// already there.
pub fn change_status(from: MerchantStatus, to: MerchantStatus) -> Result<MerchantStatus, StatusRefusal> {
    match (from, to) {
        (MerchantStatus::Active, MerchantStatus::Suspended) | (MerchantStatus::Suspended, MerchantStatus::Active) => Ok(to),
        (MerchantStatus::Suspended, MerchantStatus::Suspended) => Err(StatusRefusal::AlreadySuspended),
        (MerchantStatus::Active, MerchantStatus::Active) => Err(StatusRefusal::AlreadyActive),
    }
}

/// What a suspended merchant's staff, storefront and API clients are told.
pub fn suspended_notice() -> Said {
    Said::new(
        "この加盟店は現在ご利用を停止しています。事務局にお問い合わせください",
        "This merchant is suspended. Please contact the platform operator",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn profile() -> ProfileInput {
        ProfileInput {
            name: "さくら劇場".into(),
            kana: "さくらげきじょう".into(),
            email: "info@sakura.example".into(),
            ..ProfileInput::default()
        }
    }

    #[test]
    fn a_profile_forgives_hiragana_kana_and_full_width_invoice_numbers() {
        let p = ProfileInput {
            invoice_number: "Ｔ１２３４－５６７８－９０１２３".into(),
            ..profile()
        }
        .check()
        .unwrap();
        assert_eq!(p.kana, "サクラゲキジョウ");
        assert_eq!(p.invoice_number, "T1234567890123");
    }

    #[test]
    fn every_bad_profile_field_is_named_at_once() {
        let e = ProfileInput {
            name: " ".into(),
            kana: "Sakura".into(),
            email: "no-at".into(),
            invoice_number: "123".into(),
            ..ProfileInput::default()
        }
        .check()
        .unwrap_err();
        let fields: Vec<_> = e.all().iter().map(|f| f.field).collect();
        assert_eq!(fields, ["name", "kana", "email", "invoice_number"]);
    }

    fn bank(number: &str) -> BankInput {
        BankInput {
            bank_name: "みずほ銀行".into(),
            branch_name: "渋谷支店".into(),
            account_kind: "ordinary".into(),
            account_number: number.into(),
            account_holder: "ｻｸﾗｹﾞｷｼﾞｮｳ".into(),
        }
    }

    #[test]
    fn an_empty_account_number_keeps_the_stored_one_and_a_new_one_replaces_it() {
        assert_eq!(bank("").check(Some("1234567")).unwrap().number, "1234567");
        assert_eq!(bank("７６５４３２１").check(Some("1234567")).unwrap().number, "7654321");
        assert_eq!(
            bank("").check(None).unwrap_err().on("account_number"),
            Some("口座番号は7桁の数字で入力してください")
        );
        assert_eq!(bank("12345").check(None).unwrap_err().all().len(), 1);
        assert_eq!(bank("1234567").check(None).unwrap().holder, "サクラゲキジョウ");
    }

    #[test]
    fn suspending_and_resuming_are_the_only_moves() {
        use MerchantStatus::*;
        assert_eq!(change_status(Active, Suspended), Ok(Suspended));
        assert_eq!(change_status(Suspended, Active), Ok(Active));
        assert_eq!(change_status(Suspended, Suspended), Err(StatusRefusal::AlreadySuspended));
        assert_eq!(change_status(Active, Active), Err(StatusRefusal::AlreadyActive));
    }

    proptest! {
        #[test]
        fn a_masked_number_shows_at_most_its_last_three_digits(n in "[0-9]{1,12}") {
            let m = masked_number(&n);
            let shown: String = m.chars().filter(|c| c.is_ascii_digit()).collect();
            prop_assert!(shown.len() <= 3);
            prop_assert!(n.ends_with(&shown));
            prop_assert!(m.starts_with('*'));
        }
    }
}
