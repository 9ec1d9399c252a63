//! Accounts: sign-in with throttling, sessions, password changes (forced and voluntary),
//! password reset by emailed link, account and API-token creation.

mod lockout;
mod passwords;
pub mod staff;
mod tokens;

pub use lockout::unlock_account;
pub use passwords::*;
pub use tokens::*;

use crate::secrets::{self, sha256_hex};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::account::{MerchantStatus, Role};
use kippu_domain::validate::{self, FieldError};
use kippu_domain::{MerchantId, UserId};
pub use kippu_store::people::UserRow;
use kippu_store::people::{self, NewUser};
use kippu_store::{merchants, security};

/// Idle time after which a session ends.
pub const SESSION_IDLE_MS: i64 = 12 * 3600 * 1000;
/// A reset link is valid for one hour, once.
pub const RESET_VALID_MS: i64 = 3600 * 1000;

pub struct LoginOk {
    pub session_token: String,
    pub user: UserRow,
}

pub struct SessionUser {
    pub user: UserRow,
    /// The merchant's name, shown beside the account name.
    pub merchant_name: Option<String>,
    pub csrf: String,
    pub actor: Actor,
    pub session_hash: String,
}

pub fn actor_for(user: &UserRow) -> Actor {
    Actor {
        user_id: Some(UserId(user.id)),
        merchant_id: user.merchant_id.map(MerchantId),
        role: Role::parse(&user.role).unwrap_or(Role::Customer),
        admin_settings: user.admin_settings == 1,
        label: user.login_id.clone(),
        channel: None,
    }
}

fn throttle_key(login_id: &str) -> String {
    lockout::account_key(login_id)
}

pub(crate) async fn hash_blocking(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || secrets::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)
}

async fn verify_blocking(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || secrets::verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the login ID does not exist so that a
/// wrong ID takes as long as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| secrets::hash_password(&secrets::random_token(16)).unwrap_or_default());

/// Refuses a suspended merchant (its staff, its API tokens) with the reason.
pub(crate) async fn refuse_suspended(conn: &mut kippu_store::AnyConnection, m: MerchantId) -> Result<()> {
    match merchants::get(conn, m).await? {
        Some(row) if row.status == MerchantStatus::Suspended => Err(AppError::MerchantSuspended),
        _ => Ok(()),
    }
}

/// Signs in. Failures are counted per client address and login ID, per client address and per
/// login ID (existing or not), each
/// with exponential backoff (`kippu_domain::login_backoff`); while either is locked even the right
/// password is refused, so a stranger's guesses from elsewhere stop only the stranger.
pub async fn login(app: &App, login_id: &str, password: &str, client: Option<std::net::IpAddr>) -> Result<LoginOk> {
    let keys = lockout::Keys::new(login_id, client);
    {
        let mut conn = app.store.conn().await?;
        lockout::refuse_if_locked(&mut conn, &keys, app.now_ms()).await?;
    }
    let user = {
        let mut conn = app.store.conn().await?;
        people::find_user_by_login(&mut conn, login_id.trim()).await?
    };
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.clone());
    let password_ok = verify_blocking(password.to_string(), hash).await;
    let signed_in = user.clone().filter(|u| password_ok && u.disabled == 0);

    let now_ms = app.now_ms();
    let mut tx = app.store.begin().await?;
    let Some(user) = signed_in else {
        let refusal = lockout::count_failure(&mut tx, app, &keys, user.as_ref()).await?;
        tx.commit().await?;
        app.mail_wakeup.notify_one();
        return Err(refusal);
    };
    // The right password of a suspended merchant's staff: refused with the reason, not counted
    // as a failure (nothing was guessed).
    if let Some(m) = user.merchant_id {
        refuse_suspended(&mut tx, MerchantId(m)).await?;
    }
    // Re-check inside the transaction: a lock set by a parallel attempt still wins.
    lockout::refuse_if_locked(&mut tx, &keys, now_ms).await?;
    // The account's counters start afresh; the address's does not (signing in to one's own
    // account must not buy more guesses at others' from the same address).
    security::clear_throttle(&mut tx, &keys.account).await?;
    security::clear_throttle(&mut tx, &keys.address_account).await?;
    let token = secrets::random_token(32);
    security::insert_session(
        &mut tx,
        &sha256_hex(&token),
        UserId(user.id),
        &secrets::random_token(24),
        now_ms,
        now_ms + SESSION_IDLE_MS,
    )
    .await?;
    let actor = actor_for(&user);
    audit::record(
        &mut tx,
        &actor,
        actor.merchant_id,
        audit::Subject::new("login", "user", user.id),
        audit::NONE,
        audit::NONE,
        now_ms,
    )
    .await?;
    tx.commit().await?;
    Ok(LoginOk {
        session_token: token,
        user,
    })
}

