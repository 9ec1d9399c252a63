//! Sign-in throttling by client address and by account, with exponential backoff
//! ([`kippu_domain::login_backoff`]), and the emailed one-use link that lifts an account lock.
//!
//! The unlock link is a row of `password_resets` (same hash-only storage, one hour, once): it
//! proves the same thing as a reset link, control of the account's mailbox.

use super::{RESET_VALID_MS, UserRow, actor_for};
use crate::notify::{self, templates};
use crate::secrets::{self, sha256_hex};
use crate::{App, AppError, Result, audit};
use kippu_domain::clock::{format_jst, from_millis, to_millis};
use kippu_domain::login_backoff::Counter;
use kippu_domain::throttle::ThrottleState;
use kippu_domain::{MerchantId, UserId};
use kippu_store::security::{self, ThrottleRow};
use std::net::IpAddr;
use time::OffsetDateTime;

/// Failures are forgotten after a day without one.
const FORGET_AFTER_MS: i64 = 24 * 3600 * 1000;

/// The three counters one attempt is charged to.
pub(crate) struct Keys {
    pub address_account: String,
    pub address: String,
    pub account: String,
}

impl Keys {
    /// An attempt without a known address (a server behind no socket, a unit test) is charged
    /// to one shared "unknown" counter rather than to none.
    pub fn new(login_id: &str, client: Option<IpAddr>) -> Keys {
        let address = client.map(|ip| ip.to_canonical().to_string()).unwrap_or_else(|| "unknown".into());
        let account = account_key(login_id);
        Keys {
            address_account: format!("addr:{address}|{account}"),
            address: format!("addr:{address}"),
            account,
        }
    }

    fn all(&self) -> [(Counter, &str); 3] {
        [
            (Counter::AddressAccount, &self.address_account),
            (Counter::Address, &self.address),
            (Counter::Account, &self.account),
        ]
    }
}

pub(crate) fn account_key(login_id: &str) -> String {
    format!("acct:{}", login_id.trim().to_lowercase())
}

async fn current(conn: &mut kippu_store::AnyConnection, key: &str, now_ms: i64) -> Result<ThrottleState> {
    let state = ThrottleRow::state(security::get_throttle(conn, key).await?);
    let fresh = security::throttle_updated_at(conn, key)
        .await?
        .is_some_and(|at| now_ms - at < FORGET_AFTER_MS);
    Ok(if fresh || state.is_locked(from_millis(now_ms)) {
        state
    } else {
        ThrottleState::default()
    })
}

fn locked(until: OffsetDateTime, now: OffsetDateTime) -> AppError {
    let left = (until - now).whole_seconds();
    AppError::Locked {
        minutes: ((left + 59) / 60).max(1),
        until_ms: to_millis(until),
    }
}

/// Refuses the attempt while any counter is locked, saying until when (the later end).
pub(crate) async fn refuse_if_locked(conn: &mut kippu_store::AnyConnection, keys: &Keys, now_ms: i64) -> Result<()> {
    let now = from_millis(now_ms);
    let mut until = None;
    for (_, key) in keys.all() {
        let s = current(conn, key, now_ms).await?;
        if s.is_locked(now) {
            until = until.max(s.locked_until);
        }
    }
    match until {
        Some(t) => Err(locked(t, now)),
        None => Ok(()),
    }
}

/// Counts one failure against all three counters. When this failure starts an account lock, the
/// account's owner is emailed an unlock link. The error to show: locked (until when) or wrong.
pub(crate) async fn count_failure(tx: &mut kippu_store::AnyConnection, app: &App, keys: &Keys, user: Option<&UserRow>) -> Result<AppError> {
    let now_ms = app.now_ms();
    let now = from_millis(now_ms);
    let mut until = None;
    for (counter, key) in keys.all() {
        security::lock_throttle(tx, key, now_ms).await?;
        let before = current(tx, key, now_ms).await?;
        let after = counter.after_failure(before, now);
        security::put_throttle(tx, key, ThrottleRow::of(&after), now_ms).await?;
        if after.is_locked(now) {
            until = until.max(after.locked_until);
            if counter == Counter::Account
                && !before.is_locked(now)
                && let Some(u) = user.filter(|u| u.disabled == 0 && !u.email.is_empty())
            {
                queue_unlock_mail(tx, app, u, after.locked_until.unwrap_or(now)).await?;
            }
        }
    }
    Ok(match until {
        Some(t) => locked(t, now),
        None => AppError::BadCredentials,
    })
}

async fn queue_unlock_mail(tx: &mut kippu_store::AnyConnection, app: &App, user: &UserRow, until: OffsetDateTime) -> Result<()> {
    let token = secrets::random_token(32);
    let now = app.now_ms();
    let expires = now + RESET_VALID_MS;
    security::insert_reset(tx, &sha256_hex(&token), UserId(user.id), now, expires).await?;
    let vars = serde_json::json!({
        "name": user.display_name,
        "login_id": user.login_id,
        "locked_until": format_jst(until),
        "unlock_url": format!("{}/login/unlock/{}", app.config.public_url.trim_end_matches('/'), token),
        "expires_at": format_jst(from_millis(expires)),
    });
    let merchant = user.merchant_id.map(MerchantId);
    notify::queue_email(tx, app, merchant, templates::ACCOUNT_LOCKED, &user.email, &vars, None).await?;
    Ok(())
}

/// Lifts the account lock with the emailed link: once, within the hour. The account's login ID.
pub async fn unlock_account(app: &App, token: &str) -> Result<String> {
    let user = super::check_reset(app, token).await?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if !security::use_reset(&mut tx, &sha256_hex(token), now).await? {
        return Err(AppError::LinkExpired);
    }
    security::clear_throttle(&mut tx, &account_key(&user.login_id)).await?;
    let actor = actor_for(&user);
    audit::record(
        &mut tx,
        &actor,
        actor.merchant_id,
        audit::Subject::new("account_unlocked", "user", user.id),
        audit::NONE,
        audit::NONE,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(user.login_id)
}
