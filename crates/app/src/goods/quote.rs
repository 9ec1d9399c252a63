//! What a goods order will cost before it is placed: the storefront's confirmation screen
//! shows the goods, each destination's shipping fee, the COD fee and the total the order
//! will charge — computed by the same pricing the order itself uses.

use super::create::{Priced, price};
use super::request::GoodsOrderRequest;
use crate::{Actor, App, Result};
use kippu_domain::goods::TimeBand;
use kippu_domain::order::PaymentMethod;

pub struct QuotedLine {
    pub name: String,
    pub quantity: i64,
    pub subtotal: i64,
}

pub struct QuotedDestination {
    pub pickup: bool,
    pub name: String,
    pub postal_code: String,
    pub address: String,
    pub requested_date: Option<String>,
    pub time_band: Option<TimeBand>,
    pub shipping_fee: i64,
    pub lines: Vec<QuotedLine>,
}

pub struct Quote {
    pub method: PaymentMethod,
    pub goods_total: i64,
    pub shipping: i64,
    pub cod_fee: i64,
    pub amount: i64,
    pub points: i64,
    pub destinations: Vec<QuotedDestination>,
}

/// The price of `r` for the actor's merchant; the same field errors as placing it.
pub async fn quote(app: &App, actor: &Actor, r: &GoodsOrderRequest) -> Result<Quote> {
    let p: Priced = price(app, actor.merchant()?, r).await?;
    let destinations = p
        .destinations
        .iter()
        .zip(&p.fees.per_destination)
        .map(|(d, fee)| QuotedDestination {
            pickup: d.pickup,
            name: d.name.clone(),
            postal_code: d.postal_code.clone(),
            address: d.address.clone(),
            requested_date: d.requested_date.clone(),
            time_band: d.time_band,
            shipping_fee: *fee,
            lines: d
                .lines
                .iter()
                .map(|(product, quantity)| QuotedLine {
                    name: product.name.clone(),
                    quantity: *quantity,
                    subtotal: product.price * quantity,
                })
                .collect(),
        })
        .collect();
    Ok(Quote {
        method: p.method,
        goods_total: p.goods_total,
        shipping: p.fees.per_destination.iter().sum(),
        cod_fee: p.fees.cod,
        amount: p.amount,
        points: p.points,
        destinations,
    })
}
