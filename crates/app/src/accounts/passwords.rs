//! Passwords: the forced change after an initial password, voluntary changes, and the reset by
//! an emailed single-use link.

use super::*;
use crate::notify::{self, templates};
use crate::secrets::{self, sha256_hex};
use crate::{App, AppError, Result, audit};
use kippu_domain::clock::{format_jst, from_millis};
use kippu_domain::validate::FieldError;
use kippu_domain::{MerchantId, UserId, password};
pub use kippu_store::people::UserRow;
use kippu_store::people::{self};
use kippu_store::security;

fn check_new_password(new: &str, confirm: &str) -> Result<()> {
    let problems = password::check(new);
    if !problems.is_empty() {
        return Err(AppError::WeakPassword(problems));
    }
    if new != confirm {
        return Err(FieldError::new("confirm_password", "確認用パスワードが一致しません").into());
    }
    Ok(())
}

/// Changes the signed-in user's password. The current password is asked for unless this is
/// the forced change right after signing in with an initial password. Other sessions end.
pub async fn change_password(app: &App, su: &SessionUser, current: Option<&str>, new: &str, confirm: &str) -> Result<()> {
    let forced = su.user.must_change_password == 1;
    if !forced {
        let current = current.unwrap_or("");
        if !verify_blocking(current.to_string(), su.user.password_hash.clone()).await {
            return Err(FieldError::new("current_password", "現在のパスワードが正しくありません").into());
        }
    }
    check_new_password(new, confirm)?;
    if verify_blocking(new.to_string(), su.user.password_hash.clone()).await {
        return Err(FieldError::new("new_password", "現在と異なるパスワードにしてください").into());
    }
    let hash = hash_blocking(new.to_string()).await?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    people::update_password(&mut tx, UserId(su.user.id), &hash, false, now).await?;
    security::delete_user_sessions(&mut tx, UserId(su.user.id), Some(&su.session_hash)).await?;
    let what = if forced { "password_initial_change" } else { "password_change" };
    audit::record(
        &mut tx,
        &su.actor,
        su.actor.merchant_id,
        audit::Subject::new(what, "user", su.user.id),
        audit::NONE,
        audit::NONE,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Emails a single-use reset link valid for one hour. Answers the same whether or not the
/// login ID exists or has an email address, so the form reveals nothing.
pub async fn request_reset(app: &App, login_id: &str) -> Result<()> {
    let user = {
        let mut conn = app.store.conn().await?;
        people::find_user_by_login(&mut conn, login_id.trim()).await?
    };
    let Some(user) = user.filter(|u| u.disabled == 0 && !u.email.is_empty()) else {
        tracing::info!("password reset requested for an unknown or email-less login ID");
        return Ok(());
    };
    queue_reset(app, &user, &actor_for(&user)).await
}

/// Queues the reset link of `user` (asked for by `by`: the user, or their merchant's admin).
pub(crate) async fn queue_reset(app: &App, user: &people::UserRow, by: &crate::Actor) -> Result<()> {
    let token = secrets::random_token(32);
    let now = app.now_ms();
    let expires = now + RESET_VALID_MS;
    let url = format!("{}/password/reset/{}", app.config.public_url.trim_end_matches('/'), token);
    let mut tx = app.store.begin().await?;
    security::insert_reset(&mut tx, &sha256_hex(&token), UserId(user.id), now, expires).await?;
    let vars = serde_json::json!({
        "name": user.display_name,
        "login_id": user.login_id,
        "reset_url": url,
        "expires_at": format_jst(from_millis(expires)),
    });
    let merchant = user.merchant_id.map(MerchantId);
    notify::queue_email(&mut tx, app, merchant, templates::PASSWORD_RESET, &user.email, &vars, None).await?;
    audit::record(
        &mut tx,
        by,
        merchant,
        audit::Subject::new("password_reset_requested", "user", user.id),
        audit::NONE,
        audit::NONE,
        now,
    )
    .await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(())
}

/// The account a reset link is for, if the link is still valid.
pub async fn check_reset(app: &App, token: &str) -> Result<UserRow> {
    let mut conn = app.store.conn().await?;
    let r = security::find_reset(&mut conn, &sha256_hex(token))
        .await?
        .ok_or(AppError::LinkExpired)?;
    if r.used_at.is_some() || r.expires_at <= app.now_ms() {
        return Err(AppError::LinkExpired);
    }
    people::get_user(&mut conn, UserId(r.user_id)).await?.ok_or(AppError::LinkExpired)
}

/// Sets a new password through a reset link; the link is spent, every session of the account
/// ends and a login lock on it is lifted.
pub async fn reset_password(app: &App, token: &str, new: &str, confirm: &str) -> Result<()> {
    let user = check_reset(app, token).await?;
    check_new_password(new, confirm)?;
    let hash = hash_blocking(new.to_string()).await?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if !security::use_reset(&mut tx, &sha256_hex(token), now).await? {
        return Err(AppError::LinkExpired);
    }
    people::update_password(&mut tx, UserId(user.id), &hash, false, now).await?;
    security::delete_user_sessions(&mut tx, UserId(user.id), None).await?;
    security::clear_throttle(&mut tx, &throttle_key(&user.login_id)).await?;
    let actor = actor_for(&user);
    audit::record(
        &mut tx,
        &actor,
        actor.merchant_id,
        audit::Subject::new("password_reset", "user", user.id),
        audit::NONE,
        audit::NONE,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
