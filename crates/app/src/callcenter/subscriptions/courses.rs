//! 頒布会: the merchant admin defines courses — a code, a name and the products in delivery
//! order (each one of the merchant's goods, at most `MAX_COURSE_STEPS`).

use super::merchant_of;
use crate::{Actor, App, Result, audit};
use kippu_domain::catalog::ProductKind;
use kippu_domain::subscription::MAX_COURSE_STEPS;
use kippu_domain::validate::{self, Collect, FieldError};
use kippu_store::subscriptions::courses::{self as repo, CourseRow, CourseStep};

/// A course as typed: product codes one per line (or separated by commas).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CourseInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub products: String,
}

/// Defines a course; its id. Needs the settings right (管理者設定).
pub async fn define(app: &App, actor: &Actor, input: &CourseInput) -> Result<i64> {
    let m = merchant_of(actor)?;
    actor.require_settings_rights()?;
    let mut errs = Collect::default();
    let code = errs.take(validate::code("code", &input.code));
    let name = errs.take(validate::required_text("name", &input.name, 100));
    let codes: Vec<&str> = input
        .products
        .split([',', '\n', '、'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let mut ids = Vec::new();
    if codes.is_empty() {
        errs.push(FieldError::new("products", "商品コードを1つ以上入力してください"));
    } else if codes.len() > MAX_COURSE_STEPS {
        errs.push(FieldError::new(
            "products",
            format!("商品は{MAX_COURSE_STEPS}個までです（{}個）", codes.len()),
        ));
    } else {
        let mut conn = app.store.conn().await?;
        for (i, c) in codes.iter().enumerate() {
            match kippu_store::products::product_detail(&mut conn, m, c).await? {
                Some(p) if p.kind == ProductKind::Goods && p.archived == 0 => ids.push(p.id),
                Some(_) => errs.push(FieldError::new(
                    "products",
                    format!("{}回目: {c} は販売中の物販商品ではありません", i + 1),
                )),
                None => errs.push(FieldError::new("products", format!("{}回目: 商品コード {c} はありません", i + 1))),
            }
        }
    }
    errs.finish()?;
    let (code, name) = (code.unwrap_or_default(), name.unwrap_or_default());
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let id = repo::insert(&mut tx, m, &code, &name, &ids, now).await.map_err(|e| match e {
        kippu_store::StoreError::Conflict { .. } => FieldError::new("code", format!("頒布会コード {code} はすでに使われています")).into(),
        e => crate::AppError::from(e),
    })?;
    let after = serde_json::json!({"code": code, "name": name, "products": codes});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "course", &code),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The merchant's courses, each with its products in order.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<(CourseRow, Vec<CourseStep>)>> {
    let m = merchant_of(actor)?;
    let mut conn = app.store.conn().await?;
    let mut out = Vec::new();
    for c in repo::list(&mut conn, m).await? {
        let steps = repo::steps(&mut conn, m, c.id).await?;
        out.push((c, steps));
    }
    Ok(out)
}
