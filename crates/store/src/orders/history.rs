//! The status history of orders (every step of every flow, who and when).

use crate::Result;
use kippu_domain::{MerchantId, OrderId, TicketId};
use sqlx::{AnyConnection, FromRow};

pub struct HistoryEntry<'a> {
    pub merchant_id: MerchantId,
    pub order_id: OrderId,
    pub ticket_id: Option<TicketId>,
    pub flow: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: &'a str,
    pub actor_user_id: Option<i64>,
    pub actor_label: &'a str,
    pub note: &'a str,
    pub at: i64,
}

pub async fn insert_history(conn: &mut AnyConnection, h: &HistoryEntry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO status_history (merchant_id, order_id, ticket_id, flow, from_status, to_status, actor_user_id, actor_label, note, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(h.merchant_id.0)
    .bind(h.order_id.0)
    .bind(h.ticket_id.map(|t| t.0))
    .bind(h.flow)
    .bind(h.from_status)
    .bind(h.to_status)
    .bind(h.actor_user_id)
    .bind(h.actor_label)
    .bind(h.note)
    .bind(h.at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct HistoryRow {
    pub flow: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_label: String,
    pub note: String,
    pub at: i64,
    pub ticket_id: Option<i64>,
}

/// The history of several orders at once (the list page shows each order's steps).
pub async fn history_of_orders(conn: &mut AnyConnection, order_ids: &[OrderId]) -> Result<Vec<(OrderId, HistoryRow)>> {
    if order_ids.is_empty() {
        return Ok(vec![]);
    }
    #[derive(FromRow)]
    struct Row {
        #[sqlx(try_from = "i64")]
        order_id: OrderId,
        #[sqlx(flatten)]
        h: HistoryRow,
    }
    let list = order_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let sql = format!(
        "SELECT order_id, flow, from_status, to_status, actor_label, note, at, ticket_id FROM status_history WHERE order_id IN ({list}) AND flow = 'web_ticket' ORDER BY id"
    );
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| (r.order_id, r.h)).collect())
}

pub async fn history(conn: &mut AnyConnection, order_id: OrderId) -> Result<Vec<HistoryRow>> {
    Ok(sqlx::query_as(
        "SELECT flow, from_status, to_status, actor_label, note, at, ticket_id FROM status_history WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id.0)
    .fetch_all(conn)
    .await?)
}

/// Several history entries in one statement per 500 (bulk changes of thousands of orders).
pub async fn insert_history_many(conn: &mut AnyConnection, entries: &[HistoryEntry<'_>]) -> Result<()> {
    for chunk in entries.chunks(500) {
        let values = (0..chunk.len())
            .map(|i| {
                let b = i * 10;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO status_history (merchant_id, order_id, ticket_id, flow, from_status, to_status, actor_user_id, actor_label, note, at) VALUES {values}"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for h in chunk {
            q = q
                .bind(h.merchant_id.0)
                .bind(h.order_id.0)
                .bind(h.ticket_id.map(|t| t.0))
                .bind(h.flow)
                .bind(h.from_status)
                .bind(h.to_status)
                .bind(h.actor_user_id)
                .bind(h.actor_label)
                .bind(h.note)
                .bind(h.at);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
