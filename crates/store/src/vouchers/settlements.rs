//! A voucher programme's settlements: one per merchant and period of the cycle, made once; the
//! payments it pays and the earlier-paid payments it takes back are marked with its id, so each
//! is counted exactly once. And the programme's money as the platform's dashboard shows it.

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::AnyConnection;

pub struct NewVoucherSettlement<'a> {
    pub program: i64,
    pub merchant: MerchantId,
    pub period_start: &'a str,
    pub period_end: &'a str,
    pub payout_date: &'a str,
    /// The period in milliseconds, `[from_ms, to_ms)`.
    pub from_ms: i64,
    pub to_ms: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct VoucherSettlementRow {
    pub id: i64,
    pub program_id: i64,
    pub merchant_id: i64,
    pub period_start: String,
    pub period_end: String,
    pub payout_date: String,
    pub payments: i64,
    pub paid_amount: i64,
    pub reversals: i64,
    pub reversed_amount: i64,
    pub amount: i64,
}

const COLUMNS: &str =
    "id, program_id, merchant_id, period_start, period_end, payout_date, payments, paid_amount, reversals, reversed_amount, amount";

/// Makes the settlement of one merchant and period; `None` when it was made before.
pub async fn settle(conn: &mut AnyConnection, s: &NewVoucherSettlement<'_>, now: i64) -> Result<Option<VoucherSettlementRow>> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO voucher_settlements (program_id, merchant_id, period_start, period_end, payout_date, payments, paid_amount, \
         reversals, reversed_amount, amount, created_at) VALUES ($1, $2, $3, $4, $5, 0, 0, 0, 0, 0, $6) \
         ON CONFLICT (program_id, merchant_id, period_start) DO NOTHING RETURNING id",
    )
    .bind(s.program)
    .bind(s.merchant.0)
    .bind(s.period_start)
    .bind(s.period_end)
    .bind(s.payout_date)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else { return Ok(None) };
    sqlx::query(
        "UPDATE voucher_payments SET settlement_id = $1 WHERE program_id = $2 AND merchant_id = $3 AND paid_at >= $4 AND paid_at < $5 \
         AND cancelled_at IS NULL AND settlement_id IS NULL",
    )
    .bind(id)
    .bind(s.program)
    .bind(s.merchant.0)
    .bind(s.from_ms)
    .bind(s.to_ms)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE voucher_payments SET reversal_settlement_id = $1 WHERE program_id = $2 AND merchant_id = $3 \
         AND settlement_id IS NOT NULL AND settlement_id <> $1 AND cancelled_at IS NOT NULL AND reversal_settlement_id IS NULL",
    )
    .bind(id)
    .bind(s.program)
    .bind(s.merchant.0)
    .execute(&mut *conn)
    .await?;
    let (payments, paid): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM voucher_payments WHERE settlement_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    let (reversals, reversed): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM voucher_payments WHERE reversal_settlement_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Some(
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE voucher_settlements SET payments = $1, paid_amount = $2, reversals = $3, reversed_amount = $4, amount = $5 \
             WHERE id = $6 RETURNING {COLUMNS}"
        )))
        .bind(payments)
        .bind(paid)
        .bind(reversals)
        .bind(reversed)
        .bind(paid - reversed)
        .bind(id)
        .fetch_one(conn)
        .await?,
    ))
}

/// A merchant's settlements of a programme, oldest first.
pub async fn of_merchant(conn: &mut AnyConnection, program: i64, m: MerchantId) -> Result<Vec<VoucherSettlementRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM voucher_settlements WHERE program_id = $1 AND merchant_id = $2 ORDER BY period_start"
    )))
    .bind(program)
    .bind(m.0)
    .fetch_all(conn)
    .await?)
}

/// Every settlement of a programme with the merchant's code, newest first.
pub async fn of_program(conn: &mut AnyConnection, program: i64, limit: i64) -> Result<Vec<(String, VoucherSettlementRow)>> {
    let rows: Vec<VoucherSettlementRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM voucher_settlements WHERE program_id = $1 ORDER BY period_start DESC, merchant_id LIMIT {limit}"
    )))
    .bind(program)
    .fetch_all(&mut *conn)
    .await?;
    let codes: Vec<(i64, String)> = sqlx::query_as(
        "SELECT merchant_id, m.code FROM voucher_participants vp JOIN merchants m ON m.id = vp.merchant_id WHERE vp.program_id = $1",
    )
    .bind(program)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let code = codes
                .iter()
                .find(|(id, _)| *id == r.merchant_id)
                .map(|(_, c)| c.clone())
                .unwrap_or_default();
            (code, r)
        })
        .collect())
}

/// A programme's money: issued (granted), spent (paid), given back (cancelled payments) and the
/// balances outstanding, which must equal issued − spent + given back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProgramMoney {
    pub holders: i64,
    pub issued: i64,
    pub spent: i64,
    pub cancelled: i64,
    pub outstanding: i64,
    pub payments: i64,
}

pub async fn money(conn: &mut AnyConnection, program: i64) -> Result<ProgramMoney> {
    let sum = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).bind(program);
    let holders = sum("SELECT COUNT(*) FROM voucher_holders WHERE program_id = $1")
        .fetch_one(&mut *conn)
        .await?;
    let issued = sum("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM voucher_grants WHERE program_id = $1")
        .fetch_one(&mut *conn)
        .await?;
    let spent = sum("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM voucher_payments WHERE program_id = $1")
        .fetch_one(&mut *conn)
        .await?;
    let cancelled =
        sum("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM voucher_payments WHERE program_id = $1 AND cancelled_at IS NOT NULL")
            .fetch_one(&mut *conn)
            .await?;
    let outstanding = sum("SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM voucher_accounts WHERE program_id = $1")
        .fetch_one(&mut *conn)
        .await?;
    let payments = sum("SELECT COUNT(*) FROM voucher_payments WHERE program_id = $1")
        .fetch_one(conn)
        .await?;
    Ok(ProgramMoney {
        holders,
        issued,
        spent,
        cancelled,
        outstanding,
        payments,
    })
}

/// The payments a period's statement lists: those of merchant `m` in `[from_ms, to_ms)` not
/// cancelled, oldest first.
pub async fn period_payments(
    conn: &mut AnyConnection,
    program: i64,
    m: MerchantId,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<super::payments::PaymentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{} WHERE p.program_id = $1 AND p.merchant_id = $2 AND p.paid_at >= $3 AND p.paid_at < $4 AND p.cancelled_at IS NULL \
         ORDER BY p.paid_at, p.id",
        super::payments::PAYMENT
    )))
    .bind(program)
    .bind(m.0)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(conn)
    .await?)
}

/// The payments a settlement paid, oldest first.
pub async fn settled_payments(conn: &mut AnyConnection, settlement: i64) -> Result<Vec<super::payments::PaymentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{} WHERE p.settlement_id = $1 ORDER BY p.paid_at, p.id",
        super::payments::PAYMENT
    )))
    .bind(settlement)
    .fetch_all(conn)
    .await?)
}

/// The earlier-paid payments a settlement takes back (cancelled by the platform after).
pub async fn reversed_payments(conn: &mut AnyConnection, settlement: i64) -> Result<Vec<super::payments::PaymentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{} WHERE p.reversal_settlement_id = $1 ORDER BY p.paid_at, p.id",
        super::payments::PAYMENT
    )))
    .bind(settlement)
    .fetch_all(conn)
    .await?)
}
