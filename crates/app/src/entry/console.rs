//! The console's 注文入力 use cases: the goods a search finds, the cart as the page shows it, the
//! AD codes to attach (媒体), the price of the form (`goods::quote`), 「お届先リストに保存」 and
//! 【注文登録】 (`goods::create` with the operator's actor: 代理注文, the operator recorded).

use super::draft;
use super::form::{OrderForm, ShipTo};
use crate::goods::{Created, Quote};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::catalog::ProductKind;
use kippu_domain::validate::{self, Collect, FieldError};
use kippu_domain::{CustomerId, MerchantId};
pub use kippu_store::ad_codes::AdCodeRow;
pub use kippu_store::customers::AddressRow;
use kippu_store::orders::ProductForSale;

/// At most this many products answer one search, and this many entries an address book holds.
pub const FOUND_MAX: usize = 50;
pub const BOOK_MAX: i64 = 50;

/// The goods and web tickets on sale whose code or name contains `q` (every one for an empty
/// `q`), at most [`FOUND_MAX`]. A ticket chosen from them is the order's one product (`ticket`).
pub async fn search_goods(app: &App, actor: &Actor, q: &str) -> Result<Vec<ProductForSale>> {
    let m = actor.merchant()?;
    let q = kippu_domain::normalize::text(q).trim().to_lowercase();
    let mut conn = app.store.conn().await?;
    let all = kippu_store::orders::products_on_sale(&mut conn, m).await?;
    Ok(all
        .into_iter()
        .filter(|p| p.kind == ProductKind::Goods || super::ticket::is_ticket(p))
        .filter(|p| q.is_empty() || p.code.to_lowercase().contains(&q) || p.name.to_lowercase().contains(&q))
        .take(FOUND_MAX)
        .collect())
}

/// A line of the cart as the page shows it: the product's name and price when it is on sale.
pub struct CartItem {
    pub code: String,
    pub quantity: i64,
    pub product: Option<ProductForSale>,
}

pub async fn cart(app: &App, actor: &Actor, form: &OrderForm) -> Result<Vec<CartItem>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let mut out = Vec::with_capacity(form.cart.len());
    for l in &form.cart {
        let product = kippu_store::orders::product_by_code(&mut conn, m, &l.product_code)
            .await?
            .filter(|p| p.archived == 0 && p.kind == ProductKind::Goods);
        out.push(CartItem {
            code: l.product_code.clone(),
            quantity: l.quantity,
            product,
        });
    }
    Ok(out)
}

/// The AD codes an operator may attach now (switched on, in their period), at most 200.
pub async fn ad_codes(app: &App, actor: &Actor) -> Result<Vec<AdCodeRow>> {
    let m = actor.merchant()?;
    let rows = {
        let mut conn = app.store.conn().await?;
        kippu_store::ad_codes::list(&mut conn, m, 200, 0).await?
    };
    let mut usable = Vec::new();
    for row in rows {
        if crate::ad_codes::check_for(app, m, &row.code).await?.is_ok() {
            usable.push(row);
        }
    }
    Ok(usable)
}

/// The customer's address book (お届先リスト).
pub async fn book(app: &App, actor: &Actor, customer: i64) -> Result<Vec<AddressRow>> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    Ok(kippu_store::customers::addresses(&mut conn, m, CustomerId(customer), BOOK_MAX).await?)
}

async fn book_entry(app: &App, m: MerchantId, customer: i64, form: &OrderForm) -> Result<Option<AddressRow>> {
    let ShipTo::Book(id) = form.ship_to else {
        return Ok(None);
    };
    let mut conn = app.store.conn().await?;
    let found = kippu_store::customers::addresses(&mut conn, m, CustomerId(customer), BOOK_MAX)
        .await?
        .into_iter()
        .find(|a| a.id == id);
    found
        .map(Some)
        .ok_or_else(|| FieldError::new("ship_to", "選んだお届け先はお届先リストにありません").into())
}

/// The form priced as the order will be (the same checks, the same field errors).
pub async fn quote(app: &App, actor: &Actor, customer: i64, form: &OrderForm) -> Result<Quote> {
    let m = actor.merchant()?;
    let book = book_entry(app, m, customer, form).await?;
    crate::goods::quote(app, actor, &form.request(customer, book.as_ref())).await
}

/// The order 【注文登録】 placed: its number, and the 定期マスタ it started.
pub struct Placed {
    pub number: String,
    pub subscription_id: Option<i64>,
}

