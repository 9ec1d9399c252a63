//! The carriers' label layouts (`kippu_domain::goods::labels`) streamed from kippu's goods
//! orders in CP932 with a title line: one row per unshipped destination that is not a store
//! pickup; お客様管理番号 carries `T…` or `T…-N` for the N-th destination of a multi-destination
//! order, exactly what the shipped-data import reads back.

use crate::csv_out::{CsvEncoder, Encoding, Unencodable};
use crate::{Actor, App, Result};
use kippu_domain::goods::ShippingStatus;
use kippu_domain::goods::labels::{LabelFormat, Parcel};
use kippu_domain::order::PaymentMethod;
use kippu_domain::paging::Paging;
use kippu_store::goods::GoodsTab;
use tokio::sync::mpsc;

/// Orders read per round trip.
const CHUNK: i64 = Paging::MAX_PER_PAGE;

/// Streams the `format` file of every unshipped, non-pickup destination of the tab's orders
/// into `tx`; the number of rows and the characters CP932 could not hold (written as 〓, and
/// logged: a carrier file has no room for a report).
pub async fn labels(
    app: &App,
    actor: &Actor,
    format: LabelFormat,
    tab: GoodsTab,
    tx: mpsc::Sender<Vec<u8>>,
) -> Result<(usize, Vec<Unencodable>)> {
    let m = actor.merchant()?;
    let sender = {
        let mut conn = app.store.conn().await?;
        kippu_store::merchants::get(&mut conn, m).await?.ok_or(crate::AppError::NotFound)?
    };
    let today = app.clock.today().to_string();
    let mut csv = CsvEncoder::new(Encoding::Cp932, format.header());
    if tx.send(csv.start()).await.is_err() {
        return Ok((0, csv.problems));
    }
    let mut rows = 0;
    let mut page_no = 1;
    loop {
        let paging = Paging::new(Some(page_no), Some(CHUNK), CHUNK).map_err(crate::AppError::from)?;
        let page = super::list(app, actor, tab, &super::GoodsSearch::default(), paging).await?;
        let ids: Vec<kippu_domain::OrderId> = page.orders.iter().map(|v| v.order.id).collect();
        let names = {
            let mut conn = app.store.conn().await?;
            kippu_store::goods::goods_lines_of_orders(&mut conn, &ids).await?
        };
        let mut records = Vec::new();
        for v in &page.orders {
            let o = &v.order;
            let many = v.shipments.len() > 1;
            for s in v
                .shipments
                .iter()
                .filter(|s| !s.is_pickup() && s.status == ShippingStatus::Unshipped)
            {
                let cod = o.payment_method == PaymentMethod::Cod;
                let parcel = Parcel {
                    management: if many {
                        format!("{}-{}", o.order_number, s.position)
                    } else {
                        o.order_number.clone()
                    },
                    phone: s.phone.clone(),
                    postal_code: s.postal_code.clone(),
                    address: s.address.clone(),
                    name: s.recipient_name.clone(),
                    kana: s.recipient_kana.clone(),
                    product: names
                        .iter()
                        .find(|l| l.shipment_id == Some(s.id))
                        .map(|l| l.product_name.clone())
                        .unwrap_or_default(),
                    ship_date: today.clone(),
                    requested_date: s.requested_date.clone(),
                    band: s.time_band,
                    cod,
                    // COD collects the whole order on its first parcel.
                    cod_amount: (cod && s.position == 1).then_some(o.amount),
                    sender_name: sender.name.clone(),
                    sender_phone: sender.phone.clone(),
                    sender_address: sender.address.clone(),
                };
                records.push(format.row(&parcel));
            }
        }
        rows += records.len();
        if !records.is_empty() && tx.send(csv.chunk(&records)).await.is_err() {
            return Ok((rows, csv.problems));
        }
        if (page.orders.len() as i64) < CHUNK {
            break;
        }
        page_no += 1;
    }
    Ok((rows, csv.problems))
}
