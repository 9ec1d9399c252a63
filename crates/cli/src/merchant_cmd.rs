//! `kippu merchant create|suspend|resume`: the platform operator's onboarding from a shell,
//! through the same use cases as the 加盟店管理 screen and `POST /api/v1/merchants`.

use clap::Subcommand;
use kippu_app::merchants::onboard::{self, NewMerchant};
use kippu_app::{Actor, App, AppError};
use kippu_domain::account::MerchantStatus;
use kippu_domain::merchant::ProfileInput;

#[derive(Subcommand)]
pub enum MerchantCommand {
    /// Onboard a merchant and its first admin; prints the admin's initial password once (it is
    /// also emailed, and must be changed at first login)
    Create {
        /// 加盟店コード: 2-20 of A-Z 0-9 - _
        #[arg(long)]
        code: String,
        /// 加盟店名
        #[arg(long)]
        name: String,
        /// 加盟店名（カナ）
        #[arg(long, default_value = "")]
        kana: String,
        /// The merchant's email (the welcome goes there unless --admin-email is given)
        #[arg(long)]
        email: String,
        /// The first admin's login ID
        #[arg(long)]
        admin_login: String,
        #[arg(long, default_value = "")]
        admin_email: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, default_value = "")]
        contact: String,
        /// 適格請求書発行事業者登録番号 (T + 13 digits)
        #[arg(long, default_value = "")]
        invoice_number: String,
    },
    /// Suspend a merchant: its staff cannot sign in, its storefront and API refuse; nothing is
    /// deleted
    Suspend { code: String },
    /// Resume a suspended merchant
    Resume { code: String },
}

/// Runs one merchant command as the platform ("system" in the audit log).
pub async fn run(app: &App, command: MerchantCommand) -> Result<(), AppError> {
    let platform = Actor::system();
    match command {
        MerchantCommand::Create {
            code,
            name,
            kana,
            email,
            admin_login,
            admin_email,
            phone,
            contact,
            invoice_number,
        } => {
            let n = NewMerchant {
                code,
                profile: ProfileInput {
                    name,
                    kana,
                    email,
                    phone,
                    address: String::new(),
                    contact_name: contact,
                    invoice_number,
                },
                admin_login,
                admin_email,
                admin_name: String::new(),
            };
            let done = onboard::onboard(app, &platform, &n).await?;
            println!("created merchant {} with admin {}", done.code, done.admin_login);
            println!("initial password: {}", done.initial_password);
            println!("(shown once; also emailed; it must be changed at first login)");
        }
        MerchantCommand::Suspend { code } => {
            onboard::set_status(app, &platform, &code, MerchantStatus::Suspended).await?;
            println!("{} suspended", code.trim());
        }
        MerchantCommand::Resume { code } => {
            onboard::set_status(app, &platform, &code, MerchantStatus::Active).await?;
            println!("{} resumed", code.trim());
        }
    }
    Ok(())
}
