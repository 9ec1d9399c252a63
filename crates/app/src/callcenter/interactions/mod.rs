//! 対応履歴: the list with its search, one entry, adding and editing one (audited before →
//! after), and [`record_in_tx`], which other use cases call inside their own transaction (an
//! order entered in the console records itself under 電話 / 注文). `settings` holds the merchant's
//! 対応区分, 対応概要 and CSV columns, `import` the CSV upload, `export` the download.

pub mod export;
pub mod import;
pub mod settings;

use super::console_merchant;
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::clock::{day_start_ms, to_millis};
use kippu_domain::interaction::{self, ORDER_CATEGORY, ORDER_SUMMARY};
use kippu_domain::paging::Paging;
use kippu_domain::validate::{Collect, FieldError, FieldErrors};
use kippu_store::AnyConnection;
pub use kippu_store::interactions::InteractionRow;
pub use kippu_store::interactions::lookup::OperatorRow;
use kippu_store::interactions::{self as store, InteractionFields, InteractionFilter, lookup};

/// A search's count stops here: a page says 「10,000件以上」.
pub const COUNT_CAP: i64 = 10_000;
/// The most operators one 対応者一覧 carries.
pub const MAX_OPERATORS: i64 = 1_000;

/// The search as typed: each field optional.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Search {
    /// `YYYY-MM-DD`, Japan: entries from the start of this day.
    #[serde(default)]
    pub from: String,
    /// `YYYY-MM-DD`, Japan: entries up to the end of this day.
    #[serde(default)]
    pub to: String,
    /// 対応者: a login ID of the merchant.
    #[serde(default)]
    pub operator: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub summary: String,
    /// The customer's id (the console's picked customer).
    #[serde(default)]
    pub customer: Option<i64>,
    /// Part of the content.
    #[serde(default)]
    pub q: String,
}

pub struct Found {
    pub rows: Vec<InteractionRow>,
    /// Counted up to [`COUNT_CAP`].
    pub total: i64,
}

/// The search turned into the store's filter; an unknown operator or a bad date is named.
async fn filter_of(conn: &mut AnyConnection, m: MerchantId, s: &Search) -> Result<InteractionFilter> {
    let mut errs = Collect::default();
    let from = errs.take(kippu_domain::typed::optional_date("from", &s.from)).flatten();
    let to = errs.take(kippu_domain::typed::optional_date("to", &s.to)).flatten();
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        errs.push(FieldError::new("to", "終了日は開始日以降にしてください"));
    }
    let login = s.operator.trim();
    let user_id = if login.is_empty() {
        None
    } else {
        let found = lookup::user_by_login(conn, m, login).await?;
        if found.is_none() {
            errs.push(FieldError::new("operator", format!("対応者「{login}」はいません")));
        }
        found
    };
    errs.finish()?;
    let text = |s: &str| {
        let t = kippu_domain::normalize::text(s).trim().to_string();
        (!t.is_empty()).then_some(t)
    };
    Ok(InteractionFilter {
        from: from.map(day_start_ms),
        to: to.and_then(|d| d.next_day()).map(day_start_ms),
        user_id,
        category: text(&s.category),
        summary: text(&s.summary),
        customer_id: s.customer,
        text: text(&s.q),
    })
}

/// One page of the merchant's 対応履歴, newest first.
pub async fn list(app: &App, actor: &Actor, s: &Search, paging: Paging) -> Result<Found> {
    let m = console_merchant(actor)?;
    let mut conn = app.store.conn().await?;
    let f = filter_of(&mut conn, m, s).await?;
    Ok(Found {
        rows: store::search(&mut conn, m, &f, paging.per_page(), paging.offset()).await?,
        total: store::count(&mut conn, m, &f, COUNT_CAP).await?,
    })
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<InteractionRow> {
    let m = console_merchant(actor)?;
    let mut conn = app.store.conn().await?;
    store::get(&mut conn, m, id).await?.ok_or(AppError::NotFound)
}

/// An entry as the form or the API types it.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct EntryInput {
    /// The customer (ignored by an edit: an entry stays with its customer).
    #[serde(default)]
    pub customer: Option<i64>,
    /// 対応日時 `YYYY-MM-DD HH:MM`, Japan; empty is now.
    #[serde(default)]
    pub at: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub content: String,
    /// 受注番号, optional: one of the customer's orders.
    #[serde(default)]
    pub order_number: String,
}

