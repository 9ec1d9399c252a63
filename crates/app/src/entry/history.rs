//! 受注情報: a customer's orders of every kind (通常 and 定期 children), newest first, a page at
//! a time, each with its status in its own flow's words.

use crate::{Actor, App, AppError, Result};
use kippu_domain::catalog::OrderKind;
use kippu_domain::label::Label;
use kippu_domain::paging::Paging;
use kippu_domain::{CustomerId, goods, web_ticket};

pub use kippu_store::entry::CustomerOrderRow;

pub struct CustomerOrder {
    pub row: CustomerOrderRow,
    /// The status in the order's own flow (a goods order's 通常処理, a ticket's 入金待ち …).
    pub status: Label,
    /// Goods orders open on the shipping page (with 受注編集), tickets on the order page.
    pub goods: bool,
}

pub struct CustomerOrders {
    pub rows: Vec<CustomerOrder>,
    pub total: i64,
}

pub async fn list(app: &App, actor: &Actor, customer: i64, paging: Paging) -> Result<CustomerOrders> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    kippu_store::people::get_customer(&mut conn, m, CustomerId(customer))
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = kippu_store::entry::customer_orders(&mut conn, m, CustomerId(customer), paging.per_page(), paging.offset()).await?;
    let total = kippu_store::entry::count_customer_orders(&mut conn, m, CustomerId(customer)).await?;
    let rows = rows
        .into_iter()
        .map(|row| {
            let goods = row.kind == OrderKind::Goods;
            let status = if goods {
                goods::OrderStatus::parse(&row.status).map(|s| s.label())
            } else {
                web_ticket::Status::parse(&row.status).map(|s| s.label())
            };
            let status = status.ok_or_else(|| AppError::Internal(format!("unknown order status {}", row.status)))?;
            Ok(CustomerOrder { row, status, goods })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CustomerOrders { rows, total })
}
