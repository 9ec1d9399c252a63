//! Code coupons: the merchant admin sets them up (audited); an order asks whether one applies
//! ([`check`]) and, inside its own transaction, records its use ([`record_use`]), counted so the
//! last remaining use goes to one order only. The rules are `kippu_domain::coupon`'s.

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::coupon::{self, Coupon, CouponInput, Discount, Refusal, Use};
use kippu_domain::paging::Paging;
use kippu_domain::validate::FieldError;
use kippu_domain::{CustomerId, MerchantId};
use kippu_store::coupons as store;
pub use kippu_store::coupons::CouponRow;
use kippu_store::{AnyConnection, StoreError};

pub struct Page {
    pub rows: Vec<CouponRow>,
    pub total: i64,
}

/// The stored row as the rules read it; a row outside the rules is a loud error.
pub fn rules(this: &CouponRow) -> Result<Coupon> {
    let parse = |s: &str| -> Result<Option<time::Date>> {
        if s.is_empty() {
            return Ok(None);
        }
        kippu_domain::clock::parse_date(s)
            .map(Some)
            .ok_or_else(|| AppError::Internal(format!("coupon {}: stored date {s:?}", this.id)))
    };
    Ok(Coupon {
        discount: discount(this)?,
        valid_from: parse(&this.valid_from)?,
        valid_to: parse(&this.valid_to)?,
        min_amount: this.min_amount,
        per_customer: this.per_customer,
        total_limit: this.total_limit,
        enabled: this.enabled == 1,
    })
}

pub fn discount(row: &CouponRow) -> Result<Discount> {
    Discount::from_columns(row.discount_yen, row.discount_percent).map_err(AppError::Internal)
}

/// The form's fields as they were saved.
pub fn input_of(this: &CouponRow) -> CouponInput {
    let (kind, value) = match Discount::from_columns(this.discount_yen, this.discount_percent) {
        Ok(Discount::Percent(p)) => ("percent", p),
        _ => ("yen", this.discount_yen),
    };
    let count = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    CouponInput {
        code: this.code.clone(),
        name: this.name.clone(),
        discount_kind: kind.into(),
        discount_value: value.to_string(),
        valid_from: this.valid_from.clone(),
        valid_to: this.valid_to.clone(),
        min_amount: this.min_amount.to_string(),
        per_customer: count(this.per_customer),
        total_limit: count(this.total_limit),
        enabled: this.enabled == 1,
    }
}

/// A refusal of a coupon, as every caller reports it (409 with the sentence).
impl From<Refusal> for AppError {
    fn from(r: Refusal) -> AppError {
        AppError::Conflict(r.said())
    }
}

fn taken(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict { .. } => FieldError::new("code", "このクーポンコードはすでに使われています").into(),
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

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<CouponRow> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    store::get(&mut conn, m, id).await?.ok_or(AppError::NotFound)
}

/// A new coupon (merchant admins only), audited.
pub async fn create(app: &App, actor: &Actor, input: &CouponInput) -> Result<CouponRow> {
    let m = actor.merchant()?;
    actor.require_settings_rights()?;
    let f = coupon::validate(input)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let id = store::insert(&mut tx, m, &f, now).await.map_err(taken)?;
    let row = store::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "coupon", id),
        None::<&CouponRow>,
        Some(&row),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Changes a coupon (merchant admins only), audited before → after. Its use count stays.
pub async fn update(app: &App, actor: &Actor, id: i64, input: &CouponInput) -> Result<CouponRow> {
    let m = actor.merchant()?;
    let f = coupon::validate(input)?;
    change(app, actor, id, "update", |tx, now| {
        Box::pin(async move { store::update(tx, m, id, &f, now).await.map_err(taken) })
    })
    .await
}

/// Switches a coupon on or off (merchant admins only), audited.
pub async fn set_enabled(app: &App, actor: &Actor, id: i64, on: bool) -> Result<CouponRow> {
    let m = actor.merchant()?;
    let verb = if on { "enable" } else { "disable" };
    change(app, actor, id, verb, |tx, now| {
        Box::pin(async move { Ok(store::set_enabled(tx, m, id, on, now).await?) })
    })
    .await
}

type Write<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<bool>> + Send + 'a>>;

