//! Email: editable templates, the outbox, and the worker that delivers it.

pub mod mailer;
pub mod templates;

use crate::{App, Result};
use kippu_domain::MerchantId;
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
    order_id: Option<i64>,
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
