//! The platform operator onboards a merchant: the merchant, its own-site sales channel and its
//! first admin (an initial password shown once and emailed, changed at first sign-in) in one
//! transaction; and suspends or resumes it. Nothing is ever deleted.

use crate::notify::{self, templates};
use crate::{Actor, App, AppError, Result, accounts, audit, secrets};
use kippu_domain::account::{MerchantStatus, Role};
use kippu_domain::merchant::{ProfileInput, change_status};
use kippu_domain::validate::{self, Collect, FieldError};
use kippu_store::merchants as repo;
use kippu_store::people::NewUser;

/// A new merchant as the operator types it (the form, `POST /api/v1/merchants`, the CLI).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewMerchant {
    #[serde(default)]
    pub code: String,
    #[serde(flatten)]
    pub profile: ProfileInput,
    #[serde(default)]
    pub admin_login: String,
    /// Where the welcome goes; the merchant's email when empty.
    #[serde(default)]
    pub admin_email: String,
    /// The admin's name; the contact's (or the login ID) when empty.
    #[serde(default)]
    pub admin_name: String,
}

/// What the operator is told once: the initial password is never shown again.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Onboarded {
    pub code: String,
    pub admin_login: String,
    pub initial_password: String,
}

fn platform_only(actor: &Actor) -> Result<()> {
    actor.require_platform("onboarding merchants is the platform operator's")
}

/// Creates the merchant, its 自社サイト channel and its first admin, and queues the welcome
/// email, all or nothing. Every field is checked before answering.
pub async fn onboard(app: &App, actor: &Actor, n: &NewMerchant) -> Result<Onboarded> {
    platform_only(actor)?;
    let mut c = Collect::default();
    let code = c.take(validate::upper_code("code", "加盟店コード", &n.code, 20));
    let profile = c.take_all(n.profile.check());
    let login = c.take(validate::login_id("admin_login", &n.admin_login));
    let admin_email = if n.admin_email.trim().is_empty() {
        None
    } else {
        c.take(validate::email("admin_email", &n.admin_email))
    };
    c.finish()?;
    let (Some(code), Some(profile), Some(login)) = (code, profile, login) else {
        unreachable!("Collect::finish fails when a field failed");
    };
    let admin_email = admin_email.unwrap_or_else(|| profile.email.clone());
    let admin_name = [n.admin_name.trim(), profile.contact_name.as_str(), login.as_str()]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_default()
        .to_string();
    let initial = secrets::initial_password();
    let hash = accounts::hash_blocking(initial.clone()).await?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let m = repo::insert(&mut tx, &code, &profile.name, &profile.email, now)
        .await
        .map_err(|e| match e {
            kippu_store::StoreError::Conflict { .. } => {
                AppError::from(FieldError::new("code", format!("加盟店コード {code} は既に使われています")))
            }
            other => other.into(),
        })?;
    repo::update_profile(&mut tx, m, &profile).await?;
    repo::insert_channel(&mut tx, m, "OWN", "自社サイト", "own_site", now).await?;
    accounts::insert_account(
        &mut tx,
        &NewUser {
            merchant_id: Some(m),
            role: Role::MerchantAdmin.as_str(),
            login_id: &login,
            display_name: &admin_name,
            email: &admin_email,
            password_hash: &hash,
            must_change_password: true,
            admin_settings: true,
        },
        now,
    )
    .await
    .map_err(|e| match e {
        AppError::Invalid(f) if f.field == "login_id" => FieldError::new("admin_login", f.message.clone()).into(),
        other => other,
    })?;
    let vars = serde_json::json!({
        "name": admin_name,
        "merchant_name": profile.name,
        "merchant_code": code,
        "login_id": login,
        "initial_password": initial,
        "login_url": format!("{}/login", app.config.public_url.trim_end_matches('/')),
    });
    notify::queue_email(&mut tx, app, None, templates::MERCHANT_WELCOME, &admin_email, &vars, None).await?;
    let after = serde_json::json!({
        "code": code, "name": profile.name, "kana": profile.kana, "email": profile.email,
        "invoice_number": profile.invoice_number, "admin_login": login,
    });
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "merchant", &code),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(Onboarded {
        code,
        admin_login: login,
        initial_password: initial,
    })
}

/// Suspends (`Suspended`) or resumes (`Active`) a merchant: its staff's sessions stop working at
/// once, its storefront and API refuse with a clear message; its data stays as it is.
pub async fn set_status(app: &App, actor: &Actor, code: &str, to: MerchantStatus) -> Result<()> {
    platform_only(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let m = repo::find_by_code(&mut tx, code.trim()).await?.ok_or(AppError::NotFound)?;
    let to = change_status(m.status, to).map_err(|r| AppError::Conflict(r.said()))?;
    if !repo::set_status(&mut tx, m.id, m.status, to, now).await? {
        return Err(crate::orders::OrderError::Changed.into());
    }
    audit::record(
        &mut tx,
        actor,
        Some(m.id),
        audit::Subject::new(to.as_str(), "merchant", &m.code),
        Some(&serde_json::json!({"status": m.status.as_str()})),
        Some(&serde_json::json!({"status": to.as_str()})),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
