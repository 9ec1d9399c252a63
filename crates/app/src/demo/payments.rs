//! The demo's payment setup: the platform's account, and the card mode each demo order was
//! taken under.

use crate::{App, Result};

/// The demo merchant switches its card mode: the orders made under each mode keep theirs, as a
/// real merchant's do when it changes its 決済設定.
pub(crate) async fn in_card_mode(app: &App, m: kippu_domain::MerchantId, mode: &str) -> Result<()> {
    let mode = kippu_domain::order::PaymentMethod::parse(mode).ok_or_else(|| crate::AppError::Internal(format!("no card mode {mode}")))?;
    let mut conn = app.store.conn().await?;
    kippu_store::merchants::set_card_mode(&mut conn, m, mode).await?;
    Ok(())
}

/// The demo platform's made-up account.
pub(super) fn demo_platform_bank() -> kippu_domain::merchant::BankAccount {
    kippu_domain::merchant::BankAccount {
        bank_name: "きっぷ銀行".into(),
        branch_name: "本店営業部".into(),
        kind: kippu_domain::merchant::AccountKind::Ordinary,
        number: "1234567".into(),
        holder: "キツプ（カ".into(),
    }
}

/// A demo merchant's made-up account (payouts, and 銀行振込・店舗口座).
pub(super) fn demo_merchant_bank(code: &str) -> kippu_domain::merchant::BankAccount {
    kippu_domain::merchant::BankAccount {
        bank_name: "さくら銀行".into(),
        branch_name: "浅草支店".into(),
        kind: kippu_domain::merchant::AccountKind::Ordinary,
        number: if code == "DEMO1" { "1111111" } else { "2222222" }.into(),
        holder: format!("{code}（カ"),
    }
}