/// Every field of `input` checked against the merchant's lists, its customers and orders.
async fn fields_of(
    app: &App,
    conn: &mut AnyConnection,
    m: MerchantId,
    customer: Option<i64>,
    input: &EntryInput,
) -> Result<InteractionFields> {
    let choices = settings::choices_in(conn, m).await?;
    let mut errs = Collect::default();
    let customer_id = match customer {
        Some(id) if lookup::customer_exists(conn, m, id).await? => Some(id),
        Some(_) => {
            errs.push(FieldError::new("customer", "この顧客はいません"));
            None
        }
        None => {
            errs.push(FieldError::new("customer", "顧客を選んでください"));
            None
        }
    };
    let at = errs.take(interaction::parse_at("at", &input.at)).flatten();
    let checked = errs.take_all(interaction::check(&choices, &input.category, &input.summary, &input.content));
    let number = kippu_domain::normalize::text(&input.order_number).trim().to_string();
    let order_id = if number.is_empty() {
        None
    } else {
        match lookup::order_by_number(conn, m, &number).await? {
            Some((id, owner)) if customer_id.is_none() || owner == customer_id => Some(id),
            Some(_) => {
                errs.push(FieldError::new(
                    "order_number",
                    format!("受注番号 {number} はこの顧客の受注ではありません"),
                ));
                None
            }
            None => {
                errs.push(FieldError::new("order_number", format!("受注番号 {number} の受注はありません")));
                None
            }
        }
    };
    errs.finish()?;
    let (Some(customer_id), Some(c)) = (customer_id, checked) else {
        return Err(AppError::Internal("validation passed without values".into()));
    };
    Ok(InteractionFields {
        customer_id,
        order_id,
        user_id: None,
        category: c.category,
        summary: c.summary,
        content: c.content,
        at: at.map(to_millis).unwrap_or_else(|| app.now_ms()),
    })
}

/// 登録(フォーム): a new entry by the acting operator, audited.
pub async fn add(app: &App, actor: &Actor, input: &EntryInput) -> Result<InteractionRow> {
    let m = console_merchant(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let mut f = fields_of(app, &mut tx, m, input.customer, input).await?;
    f.user_id = actor.user_id.map(|u| u.0);
    let id = store::insert(&mut tx, m, &f, now).await?;
    let row = store::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "interaction", id),
        None::<&InteractionRow>,
        Some(&row),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// 編集: an entry's time, category, summary, content and order, audited before → after. Another
/// merchant's entry is not found.
pub async fn edit(app: &App, actor: &Actor, id: i64, input: &EntryInput) -> Result<InteractionRow> {
    let m = console_merchant(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = store::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    let mut typed = input.clone();
    if typed.at.trim().is_empty() {
        // An edit that leaves the time empty keeps it (a new entry's empty time is now).
        typed.at = kippu_domain::clock::format_jst(kippu_domain::clock::from_millis(before.at));
    }
    let f = fields_of(app, &mut tx, m, Some(before.customer_id), &typed).await?;
    if !store::update(&mut tx, m, id, &f, now).await? {
        return Err(AppError::NotFound);
    }
    let after = store::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("update", "interaction", id),
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// An entry another use case writes in its own transaction.
#[derive(Debug, Clone)]
pub struct NewInteraction<'a> {
    pub merchant: MerchantId,
    pub customer_id: i64,
    pub order_id: Option<i64>,
    pub user_id: Option<i64>,
    /// `None`: [`ORDER_CATEGORY`] (電話).
    pub category: Option<&'a str>,
    /// `None`: [`ORDER_SUMMARY`] (注文).
    pub summary: Option<&'a str>,
    pub content: &'a str,
    /// Milliseconds since the epoch.
    pub at: i64,
}

/// Writes an entry inside the caller's transaction (`conn`), so it commits or rolls back with
/// the caller's change: every order entered in the console records itself this way. The content
/// is checked for length; the category and summary are the caller's (defaults 電話 / 注文), not
/// checked against the merchant's lists, so an order is never refused for a renamed category.
pub async fn record_in_tx(conn: &mut AnyConnection, e: &NewInteraction<'_>, now: i64) -> Result<i64> {
    let content = kippu_domain::validate::multiline_text("content", e.content, interaction::MAX_CONTENT).map_err(FieldErrors::from)?;
    let f = InteractionFields {
        customer_id: e.customer_id,
        order_id: e.order_id,
        user_id: e.user_id,
        category: e.category.unwrap_or(ORDER_CATEGORY).to_string(),
        summary: e.summary.unwrap_or(ORDER_SUMMARY).to_string(),
        content,
        at: e.at,
    };
    Ok(store::insert(conn, e.merchant, &f, now).await?)
}

/// 対応者一覧: the merchant's users (login ID and name), for the import's 対応者 column.
pub async fn operators(app: &App, actor: &Actor) -> Result<Vec<OperatorRow>> {
    let m = console_merchant(actor)?;
    let mut conn = app.store.conn().await?;
    Ok(lookup::operators(&mut conn, m, MAX_OPERATORS).await?)
}