/// The signed-in user behind a session cookie, if the session is live. Extends an idle session.
pub async fn session_user(app: &App, token: &str) -> Result<Option<SessionUser>> {
    let hash = sha256_hex(token);
    let now = app.now_ms();
    let mut conn = app.store.conn().await?;
    let Some(s) = security::find_session(&mut conn, &hash).await? else {
        return Ok(None);
    };
    if s.expires_at <= now {
        security::delete_session(&mut conn, &hash).await?;
        return Ok(None);
    }
    let Some(user) = people::get_user(&mut conn, UserId(s.user_id)).await? else {
        return Ok(None);
    };
    if user.disabled == 1 {
        return Ok(None);
    }
    // Writing on every request would serialize readers behind SQLite's writer; once a minute
    // is enough for a 12-hour idle timeout.
    if now - s.last_seen_at > 60_000 {
        drop(conn);
        let mut tx = app.store.begin().await?;
        security::touch_session(&mut tx, &hash, now, now + SESSION_IDLE_MS).await?;
        tx.commit().await?;
        conn = app.store.conn().await?;
    }
    let merchant = match user.merchant_id {
        Some(m) => merchants::get(&mut conn, MerchantId(m)).await?,
        None => None,
    };
    // A suspended merchant's sessions end at once: the next page is the sign-in, which says why.
    if merchant.as_ref().is_some_and(|m| m.status == MerchantStatus::Suspended) {
        return Ok(None);
    }
    let merchant_name = merchant.map(|m| m.name);
    let actor = actor_for(&user);
    Ok(Some(SessionUser {
        user,
        merchant_name,
        csrf: s.csrf_token,
        actor,
        session_hash: hash,
    }))
}

pub async fn logout(app: &App, token: &str) -> Result<()> {
    let mut conn = app.store.conn().await?;
    security::delete_session(&mut conn, &sha256_hex(token)).await?;
    Ok(())
}

pub struct NewAccount<'a> {
    pub role: Role,
    pub merchant_code: Option<&'a str>,
    pub login_id: &'a str,
    pub display_name: &'a str,
    pub email: &'a str,
    pub admin_settings: bool,
}

/// Creates an account with a generated initial password (returned once, never stored in
/// clear) that must be changed at first sign-in.
pub async fn create_user(app: &App, actor: &Actor, a: &NewAccount<'_>) -> Result<(UserId, String)> {
    let login_id = validate::login_id("login_id", a.login_id)?;
    let email = if a.email.trim().is_empty() {
        String::new()
    } else {
        validate::email("email", a.email)?
    };
    let name = if a.display_name.trim().is_empty() {
        login_id.clone()
    } else {
        validate::required_text("display_name", a.display_name, 100)?
    };
    let mut conn = app.store.conn().await?;
    let merchant = match (a.role.needs_merchant(), a.merchant_code) {
        (true, Some(code)) => Some(merchant_by_code(&mut conn, code).await?),
        (true, None) => {
            return Err(FieldError::new("merchant", "この権限には加盟店コードが必要です").into());
        }
        (false, Some(_)) => {
            return Err(FieldError::new("merchant", "事務局の権限には加盟店を指定できません").into());
        }
        (false, None) => None,
    };
    drop(conn);
    if !actor.is_platform() && actor.merchant_id != merchant.as_ref().map(|m| m.id) {
        return Err(AppError::NotFound);
    }
    let initial = secrets::initial_password();
    let hash = hash_blocking(initial.clone()).await?;
    let now = app.now_ms();
    let merchant_id = merchant.map(|m| m.id);
    let mut tx = app.store.begin().await?;
    let id = insert_account(
        &mut tx,
        &NewUser {
            merchant_id,
            role: a.role.as_str(),
            login_id: &login_id,
            display_name: &name,
            email: &email,
            password_hash: &hash,
            must_change_password: true,
            admin_settings: a.admin_settings,
        },
        now,
    )
    .await?;
    let after = serde_json::json!({"login_id": login_id, "role": a.role.as_str(), "email": email, "admin_settings": a.admin_settings});
    audit::record(
        &mut tx,
        actor,
        merchant_id,
        audit::Subject::new("create", "user", id),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((id, initial))
}

/// Writes a new account; a login ID already taken is the `login_id` field's error.
pub(crate) async fn insert_account(conn: &mut kippu_store::AnyConnection, u: &NewUser<'_>, now: i64) -> Result<UserId> {
    people::insert_user(conn, u, now).await.map_err(|e| match e {
        kippu_store::StoreError::Conflict { .. } => {
            FieldError::new("login_id", format!("ログインID {} は既に使われています", u.login_id)).into()
        }
        other => AppError::Store(other),
    })
}

/// The merchant with this code; an unknown code is the `merchant` field's error.
pub(crate) async fn merchant_by_code(conn: &mut kippu_store::AnyConnection, code: &str) -> Result<merchants::MerchantRow> {
    merchants::find_by_code(conn, code)
        .await?
        .ok_or_else(|| FieldError::new("merchant", format!("加盟店コード {code} は存在しません")).into())
}

/// Sets the remembered UI language of a signed-in user.
pub async fn set_language(app: &App, user: UserId, lang: &str) -> Result<()> {
    let lang = if lang == "en" { "en" } else { "ja" };
    let mut conn = app.store.conn().await?;
    people::set_lang(&mut conn, user, lang).await?;
    Ok(())
}

/// The accounts the actor may see: its merchant's users, or every user for the platform.
pub async fn users(app: &App, actor: &Actor) -> Result<Vec<UserRow>> {
    // 管理者専用: what the settings pages show is the administrators' (issue 25 item 8).
    actor.require_settings_rights()?;
    let scope = actor.scope()?;
    let mut conn = app.store.conn().await?;
    Ok(people::list_users(&mut conn, scope).await?)
}
