//! Products and their channel listings (spec §2): create, edit, archive (never delete, so past
//! orders keep their product), stop and resume a listing per channel.

mod goods_attrs;
mod policy;
pub use policy::parse_policy;

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::catalog::{ProductKind, TicketType};
use kippu_domain::reservation::{CancellationPolicy, Tier};
use kippu_domain::validate::{self, Collect, FieldError, FieldErrors};
use kippu_domain::web_ticket::multi_use::MAX_USES;
use kippu_store::merchants::{self, ChannelListing, NewProduct, ProductDetail, ProductFields};
use serde::Deserialize;

/// The product form (and API body), as typed.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct ProductInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub jan: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub ticket_type: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub tax_rate: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub party_size_max: String,
    /// One tier per line: `days before:percent kept`, e.g. `0:100` and `3:50`.
    #[serde(default)]
    pub policy: String,
    /// 回数券: the uses each ticket carries (2 to 100); empty for every other product.
    #[serde(default)]
    pub uses: String,
    /// Goods: サイズ (`60`…`200`) and weight in grams, both optional.
    #[serde(default)]
    pub size_class: String,
    #[serde(default)]
    pub weight_g: String,
}

struct Valid {
    jan: String,
    name: String,
    kind: ProductKind,
    ticket_type: Option<TicketType>,
    price: i64,
    tax_rate: i64,
    description: String,
    party_size_max: i64,
    policy: CancellationPolicy,
    uses_per_ticket: i64,
    parcel: goods_attrs::Parcel,
}

fn int(field: &'static str, s: &str, range: std::ops::RangeInclusive<i64>, what: &str) -> std::result::Result<i64, FieldError> {
    let v = kippu_domain::normalize::integer(s).ok_or_else(|| FieldError::new(field, format!("{what}を数字で入力してください")))?;
    if !range.contains(&v) {
        return Err(FieldError::new(
            field,
            format!("{what}は{}〜{}で入力してください", range.start(), range.end()),
        ));
    }
    Ok(v)
}

/// Every field of the product form, checked before answering (all errors at once).
fn check(input: &ProductInput) -> std::result::Result<Valid, FieldErrors> {
    let mut errs = Collect::default();
    let name = errs.take(validate::required_text("name", &input.name, 100).and_then(|n| validate::cp932("name", &n).map(|_| n)));
    let kind = errs.take(ProductKind::parse(&input.kind).ok_or_else(|| FieldError::new("kind", "商品の種類を選んでください")));
    let ticket_type = match kind {
        Some(ProductKind::WebTicket) => errs
            .take(
                TicketType::parse(&input.ticket_type).ok_or_else(|| FieldError::new("ticket_type", "ウェブチケットタイプを選んでください")),
            )
            .map(Some),
        _ => Some(None),
    };
    let jan = input.jan.trim().to_string();
    let jan_ok = jan.is_empty() || ((jan.len() == 8 || jan.len() == 13) && jan.chars().all(|c| c.is_ascii_digit()));
    if !jan_ok {
        errs.push(FieldError::new("jan", "JANコードは8桁または13桁の数字です"));
    }
    let price = errs.take(int("price", &input.price, 0..=10_000_000, "価格"));
    let tax_rate = errs.take(match input.tax_rate.trim() {
        "10" | "" => Ok(10),
        "8" => Ok(8),
        _ => Err(FieldError::new("tax_rate", "税率は10%か8%です")),
    });
    let description = errs.take({
        let d = input.description.trim();
        if d.chars().count() > 2000 {
            Err(FieldError::new("description", "説明は2000文字以内です"))
        } else {
            Ok(d.to_string())
        }
    });
    let party_size_max = errs.take(if input.party_size_max.trim().is_empty() {
        Ok(0)
    } else {
        int("party_size_max", &input.party_size_max, 0..=1000, "最大人数")
    });
    let policy = errs.take(parse_policy(&input.policy));
    let uses_per_ticket = errs.take(match (ticket_type, input.uses.trim()) {
        (Some(Some(TicketType::MultiUse)), typed) => int("uses", typed, 2..=MAX_USES, "回数券の回数"),
        (_, "" | "1") => Ok(1),
        _ => Err(FieldError::new("uses", "回数は回数券タイプのウェブチケットだけに指定できます")),
    });
    let parcel = errs.take_all(goods_attrs::check(kind, &input.size_class, &input.weight_g));
    errs.finish()?;
    let Some(parcel) = parcel else {
        return Err(FieldError::new("size_class", "入力内容を確認してください").into());
    };
    match (
        name,
        kind,
        ticket_type,
        price,
        tax_rate,
        description,
        party_size_max,
        policy,
        uses_per_ticket,
    ) {
        (
            Some(name),
            Some(kind),
            Some(ticket_type),
            Some(price),
            Some(tax_rate),
            Some(description),
            Some(party_size_max),
            Some(policy),
            Some(uses_per_ticket),
        ) => Ok(Valid {
            parcel,
            uses_per_ticket,
            jan,
            name,
            kind,
            ticket_type,
            price,
            tax_rate,
            description,
            party_size_max,
            policy,
        }),
        _ => Err(FieldError::new("name", "入力内容を確認してください").into()),
    }
}

