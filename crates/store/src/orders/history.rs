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
    insert_history_many(conn, std::slice::from_ref(h)).await
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
    let list = crate::batch::id_list(order_ids.iter().map(|i| i.0));
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

/// Several history entries in a few multi-row statements (bulk changes of thousands of orders).
pub async fn insert_history_many(conn: &mut AnyConnection, entries: &[HistoryEntry<'_>]) -> Result<()> {
    use crate::batch::{ROWS_PER_STATEMENT, Value, insert_rows};
    const COLS: [&str; 10] = [
        "merchant_id",
        "order_id",
        "ticket_id",
        "flow",
        "from_status",
        "to_status",
        "actor_user_id",
        "actor_label",
        "note",
        "at",
    ];
    // A statement's rows at a time: 100,000 entries are never all held as bound values.
    for chunk in entries.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<Vec<Value>> = chunk
            .iter()
            .map(|h| {
                vec![
                    Value::I(h.merchant_id.0),
                    Value::I(h.order_id.0),
                    h.ticket_id.map(|t| t.0).into(),
                    h.flow.into(),
                    h.from_status.map(str::to_string).into(),
                    h.to_status.into(),
                    h.actor_user_id.into(),
                    h.actor_label.into(),
                    h.note.into(),
                    Value::I(h.at),
                ]
            })
            .collect();
        insert_rows(conn, "status_history", &COLS, rows).await?;
    }
    Ok(())
}