async fn change<F>(app: &App, actor: &Actor, id: i64, verb: &'static str, write: F) -> Result<CouponRow>
where
    F: for<'a> FnOnce(&'a mut AnyConnection, i64) -> Write<'a>,
{
    let m = actor.merchant()?;
    actor.require_settings_rights()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = store::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    if !write(&mut tx, now).await? {
        return Err(AppError::NotFound);
    }
    let after = store::get(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(verb, "coupon", id),
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// A coupon that applies, with what it takes off.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Applied {
    pub coupon_id: i64,
    pub code: String,
    pub name: String,
    pub discount: i64,
}

/// The order a coupon is asked about.
#[derive(Debug, Clone, Copy)]
pub struct ForOrder<'a> {
    /// As typed (full width and lower case read as meant).
    pub code: &'a str,
    pub customer: Option<CustomerId>,
    pub goods_total: i64,
}

async fn judge(
    conn: &mut AnyConnection,
    app: &App,
    m: MerchantId,
    o: &ForOrder<'_>,
) -> Result<std::result::Result<(CouponRow, i64), Refusal>> {
    let Ok(code) = kippu_domain::typed::code("coupon_code", "クーポンコード", o.code, coupon::MAX_CODE) else {
        return Ok(Err(Refusal::Unknown));
    };
    let Some(row) = store::by_code(conn, m, &code).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    let used_by_customer = match o.customer {
        Some(c) => store::uses_by(conn, row.id, c.0).await?,
        None => 0,
    };
    let verdict = rules(&row)?.check(&Use {
        today: app.clock.today(),
        goods_total: o.goods_total,
        used_in_all: row.used_count,
        used_by_customer,
    });
    Ok(verdict.map(|off| (row, off)))
}

/// Whether a coupon applies to an order (of the actor's merchant; another merchant's code is
/// unknown here) and its discount, or the refusal in words. Nothing is written.
pub async fn check(app: &App, actor: &Actor, o: &ForOrder<'_>) -> Result<std::result::Result<Applied, Refusal>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    Ok(judge(&mut conn, app, m, o).await?.map(|(row, off)| Applied {
        coupon_id: row.id,
        code: row.code,
        name: row.name,
        discount: off,
    }))
}

/// [`check`] for merchant `m` (an order being priced before it is written).
pub async fn check_for(app: &App, m: MerchantId, o: &ForOrder<'_>) -> Result<std::result::Result<Applied, Refusal>> {
    let mut conn = app.store.conn().await?;
    Ok(judge(&mut conn, app, m, o).await?.map(|(row, off)| Applied {
        coupon_id: row.id,
        code: row.code,
        name: row.name,
        discount: off,
    }))
}

/// Records the coupon's use by order `order_id` inside the order's own transaction `tx`: the
/// use is counted first (a guarded update that keeps the total limit and holds the coupon's row
/// until the transaction ends), then the rules are judged with the counts as they now are. A
/// refusal is an error, so the caller's transaction — the order with it — is not committed.
/// One coupon per order.
pub async fn record_use(tx: &mut AnyConnection, app: &App, m: MerchantId, order_id: i64, o: &ForOrder<'_>) -> Result<Applied> {
    let now = app.now_ms();
    let code = kippu_domain::typed::code("coupon_code", "クーポンコード", o.code, coupon::MAX_CODE)
        .map_err(|_| AppError::from(Refusal::Unknown))?;
    let Some(row) = store::by_code(tx, m, &code).await? else {
        return Err(Refusal::Unknown.into());
    };
    if store::order_has_use(tx, order_id).await? {
        return Err(AppError::Conflict(kippu_domain::label::Said::new(
            "クーポンは1注文に1枚までです",
            "One coupon per order",
        )));
    }
    if !store::take_use(tx, m, row.id, now).await? {
        return Err(Refusal::UsedUp.into());
    }
    // The row is ours now: a second use of this coupon waits for our end, and every use
    // committed before ours is counted below.
    let row = store::get(tx, m, row.id).await?.ok_or(AppError::NotFound)?;
    let used_by_customer = match o.customer {
        Some(c) => store::uses_by(tx, row.id, c.0).await?,
        None => 0,
    };
    let off = rules(&row)?
        .check(&Use {
            today: app.clock.today(),
            goods_total: o.goods_total,
            // Uses before this one.
            used_in_all: row.used_count - 1,
            used_by_customer,
        })
        .map_err(AppError::from)?;
    store::insert_use(
        tx,
        m,
        &store::NewUse {
            coupon_id: row.id,
            customer_id: o.customer.map(|c| c.0),
            order_id,
            discount: off,
        },
        now,
    )
    .await?;
    Ok(Applied {
        coupon_id: row.id,
        code: row.code,
        name: row.name,
        discount: off,
    })
}
