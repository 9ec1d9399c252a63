//! API tokens: issued once (only the hash is kept), bound to a merchant, the platform or one
//! sales channel, resolved to an actor on every API request.

use super::*;
use crate::secrets::{self, sha256_hex};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::account::Role;
use kippu_domain::validate::{self, FieldError};
use kippu_store::security;

/// Creates an API token for a merchant (or the platform when `merchant_code` is `None`).
/// Returns the token; only its hash is kept.
/// `channel_code` binds a merchant's token to one sales channel (an OTA's connection): orders
/// taken with it are recorded as that channel's and must be listed there.
pub async fn create_token(app: &App, actor: &Actor, merchant_code: Option<&str>, channel_code: Option<&str>, name: &str) -> Result<String> {
    let merchant = match merchant_code {
        Some(code) => {
            let mut conn = app.store.conn().await?;
            Some(merchant_by_code(&mut conn, code).await?.id)
        }
        None => None,
    };
    if !actor.is_platform() && actor.merchant_id != merchant {
        return Err(AppError::NotFound);
    }
    issue_token(app, actor, merchant, channel_code, name).await
}

/// Issues a token for `merchant` (already checked to be the actor's or the platform's choice).
pub(crate) async fn issue_token(
    app: &App,
    actor: &Actor,
    merchant: Option<MerchantId>,
    channel_code: Option<&str>,
    name: &str,
) -> Result<String> {
    let name = validate::required_text("name", name, 100)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let channel = match (channel_code, merchant) {
        (None, _) => None,
        (Some(_), None) => return Err(FieldError::new("channel", "販売チャネルは加盟店のトークンにだけ指定できます").into()),
        (Some(code), Some(m)) => Some(
            kippu_store::orders::channel_by_code(&mut tx, m, code)
                .await?
                .ok_or_else(|| FieldError::new("channel", format!("販売チャネル {code} はありません")))?
                .id,
        ),
    };
    let token = format!("kpt_{}", secrets::random_token(32));
    let scope = if merchant.is_some() { "merchant" } else { "platform" };
    let id = security::insert_api_token(
        &mut tx,
        &security::NewApiToken {
            merchant,
            channel_id: channel,
            scope,
            name: &name,
            token_hash: &sha256_hex(&token),
            prefix: &token[..10],
        },
        now,
    )
    .await?;
    let after = serde_json::json!({"name": name, "scope": scope, "prefix": &token[..10], "channel": channel_code});
    audit::record(
        &mut tx,
        actor,
        merchant,
        audit::Subject::new("create", "api_token", id),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// The actor behind an `Authorization: Bearer` token, if the token is valid.
pub async fn token_actor(app: &App, token: &str) -> Result<Option<Actor>> {
    let mut conn = app.store.conn().await?;
    let Some(t) = security::find_api_token(&mut conn, &sha256_hex(token.trim())).await? else {
        return Ok(None);
    };
    if t.revoked_at.is_some() {
        return Ok(None);
    }
    if let Some(m) = t.merchant_id {
        super::refuse_suspended(&mut conn, MerchantId(m)).await?;
    }
    // "Last used" to the minute is enough; writing on every request would queue every API call
    // behind SQLite's single writer.
    let now = app.now_ms();
    if t.last_used_at.is_none_or(|at| now - at > 60_000) {
        drop(conn);
        let mut tx = app.store.begin().await?;
        security::touch_api_token(&mut tx, t.id, now).await?;
        tx.commit().await?;
    }
    Ok(Some(Actor {
        user_id: None,
        merchant_id: t.merchant_id.map(MerchantId),
        role: if t.scope == "platform" {
            Role::PlatformOperator
        } else {
            Role::MerchantAdmin
        },
        admin_settings: false,
        label: format!("api:{}", t.name),
        channel: match (t.channel_id, t.channel_code) {
            (Some(id), Some(code)) => Some(crate::actor::ChannelBinding {
                id,
                code,
                may_redeem: t.channel_may_redeem == Some(1),
            }),
            _ => None,
        },
    }))
}
