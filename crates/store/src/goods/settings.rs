//! A merchant's shipping fee rule and point policy as stored.

use crate::Result;
use kippu_domain::MerchantId;
use kippu_domain::goods::fee::{CodFeeRow, CodFeeTable, ShippingRule};
use sqlx::AnyConnection;

pub async fn shipping_rule(conn: &mut AnyConnection, m: MerchantId) -> Result<ShippingRule> {
    let (base, free_from): (i64, Option<i64>) = sqlx::query_as("SELECT shipping_base_fee, shipping_free_from FROM merchants WHERE id = $1")
        .bind(m.0)
        .fetch_one(&mut *conn)
        .await?;
    let cod_fees = cod_fees(conn, m).await?;
    let by_prefecture: Vec<(String, i64)> =
        sqlx::query_as("SELECT prefecture, fee FROM shipping_prefecture_fees WHERE merchant_id = $1 ORDER BY prefecture")
            .bind(m.0)
            .fetch_all(conn)
            .await?;
    Ok(ShippingRule {
        base,
        free_from,
        by_prefecture,
        cod_fees,
    })
}

/// A merchant's 代引手数料 table: its rows, or the carriers' usual table when it has none.
pub async fn cod_fees(conn: &mut AnyConnection, m: MerchantId) -> Result<CodFeeTable> {
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT up_to, fee FROM cod_fee_rows WHERE merchant_id = $1 ORDER BY up_to")
        .bind(m.0)
        .fetch_all(conn)
        .await?;
    if rows.is_empty() {
        return Ok(CodFeeTable::carriers_default());
    }
    CodFeeTable::new(rows.into_iter().map(|(up_to, fee)| CodFeeRow { up_to, fee }).collect())
        .map_err(|e| crate::StoreError::Invariant(format!("merchant {}'s 代引手数料 table: {e:?}", m.0)))
}

/// Replaces a merchant's shipping fee rule (the prefecture rows with it).
pub async fn set_shipping_rule(conn: &mut AnyConnection, m: MerchantId, r: &ShippingRule) -> Result<()> {
    sqlx::query("UPDATE merchants SET shipping_base_fee = $1, shipping_free_from = $2 WHERE id = $3")
        .bind(r.base)
        .bind(r.free_from)
        .bind(m.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM cod_fee_rows WHERE merchant_id = $1")
        .bind(m.0)
        .execute(&mut *conn)
        .await?;
    for row in r.cod_fees.rows() {
        sqlx::query("INSERT INTO cod_fee_rows (merchant_id, up_to, fee) VALUES ($1, $2, $3)")
            .bind(m.0)
            .bind(row.up_to)
            .bind(row.fee)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM shipping_prefecture_fees WHERE merchant_id = $1")
        .bind(m.0)
        .execute(&mut *conn)
        .await?;
    for (prefecture, fee) in &r.by_prefecture {
        sqlx::query("INSERT INTO shipping_prefecture_fees (merchant_id, prefecture, fee) VALUES ($1, $2, $3)")
            .bind(m.0)
            .bind(prefecture)
            .bind(fee)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A merchant's point policy: points earned (basis points of the goods total) and when they
/// become usable.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct PointsPolicy {
    pub rate_bp: i64,
    #[sqlx(try_from = "String")]
    pub activation: kippu_domain::goods::flow::PointsActivation,
}

pub async fn points_policy(conn: &mut AnyConnection, m: MerchantId) -> Result<PointsPolicy> {
    Ok(
        sqlx::query_as("SELECT points_rate_bp AS rate_bp, points_activation AS activation FROM merchants WHERE id = $1")
            .bind(m.0)
            .fetch_one(conn)
            .await?,
    )
}

/// Sets a merchant's point policy.
pub async fn set_points_policy(
    conn: &mut AnyConnection,
    m: MerchantId,
    rate_bp: i64,
    activation: kippu_domain::goods::flow::PointsActivation,
) -> Result<()> {
    sqlx::query("UPDATE merchants SET points_rate_bp = $1, points_activation = $2 WHERE id = $3")
        .bind(rate_bp)
        .bind(activation.as_str())
        .bind(m.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// What a merchant's label files carry beyond its profile (物販の設定): ご依頼主郵便番号 and
/// B2クラウド's ご請求先顧客コード, 分類コード and 運賃管理番号.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct LabelSettings {
    pub sender_postal_code: String,
    pub b2_billing_customer_code: String,
    pub b2_billing_class_code: String,
    pub b2_freight_number: String,
}

pub async fn label_settings(conn: &mut AnyConnection, m: MerchantId) -> Result<LabelSettings> {
    Ok(sqlx::query_as(
        "SELECT sender_postal_code, b2_billing_customer_code, b2_billing_class_code, b2_freight_number FROM merchants WHERE id = $1",
    )
    .bind(m.0)
    .fetch_one(conn)
    .await?)
}

pub async fn set_label_settings(conn: &mut AnyConnection, m: MerchantId, l: &LabelSettings) -> Result<()> {
    sqlx::query(
        "UPDATE merchants SET sender_postal_code = $1, b2_billing_customer_code = $2, b2_billing_class_code = $3, b2_freight_number = $4 WHERE id = $5",
    )
    .bind(&l.sender_postal_code)
    .bind(&l.b2_billing_customer_code)
    .bind(&l.b2_billing_class_code)
    .bind(&l.b2_freight_number)
    .bind(m.0)
    .execute(conn)
    .await?;
    Ok(())
}
