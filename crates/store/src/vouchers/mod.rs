//! Electronic voucher programmes (seed 004): the programme with its settlement cycle, validity
//! period and voucher types, and the merchants enrolled in it. Holders and their ledger are in
//! `holders`, payments at the counter in `payments`, the merchant's records in `records`.

pub mod day_counts;
pub mod holders;
pub mod payments;
pub mod records;
pub mod settlements;

use crate::{Result, StoreError};
use kippu_domain::MerchantId;
use kippu_domain::voucher::cycle::Cycle;
use sqlx::AnyConnection;

pub struct NewProgram<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub cycle: &'a Cycle,
    pub valid_from: &'a str,
    pub valid_to: &'a str,
    /// The voucher types (商品): (code, name).
    pub types: &'a [(String, String)],
}

#[derive(Debug, Clone)]
pub struct ProgramRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub cycle: Cycle,
    pub valid_from: String,
    pub valid_to: String,
    pub types: Vec<VoucherType>,
}

/// A voucher type (商品) of a programme, e.g. 「e街ギフト」.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VoucherType {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// Saves a programme and its types; a code already used is a [`StoreError::Conflict`].
pub async fn insert_program(conn: &mut AnyConnection, p: &NewProgram<'_>, now: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO voucher_programs (code, name, cycle, valid_from, valid_to, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(p.code)
    .bind(p.name)
    .bind(p.cycle.to_stored())
    .bind(p.valid_from)
    .bind(p.valid_to)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| StoreError::conflict_on_unique(e, "voucher programme", p.code.to_string()))?;
    for (code, name) in p.types {
        sqlx::query("INSERT INTO voucher_types (program_id, code, name) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(code)
            .bind(name)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// A programme by its code, with its types.
pub async fn program_by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<ProgramRow>> {
    let row: Option<(i64, String, String, String, String, String)> =
        sqlx::query_as("SELECT id, code, name, cycle, valid_from, valid_to FROM voucher_programs WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    program_row(conn, row).await
}

/// A programme by its id, with its types.
pub async fn program_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<ProgramRow>> {
    let row: Option<(i64, String, String, String, String, String)> =
        sqlx::query_as("SELECT id, code, name, cycle, valid_from, valid_to FROM voucher_programs WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    program_row(conn, row).await
}

/// Every programme, oldest first.
pub async fn program_ids(conn: &mut AnyConnection) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM voucher_programs ORDER BY id")
        .fetch_all(conn)
        .await?)
}

/// When a programme was made (milliseconds).
pub async fn created_on(conn: &mut AnyConnection, program: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT created_at FROM voucher_programs WHERE id = $1")
        .bind(program)
        .fetch_one(conn)
        .await?)
}

/// The merchants enrolled in `program`.
pub async fn enrolled_ids(conn: &mut AnyConnection, program: i64) -> Result<Vec<MerchantId>> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT merchant_id FROM voucher_participants WHERE program_id = $1 ORDER BY merchant_id")
        .bind(program)
        .fetch_all(conn)
        .await?;
    Ok(ids.into_iter().map(MerchantId).collect())
}

/// The programmes merchant `m` is enrolled in.
pub async fn programs_of(conn: &mut AnyConnection, m: MerchantId) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT program_id FROM voucher_participants WHERE merchant_id = $1 ORDER BY program_id")
            .bind(m.0)
            .fetch_all(conn)
            .await?,
    )
}

/// Whether merchant `m` takes programme `program`'s vouchers.
pub async fn is_enrolled(conn: &mut AnyConnection, program: i64, m: MerchantId) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM voucher_participants WHERE program_id = $1 AND merchant_id = $2")
        .bind(program)
        .bind(m.0)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

async fn program_row(conn: &mut AnyConnection, row: Option<(i64, String, String, String, String, String)>) -> Result<Option<ProgramRow>> {
    let Some((id, code, name, cycle, valid_from, valid_to)) = row else {
        return Ok(None);
    };
    let cycle = Cycle::parse(&cycle).map_err(|e| StoreError::Invariant(format!("voucher programme {code}: {e}")))?;
    let types: Vec<VoucherType> = sqlx::query_as("SELECT id, code, name FROM voucher_types WHERE program_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(conn)
        .await?;
    Ok(Some(ProgramRow {
        id,
        code,
        name,
        cycle,
        valid_from,
        valid_to,
        types,
    }))
}

/// Enrols merchant `m` in programme `program`; `false` when it already was.
pub async fn enrol(conn: &mut AnyConnection, program: i64, m: MerchantId) -> Result<bool> {
    let done = sqlx::query("INSERT INTO voucher_participants (program_id, merchant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(program)
        .bind(m.0)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The codes of the merchants enrolled in `program`.
pub async fn enrolled(conn: &mut AnyConnection, program: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT m.code FROM voucher_participants vp JOIN merchants m ON m.id = vp.merchant_id WHERE vp.program_id = $1 ORDER BY m.code",
    )
    .bind(program)
    .fetch_all(conn)
    .await?)
}
