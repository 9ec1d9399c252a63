//! What the public storefront shows a buyer: the products on sale and one product's stock by
//! date and slot. Web tickets, reservations and goods are sold there, never archived ones.

use crate::{App, AppError, Result};
use kippu_domain::MerchantId;
use kippu_store::orders as repo;

pub use kippu_store::orders::{ProductForSale, StockRow};

/// The products a merchant sells on its storefront.
pub async fn products(app: &App, m: MerchantId) -> Result<Vec<ProductForSale>> {
    let mut conn = app.store.conn().await?;
    Ok(repo::products_on_sale(&mut conn, m).await?)
}

/// One product on sale and its stock from today on.
pub async fn product(app: &App, m: MerchantId, code: &str) -> Result<(ProductForSale, Vec<StockRow>)> {
    let mut conn = app.store.conn().await?;
    let p = repo::product_by_code(&mut conn, m, code)
        .await?
        .filter(|p| p.archived == 0 && p.kind != kippu_domain::catalog::ProductKind::Voucher)
        .ok_or(AppError::NotFound)?;
    let today = app.clock.today().to_string();
    let stock = repo::stock_of(&mut conn, m, p.id, &today).await?;
    Ok((p, stock))
}

/// The stores a buyer may pick goods up at (店舗受取): the merchant's stores, with their address
/// and 営業時間.
pub async fn pickup_stores(app: &App, m: MerchantId) -> Result<Vec<kippu_store::merchants::StoreRow>> {
    let mut conn = app.store.conn().await?;
    Ok(kippu_store::merchants::list_stores(&mut conn, m).await?)
}

/// The payment choices `m`'s storefront offers a buyer, in plain words, in order.
pub fn choices(m: &crate::merchants::MerchantRow) -> Vec<kippu_domain::order::BuyerPayment> {
    m.offered_payments.choices()
}

/// The payment method behind a buyer's choice on `m`'s storefront; an unknown choice is a
/// field error naming what to pick.
pub fn method_for(
    m: &crate::merchants::MerchantRow,
    choice: &str,
) -> std::result::Result<kippu_domain::order::PaymentMethod, kippu_domain::validate::FieldError> {
    kippu_domain::order::BuyerPayment::parse(choice)
        .filter(|c| m.offered_payments.contains(*c))
        .map(|c| c.method(m.card_mode, m.bank_account))
        .ok_or_else(|| kippu_domain::validate::FieldError::new("payment_method", "表示されているお支払い方法から選んでください"))
}

/// The goods payment choices `m`'s storefront offers a buyer, in plain words, in order.
pub fn goods_choices(m: &crate::merchants::MerchantRow) -> Vec<kippu_domain::goods::buyer::GoodsChoice> {
    kippu_domain::goods::buyer::GoodsChoice::offered(&m.offered_payments)
}

/// The payment method behind a buyer's goods choice on `m`'s storefront; a choice not offered,
/// or one that does not fit the delivery (代金引換 for a pickup, 店頭払い for a delivery), is a
/// field error naming what to pick.
pub fn goods_method_for(
    m: &crate::merchants::MerchantRow,
    choice: &str,
    pickup: bool,
) -> std::result::Result<kippu_domain::order::PaymentMethod, kippu_domain::validate::FieldError> {
    use kippu_domain::goods::buyer::GoodsChoice;
    let c = GoodsChoice::parse(choice)
        .filter(|c| goods_choices(m).contains(c))
        .ok_or_else(|| kippu_domain::validate::FieldError::new("payment_method", "表示されているお支払い方法から選んでください"))?;
    if !c.fits(pickup) {
        let why = if pickup {
            "店舗受取では代金引換を選べません"
        } else {
            "店頭払いは店舗受取のときに選べます"
        };
        return Err(kippu_domain::validate::FieldError::new("payment_method", why));
    }
    Ok(c.method(m.card_mode))
}
