//! Email: editable templates, the outbox, and the worker that delivers it.

pub mod goods_templates;
pub mod mailer;
pub mod subscription_templates;
pub mod templates;

use crate::{App, Result};
use kippu_domain::MerchantId;
pub use kippu_store::outbox::OutboxRow;
use kippu_store::{AnyConnection, outbox};

/// Renders template `key` for `merchant` and queues it to `to` on `conn` — the transaction of
/// the change that causes the email, so both commit or neither does.
pub async fn queue_email(
    conn: &mut AnyConnection,
    app: &App,
    merchant: Option<MerchantId>,
    key: &str,
    to: &str,
    vars: &serde_json::Value,
    order_id: Option<kippu_domain::OrderId>,
) -> Result<i64> {
    let tpl = templates::effective(conn, merchant, key).await?;
    let (subject, body) = templates::render(&tpl.subject, &tpl.body, vars)?;
    let id = outbox::enqueue(
        conn,
        &outbox::NewMessage {
            merchant_id: merchant,
            template_key: key,
            to_addr: to,
            subject: &subject,
            body: &body,
            order_id,
        },
        app.now_ms(),
    )
    .await?;
    Ok(id)
}

/// The outbox as the actor may see it: a merchant's own messages, or all for the platform.
pub async fn outbox(app: &App, actor: &crate::Actor, limit: i64) -> Result<Vec<outbox::OutboxRow>> {
    // 管理者専用: the outbox holds every mail's text, sign-in links included (issue 25 item 8).
    actor.require_settings_rights()?;
    let scope = actor.scope()?;
    let mut conn = app.store.conn().await?;
    Ok(outbox::list(&mut conn, scope, limit).await?)
}

/// Puts a failed message back in the queue now.
pub async fn retry(app: &App, actor: &crate::Actor, id: i64) -> Result<()> {
    let scope = actor.scope()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let found = if actor.is_platform() {
        // The platform may retry any message: find its owner first.
        let owner = outbox::owner(&mut tx, id).await?;
        match owner {
            Some(m) => outbox::requeue(&mut tx, m.map(MerchantId), id, now).await?,
            None => false,
        }
    } else {
        outbox::requeue(&mut tx, scope, id, now).await?
    };
    if !found {
        return Err(crate::AppError::NotFound);
    }
    crate::audit::record(
        &mut tx,
        actor,
        scope,
        crate::audit::Subject::new("retry", "outbox", id),
        crate::audit::NONE,
        crate::audit::NONE,
        now,
    )
    .await?;
    tx.commit().await?;
    app.mail_wakeup.notify_one();
    Ok(())
}

/// Saves a merchant's (or the platform's) version of a template after checking it renders.
pub async fn save_template(app: &App, actor: &crate::Actor, key: &str, subject: &str, body: &str) -> Result<()> {
    actor.require_settings_rights()?;
    let def = templates::def(key).ok_or(crate::AppError::NotFound)?;
    templates::preview(def, subject, body)?;
    let scope = actor.scope()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = kippu_store::templates::find_own(&mut tx, scope, key)
        .await?
        .map(|r| serde_json::json!({"subject": r.subject, "body": r.body}));
    kippu_store::templates::upsert(&mut tx, scope, key, subject, body, actor.user_id.map(|u| u.0), now).await?;
    let after = serde_json::json!({"subject": subject, "body": body});
    crate::audit::record(
        &mut tx,
        actor,
        scope,
        crate::audit::Subject::new("update", "email_template", key),
        before.as_ref(),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Drops the actor's own version of a template, so the default applies again.
pub async fn reset_template(app: &App, actor: &crate::Actor, key: &str) -> Result<()> {
    actor.require_settings_rights()?;
    templates::def(key).ok_or(crate::AppError::NotFound)?;
    let scope = actor.scope()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = kippu_store::templates::find_own(&mut tx, scope, key)
        .await?
        .map(|r| serde_json::json!({"subject": r.subject, "body": r.body}));
    kippu_store::templates::delete_own(&mut tx, scope, key).await?;
    crate::audit::record(
        &mut tx,
        actor,
        scope,
        crate::audit::Subject::new("reset", "email_template", key),
        before.as_ref(),
        crate::audit::NONE,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
