//! Sessions, login throttling, password-reset links and API tokens. Secrets are stored only as
//! SHA-256 hashes: a leaked database gives no usable session, link or token.

use crate::Result;
use kippu_domain::{MerchantId, UserId};
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub csrf_token: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

pub async fn insert_session(conn: &mut AnyConnection, id_hash: &str, user: UserId, csrf: &str, now: i64, expires: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(id_hash)
    .bind(user.0)
    .bind(csrf)
    .bind(now)
    .bind(expires)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_session(conn: &mut AnyConnection, id_hash: &str) -> Result<Option<SessionRow>> {
    Ok(
        sqlx::query_as("SELECT user_id, csrf_token, last_seen_at, expires_at FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn touch_session(conn: &mut AnyConnection, id_hash: &str, now: i64, expires: i64) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
        .bind(now)
        .bind(expires)
        .bind(id_hash)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_session(conn: &mut AnyConnection, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Signs a user out everywhere except, optionally, the session they are using.
pub async fn delete_user_sessions(conn: &mut AnyConnection, user: UserId, keep: Option<&str>) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user.0)
        .bind(keep.unwrap_or(""))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, FromRow)]
pub struct ThrottleRow {
    pub failures: i64,
    pub locked_until: Option<i64>,
}

impl ThrottleRow {
    /// The stored form of a throttle state.
    pub fn of(s: &kippu_domain::throttle::ThrottleState) -> ThrottleRow {
        ThrottleRow {
            failures: s.failures,
            locked_until: s.locked_until.map(kippu_domain::clock::to_millis),
        }
    }

    /// The state a stored row (or no row: nothing failed yet) stands for.
    pub fn state(row: Option<ThrottleRow>) -> kippu_domain::throttle::ThrottleState {
        row.map(|r| kippu_domain::throttle::ThrottleState {
            failures: r.failures,
            locked_until: r.locked_until.map(kippu_domain::clock::from_millis),
        })
        .unwrap_or_default()
    }
}

pub async fn get_throttle(conn: &mut AnyConnection, key: &str) -> Result<Option<ThrottleRow>> {
    Ok(
        sqlx::query_as("SELECT failures, locked_until FROM login_throttle WHERE login_key = $1")
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn put_throttle(conn: &mut AnyConnection, key: &str, row: ThrottleRow, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO login_throttle (login_key, failures, locked_until, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (login_key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(row.failures)
    .bind(row.locked_until)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Reads `key`'s throttle row locked for the rest of the write transaction (created empty if
/// it was not there), so that parallel attempts count one after another.
pub async fn lock_throttle(conn: &mut AnyConnection, key: &str, now: i64) -> Result<ThrottleRow> {
    sqlx::query(
        "INSERT INTO login_throttle (login_key, failures, locked_until, updated_at) VALUES ($1, 0, NULL, $2) \
         ON CONFLICT (login_key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let lock = crate::dialect::Backend::of(conn).for_update();
    let sql = format!("SELECT failures, locked_until FROM login_throttle WHERE login_key = $1{lock}");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(key).fetch_one(conn).await?)
}

/// Takes back one attempt counted in advance that turned out right: the wrong ones before it
/// still count, and a lock only this attempt made is lifted.
pub async fn refund_attempt(conn: &mut AnyConnection, key: &str, max_failures: i64) -> Result<()> {
    sqlx::query(
        "UPDATE login_throttle SET \
           locked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE locked_until END, \
           failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END \
         WHERE login_key = $1",
    )
    .bind(key)
    .bind(max_failures)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn clear_throttle(conn: &mut AnyConnection, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_throttle WHERE login_key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_reset(conn: &mut AnyConnection, token_hash: &str, user: UserId, now: i64, expires: i64) -> Result<()> {
    sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user.0)
        .bind(now)
        .bind(expires)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct ResetRow {
    pub user_id: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub async fn find_reset(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<ResetRow>> {
    Ok(
        sqlx::query_as("SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(conn)
            .await?,
    )
}

/// Marks a link used; false if it was already used (a second tab, a replay).
pub async fn use_reset(conn: &mut AnyConnection, token_hash: &str, now: i64) -> Result<bool> {
    let r = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now)
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub merchant_id: Option<i64>,
    pub scope: String,
    pub name: String,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// The sales channel the token is bound to, if any.
    pub channel_id: Option<i64>,
    pub channel_code: Option<String>,
    /// Whether the merchant lets that channel redeem its bookings at the door (0/1).
    pub channel_may_redeem: Option<i64>,
}

/// An API token to store (only its hash; the token itself is shown once).
#[derive(Debug, Clone, Copy)]
pub struct NewApiToken<'a> {
    pub merchant: Option<MerchantId>,
    pub channel_id: Option<i64>,
    pub scope: &'a str,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub prefix: &'a str,
}

pub async fn insert_api_token(conn: &mut AnyConnection, new: &NewApiToken<'_>, now: i64) -> Result<i64> {
    let NewApiToken {
        merchant,
        channel_id,
        scope,
        name,
        token_hash,
        prefix,
    } = *new;
    Ok(sqlx::query_scalar(
        "INSERT INTO api_tokens (merchant_id, channel_id, scope, name, token_hash, token_prefix, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(merchant.map(|m| m.0))
    .bind(channel_id)
    .bind(scope)
    .bind(name)
    .bind(token_hash)
    .bind(prefix)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn find_api_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<ApiTokenRow>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.merchant_id, t.scope, t.name, t.revoked_at, t.last_used_at, c.id AS channel_id, \
         c.code AS channel_code, c.may_redeem AS channel_may_redeem \
         FROM api_tokens t LEFT JOIN channels c ON c.id = t.channel_id WHERE t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?)
}

pub async fn touch_api_token(conn: &mut AnyConnection, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A merchant's API token bound to a sales channel, for the channels screen (never the token
/// itself: only its first characters).
#[derive(Debug, Clone, FromRow)]
pub struct ChannelToken {
    pub id: i64,
    pub channel_id: i64,
    pub name: String,
    pub token_prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// The merchant's live tokens bound to a channel.
pub async fn channel_tokens(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<ChannelToken>> {
    Ok(sqlx::query_as(
        "SELECT id, channel_id, name, token_prefix, created_at, last_used_at FROM api_tokens \
         WHERE merchant_id = $1 AND channel_id IS NOT NULL AND revoked_at IS NULL ORDER BY id",
    )
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}

/// Revokes one of the merchant's tokens; false when it is not the merchant's or already revoked.
pub async fn revoke_merchant_token(conn: &mut AnyConnection, m: MerchantId, id: i64, now: i64) -> Result<bool> {
    let r = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND merchant_id = $3 AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .bind(m.0)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// When `key` last counted a failure (or was created), if it has a row.
pub async fn throttle_updated_at(conn: &mut AnyConnection, key: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT updated_at FROM login_throttle WHERE login_key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await?)
}
