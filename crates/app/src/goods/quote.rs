//! What a goods order will cost before it is placed: the storefront's confirmation screen
//! shows each destination's goods at their unit prices, the tax in them per rate (8 % and
//! 10 %), each destination's shipping fee, the COD fee, the points to be earned and the total
//! the order will charge — computed by the same pricing the order itself uses.

use super::create::{Priced, price};
use super::request::GoodsOrderRequest;
use crate::{Actor, App, Result};
use kippu_domain::Yen;
use kippu_domain::goods::TimeBand;
use kippu_domain::money::{RateTotal, TaxRate, taxes_by_rate};
use kippu_domain::order::PaymentMethod;
pub use kippu_store::merchants::StoreRow;
pub use kippu_store::people::CustomerFields;

pub struct QuotedLine {
    pub code: String,
    pub name: String,
    pub unit_price: i64,
    /// 10 or 8.
    pub tax_rate: i64,
    pub quantity: i64,
    pub subtotal: i64,
}

pub struct QuotedDestination {
    pub pickup: bool,
    /// Who receives it, as stored (kana in full-width katakana, the phone normalised).
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub postal_code: String,
    /// As the order stores it: the prefecture and what the postal code filled included.
    pub address: String,
    pub requested_date: Option<String>,
    pub time_band: Option<TimeBand>,
    pub shipping_fee: i64,
    pub lines: Vec<QuotedLine>,
    /// 店舗受取: the store, its address and 営業時間.
    pub store: Option<StoreRow>,
}

pub struct Quote {
    pub method: PaymentMethod,
    /// The buyer as the order stores them.
    pub customer: CustomerFields,
    pub goods_total: i64,
    pub shipping: i64,
    pub cod_fee: i64,
    pub amount: i64,
    /// The tax in `amount` per rate, 10 % first: goods at their own rate, 送料 and 代引手数料 at
    /// 10 %.
    pub taxes: Vec<RateTotal>,
    pub points: i64,
    pub destinations: Vec<QuotedDestination>,
}

pub(super) fn rate_of(percent: i64) -> TaxRate {
    // Products are stored with 10 or 8 (the catalogue's check); anything else is taxed at 10 %.
    TaxRate::from_percent(percent).unwrap_or(TaxRate::Standard10)
}

/// The price of `r` for the actor's merchant; the same field errors as placing it.
pub async fn quote(app: &App, actor: &Actor, r: &GoodsOrderRequest) -> Result<Quote> {
    let p: Priced = price(app, actor.merchant()?, r).await?;
    let destinations: Vec<QuotedDestination> = p
        .destinations
        .iter()
        .zip(&p.fees.per_destination)
        .map(|(d, fee)| QuotedDestination {
            pickup: d.pickup,
            name: d.name.clone(),
            kana: d.kana.clone(),
            phone: d.phone.clone(),
            postal_code: d.postal_code.clone(),
            address: d.address.clone(),
            requested_date: d.requested_date.clone(),
            time_band: d.time_band,
            shipping_fee: *fee,
            store: d.store.clone(),
            lines: d
                .lines
                .iter()
                .map(|(product, quantity)| QuotedLine {
                    code: product.code.clone(),
                    name: product.name.clone(),
                    unit_price: product.price,
                    tax_rate: product.tax_rate,
                    quantity: *quantity,
                    subtotal: product.price * quantity,
                })
                .collect(),
        })
        .collect();
    let goods = destinations
        .iter()
        .flat_map(|d| &d.lines)
        .map(|l| (rate_of(l.tax_rate), Yen(l.subtotal)));
    let taxes = taxes_by_rate(goods.chain([(TaxRate::Standard10, Yen(p.fees.total()))]));
    Ok(Quote {
        method: p.method,
        customer: p.customer,
        goods_total: p.goods_total,
        shipping: p.fees.per_destination.iter().sum(),
        cod_fee: p.fees.cod,
        amount: p.amount,
        taxes,
        points: p.points,
        destinations,
    })
}
