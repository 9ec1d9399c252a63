//! Customers of a merchant: list, view, edit. Every call is scoped by the actor's merchant; a
//! customer of another merchant is simply not found.

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::CustomerId;
use kippu_domain::validate::{self, Collect, FieldError, FieldErrors};
pub use kippu_store::people::CustomerRow;
use kippu_store::people::{self, CustomerFields};

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct CustomerInput {
    pub name: String,
    pub kana: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub address: String,
}

/// Validates every field before answering: every field with a problem is named at once.
pub fn validate(input: &CustomerInput) -> std::result::Result<CustomerFields, FieldErrors> {
    let mut errs = Collect::default();
    let phone = if input.phone.trim().is_empty() {
        Some(String::new())
    } else {
        errs.take(validate::phone("phone", &input.phone))
    };
    // Seven digits however typed (１５０－０００１, 1500001), stored as 150-0001.
    let postal = match input.postal_code.trim() {
        "" => Some(String::new()),
        typed => errs.take(
            crate::postal::digits(typed)
                .map(|d| crate::postal::formatted(&d))
                .ok_or_else(|| FieldError::new("postal_code", "郵便番号は7桁の数字で入力してください（例 150-0001）")),
        ),
    };
    let typed_address = input.address.trim();
    if typed_address.chars().count() > 200 {
        errs.push(FieldError::new("address", "200文字以内で入力してください"));
    }
    let name = errs.take(validate::required_text("name", &input.name, 100));
    let kana = errs.take(validate::kana("kana", &input.kana));
    let email = errs.take(validate::email("email", &input.email));
    errs.finish()?;
    let (Some(phone), Some(postal), Some(name), Some(kana), Some(email)) = (phone, postal, name, kana, email) else {
        return Err(FieldError::new("name", "入力内容を確認してください").into());
    };
    // An address left empty is filled from the postal code (prefecture, city and town).
    let address = match (typed_address.is_empty(), crate::postal::lookup(&postal)) {
        (true, Some(a)) => a.line(),
        _ => typed_address.to_string(),
    };
    Ok(CustomerFields {
        name,
        kana,
        email,
        phone,
        postal_code: postal,
        address,
    })
}

pub struct Page {
    pub rows: Vec<CustomerRow>,
    pub total: i64,
}

pub async fn list(app: &App, actor: &Actor, paging: kippu_domain::paging::Paging) -> Result<Page> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    Ok(Page {
        rows: people::list_customers(&mut conn, m, paging.per_page(), paging.offset()).await?,
        total: people::count_customers(&mut conn, m).await?,
    })
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<CustomerRow> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    people::get_customer(&mut conn, m, CustomerId(id)).await?.ok_or(AppError::NotFound)
}

/// Updates a customer; writes before → after to the audit log in the same transaction.
pub async fn update(app: &App, actor: &Actor, id: i64, input: &CustomerInput) -> Result<CustomerRow> {
    let m = actor.merchant()?;
    let fields = validate(input)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let before = people::get_customer(&mut tx, m, CustomerId(id)).await?.ok_or(AppError::NotFound)?;
    if !people::update_customer(&mut tx, m, CustomerId(id), &fields, now).await? {
        return Err(AppError::NotFound);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ok_input() -> CustomerInput {
        CustomerInput {
            name: "山田 花子".into(),
            kana: "ヤマダ ハナコ".into(),
            email: "hanako@example.jp".into(),
            phone: "090-1234-5678".into(),
            postal_code: "150-0001".into(),
            address: "東京都渋谷区神宮前1-1-1".into(),
        }
    }

    #[test]
    fn names_the_field_in_error() {
        assert!(validate(&ok_input()).is_ok());
        let mut i = ok_input();
        i.postal_code = "１５０－０００１".into();
        assert_eq!(validate(&i).unwrap().postal_code, "150-0001", "typed with the IME, stored as meant");
        i.postal_code = "150-001".into();
        assert_eq!(validate(&i).unwrap_err().field, "postal_code");
        i.postal_code = "150-0001".into();
        i.address = String::new();
        assert_eq!(validate(&i).unwrap().address, "東京都渋谷区神宮前", "filled from the postal code");
        let mut i = ok_input();
        i.kana = "yamada".into();
        assert_eq!(validate(&i).unwrap_err().field, "kana");
        let mut i = ok_input();
        i.email = "no-at-sign".into();
        assert_eq!(validate(&i).unwrap_err().field, "email");
    }
}
