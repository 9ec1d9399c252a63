//! AD codes (媒体): the merchant admin sets them up (audited); an order asks whether one may be
//! attached ([`check`]). The rules are `kippu_domain::adcode`'s.

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::adcode::{self, AdCode, AdCodeInput, Refusal};
use kippu_domain::paging::Paging;
use kippu_domain::validate::FieldError;
use kippu_store::StoreError;
use kippu_store::ad_codes as store;
pub use kippu_store::ad_codes::AdCodeRow;

pub struct Page {
    pub rows: Vec<AdCodeRow>,
    pub total: i64,
}

/// The stored row as the rules read it; a stored date outside the rules is a loud error.
pub fn rules(this: &AdCodeRow) -> Result<AdCode> {
    let parse = |s: &str| -> Result<Option<time::Date>> {
        if s.is_empty() {
            return Ok(None);
        }
        kippu_domain::clock::parse_date(s)
            .map(Some)
            .ok_or_else(|| AppError::Internal(format!("AD code {}: stored date {s:?}", this.id)))
    };
    Ok(AdCode {
        valid_from: parse(&this.valid_from)?,
        valid_to: parse(&this.valid_to)?,
        enabled: this.enabled == 1,
    })
}

pub fn input_of(this: &AdCodeRow) -> AdCodeInput {
    AdCodeInput {
        code: this.code.clone(),
        name: this.name.clone(),
        valid_from: this.valid_from.clone(),
        valid_to: this.valid_to.clone(),
        enabled: this.enabled == 1,
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> AppError {
        AppError::Conflict(r.said())
    }
}

fn taken(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict { .. } => FieldError::new("code", "このADコードはすでに使われています").into(),
        e => e.into(),
    }
}

pub async fn list(app: &App, actor: &Actor, paging: Paging) -> Result<Page> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    Ok(Page {
        rows: store::list(&mut conn, m, paging.per_page(), paging.offset()).await?,
        total: store::count(&mut conn, m).await?,
    })
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<AdCodeRow> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    store::get(&mut conn, m, id).await?.ok_or(AppError::NotFound)
}

/// A new AD code (merchant admins only), audited.
pub async fn create(app: &App, actor: &Actor, input: &AdCodeInput) -> Result<AdCodeRow> {
    let m = actor.merchant()?;
    actor.require_settings_rights()?;
    let f = adcode::validate(input)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let id = store::insert(&mut tx, m, &f, now).await.map_err(taken)?;
    let row = store::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "ad_code", id),
        None::<&AdCodeRow>,
        Some(&row),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Changes an AD code, or only switches it on or off (`input` `None`), audited before → after.
async fn change(app: &App, actor: &Actor, id: i64, input: Option<&AdCodeInput>, on: bool) -> Result<AdCodeRow> {
    let m = actor.merchant()?;
    actor.require_settings_rights()?;
    let fields = input.map(adcode::validate).transpose()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = store::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    let (changed, verb) = match &fields {
        Some(f) => (store::update(&mut tx, m, id, f, now).await.map_err(taken)?, "update"),
        None => (
            store::set_enabled(&mut tx, m, id, on, now).await?,
            if on { "enable" } else { "disable" },
        ),
    };
    if !changed {
        return Err(AppError::NotFound);
    }
    let after = store::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(verb, "ad_code", id),
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn update(app: &App, actor: &Actor, id: i64, input: &AdCodeInput) -> Result<AdCodeRow> {
    change(app, actor, id, Some(input), input.enabled).await
}

pub async fn set_enabled(app: &App, actor: &Actor, id: i64, on: bool) -> Result<AdCodeRow> {
    change(app, actor, id, None, on).await
}

/// The AD code an order placed now may carry (the actor's merchant's; another merchant's code
/// is unknown here), or the refusal in words.
pub async fn check(app: &App, actor: &Actor, typed: &str) -> Result<std::result::Result<AdCodeRow, Refusal>> {
    check_for(app, actor.merchant()?, typed).await
}

/// [`check`] for merchant `m` (an order being priced).
pub async fn check_for(app: &App, m: kippu_domain::MerchantId, typed: &str) -> Result<std::result::Result<AdCodeRow, Refusal>> {
    let Ok(code) = adcode::validate(&AdCodeInput {
        code: typed.into(),
        name: "-".into(),
        ..AdCodeInput::default()
    })
    .map(|f| f.code) else {
        return Ok(Err(Refusal::Unknown));
    };
    let mut conn = app.store.conn().await?;
    let Some(row) = store::by_code(&mut conn, m, &code).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    Ok(rules(&row)?.check(app.clock.today()).map(|()| row))
}
