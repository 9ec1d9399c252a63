//! The point ledger: a customer's usable points move by entries, each with the balance after
//! it. The balance kept on the customer row moves in one guarded UPDATE per customer, so two
//! writers serialize on that row and the balance never goes below zero.

use crate::Result;
use crate::batch::{Value, insert_rows};
use kippu_domain::MerchantId;
use kippu_domain::catalog::OrderKind;
use kippu_domain::goods::PointStatus;
use kippu_domain::goods::ledger::{self, LedgerReason, LedgerSource, Overdrawn};
use sqlx::{AnyConnection, FromRow};

/// Order points that changed state, as the UPDATE that moved them returns them.
#[derive(Debug, Clone, FromRow)]
pub struct Moved {
    pub merchant_id: i64,
    pub customer_id: Option<i64>,
    pub order_id: Option<i64>,
    pub points: i64,
    #[sqlx(try_from = "String")]
    pub source: LedgerSource,
}

/// One change of a customer's points.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub merchant_id: MerchantId,
    pub customer_id: i64,
    pub order_id: Option<i64>,
    pub delta: i64,
    pub reason: LedgerReason,
    pub source: LedgerSource,
    pub note: &'a str,
    pub actor_label: &'a str,
}

impl Moved {
    /// The entry of these points: `sign` 1 when they became usable, -1 when they stopped being.
    pub fn entry<'a>(&self, sign: i64, reason: LedgerReason, actor_label: &'a str) -> Option<Entry<'a>> {
        Some(Entry {
            merchant_id: MerchantId(self.merchant_id),
            customer_id: self.customer_id?,
            order_id: self.order_id,
            delta: sign * self.points,
            reason,
            source: self.source,
            note: "",
            actor_label,
        })
    }
}

/// Posts `entries` in order. Each customer's balance moves once by the sum of its entries; a
/// customer the entries would overdraw at any point is refused with nothing of the call
/// applied to it (the caller rolls its transaction back).
pub async fn post(conn: &mut AnyConnection, entries: &[Entry<'_>], now: i64) -> Result<std::result::Result<(), Overdrawn>> {
    let mut customers: Vec<(MerchantId, i64)> = Vec::new();
    for e in entries {
        if !customers.contains(&(e.merchant_id, e.customer_id)) {
            customers.push((e.merchant_id, e.customer_id));
        }
    }
    for (m, customer) in customers {
        let mine: Vec<&Entry> = entries.iter().filter(|e| e.merchant_id == m && e.customer_id == customer).collect();
        let deltas: Vec<i64> = mine.iter().map(|e| e.delta).collect();
        let total: i64 = deltas.iter().sum();
        let after: Option<i64> = sqlx::query_scalar(
            "UPDATE customers SET points_balance = points_balance + $1 \
             WHERE id = $2 AND merchant_id = $3 AND points_balance + $1 >= 0 RETURNING points_balance",
        )
        .bind(total)
        .bind(customer)
        .bind(m.0)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(after) = after else {
            let balance: i64 = sqlx::query_scalar("SELECT points_balance FROM customers WHERE id = $1 AND merchant_id = $2")
                .bind(customer)
                .bind(m.0)
                .fetch_optional(&mut *conn)
                .await?
                .unwrap_or(0);
            return Ok(Err(Overdrawn { balance, delta: total }));
        };
        let balances = match ledger::run(after - total, &deltas) {
            Ok(b) => b,
            Err(o) => return Ok(Err(o)),
        };
        let rows: Vec<Vec<Value>> = mine
            .iter()
            .zip(balances)
            .map(|(e, balance_after)| {
                vec![
                    Value::I(m.0),
                    Value::I(customer),
                    e.order_id.into(),
                    Value::I(e.delta),
                    Value::I(balance_after),
                    e.reason.as_str().into(),
                    e.source.as_str().into(),
                    e.note.into(),
                    e.actor_label.into(),
                    Value::I(now),
                ]
            })
            .collect();
        insert_rows(
            &mut *conn,
            "point_ledger",
            &[
                "merchant_id",
                "customer_id",
                "order_id",
                "delta",
                "balance_after",
                "reason",
                "source",
                "note",
                "actor_label",
                "created_at",
            ],
            rows,
        )
        .await?;
    }
    Ok(Ok(()))
}

/// One ledger entry as the customer page lists it.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct LedgerRow {
    pub id: i64,
    pub order_number: Option<String>,
    /// The kind of the entry's order (its page differs by kind).
    #[sqlx(flatten, try_from = "crate::columns::OrderKindColumn")]
    pub order_kind: Option<OrderKind>,
    /// Where the order's points stand now (有効待ち after an 有効取消, 有効, 取消).
    #[sqlx(flatten, try_from = "crate::columns::PointStatusColumn")]
    pub point_status: Option<PointStatus>,
    pub delta: i64,
    pub balance_after: i64,
    #[sqlx(try_from = "String")]
    pub reason: LedgerReason,
    #[sqlx(try_from = "String")]
    pub source: LedgerSource,
    pub note: String,
    pub actor_label: String,
    pub created_at: i64,
}

/// A customer's balance and newest entries (at most `limit`); `None` when the customer is not
/// the merchant's.
pub async fn ledger_of(conn: &mut AnyConnection, m: MerchantId, customer: i64, limit: i64) -> Result<Option<(i64, Vec<LedgerRow>)>> {
    let balance: Option<i64> = sqlx::query_scalar("SELECT points_balance FROM customers WHERE id = $1 AND merchant_id = $2")
        .bind(customer)
        .bind(m.0)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(balance) = balance else {
        return Ok(None);
    };
    let sql = format!(
        "SELECT l.id, o.order_number, o.kind AS order_kind, \
         (SELECT p.status FROM points p WHERE p.order_id = l.order_id ORDER BY p.id LIMIT 1) AS point_status, \
         l.delta, l.balance_after, l.reason, l.source, l.note, l.actor_label, l.created_at \
         FROM point_ledger l LEFT JOIN orders o ON o.id = l.order_id \
         WHERE l.merchant_id = $1 AND l.customer_id = $2 ORDER BY l.id DESC LIMIT {limit}"
    );
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(customer)
        .fetch_all(conn)
        .await?;
    Ok(Some((balance, rows)))
}
