//! 加盟店情報: the merchant admin keeps its own profile and the bank account its payouts go to.
//! The account number is shown masked everywhere; an empty number on the form keeps it.

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::merchant::{BankInput, ProfileInput, masked_number};
use kippu_domain::validate::Collect;
use kippu_store::merchants as repo;

/// Whether `actor` keeps the merchant's profile, bank account and payment settings.
pub fn owns_profile(actor: &Actor) -> bool {
    admin_merchant(actor).is_ok()
}

pub(super) fn admin_merchant(actor: &Actor) -> Result<kippu_domain::MerchantId> {
    let m = actor.merchant()?;
    if actor.role != kippu_domain::account::Role::MerchantAdmin {
        return Err(AppError::Forbidden("the merchant's profile is its admin's"));
    }
    Ok(m)
}

/// The 加盟店情報 form as sent: the profile and the bank account.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProfileForm {
    #[serde(flatten)]
    pub profile: ProfileInput,
    #[serde(flatten)]
    pub bank: BankInput,
}

impl ProfileForm {
    /// The form filled from the stored merchant (the account number left empty: never sent to
    /// a browser whole).
    pub fn of(m: &repo::MerchantRow) -> ProfileForm {
        ProfileForm {
            profile: ProfileInput {
                name: m.name.clone(),
                kana: m.name_kana.clone(),
                email: m.email.clone(),
                phone: m.phone.clone(),
                address: m.address.clone(),
                contact_name: m.contact_name.clone(),
                invoice_number: m.invoice_number.clone(),
            },
            bank: BankInput {
                bank_name: m.bank_name.clone(),
                branch_name: m.bank_branch.clone(),
                account_kind: m.bank_account_kind.as_str().to_string(),
                account_number: String::new(),
                account_holder: m.bank_account_holder.clone(),
            },
        }
    }
}

/// The bank account as the page shows it: `みずほ銀行 渋谷支店 普通 ****567 サクラゲキジョウ`, or
/// `None` before one is set.
pub fn bank_summary(m: &repo::MerchantRow) -> Option<kippu_domain::label::Said> {
    if m.bank_account_number.is_empty() {
        return None;
    }
    let with_kind = |kind: &str| {
        format!(
            "{} {} {kind} {} {}",
            m.bank_name,
            m.bank_branch,
            masked_number(&m.bank_account_number),
            m.bank_account_holder
        )
    };
    let l = m.bank_account_kind.label();
    Some(kippu_domain::label::Said::new(with_kind(l.ja), with_kind(l.en)))
}

/// Saves the profile and the bank account, both checked before either is written.
pub async fn save(app: &App, actor: &Actor, f: &ProfileForm) -> Result<()> {
    let m = admin_merchant(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = repo::get(&mut tx, m).await?.ok_or(AppError::NotFound)?;
    let mut c = Collect::default();
    let profile = c.take_all(f.profile.check());
    let stored = Some(before.bank_account_number.as_str()).filter(|n| !n.is_empty());
    let bank = c.take_all(f.bank.check(stored));
    c.finish()?;
    let (Some(profile), Some(bank)) = (profile, bank) else {
        unreachable!("Collect::finish fails when a field failed");
    };
    repo::update_profile(&mut tx, m, &profile).await?;
    repo::update_bank(&mut tx, m, &bank).await?;
    // The audit keeps the masked number only: the log is read by more people than the page.
    let json = |name: &str, kana: &str, invoice: &str, number: &str, bank_name: &str| {
        serde_json::json!({"name": name, "kana": kana, "invoice_number": invoice,
                           "bank": format!("{bank_name} {}", masked_number(number))})
    };
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("update", "merchant_profile", &before.code),
        Some(&json(
            &before.name,
            &before.name_kana,
            &before.invoice_number,
            &before.bank_account_number,
            &before.bank_name,
        )),
        Some(&json(
            &profile.name,
            &profile.kana,
            &profile.invoice_number,
            &bank.number,
            &bank.bank_name,
        )),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
