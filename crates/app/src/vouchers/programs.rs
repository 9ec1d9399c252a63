//! The platform operator creates a voucher programme (code, name, settlement cycle, validity,
//! voucher types) and enrols merchants in it.

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::validate::{Collect, FieldError};
use kippu_domain::voucher::cycle::Cycle;
use kippu_store::StoreError;
use kippu_store::vouchers::{self as repo, NewProgram, ProgramRow};

/// A programme as typed (the CLI's options, later the operator's form).
#[derive(Debug, Clone, Default)]
pub struct ProgramInput {
    pub code: String,
    pub name: String,
    /// `start:months_after:day` per period (`1:0:end,15:1:15`); empty for twice a month.
    pub cycle: String,
    /// `YYYY-MM-DD`, inclusive; both empty for no limit.
    pub valid_from: String,
    pub valid_to: String,
    /// `CODE:名前` per voucher type; none gives one type named after the programme.
    pub types: Vec<String>,
}

fn platform_only(actor: &Actor) -> Result<()> {
    actor.require_platform("voucher programmes are the platform operator's")
}

fn date(field: &'static str, s: &str) -> std::result::Result<Option<time::Date>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        d => kippu_domain::clock::parse_date(d)
            .map(Some)
            .ok_or_else(|| FieldError::new(field, "日付は YYYY-MM-DD で入力してください")),
    }
}

fn voucher_type(s: &str) -> std::result::Result<(String, String), FieldError> {
    let (code, name) = s
        .split_once(':')
        .ok_or_else(|| FieldError::new("types", format!("「{s}」は「コード:名前」で指定してください")))?;
    let code = kippu_domain::validate::upper_code("types", "商品コード", code, 20)?;
    let name = kippu_domain::validate::required_text("types", name, 50)?;
    Ok((code, name))
}

/// Creates a programme; every bad field is named at once.
pub async fn create(app: &App, actor: &Actor, input: &ProgramInput) -> Result<ProgramRow> {
    platform_only(actor)?;
    let mut errs = Collect::default();
    let code = errs.take(kippu_domain::validate::upper_code("code", "事業コード", &input.code, 20));
    let name = errs.take(kippu_domain::validate::required_text("name", &input.name, 100));
    let cycle = errs.take(match input.cycle.trim() {
        "" => Ok(Cycle::twice_a_month()),
        c => Cycle::parse(c).map_err(|e| FieldError::new("cycle", e.to_string())),
    });
    let from = errs.take(date("valid_from", &input.valid_from));
    let to = errs.take(date("valid_to", &input.valid_to));
    if let (Some(Some(f)), Some(Some(t))) = (from, to)
        && f > t
    {
        errs.push(FieldError::new("valid_to", "有効期間の終わりが始まりより前です"));
    }
    let types: Vec<(String, String)> = input.types.iter().filter_map(|t| errs.take(voucher_type(t))).collect();
    errs.finish()?;
    let (Some(code), Some(name), Some(cycle), Some(from), Some(to)) = (code, name, cycle, from, to) else {
        return Err(AppError::Internal("a programme field without a value but without an error".into()));
    };
    let types = if types.is_empty() {
        vec![("DEFAULT".to_string(), name.clone())]
    } else {
        types
    };
    let (valid_from, valid_to) = (
        from.map(|d| d.to_string()).unwrap_or_default(),
        to.map(|d| d.to_string()).unwrap_or_default(),
    );
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let p = NewProgram {
        code: &code,
        name: &name,
        cycle: &cycle,
        valid_from: &valid_from,
        valid_to: &valid_to,
        types: &types,
    };
    repo::insert_program(&mut tx, &p, now).await.map_err(|e| match e {
        StoreError::Conflict { .. } => AppError::from(FieldError::new("code", format!("事業コード {code} はすでに使われています"))),
        e => e.into(),
    })?;
    let after =
        serde_json::json!({"name": name, "cycle": cycle.to_stored(), "valid_from": valid_from, "valid_to": valid_to, "types": types.len()});
    audit::record(
        &mut tx,
        actor,
        None,
        audit::Subject::new("create", "voucher_program", &code),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    let row = repo::program_by_code(&mut tx, &code).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

/// Enrols merchant `merchant_code` in programme `program_code`; `false` when it already was.
pub async fn enrol(app: &App, actor: &Actor, program_code: &str, merchant_code: &str) -> Result<bool> {
    platform_only(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let program = repo::program_by_code(&mut tx, program_code.trim())
        .await?
        .ok_or_else(|| FieldError::new("program", format!("事業コード {program_code} の事業はありません")))?;
    let merchant = crate::accounts::merchant_by_code(&mut tx, merchant_code.trim()).await?;
    let added = repo::enrol(&mut tx, program.id, merchant.id).await?;
    if added {
        let after = serde_json::json!({"merchant": merchant.code});
        audit::record(
            &mut tx,
            actor,
            Some(merchant.id),
            audit::Subject::new("enrol", "voucher_program", &program.code),
            audit::NONE,
            Some(&after),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(added)
}

/// A programme with the merchants enrolled in it.
pub async fn get(app: &App, actor: &Actor, code: &str) -> Result<(ProgramRow, Vec<String>)> {
    platform_only(actor)?;
    let mut conn = app.store.conn().await?;
    let p = repo::program_by_code(&mut conn, code.trim()).await?.ok_or(AppError::NotFound)?;
    let merchants = repo::enrolled(&mut conn, p.id).await?;
    Ok((p, merchants))
}

/// Every programme with its enrolled merchants, oldest first (the operator's list).
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<(ProgramRow, Vec<String>)>> {
    platform_only(actor)?;
    let mut conn = app.store.conn().await?;
    let mut out = Vec::new();
    for id in repo::program_ids(&mut conn).await? {
        if let Some(p) = repo::program_by_id(&mut conn, id).await? {
            let merchants = repo::enrolled(&mut conn, id).await?;
            out.push((p, merchants));
        }
    }
    Ok(out)
}
