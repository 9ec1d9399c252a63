//! 媒体 after the order (seed 003 注文入力: 「ADコードを検索して付ける（注文後も）」): the merchant sets,
//! changes or removes the AD code of one of its goods orders, whatever the order's status — it
//! only says which medium brought the order, so the promotions report counts the order under
//! the new code. The code must be the merchant's and valid today (the rules of
//! `kippu_domain::adcode`); one transaction writes the change, the order's history line and the
//! audit row before → after.

use super::merchant_only;
use crate::goods::history::Step;
use crate::goods::view::{self, GoodsView};
use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::validate::FieldError;
use kippu_store::goods as repo;

/// The code and its medium's name as the history says them: 「TV1（テレビCM）」, 「なし」.
fn words(code: Option<&str>, name: Option<&str>) -> String {
    match (code, name) {
        (Some(c), Some(n)) if !n.is_empty() => format!("{c}（{n}）"),
        (Some(c), _) => c.to_string(),
        (None, _) => "なし".to_string(),
    }
}

/// Sets the AD code of goods order `number` to `typed` (case as typed; `""` removes it); the
/// order after. An unknown, switched-off or out-of-period code is refused naming `ad_code`;
/// another merchant's order is not found.
pub async fn set_ad_code(app: &App, actor: &Actor, number: &str, typed: &str) -> Result<GoodsView> {
    let m = merchant_only(actor)?;
    let typed = typed.trim();
    let code = if typed.is_empty() {
        None
    } else {
        Some(
            crate::ad_codes::check_for(app, m, typed)
                .await?
                .map_err(|refusal| FieldError::new("ad_code", refusal.to_string()))?,
        )
    };
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let o = repo::goods_order_by_number(&mut tx, app.store.backend(), Some(m), number, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let after_code = code.as_ref().map(|c| c.code.as_str());
    if o.ad_code.as_deref() == after_code {
        tx.commit().await?;
        return view::load(app, Some(m), number).await;
    }
    if !kippu_store::coupons::set_order_ad_code(&mut tx, m, o.id.0, code.as_ref().map(|c| c.id)).await? {
        return Err(AppError::NotFound);
    }
    let before = words(o.ad_code.as_deref(), o.ad_code_name.as_deref());
    let after = words(after_code, code.as_ref().map(|c| c.name.as_str()));
    let note = format!("広告コード: {before} → {after}");
    kippu_store::orders::insert_history(
        &mut tx,
        &crate::goods::history::entry(
            actor,
            m,
            o.id,
            Step {
                from: Some(o.status.as_str()),
                to: o.status.as_str(),
                note: &note,
            },
            now,
        ),
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("set_ad_code", "order", number),
        Some(&serde_json::json!({ "ad_code": o.ad_code })),
        Some(&serde_json::json!({ "ad_code": after_code })),
        now,
    )
    .await?;
    tx.commit().await?;
    view::load(app, Some(m), number).await
}
