//! The CSV export's unit of work: the tickets of the next orders of the search.

use super::search::{OrderFilter, keyset_after, where_clause};
use crate::Result;
use crate::dialect::Backend;
use crate::query::bind_all;
use kippu_domain::OrderId;
use kippu_domain::catalog::TicketType;
use kippu_domain::order::{OrderType, PaymentMethod};
use kippu_domain::web_ticket::{SendMode, Status, Usage};
use sqlx::{AnyConnection, FromRow};

/// One CSV line's worth: an order's columns beside one of its tickets.
#[derive(Debug, Clone, FromRow)]
pub struct ExportRow {
    #[sqlx(try_from = "i64")]
    pub order_id: OrderId,
    pub order_number: String,
    pub ordered_at: i64,
    pub customer_name: String,
    pub customer_kana: String,
    pub customer_email: String,
    pub customer_phone: String,
    pub amount: i64,
    pub promotion_cost: i64,
    #[sqlx(try_from = "String")]
    pub payment_method: PaymentMethod,
    pub pin: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub paid_at: Option<i64>,
    pub sent_at: Option<i64>,
    #[sqlx(flatten, try_from = "crate::columns::SendModeColumn")]
    pub send_mode: Option<SendMode>,
    #[sqlx(try_from = "String")]
    pub order_type: OrderType,
    /// 受注経路: 代理注文 when an operator entered it.
    #[sqlx(try_from = "String")]
    pub entry_channel: kippu_domain::order::EntryChannel,
    pub cancel_fee: i64,
    pub refunded_amount: i64,
    /// クーポン割引 and the codes of the coupon and the AD code (媒体), when the order has them.
    pub discount: i64,
    pub coupon_code: Option<String>,
    pub ad_code: Option<String>,
    #[sqlx(flatten, try_from = "crate::columns::TicketTypeColumn")]
    pub ticket_type: Option<TicketType>,
    pub ticket_number: String,
    pub price: i64,
    pub holder_name: String,
    pub product_name: String,
    pub product_code: String,
    pub jan: String,
    #[sqlx(try_from = "String")]
    pub usage: Usage,
    pub used_at: Option<i64>,
}

/// The tickets of the next `limit` orders of the search after `after` (ordered_at, id), in one
/// query with only the exported columns: the export's unit of work.
pub async fn export_after(
    conn: &mut AnyConnection,
    backend: Backend,
    f: &OrderFilter,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<ExportRow>> {
    let (mut w, mut binds) = where_clause(f, backend);
    keyset_after(&mut w, &mut binds, after);
    let sql = format!(
        "SELECT o.id AS order_id, o.order_number, o.ordered_at, o.customer_name, o.customer_kana, o.customer_email, o.customer_phone, \
         o.amount, o.promotion_cost, o.payment_method, o.pin, o.status, o.paid_at, o.sent_at, o.send_mode, o.order_type, o.cancel_fee, \
         o.refunded_amount, o.entry_channel, o.discount, (SELECT c.code FROM coupons c WHERE c.id = o.coupon_id) AS coupon_code, \
         (SELECT a.code FROM ad_codes a WHERE a.id = o.ad_code_id) AS ad_code, pr.ticket_type, t.ticket_number, t.price, t.holder_name, l.product_name, l.product_code, l.jan, t.usage, t.used_at \
         FROM (SELECT o.* FROM orders o WHERE {w} ORDER BY o.ordered_at DESC, o.id DESC LIMIT {limit}) o \
         JOIN tickets t ON t.order_id = o.id JOIN order_lines l ON l.id = t.order_line_id JOIN products pr ON pr.id = l.product_id \
         ORDER BY o.ordered_at DESC, o.id DESC, t.id"
    );
    Ok(bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), binds).fetch_all(conn).await?)
}
