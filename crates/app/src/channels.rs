//! 販売チャネル: the merchant's own site and any number of OTAs. Each channel has its listings
//! (stopped or resumed per product, in `catalog`) and the API tokens its connection orders with.

use crate::{Actor, App, AppError, Result, accounts, audit};
use kippu_domain::account::Role;
use kippu_domain::validate::{self, FieldError};
use kippu_store::merchants::{self, ChannelSummary};
use kippu_store::security::{self, ChannelToken};

#[derive(Debug, Clone)]
pub struct ChannelView {
    pub channel: ChannelSummary,
    pub tokens: Vec<ChannelToken>,
}

/// Every channel of the actor's merchant with its live tokens.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<ChannelView>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let channels = merchants::list_channels(&mut conn, m).await?;
    let tokens = security::channel_tokens(&mut conn, m).await?;
    Ok(channels
        .into_iter()
        .map(|c| ChannelView {
            tokens: tokens.iter().filter(|t| t.channel_id == c.id).cloned().collect(),
            channel: c,
        })
        .collect())
}

/// Adds an OTA channel. It starts with every existing product stopped (掲載停止): a new
/// connection sells only what the merchant resumes for it. Products created later are listed
/// on every channel, as always.
pub async fn create_ota(app: &App, actor: &Actor, code: &str, name: &str) -> Result<String> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let mut c = validate::Collect::default();
    let code = c.take(validate::upper_code("code", "チャネルコード", code, 20));
    let name = c.take(validate::required_text("name", name, 100));
    c.finish()?;
    let (Some(code), Some(name)) = (code, name) else {
        unreachable!("Collect::finish fails when a field failed");
    };
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if kippu_store::orders::channel_by_code(&mut tx, m, &code).await?.is_some() {
        return Err(FieldError::new("code", format!("チャネルコード {code} は既にあります")).into());
    }
    let id = merchants::insert_channel(&mut tx, m, &code, &name, "ota", now).await?;
    merchants::stop_all_listings(&mut tx, m, id, now).await?;
    let after = serde_json::json!({"code": code, "name": name, "kind": "ota"});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "channel", &code),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// `kippu channel create`: adds an OTA channel to the merchant with this code.
pub async fn create_ota_for_merchant(app: &App, merchant_code: &str, code: &str, name: &str) -> Result<String> {
    let m = accounts::merchant_by_code(&mut *app.store.conn().await?, merchant_code).await?;
    create_ota(app, &Actor::unattended(m.id, Role::MerchantAdmin, "system"), code, name).await
}

/// Issues an API token bound to one of the merchant's channels; the token is shown once.
pub async fn issue_token(app: &App, actor: &Actor, channel_code: &str, name: &str) -> Result<String> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    accounts::issue_token(app, actor, Some(m), Some(channel_code), name).await
}

/// Revokes one of the merchant's channel tokens: the connection using it gets 401 from then on.
pub async fn revoke_token(app: &App, actor: &Actor, token_id: i64) -> Result<()> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if !security::revoke_merchant_token(&mut tx, m, token_id, now).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("revoke", "api_token", token_id),
        audit::NONE,
        audit::NONE,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Lets one of the merchant's OTA channels redeem its own bookings with its API token (an OTA
/// that checks guests in at its own counter), or stops it. Audited.
pub async fn set_may_redeem(app: &App, actor: &Actor, channel_code: &str, may: bool) -> Result<()> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if !merchants::set_channel_may_redeem(&mut tx, m, channel_code, may).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("set_may_redeem", "channel", channel_code),
        audit::NONE,
        Some(&serde_json::json!({ "may_redeem": may })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