impl Valid {
    fn fields<'a>(&'a self, policy_json: &'a str) -> ProductFields<'a> {
        ProductFields {
            jan: &self.jan,
            name: &self.name,
            kind: self.kind.as_str(),
            ticket_type: self.ticket_type.map(|t| t.as_str()),
            price: self.price,
            tax_rate: self.tax_rate,
            description: &self.description,
            party_size_max: self.party_size_max,
            cancellation_policy: policy_json,
            uses_per_ticket: self.uses_per_ticket,
            size_class: self.parcel.size_class,
            weight_g: self.parcel.weight_g,
        }
    }
}

pub struct ProductView {
    pub product: ProductDetail,
    pub listings: Vec<ChannelListing>,
    pub policy_text: String,
}

fn policy_text(json: &str) -> String {
    serde_json::from_str::<Vec<Tier>>(json)
        .map(|t| {
            t.iter()
                .map(|t| format!("{}:{}", t.days_before, t.percent_kept))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<ProductView>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let mut out = Vec::new();
    for p in merchants::product_details(&mut conn, m).await? {
        let listings = merchants::listings(&mut conn, m, p.id).await?;
        out.push(ProductView {
            policy_text: policy_text(&p.cancellation_policy),
            product: p,
            listings,
        });
    }
    Ok(out)
}

pub async fn get(app: &App, actor: &Actor, code: &str) -> Result<ProductView> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let p = merchants::product_detail(&mut conn, m, code).await?.ok_or(AppError::NotFound)?;
    let listings = merchants::listings(&mut conn, m, p.id).await?;
    Ok(ProductView {
        policy_text: policy_text(&p.cancellation_policy),
        product: p,
        listings,
    })
}

/// Creates a product; there is no cap on their number. Undated products start with a stock of 0
/// that the merchant fills in; dated ones get stock per date and slot.
pub async fn create(app: &App, actor: &Actor, input: &ProductInput) -> Result<()> {
    create_with_stock(app, actor, input, &FirstStock::default()).await
}

/// The stock a product is created with (`POST /api/v1/products`): a number for an undated
/// product; for a dated one (reservations, rentals, stays) the number for every date of a range
/// and each of its time slots.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FirstStock {
    #[serde(default)]
    pub stock: String,
    #[serde(default)]
    pub range: Option<crate::stock::RangeInput>,
}

fn is_undated(kind: ProductKind, ticket_type: Option<TicketType>) -> bool {
    match kind {
        ProductKind::Goods => true,
        ProductKind::WebTicket => !matches!(ticket_type, Some(TicketType::Rental | TicketType::Accommodation)),
        ProductKind::Reservation | ProductKind::Voucher => false,
    }
}

/// Stock rows to write: (date, slot, capacity).
type StockRows = Vec<(String, String, i64)>;

/// Checks the first stock against the product's kind: a number for an undated product, a range
/// (its `capacity` the number) for a dated one, or nothing.
fn first_stock(kind: ProductKind, ticket_type: Option<TicketType>, first: &FirstStock) -> std::result::Result<StockRows, FieldErrors> {
    if is_undated(kind, ticket_type) {
        if first.range.is_some() {
            return Err(FieldError::new(
                "range",
                "日付のない商品に期間の在庫は設定できません（stock だけを指定してください）",
            )
            .into());
        }
        let n = if first.stock.trim().is_empty() {
            0
        } else {
            int("stock", &first.stock, 0..=10_000_000, "在庫数")?
        };
        return Ok(vec![(String::new(), String::new(), n)]);
    }
    let Some(range) = &first.range else {
        if !first.stock.trim().is_empty() {
            return Err(FieldError::new("range", "日付のある商品の在庫は期間（from, to）と一緒に指定してください").into());
        }
        return Ok(Vec::new());
    };
    let (from, to, slots, capacity) = crate::stock::check_range(range)?;
    let mut rows = Vec::new();
    let mut d = from;
    loop {
        for s in &slots {
            rows.push((d.to_string(), s.clone(), capacity));
        }
        match d.next_day() {
            Some(next) if d < to => d = next,
            _ => break,
        }
    }
    Ok(rows)
}

