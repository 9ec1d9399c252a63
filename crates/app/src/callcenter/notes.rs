//! 自由メモ: an operator's notes, each their own (private: nobody else sees it) or shared with
//! every operator of the merchant, optionally about a customer. The list is the operator's own
//! notes and the shared ones. Who may change what: a private note only its author (to anyone else
//! it does not exist: 404); a shared note any operator of the merchant — edit or delete — but only
//! its author may make it private again. Every change is audited. An API token (no operator)
//! reads and writes the shared notes only: what it writes is shared, signed with the token.

use super::console_merchant;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::paging::Paging;
use kippu_domain::validate::{Collect, FieldError};
use kippu_store::interactions::lookup;
pub use kippu_store::notes::NoteRow;
use kippu_store::notes::{self as store, NoteFields};

pub const MAX_BODY: usize = 2_000;

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NoteInput {
    #[serde(default)]
    pub body: String,
    /// Shared with every operator (a checkbox: present is on).
    #[serde(default)]
    pub shared: Option<String>,
    #[serde(default)]
    pub customer: Option<i64>,
}

impl NoteInput {
    fn is_shared(&self) -> bool {
        self.shared.as_deref().is_some_and(|s| !s.is_empty() && s != "0" && s != "false")
    }
}

pub struct Notes {
    pub rows: Vec<NoteRow>,
    pub total: i64,
}

/// The merchant and the operator (`None`: an API token, which sees the shared notes only).
fn who(actor: &Actor) -> Result<(MerchantId, Option<i64>)> {
    let m = console_merchant(actor)?;
    Ok((m, actor.user_id.map(|u| u.0)))
}

/// The operator's own notes and the shared ones, newest first (about `customer` only, if given).
pub async fn list(app: &App, actor: &Actor, customer: Option<i64>, paging: Paging) -> Result<Notes> {
    let (m, user) = who(actor)?;
    let mut conn = app.store.conn().await?;
    Ok(Notes {
        rows: store::list(&mut conn, m, user, customer, paging.per_page(), paging.offset()).await?,
        total: store::count(&mut conn, m, user, customer).await?,
    })
}

/// The body and the customer of `input`, every bad field named.
async fn checked(conn: &mut kippu_store::AnyConnection, m: MerchantId, input: &NoteInput) -> Result<(String, Option<i64>)> {
    let mut errs = Collect::default();
    let body = errs.take(kippu_domain::validate::multiline_text("body", &input.body, MAX_BODY));
    let customer = match input.customer {
        Some(id) if lookup::customer_exists(conn, m, id).await? => Some(id),
        Some(_) => {
            errs.push(FieldError::new("customer", "この顧客はいません"));
            None
        }
        None => None,
    };
    errs.finish()?;
    Ok((body.unwrap_or_default(), customer))
}

/// A new note of the acting operator, audited.
pub async fn add(app: &App, actor: &Actor, input: &NoteInput) -> Result<NoteRow> {
    let (m, user) = who(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let (body, customer_id) = checked(&mut tx, m, input).await?;
    let f = NoteFields {
        // A token's note has nobody to be private to.
        shared: input.is_shared() || user.is_none(),
        customer_id,
        body: &body,
    };
    let id = store::insert(&mut tx, m, user, &actor.label, &f, now).await?;
    let row = store::visible(&mut tx, m, user, id).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "free_memo", id),
        None::<&NoteRow>,
        Some(&row),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// One note the operator may see (their own or a shared one); anything else is not found.
pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<NoteRow> {
    let (m, user) = who(actor)?;
    let mut conn = app.store.conn().await?;
    store::visible(&mut conn, m, user, id).await?.ok_or(AppError::NotFound)
}

/// Changes a note (its author, or anyone for a shared one), audited before → after.
pub async fn edit(app: &App, actor: &Actor, id: i64, input: &NoteInput) -> Result<NoteRow> {
    let (m, user) = who(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = store::visible(&mut tx, m, user, id).await?.ok_or(AppError::NotFound)?;
    let (body, customer_id) = checked(&mut tx, m, input).await?;
    // Only the author decides whether their note is shared.
    let shared = if user.is_some() && before.user_id == user {
        input.is_shared()
    } else {
        before.shared == 1
    };
    let f = NoteFields {
        shared,
        customer_id,
        body: &body,
    };
    if !store::update(&mut tx, m, id, user, &f, now).await? {
        return Err(AppError::NotFound);
    }
    let after = store::visible(&mut tx, m, user, id).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("update", "free_memo", id),
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a note (its author, or anyone for a shared one), audited with what it said.
pub async fn delete(app: &App, actor: &Actor, id: i64) -> Result<NoteRow> {
    let (m, user) = who(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = store::visible(&mut tx, m, user, id).await?.ok_or(AppError::NotFound)?;
    if !store::delete(&mut tx, m, id).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("delete", "free_memo", id),
        Some(&before),
        None::<&NoteRow>,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}
