//! Delivers the outbox: over SMTP when configured, else as `.eml` files in the outbox folder.
//! Network I/O never happens inside a database transaction: a message is claimed, sent, then
//! marked, each step its own statement.

use crate::App;
use kippu_store::outbox::{self, OutboxRow};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Attempts before a message is given up as `failed` (the admin can still retry it).
pub const MAX_ATTEMPTS: i64 = 6;
/// A claimed message not marked within this time is considered abandoned and retried.
const LEASE_MS: i64 = 120_000;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Transport {
    pub fn from_config(app: &App) -> Result<Transport, String> {
        match &app.config.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| Transport::Smtp(b.timeout(Some(Duration::from_secs(20))).build()))
                .map_err(|e| format!("KIPPU_SMTP_URL is not usable: {e}")),
            None => {
                std::fs::create_dir_all(&app.config.outbox_dir)
                    .map_err(|e| format!("cannot create outbox folder {}: {e}", app.config.outbox_dir.display()))?;
                Ok(Transport::Files(AsyncFileTransport::new(&app.config.outbox_dir)))
            }
        }
    }

    async fn send(&self, msg: Message) -> Result<(), Failure> {
        match self {
            Transport::Smtp(t) => t.send(msg).await.map(|_| ()).map_err(|e| Failure {
                // A 5xx answer (no such mailbox, address refused) will not change on a retry.
                permanent: e.is_permanent(),
                reason: e.to_string(),
            }),
            Transport::Files(t) => t.send(msg).await.map(|_| ()).map_err(|e| Failure::retry(e.to_string())),
        }
    }
}

/// Why a message did not go, and whether trying again could change that.
struct Failure {
    reason: String,
    /// The message can never go as it is (an address the mailer cannot parse, a 5xx answer):
    /// it is marked failed at once, with the reason, instead of being retried.
    permanent: bool,
}

impl Failure {
    fn retry(reason: String) -> Failure {
        Failure { reason, permanent: false }
    }

    fn never(reason: String) -> Failure {
        Failure { reason, permanent: true }
    }
}

/// Backoff after the n-th failed attempt: 30 s, 1 min, 2 min, 4 min, 8 min.
pub fn backoff_ms(attempts_so_far: i64) -> i64 {
    30_000 * (1i64 << attempts_so_far.clamp(0, 10))
}

/// The message of `row`; an address the mailer cannot read makes it one that can never go.
fn build(app: &App, row: &OutboxRow) -> Result<Message, Failure> {
    let from: Mailbox = app
        .config
        .mail_from
        .parse()
        .map_err(|e| Failure::never(format!("KIPPU_MAIL_FROM: {e}")))?;
    let to: Mailbox = row
        .to_addr
        .parse()
        .map_err(|e| Failure::never(format!("recipient {}: {e}", row.to_addr)))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(row.body.clone())
        .map_err(|e| Failure::never(e.to_string()))
}

/// Delivers every due message once. Returns (sent, failed attempts).
pub async fn deliver_due(app: &App, transport: &Transport) -> Result<(usize, usize), kippu_store::StoreError> {
    // Every write goes through a short write transaction: on SQLite that queues it behind the
    // process's writer permit instead of racing the request handlers for the lock.
    let due = {
        let mut tx = app.store.begin().await?;
        outbox::release_expired_leases(&mut tx, app.now_ms()).await?;
        let due = outbox::due(&mut tx, app.now_ms(), 50).await?;
        let mut claimed = Vec::with_capacity(due.len());
        for row in due {
            if outbox::claim(&mut tx, row.id, app.now_ms() + LEASE_MS).await? {
                claimed.push(row);
            }
        }
        tx.commit().await?;
        claimed
    };
    let (mut sent, mut failed) = (0, 0);
    for row in due {
        let result = match build(app, &row) {
            Ok(msg) => transport.send(msg).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                let mut tx = app.store.begin().await?;
                outbox::mark_sent(&mut tx, row.id, app.now_ms()).await?;
                tx.commit().await?;
                sent += 1;
            }
            Err(e) => {
                let attempts = row.attempts + 1;
                let next = (attempts < MAX_ATTEMPTS && !e.permanent).then(|| app.now_ms() + backoff_ms(row.attempts));
                tracing::warn!(id = row.id, attempts, permanent = e.permanent, error = %e.reason, "email delivery failed");
                let mut tx = app.store.begin().await?;
                outbox::mark_failed(&mut tx, row.id, &e.reason, next).await?;
                tx.commit().await?;
                failed += 1;
            }
        }
    }
    Ok((sent, failed))
}

/// The background worker of `serve`: delivers due mail, then sleeps until woken by a new
/// message or the poll interval passes.
pub async fn run(app: App, transport: Transport) {
    loop {
        if let Err(e) = deliver_due(&app, &transport).await {
            tracing::error!(error = %e, "mail worker could not read the outbox");
        }
        tokio::select! {
            _ = app.mail_wakeup.notified() => {}
            _ = tokio::time::sleep(app.config.mail_poll) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;
    use proptest::prelude::*;

    proptest! {
        /// Every address the forms keep is one the mailer itself parses.
        #[test]
        fn every_address_kept_is_one_the_mailer_parses(s in "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\"<>() -]{0,12}@[a-zA-Z0-9._-]{0,12}") {
            if let Ok(kept) = kippu_domain::validate::email("email", &s) {
                prop_assert!(kept.parse::<lettre::Address>().is_ok(), "{kept}");
            }
        }
    }

    #[test]
    fn backoff_doubles() {
        assert_eq!(backoff_ms(0), 30_000);
        assert_eq!(backoff_ms(1), 60_000);
        assert_eq!(backoff_ms(4), 480_000);
    }
}
