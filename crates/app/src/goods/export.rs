//! The carriers' *import* layouts written from kippu's goods orders, so labels are printed from
//! kippu's data and the shipped-data file that comes back closes the round trip. B2クラウド's
//! 外部データ取込 layout (97 columns, CP932, a title line): お客様管理番号 carries `T…` or `T…-N`
//! for the N-th destination of a multi-destination order, exactly what the import reads back.
//! e飛伝Ⅲ and ゆうパックプリントR layouts are not written yet.

use crate::csv_out::{CsvEncoder, Encoding, Unencodable};
use crate::{Actor, App, Result};
use kippu_domain::goods::{ShippingStatus, TimeBand};
use kippu_domain::order::PaymentMethod;
use kippu_domain::paging::Paging;
use kippu_store::goods::GoodsTab;
use tokio::sync::mpsc;

/// B2's title line: the published names of its first 42 columns, then the rest by number.
pub static B2_HEADER: [&str; 97] = [
    "お客様管理番号",
    "送り状種類",
    "クール区分",
    "伝票番号",
    "出荷予定日",
    "お届け予定日",
    "配達時間帯",
    "お届け先コード",
    "お届け先電話番号",
    "お届け先電話番号枝番",
    "お届け先郵便番号",
    "お届け先住所",
    "お届け先アパートマンション名",
    "お届け先会社・部門１",
    "お届け先会社・部門２",
    "お届け先名",
    "お届け先名(ｶﾅ)",
    "敬称",
    "ご依頼主コード",
    "ご依頼主電話番号",
    "ご依頼主電話番号枝番",
    "ご依頼主郵便番号",
    "ご依頼主住所",
    "ご依頼主アパートマンション",
    "ご依頼主名",
    "ご依頼主名(ｶﾅ)",
    "品名コード１",
    "品名１",
    "品名コード２",
    "品名２",
    "荷扱い１",
    "荷扱い２",
    "記事",
    "ｺﾚｸﾄ代金引換額（税込)",
    "内消費税額等",
    "止置き",
    "営業所コード",
    "発行枚数",
    "個数口表示フラグ",
    "請求先顧客コード",
    "請求先分類コード",
    "運賃管理番号",
    "項目43",
    "項目44",
    "項目45",
    "項目46",
    "項目47",
    "項目48",
    "項目49",
    "項目50",
    "項目51",
    "項目52",
    "項目53",
    "項目54",
    "項目55",
    "項目56",
    "項目57",
    "項目58",
    "項目59",
    "項目60",
    "項目61",
    "項目62",
    "項目63",
    "項目64",
    "項目65",
    "項目66",
    "項目67",
    "項目68",
    "項目69",
    "項目70",
    "項目71",
    "項目72",
    "項目73",
    "項目74",
    "項目75",
    "項目76",
    "項目77",
    "項目78",
    "項目79",
    "項目80",
    "項目81",
    "項目82",
    "項目83",
    "項目84",
    "項目85",
    "項目86",
    "項目87",
    "項目88",
    "項目89",
    "項目90",
    "項目91",
    "項目92",
    "項目93",
    "項目94",
    "項目95",
    "項目96",
    "項目97",
];

/// B2's 配達時間帯 codes.
fn b2_band(b: TimeBand) -> &'static str {
    match b {
        TimeBand::Morning => "0812",
        TimeBand::H14 => "1416",
        TimeBand::H16 => "1618",
        TimeBand::H18 => "1820",
        TimeBand::H19 => "1921",
    }
}

fn slash(date: &str) -> String {
    date.replace('-', "/")
}

/// Orders read per round trip.
const CHUNK: i64 = Paging::MAX_PER_PAGE;

/// Streams the B2 file of every unshipped, non-pickup destination of the tab's orders into
/// `tx`; the number of rows and the characters CP932 could not hold (written as 〓, and logged:
/// a carrier file has no room for a report).
pub async fn b2(app: &App, actor: &Actor, tab: GoodsTab, tx: mpsc::Sender<Vec<u8>>) -> Result<(usize, Vec<Unencodable>)> {
    let m = actor.merchant()?;
    let sender = {
        let mut conn = app.store.conn().await?;
        kippu_store::merchants::get(&mut conn, m).await?.ok_or(crate::AppError::NotFound)?
    };
    let today = slash(&app.clock.today().to_string());
    let mut csv = CsvEncoder::new(Encoding::Cp932, &B2_HEADER);
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
                let mut r = vec![String::new(); 97];
                r[0] = if many {
                    format!("{}-{}", o.order_number, s.position)
                } else {
                    o.order_number.clone()
                };
                let cod = o.payment_method == PaymentMethod::Cod;
                r[1] = if cod { "2" } else { "0" }.into();
                r[4] = today.clone();
                r[5] = s.requested_date.as_deref().map(slash).unwrap_or_default();
                r[6] = s.time_band.map(b2_band).unwrap_or("").into();
                r[8] = s.phone.clone();
                r[10] = s.postal_code.clone();
                r[11] = s.address.clone();
                r[15] = s.recipient_name.clone();
                r[16] = s.recipient_kana.clone();
                r[17] = "様".into();
                r[19] = sender.phone.clone();
                r[21] = String::new();
                r[22] = sender.address.clone();
                r[24] = sender.name.clone();
                r[27] = names
                    .iter()
                    .find(|l| l.shipment_id == Some(s.id))
                    .map(|l| l.product_name.clone())
                    .unwrap_or_default();
                // COD collects the whole order on its first parcel.
                r[33] = if cod && s.position == 1 {
                    o.amount.to_string()
                } else {
                    String::new()
                };
                r[37] = "1".into();
                records.push(r);
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
