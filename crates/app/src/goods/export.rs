//! The carriers' label layouts (`kippu_domain::goods::labels`) streamed from a search of the goods
//! orders in CP932 with a title line: one row per unshipped destination that is not a store
//! pickup; お客様管理番号 carries `T…` or `T…-N` for the N-th destination of a multi-destination
//! order, exactly what the shipped-data import reads back.

use super::{GoodsSearch, SearchWalk};
use crate::csv_out::{CsvEncoder, Encoding, Unencodable};
use crate::{Actor, App, Result};
use kippu_domain::goods::labels::{LabelFormat, Parcel};
use kippu_domain::goods::{OrderStatus, ShippingStatus};
use kippu_domain::order::PaymentMethod;
use kippu_store::goods::GoodsTab;
use tokio::sync::mpsc;

/// Streams the `format` file of every unshipped, non-pickup destination of the search's orders
/// into `tx`; the number of rows and the characters CP932 could not hold (written as 〓, and
/// logged: a carrier file has no room for a report).
pub async fn labels(
    app: &App,
    actor: &Actor,
    format: LabelFormat,
    tab: GoodsTab,
    search: &GoodsSearch,
    tx: mpsc::Sender<Vec<u8>>,
) -> Result<(usize, Vec<Unencodable>)> {
    let m = actor.merchant()?;
    let (sender, codes) = {
        let mut conn = app.store.conn().await?;
        let sender = kippu_store::merchants::get(&mut conn, m).await?.ok_or(crate::AppError::NotFound)?;
        (sender, kippu_store::goods::label_settings(&mut conn, m).await?)
    };
    let today = app.clock.today().to_string();
    let mut csv = CsvEncoder::new(Encoding::Cp932, format.header());
    if tx.send(csv.start()).await.is_err() {
        return Ok((0, csv.problems));
    }
    let mut rows = 0;
    let mut walk = SearchWalk::new(app, actor, tab, search)?;
    while let Some(views) = walk.next().await? {
        let mut records = Vec::new();
        // A cancelled order's parcels never leave.
        for v in views.iter().filter(|v| v.order.status != OrderStatus::Cancelled) {
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
                    product: v
                        .lines
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
                    sender_postal_code: codes.sender_postal_code.clone(),
                    sender_address: sender.address.clone(),
                    billing_customer_code: codes.b2_billing_customer_code.clone(),
                    billing_class_code: codes.b2_billing_class_code.clone(),
                    freight_number: codes.b2_freight_number.clone(),
                };
                records.push(format.row(&parcel));
            }
        }
        rows += records.len();
        if !records.is_empty() && tx.send(csv.chunk(&records)).await.is_err() {
            return Ok((rows, csv.problems));
        }
    }
    Ok((rows, csv.problems))
}
