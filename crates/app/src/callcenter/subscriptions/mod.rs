//! 定期マスタ and 頒布会: a master created with its first order (`plan`), read and searched
//! here, its status moved (`act`), edited (マスタ編集, `edit`), its child orders made by the job
//! (`job`; a web-ticket master's in `ticket_child`), the merchant's courses (`courses`).

pub mod act;
pub mod courses;
pub mod edit;
pub mod job;
pub mod plan;
mod ticket_child;

use crate::{Actor, App, AppError, Result};
use kippu_domain::subscription::{self as rule, Cycle, Facts, MasterAction, MasterStatus};
pub use kippu_store::subscriptions::courses::{CourseRow, CourseStep};
use kippu_store::subscriptions::{self as repo, MasterFilter};
pub use kippu_store::subscriptions::{HistoryRow, ItemRow, MasterRow};
pub use plan::SubscriptionRequest;

/// A master as its page and the API show it.
#[derive(Debug, Clone)]
pub struct MasterView {
    pub master: MasterRow,
    pub cycle: Cycle,
    pub items: Vec<ItemRow>,
    /// Child orders: (order number, cycle date), newest first.
    pub children: Vec<(String, String)>,
    pub history: Vec<HistoryRow>,
    /// What may happen next (its buttons).
    pub actions: Vec<MasterAction>,
    /// The stored card a card master pays with (brand, last 4 digits, the gateway's card id);
    /// none when it pays otherwise or the card was deleted since.
    pub card: Option<kippu_store::cards::StoredCardRow>,
}

impl MasterView {
    pub fn facts(&self) -> Facts {
        facts(&self.master, &self.items)
    }
}

fn facts(m: &MasterRow, items: &[ItemRow]) -> Facts {
    Facts {
        status: m.status,
        product_exists: items.first().is_some_and(|i| i.archived == 0),
    }
}

/// The call centre's entry points are the merchant's: an OTA's token is refused.
fn merchant_of(actor: &Actor) -> Result<kippu_domain::MerchantId> {
    crate::access::MERCHANT.check(actor)?;
    super::console_merchant(actor)
}

/// One master of the actor's merchant (another merchant's is not found).
pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<MasterView> {
    let m = merchant_of(actor)?;
    let mut conn = app.store.conn().await?;
    let master = repo::get(&mut conn, m, id).await?.ok_or(AppError::NotFound)?;
    let items = repo::items(&mut conn, m, id).await?;
    let children = repo::children(&mut conn, m, id).await?;
    let history = repo::history(&mut conn, m, id).await?;
    let cycle = master.cycle()?;
    let actions = rule::available(facts(&master, &items));
    let card = match master.stored_card_id {
        Some(row) => kippu_store::cards::by_row(&mut conn, m, row).await?,
        None => None,
    };
    Ok(MasterView {
        master,
        cycle,
        items,
        children,
        history,
        actions,
        card,
    })
}

/// The list's search as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub customer: Option<i64>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
}

/// A page of masters, newest first.
pub struct MasterPage {
    pub rows: Vec<MasterRow>,
    pub page: i64,
    pub more: bool,
}

/// Masters per page of the list and the API.
pub const PAGE: i64 = 50;

/// The actor's merchant's masters matching `q` (an unknown status is a field error).
pub async fn list(app: &App, actor: &Actor, q: &ListQuery) -> Result<MasterPage> {
    let m = merchant_of(actor)?;
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(MasterStatus::parse(s).ok_or_else(|| {
            kippu_domain::validate::FieldError::new(
                "status",
                format!("状態は active, paused, cancelled, finished のいずれかです（{s}）"),
            )
        })?),
    };
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let f = MasterFilter {
        customer_id: q.customer,
        status,
        text: q.q.clone(),
    };
    let mut conn = app.store.conn().await?;
    let (rows, more) = repo::search(&mut conn, m, &f, (page - 1) * PAGE, PAGE).await?;
    Ok(MasterPage { rows, page, more })
}

/// Every master of one customer with its details (「全て開く」), bounded.
pub async fn all_of_customer(app: &App, actor: &Actor, customer: i64) -> Result<Vec<MasterView>> {
    let q = ListQuery {
        customer: Some(customer),
        ..Default::default()
    };
    let page = list(app, actor, &q).await?;
    let mut out = Vec::with_capacity(page.rows.len());
    for r in page.rows {
        out.push(get(app, actor, r.id).await?);
    }
    Ok(out)
}
