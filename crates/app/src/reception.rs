//! 受付 of 代理注文管理: 総合受付 (registering a customer, warned of a likely duplicate first),
//! 顧客検索 (one box: name, furigana, phone, email, customer number, order number) and a
//! customer's その他情報 (登録日, 購入回数, 累計購入金額, last order). Every call is scoped by
//! the actor's merchant; another merchant's customer is simply not found.

use crate::customers::{CustomerInput, CustomerRow, validate};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::CustomerId;
use kippu_domain::customer_lookup;
use kippu_domain::label::Said;
use kippu_domain::paging::Paging;
use kippu_domain::validate::{Collect, FieldError, FieldErrors};
use kippu_store::customers::{self as store, AddressRow, OrderFigures};
use kippu_store::people;

/// A search's count stops here: a page says 「10,000件以上」 rather than counting a million rows.
pub const COUNT_CAP: i64 = 10_000;
/// The most likely duplicates one registration is warned of.
pub const MAX_DUPLICATES: i64 = 10;
/// The most addresses of a customer's address book one answer carries.
pub const MAX_ADDRESSES: i64 = 100;
pub const MAX_NOTES: usize = 2000;

/// What 総合受付 takes besides the customer's contact: birthday and notes.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct ProfileInput {
    #[serde(default)]
    pub birthday: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
struct Profile {
    birthday: String,
    notes: String,
}

fn validate_profile(app: &App, p: &ProfileInput) -> std::result::Result<Profile, FieldErrors> {
    let mut errs = Collect::default();
    let birthday = match kippu_domain::typed::optional_date("birthday", &p.birthday) {
        Ok(Some(d)) if d > app.clock.today() || d.year() < 1900 => {
            errs.push(FieldError::new("birthday", "生年月日を確認してください"));
            String::new()
        }
        Ok(d) => d.map(|d| d.to_string()).unwrap_or_default(),
        Err(e) => {
            errs.push(e);
            String::new()
        }
    };
    let notes = if p.notes.trim().is_empty() {
        String::new()
    } else {
        errs.take(kippu_domain::validate::multiline_text("notes", &p.notes, MAX_NOTES))
            .unwrap_or_default()
    };
    errs.finish()?;
    Ok(Profile { birthday, notes })
}

/// The contact and profile fields together, every bad one named; a postal code the bundled
/// table does not know is refused here (an order's customer keeps the looser rule).
fn validate_all(app: &App, c: &CustomerInput, p: &ProfileInput) -> Result<(people::CustomerFields, Profile)> {
    let mut errs = Collect::default();
    let fields = errs.take_all(validate(c));
    let profile = errs.take_all(validate_profile(app, p));
    // Judged on what was typed, so it is named even when other fields are wrong too.
    if crate::postal::digits(&c.postal_code).is_some() && crate::postal::lookup(&c.postal_code).is_none() {
        errs.push(FieldError::new("postal_code", "この郵便番号は見つかりません"));
    }
    errs.finish()?;
    match (fields, profile) {
        (Some(f), Some(p)) => Ok((f, p)),
        _ => Err(AppError::Internal("validation passed without values".into())),
    }
}

/// What 総合受付 did.
#[derive(Debug)]
pub enum Registered {
    Created(Box<CustomerRow>),
    /// Nothing saved: customers with the same phone number or email exist. Registering anyway
    /// (「このまま登録」) is asked for with `confirmed`.
    LikelyDuplicates(Vec<CustomerRow>),
}

/// Registers a customer with the next customer number, audited. Unless `confirmed`, a customer
/// with the same phone number (by its digits) or email address stops it with the candidates.
pub async fn register(app: &App, actor: &Actor, c: &CustomerInput, p: &ProfileInput, confirmed: bool) -> Result<Registered> {
    let m = actor.merchant()?;
    let (fields, profile) = validate_all(app, c, p)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if !confirmed {
        let digits = kippu_domain::normalize::digits(&fields.phone);
        let dups = store::likely_duplicates(&mut tx, m, &digits, &fields.email, None, MAX_DUPLICATES).await?;
        if !dups.is_empty() {
            return Ok(Registered::LikelyDuplicates(dups));
        }
    }
    let id = people::insert_customer(&mut tx, m, &fields, now).await?;
    store::set_profile(&mut tx, m, id, &profile.birthday, &profile.notes).await?;
    let row = people::get_customer(&mut tx, m, id).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "customer", id.0),
        None::<&CustomerRow>,
        Some(&row),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Registered::Created(Box::new(row)))
}

/// The refusal an API caller gets for likely duplicates (the page shows them instead).
pub fn duplicates_said(dups: &[CustomerRow]) -> Said {
    let numbers: Vec<String> = dups.iter().map(|d| d.customer_number.to_string()).collect();
    Said::new(
        format!(
            "電話番号またはメールアドレスが同じ顧客が登録されています（顧客番号 {}）。同じ方でなければ allow_duplicate を指定して登録してください",
            numbers.join(", ")
        ),
        format!(
            "A customer with the same phone or email exists (customer number {}); send allow_duplicate to register anyway",
            numbers.join(", ")
        ),
    )
}

/// Changes a customer's contact and profile in one transaction, audited before → after.
pub async fn update(app: &App, actor: &Actor, id: i64, c: &CustomerInput, p: &ProfileInput) -> Result<CustomerRow> {
    let m = actor.merchant()?;
    let (fields, profile) = validate_all(app, c, p)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = people::get_customer(&mut tx, m, CustomerId(id)).await?.ok_or(AppError::NotFound)?;
    people::update_customer(&mut tx, m, CustomerId(id), &fields, now).await?;
    store::set_profile(&mut tx, m, CustomerId(id), &profile.birthday, &profile.notes).await?;
    let after = people::get_customer(&mut tx, m, CustomerId(id)).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("update", "customer", id),
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// One page of 顧客検索.
pub struct Found {
    pub rows: Vec<CustomerRow>,
    /// Counted up to [`COUNT_CAP`].
    pub total: i64,
    /// More than [`COUNT_CAP`] match.
    pub capped: bool,
}

/// 顧客検索: `typed` read once (`customer_lookup::parse`), answered a page at a time.
pub async fn search(app: &App, actor: &Actor, typed: &str, paging: Paging) -> Result<Found> {
    let m = actor.merchant()?;
    let lookup = customer_lookup::parse("q", typed)?;
    let mut conn = app.store.conn().await?;
    let rows = store::search(&mut conn, m, &lookup, paging.per_page(), paging.offset()).await?;
    let counted = store::count(&mut conn, m, &lookup, COUNT_CAP + 1).await?;
    Ok(Found {
        rows,
        total: counted.min(COUNT_CAP),
        capped: counted > COUNT_CAP,
    })
}

/// A customer with その他情報 and the address book.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerProfile {
    pub customer: CustomerRow,
    pub figures: OrderFigures,
    pub addresses: Vec<AddressRow>,
}

pub async fn profile(app: &App, actor: &Actor, id: i64) -> Result<CustomerProfile> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let customer = people::get_customer(&mut conn, m, CustomerId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(CustomerProfile {
        figures: store::order_figures(&mut conn, m, CustomerId(id)).await?,
        addresses: store::addresses(&mut conn, m, CustomerId(id), MAX_ADDRESSES).await?,
        customer,
    })
}
