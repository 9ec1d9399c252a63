//! 検索結果をダウンロード: the whole search of the goods list as a CSV in a column layout (the
//! built-in 標準 or one the merchant saved), one row per destination, streamed a chunk of orders
//! at a time; CP932 or UTF-8, characters CP932 cannot hold reported after the data.

use super::{GoodsSearch, GoodsTab, GoodsView, SearchWalk, ShipmentRow};
use crate::csv_out::{CsvEncoder, Encoding, Unencodable};
use crate::{Actor, App, Result};
use kippu_domain::goods::csv_layout::{CsvLayout, GoodsColumn};
use tokio::sync::mpsc;

/// What the payment status column says of cash on delivery, whose payment is not tracked.
const NOT_TRACKED: &str = "管理なし（代金引換）";

/// One cell: statuses in the manual's Japanese, dates as `YYYY-MM-DD`, yen as plain integers.
fn cell(c: GoodsColumn, v: &GoodsView, s: &ShipmentRow) -> String {
    let o = &v.order;
    let opt = |x: &Option<String>| x.clone().unwrap_or_default();
    match c {
        GoodsColumn::OrderNumber => o.order_number.clone(),
        GoodsColumn::OrderedAt => kippu_domain::clock::format_jst(kippu_domain::clock::from_millis(o.ordered_at)),
        GoodsColumn::OrderStatus => o.status.label_ja().into(),
        GoodsColumn::PaymentMethod => o.payment_method.label_ja().into(),
        GoodsColumn::PaymentStatus if !v.payment_tracked() => NOT_TRACKED.into(),
        GoodsColumn::PaymentStatus => o.payment_status.label_ja().into(),
        GoodsColumn::PaymentDate => opt(&o.payment_date),
        GoodsColumn::CardState => o.card.map(|c| c.label_ja().to_string()).unwrap_or_default(),
        GoodsColumn::Amount => o.amount.to_string(),
        GoodsColumn::GoodsTotal => v.goods_total().to_string(),
        GoodsColumn::ShippingFee => o.shipping_fee.to_string(),
        GoodsColumn::HandlingFee => o.handling_fee.to_string(),
        GoodsColumn::Refunded => o.refunded_amount.to_string(),
        GoodsColumn::Points => o.points.to_string(),
        GoodsColumn::CouponCode => opt(&o.coupon_code),
        GoodsColumn::Discount => o.discount.to_string(),
        GoodsColumn::AdCode => opt(&o.ad_code),
        GoodsColumn::EntryChannel => o.entry_channel.label_ja().into(),
        GoodsColumn::CustomerName => o.customer_name.clone(),
        GoodsColumn::CustomerKana => o.customer_kana.clone(),
        GoodsColumn::CustomerEmail => o.customer_email.clone(),
        GoodsColumn::CustomerPhone => o.customer_phone.clone(),
        GoodsColumn::Destination => s.position.to_string(),
        GoodsColumn::DeliveryMethod => if s.is_pickup() { "店舗受取" } else { "配送" }.into(),
        GoodsColumn::RecipientName => s.recipient_name.clone(),
        GoodsColumn::RecipientKana => s.recipient_kana.clone(),
        GoodsColumn::PostalCode => s.postal_code.clone(),
        GoodsColumn::Address => s.address.clone(),
        GoodsColumn::Phone => s.phone.clone(),
        GoodsColumn::Items => v.items_of(s).join(" / "),
        GoodsColumn::Size => v.parcel_of(s).0.map(|c| c.as_str().to_string()).unwrap_or_default(),
        GoodsColumn::Weight => v.parcel_of(s).1.map(|g| g.to_string()).unwrap_or_default(),
        GoodsColumn::RequestedDate => opt(&s.requested_date),
        GoodsColumn::TimeBand => s.time_band.map(|b| b.label_ja().to_string()).unwrap_or_default(),
        GoodsColumn::ShippingStatus => s.status.label_ja().into(),
        GoodsColumn::ShipDate => opt(&s.ship_date),
        GoodsColumn::Carrier => s.carrier.map(|c| c.label_ja().to_string()).unwrap_or_default(),
        GoodsColumn::TrackingNumber => s.tracking_number.clone(),
        GoodsColumn::DeliveryDate => opt(&s.delivery_date),
    }
}

/// Streams the search in `layout` into `tx`: the number of rows written and the characters
/// CP932 could not hold (also noted at the end of the file).
pub async fn orders_csv(
    app: &App,
    actor: &Actor,
    tab: GoodsTab,
    search: &GoodsSearch,
    layout: &CsvLayout,
    enc: Encoding,
    tx: mpsc::Sender<Vec<u8>>,
) -> Result<(usize, Vec<Unencodable>)> {
    let mut csv = CsvEncoder::new(enc, layout.header());
    if tx.send(csv.start()).await.is_err() {
        return Ok((0, csv.problems));
    }
    let mut rows = 0;
    let mut walk = SearchWalk::new(app, actor, tab, search)?;
    while let Some(views) = walk.next().await? {
        let records: Vec<Vec<String>> = views
            .iter()
            .flat_map(|v| {
                v.shipments
                    .iter()
                    .map(move |s| layout.columns.iter().map(|c| cell(*c, v, s)).collect())
            })
            .collect();
        rows += records.len();
        if tx.send(csv.chunk(&records)).await.is_err() {
            return Ok((rows, csv.problems));
        }
    }
    if let Some(report) = csv.finish() {
        let _ = tx.send(report).await;
    }
    Ok((rows, csv.problems))
}
