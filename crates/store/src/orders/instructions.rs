//! An order's payment instructions (コンビニ受付番号 or 振込先口座, with the deadline), and the
//! daily job's reads of the ones due for a reminder or past their deadline.

use crate::Result;
use kippu_domain::order::PaymentMethod;
use kippu_domain::payment_due::{self, Instructions};
use kippu_domain::{MerchantId, OrderId};
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
struct InstructionRow {
    #[sqlx(try_from = "String")]
    method: PaymentMethod,
    number: String,
    chains: String,
    bank_name: String,
    bank_branch: String,
    account_kind: String,
    account_number: String,
    account_holder: String,
    due_at: i64,
}

impl InstructionRow {
    fn into_instructions(self) -> Instructions {
        match self.method {
            PaymentMethod::Konbini => Instructions::Konbini {
                number: self.number,
                chains: self.chains.split(',').filter(|c| !c.is_empty()).map(str::to_string).collect(),
                due_at: self.due_at,
            },
            method => Instructions::Bank {
                method,
                account: payment_due::account(
                    &self.bank_name,
                    &self.bank_branch,
                    &self.account_kind,
                    &self.account_number,
                    &self.account_holder,
                ),
                due_at: self.due_at,
            },
        }
    }
}

pub struct NewInstructions<'a> {
    pub merchant_id: MerchantId,
    pub order_id: OrderId,
    pub instructions: &'a Instructions,
    pub remind_at: Option<i64>,
    pub now: i64,
}

pub async fn insert_instructions(conn: &mut AnyConnection, n: &NewInstructions<'_>) -> Result<()> {
    let (number, chains, account) = match n.instructions {
        Instructions::Konbini { number, chains, .. } => (number.clone(), chains.join(","), None),
        Instructions::Bank { account, .. } => (String::new(), String::new(), Some(account)),
    };
    sqlx::query(
        "INSERT INTO payment_instructions (merchant_id, order_id, method, number, chains, bank_name, bank_branch, account_kind, \
         account_number, account_holder, due_at, remind_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(n.merchant_id.0)
    .bind(n.order_id.0)
    .bind(n.instructions.method().as_str())
    .bind(number)
    .bind(chains)
    .bind(account.map(|a| a.bank_name.clone()).unwrap_or_default())
    .bind(account.map(|a| a.branch_name.clone()).unwrap_or_default())
    .bind(account.map(|a| a.kind.as_str()).unwrap_or_default())
    .bind(account.map(|a| a.number.clone()).unwrap_or_default())
    .bind(account.map(|a| a.holder.clone()).unwrap_or_default())
    .bind(n.instructions.due_at())
    .bind(n.remind_at)
    .bind(n.now)
    .execute(conn)
    .await?;
    Ok(())
}

const COLS: &str = "method, number, chains, bank_name, bank_branch, account_kind, account_number, account_holder, due_at";

/// The instructions of an order, if it has any.
pub async fn instructions_of(conn: &mut AnyConnection, order_id: OrderId) -> Result<Option<Instructions>> {
    let row: Option<InstructionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM payment_instructions WHERE order_id = $1"
    )))
    .bind(order_id.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(InstructionRow::into_instructions))
}

/// An open instruction the job has to look at.
#[derive(Debug, Clone, FromRow)]
pub struct DueInstruction {
    #[sqlx(try_from = "i64")]
    pub order_id: OrderId,
    #[sqlx(try_from = "i64")]
    pub merchant_id: MerchantId,
    pub order_number: String,
    #[sqlx(try_from = "String")]
    pub kind: kippu_domain::catalog::ProductKind,
    /// Still unpaid (a goods order's payment status, a ticket order's status) and not cancelled.
    pub unpaid: i64,
    /// The merchant wants unpaid orders past the deadline cancelled.
    pub cancel_unpaid: i64,
}

/// Whether the order is still waiting for its money: the one place this is decided in SQL.
const UNPAID: &str = "CAST(CASE WHEN o.kind = 'goods' THEN (CASE WHEN o.status = 'normal' AND o.payment_status = 'unpaid' THEN 1 ELSE 0 END) \
     ELSE (CASE WHEN o.status = 'unpaid' THEN 1 ELSE 0 END) END AS BIGINT)";

/// Open instructions past their deadline, oldest first, at most `limit`.
pub async fn past_due(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<DueInstruction>> {
    let sql = format!(
        "SELECT i.order_id, i.merchant_id, o.order_number, o.kind, {UNPAID} AS unpaid, m.cancel_unpaid \
         FROM payment_instructions i JOIN orders o ON o.id = i.order_id JOIN merchants m ON m.id = i.merchant_id \
         WHERE i.closed_at IS NULL AND i.due_at < $1 ORDER BY i.due_at, i.order_id LIMIT $2"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(limit)
        .fetch_all(conn)
        .await?)
}

/// Open instructions whose reminder is due and not sent, oldest first, at most `limit`.
pub async fn reminders_due(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<DueInstruction>> {
    let sql = format!(
        "SELECT i.order_id, i.merchant_id, o.order_number, o.kind, {UNPAID} AS unpaid, m.cancel_unpaid \
         FROM payment_instructions i JOIN orders o ON o.id = i.order_id JOIN merchants m ON m.id = i.merchant_id \
         WHERE i.closed_at IS NULL AND i.reminded_at IS NULL AND i.remind_at IS NOT NULL AND i.remind_at <= $1 AND i.due_at >= $1 \
         ORDER BY i.remind_at, i.order_id LIMIT $2"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(limit)
        .fetch_all(conn)
        .await?)
}

/// Claims the reminder of an order: `true` once, for the transaction that queues it.
pub async fn claim_reminder(conn: &mut AnyConnection, order_id: OrderId, now: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE payment_instructions SET reminded_at = $1 WHERE order_id = $2 AND reminded_at IS NULL")
        .bind(now)
        .bind(order_id.0)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The job is done with an order's instructions (cancelled, paid, or kept by the merchant).
pub async fn close_instructions(conn: &mut AnyConnection, order_id: OrderId, now: i64) -> Result<()> {
    sqlx::query("UPDATE payment_instructions SET closed_at = $1 WHERE order_id = $2 AND closed_at IS NULL")
        .bind(now)
        .bind(order_id.0)
        .execute(conn)
        .await?;
    Ok(())
}