/// Creates a product with its first stock, all or nothing; every field (the product's and the
/// stock's) is checked before answering.
pub async fn create_with_stock(app: &App, actor: &Actor, input: &ProductInput, first: &FirstStock) -> Result<()> {
    actor.require_settings_rights()?;
    if actor.channel.is_some() {
        return Err(AppError::Forbidden("a sales channel's token orders; it does not make products"));
    }
    let m = actor.merchant()?;
    let mut errs = Collect::default();
    let code = errs.take(validate::upper_code("code", "商品コード", &input.code, 30));
    let v = errs.take_all(check(input));
    // The stock is checked even when another field failed: every error at once. Only an
    // unknown kind leaves it unchecked (its rule depends on the kind).
    let stock = ProductKind::parse(input.kind.trim())
        .and_then(|kind| errs.take_all(first_stock(kind, TicketType::parse(input.ticket_type.trim()), first)));
    errs.finish()?;
    let (Some(code), Some(v), Some(stock)) = (code, v, stock) else {
        unreachable!("Collect::finish fails when a field failed");
    };
    let policy = serde_json::to_string(&v.policy.tiers).unwrap_or_else(|_| "[]".into());
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if merchants::product_detail(&mut tx, m, &code).await?.is_some() {
        return Err(FieldError::new("code", format!("商品コード {code} は既にあります")).into());
    }
    let id = merchants::insert_product(
        &mut tx,
        m,
        &NewProduct {
            code: &code,
            jan: &v.jan,
            name: &v.name,
            kind: v.kind.as_str(),
            ticket_type: v.ticket_type.map(|t| t.as_str()),
            price: v.price,
            tax_rate: v.tax_rate,
            cancellation_policy: &policy,
        },
        now,
    )
    .await?;
    merchants::update_product(&mut tx, m, &code, &v.fields(&policy), now).await?;
    kippu_store::stock::insert_first_stock(&mut tx, m, id, &stock, now).await?;
    let after = serde_json::json!({"product": input, "stock_rows": stock.len(), "stock": stock.first().map(|r| r.2)});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "product", &code),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn update(app: &App, actor: &Actor, code: &str, input: &ProductInput) -> Result<()> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let v = check(input)?;
    let policy = serde_json::to_string(&v.policy.tiers).unwrap_or_else(|_| "[]".into());
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = merchants::product_detail(&mut tx, m, code).await?.ok_or(AppError::NotFound)?;
    merchants::update_product(&mut tx, m, code, &v.fields(&policy), now).await?;
    let after = merchants::product_detail(&mut tx, m, code).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("update", "product", code),
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Archives (or restores) a product: it leaves the storefront and the APIs' sale, past orders
/// keep it.
pub async fn set_archived(app: &App, actor: &Actor, code: &str, archived: bool) -> Result<()> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if !merchants::set_archived(&mut tx, m, code, archived, now).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(if archived { "archive" } else { "restore" }, "product", code),
        audit::NONE,
        audit::NONE,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Stops or resumes the product's listing on one channel (掲載停止 / 再開).
pub async fn set_listing(app: &App, actor: &Actor, code: &str, channel_code: &str, listed: bool) -> Result<()> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let p = merchants::product_detail(&mut tx, m, code).await?.ok_or(AppError::NotFound)?;
    let channel = kippu_store::orders::channel_by_code(&mut tx, m, channel_code)
        .await?
        .ok_or(AppError::NotFound)?;
    merchants::set_listing(&mut tx, m, p.id, channel.id, listed, now).await?;
    let after = serde_json::json!({"channel": channel_code, "listed": listed});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("listing", "product", code),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the remaining stock of an undated product (dated stock is set per date and slot).
pub async fn set_undated_stock(app: &App, actor: &Actor, code: &str, remaining: &str) -> Result<()> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let remaining = int("remaining", remaining, 0..=10_000_000, "在庫数")?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let p = merchants::product_detail(&mut tx, m, code).await?.ok_or(AppError::NotFound)?;
    let before = merchants::remaining_stock(&mut tx, m, p.id).await?;
    merchants::put_undated_stock(&mut tx, m, p.id, remaining, now).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("stock", "product", code),
        Some(&serde_json::json!({"remaining": before})),
        Some(&serde_json::json!({"remaining": remaining})),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The remaining stock of one of the actor's products, over all dates and slots.
pub async fn remaining_stock(app: &App, actor: &Actor, product_id: i64) -> Result<i64> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    Ok(merchants::remaining_stock(&mut conn, m, product_id).await?)
}

/// The actor's products (archived ones too) with their remaining stock, for the API.
pub async fn with_stock(app: &App, actor: &Actor) -> Result<Vec<(merchants::ProductRow, i64)>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let mut out = Vec::new();
    for p in merchants::list_products(&mut conn, m).await? {
        let stock = merchants::remaining_stock(&mut conn, m, p.id).await?;
        out.push((p, stock));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_are_typed_as_lines() {
        let p = parse_policy("0:100\n3日前：50%\n").unwrap();
        assert_eq!(p.tiers.len(), 2);
        assert_eq!(p.percent_kept(2), 50);
        assert_eq!(parse_policy("3:50\n3:80").unwrap_err().message, "3日前の段階が重複しています");
        assert!(parse_policy("three:50").unwrap_err().message.contains("1行目"));
        assert!(parse_policy("").unwrap().tiers.is_empty());
    }
}
