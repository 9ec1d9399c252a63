//! The merchant's own staff, managed by its admin from 設定 → ユーザー: invite by email (the
//! account is created with no usable password; a single-use link valid for 72 hours sets it),
//! disable (every session of the account ends at once) and enable again. Nothing is deleted.

use super::hash_blocking;
use crate::notify::{self, templates};
use crate::{Actor, App, AppError, Result, audit, secrets};
use kippu_domain::UserId;
use kippu_domain::account::Role;
use kippu_domain::clock::{format_jst, from_millis};
use kippu_domain::validate::{self, Collect, FieldError};
use kippu_store::people::{self, NewUser};
use kippu_store::{merchants, security};

/// An invitation link lasts this long.
pub const INVITE_VALID_MS: i64 = 72 * 3600 * 1000;

/// The roles a merchant admin may give its own people.
pub const STAFF_ROLES: [Role; 3] = [Role::MerchantStaff, Role::CallCentre, Role::MerchantAdmin];

/// An invitation as typed on the users page.
pub struct Invite<'a> {
    pub login_id: &'a str,
    pub display_name: &'a str,
    pub email: &'a str,
    pub role: &'a str,
}

/// The account `login_id` of merchant `m`; another merchant's is not found.
async fn user_of(conn: &mut kippu_store::AnyConnection, m: kippu_domain::MerchantId, login_id: &str) -> Result<people::UserRow> {
    people::find_user_by_login(conn, login_id)
        .await?
        .filter(|u| u.merchant_id == Some(m.0))
        .ok_or(AppError::NotFound)
}

fn admin_of_merchant(actor: &Actor) -> Result<kippu_domain::MerchantId> {
    let m = actor.merchant()?;
    if !actor.role.can_edit_merchant_settings(actor.admin_settings) {
        return Err(AppError::Forbidden("only the merchant's admin manages its users"));
    }
    Ok(m)
}

/// Creates the account and queues the invitation email in one transaction; every field is
/// checked before answering.
pub async fn invite(app: &App, actor: &Actor, i: &Invite<'_>) -> Result<UserId> {
    let m = admin_of_merchant(actor)?;
    let mut errs = Collect::default();
    let login_id = errs.take(validate::login_id("login_id", i.login_id));
    let name = errs.take(validate::required_text("display_name", i.display_name, 100));
    let email = errs.take(validate::email("email", i.email));
    let role = errs.take(
        Role::parse(i.role)
            .filter(|r| STAFF_ROLES.contains(r))
            .ok_or_else(|| FieldError::new("role", "権限を選んでください")),
    );
    errs.finish()?;
    let (Some(login_id), Some(name), Some(email), Some(role)) = (login_id, name, email, role) else {
        return Err(AppError::Internal(
            "an invitation field without a value but without an error".into(),
        ));
    };
    // No one knows this password: the invited person sets their own through the link.
    let unusable = hash_blocking(secrets::random_token(32)).await?;
    let token = secrets::random_token(32);
    let now = app.now_ms();
    let expires = now + INVITE_VALID_MS;
    let mut tx = app.store.begin().await?;
    let merchant = merchants::get(&mut tx, m).await?.ok_or(AppError::NotFound)?;
    let id = super::insert_account(
        &mut tx,
        &NewUser {
            merchant_id: Some(m),
            role: role.as_str(),
            login_id: &login_id,
            display_name: &name,
            email: &email,
            password_hash: &unusable,
            must_change_password: false,
            admin_settings: role == Role::MerchantAdmin,
        },
        now,
    )
    .await?;
    security::insert_reset(&mut tx, &secrets::sha256_hex(&token), id, now, expires).await?;
    let vars = serde_json::json!({
        "name": name,
        "login_id": login_id,
        "merchant_name": merchant.name,
        "invite_url": format!("{}/password/reset/{}", app.config.public_url.trim_end_matches('/'), token),
        "expires_at": format_jst(from_millis(expires)),
    });
    notify::queue_email(&mut tx, app, Some(m), templates::USER_INVITE, &email, &vars, None).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("invite", "user", &login_id),
        audit::NONE,
        Some(&serde_json::json!({"role": role.as_str(), "email": email})),
        now,
    )
    .await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(id)
}

/// Disables (`true`) or enables an account of the actor's merchant. An admin cannot disable
/// themself (the merchant would be left without anyone to enable them again).
pub async fn set_disabled(app: &App, actor: &Actor, login_id: &str, disabled: bool) -> Result<()> {
    let m = admin_of_merchant(actor)?;
    let mut tx = app.store.begin().await?;
    let user = user_of(&mut tx, m, login_id).await?;
    if actor.user_id == Some(UserId(user.id)) && disabled {
        return Err(AppError::Conflict(kippu_domain::label::Said::new(
            "自分のアカウントは無効にできません",
            "You cannot disable your own account",
        )));
    }
    people::set_disabled(&mut tx, m, UserId(user.id), disabled).await?;
    if disabled {
        security::delete_user_sessions(&mut tx, UserId(user.id), None).await?;
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(if disabled { "disable" } else { "enable" }, "user", login_id),
        Some(&serde_json::json!({"disabled": user.disabled == 1})),
        Some(&serde_json::json!({"disabled": disabled})),
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn refuse(ja: &'static str, en: &'static str) -> AppError {
    AppError::Conflict(kippu_domain::label::Said::new(ja, en))
}

/// The admin's 「パスワード再設定メールを送る」: the account gets the single-use reset link (valid
/// one hour), as if it had asked on the sign-in page.
pub async fn send_reset(app: &App, actor: &Actor, login_id: &str) -> Result<()> {
    let m = admin_of_merchant(actor)?;
    let user = user_of(&mut *app.store.conn().await?, m, login_id).await?;
    if user.disabled == 1 {
        return Err(refuse(
            "無効のアカウントには送れません（先に有効にしてください）",
            "The account is disabled; enable it first",
        ));
    }
    if user.email.is_empty() {
        return Err(refuse(
            "メールアドレスのないアカウントには送れません",
            "The account has no email address",
        ));
    }
    super::passwords::queue_reset(app, &user, actor).await
}

/// 「管理者専用設定を表示する」 of a call-centre operator: on, the operator may also change the
/// merchant's settings.
pub async fn set_admin_settings(app: &App, actor: &Actor, login_id: &str, on: bool) -> Result<()> {
    let m = admin_of_merchant(actor)?;
    let mut tx = app.store.begin().await?;
    let user = user_of(&mut tx, m, login_id).await?;
    if Role::parse(&user.role) != Some(Role::CallCentre) {
        return Err(refuse(
            "この設定はコールセンターのオペレーターのものです",
            "This setting is for call-centre operators",
        ));
    }
    people::set_admin_settings(&mut tx, m, UserId(user.id), on).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("update", "user", login_id),
        Some(&serde_json::json!({"admin_settings": user.admin_settings == 1})),
        Some(&serde_json::json!({"admin_settings": on})),
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