/// 【注文登録】: places the order and removes the draft. The order is the operator's: it is
/// recorded as 代理注文 with `created_by`. A chosen ticket is a web-ticket order (`ticket`),
/// else the cart is a goods order.
pub async fn place(app: &App, actor: &Actor, customer: i64, form: &OrderForm) -> Result<Placed> {
    if !form.ticket_code.is_empty() {
        let o = super::ticket::place(app, actor, customer, form).await?.order.order;
        draft::clear(app, actor, Some(customer)).await?;
        return Ok(Placed {
            number: o.order_number,
            subscription_id: o.subscription_id,
        });
    }
    let created = place_goods(app, actor, customer, form).await?;
    let o = created.view.order;
    Ok(Placed {
        number: o.order_number,
        subscription_id: o.subscription_id,
    })
}

async fn place_goods(app: &App, actor: &Actor, customer: i64, form: &OrderForm) -> Result<Created> {
    let m = actor.merchant()?;
    let book = book_entry(app, m, customer, form).await?;
    let mut r = form.request(customer, book.as_ref());
    // 定期 / 頒布会: the order starts its master (`subscription`), as `POST /api/v1/orders` does.
    r.subscription = form.subscription()?;
    let created = crate::goods::create(app, actor, &r, None).await?;
    // The order's 対応履歴 entry was written in the order's own transaction (`entry::record`).
    draft::clear(app, actor, Some(customer)).await?;
    Ok(created)
}

/// 「お届先リストに保存」: the form's new address becomes an entry of the customer's address book,
/// and the form then ships to it. Each field's problem is named (`dest_name`, …).
pub async fn save_address(app: &App, actor: &Actor, customer: i64, form: &mut OrderForm) -> Result<i64> {
    let m = actor.merchant()?;
    let mut errs = Collect::default();
    let name = errs.take(validate::required_text("dest_name", &form.dest_name, 100));
    let postal = errs.take(
        crate::postal::digits(form.dest_postal_code.trim())
            .map(|d| crate::postal::formatted(&d))
            .ok_or_else(|| FieldError::new("dest_postal_code", "郵便番号は7桁の数字で入力してください（例 150-0001）")),
    );
    let phone = match form.dest_phone.trim() {
        "" => Some(String::new()),
        typed => errs.take(validate::phone("dest_phone", typed)),
    };
    let typed = form.dest_address.trim();
    let address = match (typed.is_empty(), postal.as_deref().and_then(crate::postal::lookup)) {
        (true, Some(a)) => Some(a.line()),
        (true, None) => errs.take(Err(FieldError::new("dest_address", "住所を入力してください"))),
        (false, _) if typed.chars().count() > 200 => errs.take(Err(FieldError::new("dest_address", "200文字以内で入力してください"))),
        (false, _) => Some(typed.to_string()),
    };
    errs.finish()?;
    let (Some(name), Some(postal), Some(phone), Some(address)) = (name, postal, phone, address) else {
        return Err(FieldError::new("dest_name", "入力内容を確認してください").into());
    };
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    kippu_store::people::get_customer(&mut tx, m, CustomerId(customer))
        .await?
        .ok_or(AppError::NotFound)?;
    if kippu_store::entry::count_addresses(&mut tx, m, CustomerId(customer)).await? >= BOOK_MAX {
        return Err(FieldError::new("dest_name", format!("お届先リストは{BOOK_MAX}件までです")).into());
    }
    let a = kippu_store::entry::NewAddress {
        name: &name,
        postal_code: &postal,
        address: &address,
        phone: &phone,
    };
    kippu_store::entry::insert_address(&mut tx, m, CustomerId(customer), &a, now).await?;
    let id = kippu_store::customers::addresses(&mut tx, m, CustomerId(customer), BOOK_MAX)
        .await?
        .into_iter()
        .map(|a| a.id)
        .max()
        .ok_or(AppError::NotFound)?;
    let after = serde_json::json!({"name": name, "postal_code": postal, "address": address, "phone": phone});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("add_address", "customer", customer),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    form.ship_to = ShipTo::Book(id);
    let body = serde_json::to_string(&*form).map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(user) = actor.user_id {
        kippu_store::entry::put_draft(&mut tx, m, user, CustomerId(customer), &body, now).await?;
    }
    tx.commit().await?;
    Ok(id)
}
