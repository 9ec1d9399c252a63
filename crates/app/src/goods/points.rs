//! 有効化処理: the points goods orders earned, 有効待ち and 有効; activating them (one or many)
//! and 有効取消. The merchant's staff do it; every change is audited.

use crate::{Actor, App, Result, audit};
use kippu_domain::goods::PointStatus;
use kippu_store::goods::{self as repo, PointRow};

/// The list shows at most this many rows per state (newest first) and says how many there are.
pub const LIMIT: i64 = 200;

pub async fn list(app: &App, actor: &Actor, status: PointStatus) -> Result<(Vec<PointRow>, i64)> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    Ok(repo::points_in(&mut conn, m, status, LIMIT).await?)
}

/// 一括有効 (`activate`) or 有効取消 (`!activate`) of the points `ids`; how many changed. Points
/// of another merchant or already in the target state are left alone.
pub async fn change(app: &App, actor: &Actor, ids: &[i64], activate: bool) -> Result<u64> {
    let m = actor.merchant()?;
    if ids.is_empty() {
        return Err(kippu_domain::validate::FieldError::new("ids", "処理する行を選択してください").into());
    }
    let to = if activate { PointStatus::Active } else { PointStatus::Pending };
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let n = match repo::move_points(&mut tx, m, ids, to, &actor.label, now).await? {
        Ok(n) => n,
        // Nothing is applied: the transaction is dropped.
        Err(overdrawn) => return Err(kippu_domain::validate::FieldError::new("ids", overdrawn.to_string()).into()),
    };
    let after = serde_json::json!({"points": ids, "to": to.as_str(), "changed": n});
    let verb = if activate { "有効にする" } else { "有効取消" };
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new(verb, "points", "goods"),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}
