//! The 定期 job's figures (issue 23: 100,000 due child orders at ≥ 2,000 orders/s, and a second
//! run makes none). Setup is bulk SQL (one master made by the real order intake, copied for N
//! generated customers of DEMO1, all due today, with stock for every child); what is timed is
//! `kippu_app::callcenter::subscriptions::job::run` itself, as `serve` and `kippu jobs run` call
//! it. For comparison, the same goods order through the plain intake (`goods::create`).

use super::{Env, exec, scalar};
use anyhow::{Result, anyhow};
use kippu_app::callcenter::subscriptions::{SubscriptionRequest, job};
use kippu_app::goods::{self, DestinationRequest, GoodsOrderRequest, LineRequest};
use kippu_app::{Actor, App};
use kippu_domain::MerchantId;
use kippu_domain::account::Role;
use std::time::Instant;

/// The masters' order: two 緑茶ティーバッグ to the customer's address, paid by bank transfer.
fn order(customer_id: i64, subscription: Option<SubscriptionRequest>) -> GoodsOrderRequest {
    GoodsOrderRequest {
        customer_id: Some(customer_id),
        payment_method: "bank_store".into(),
        destinations: vec![DestinationRequest {
            name: "定期 花子".into(),
            kana: String::new(),
            postal_code: "100-0001".into(),
            address: "東京都千代田区千代田1-1".into(),
            phone: "090-0000-0001".into(),
            lines: vec![LineRequest {
                product_code: "GOODS-TEA".into(),
                quantity: 2,
            }],
            requested_date: None,
            time_band: None,
        }],
        subscription,
        ..GoodsOrderRequest::default()
    }
}

/// `n` masters of DEMO1 due today; the seconds the setup took.
async fn masters_due_today(env: &Env, actor: &Actor, m: MerchantId, n: i64) -> Result<f64> {
    let t = Instant::now();
    let (_, first_number, _) = super::callcenter::generate(env, n).await?;
    // The intake checks the buyer's furigana (katakana only); the generated ones carry a number.
    exec(
        env,
        &format!(
            "UPDATE customers SET kana = 'テイキ ハナコ' WHERE merchant_id = {} AND customer_number >= {first_number}",
            m.0
        ),
    )
    .await?;
    let first = scalar(
        env,
        &format!(
            "SELECT id FROM customers WHERE merchant_id = {} AND customer_number = {first_number}",
            m.0
        ),
    )
    .await?;
    let every_30_days = SubscriptionRequest {
        every_days: Some(30),
        ..SubscriptionRequest::default()
    };
    let made = goods::create(&env.app, actor, &order(first, Some(every_30_days)), None)
        .await
        .map_err(|e| anyhow!("the template master: {e}"))?;
    let template = made.view.order.subscription_id.ok_or_else(|| anyhow!("no master made"))?;
    let today = env.app.clock.today();
    exec(
        env,
        &format!(
            "INSERT INTO subscriptions (merchant_id, customer_id, cycle_every, cycle_kind, cycle_day, cycle_weekday, next_date, \
               payment_method, stored_card_id, coupon_id, course_id, origin_order_id, status, deliveries, ship_name, ship_kana, \
               ship_postal_code, ship_address, ship_phone, created_at, updated_at) \
             SELECT s.merchant_id, c.id, s.cycle_every, s.cycle_kind, s.cycle_day, s.cycle_weekday, '{today}', s.payment_method, \
               s.stored_card_id, s.coupon_id, s.course_id, s.origin_order_id, 'active', 1, s.ship_name, s.ship_kana, \
               s.ship_postal_code, s.ship_address, s.ship_phone, s.created_at, s.updated_at \
             FROM subscriptions s, customers c \
             WHERE s.id = {template} AND c.merchant_id = s.merchant_id AND c.customer_number > {first_number}"
        ),
    )
    .await?;
    exec(
        env,
        &format!(
            "INSERT INTO subscription_items (merchant_id, subscription_id, product_id, quantity, is_main) \
             SELECT i.merchant_id, s.id, i.product_id, i.quantity, i.is_main \
             FROM subscriptions s, subscription_items i WHERE s.id > {template} AND i.subscription_id = {template}"
        ),
    )
    .await?;
    exec(
        env,
        &format!("UPDATE subscriptions SET next_date = '{today}' WHERE id = {template}"),
    )
    .await?;
    // Stock for every child, and for the intake comparison after.
    exec(
        env,
        &format!(
            "UPDATE stock SET capacity = {big}, remaining = {big} WHERE product_id = \
             (SELECT id FROM products WHERE merchant_id = {m} AND code = 'GOODS-TEA')",
            big = 10 * n + 100_000,
            m = m.0
        ),
    )
    .await?;
    exec(env, "ANALYZE").await?;
    Ok(t.elapsed().as_secs_f64())
}

/// `k` plain goods orders through the intake, one after another: orders/s.
async fn intake_rate(app: &App, actor: &Actor, customer: i64, k: usize) -> Result<f64> {
    let t = Instant::now();
    for _ in 0..k {
        goods::create(app, actor, &order(customer, None), None)
            .await
            .map_err(|e| anyhow!("intake: {e}"))?;
    }
    Ok(k as f64 / t.elapsed().as_secs_f64())
}

/// The figures, as table rows.
pub async fn run(env: &Env, n: i64) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let m = MerchantId(scalar(env, "SELECT id FROM merchants WHERE code = 'DEMO1'").await?);
    let actor = Actor::unattended(m, Role::MerchantAdmin, "bench");
    let took = masters_due_today(env, &actor, m, n).await?;
    let due = scalar(env, "SELECT COUNT(*) FROM subscriptions WHERE status = 'active'").await?;
    out.push(format!(
        "| setup: customers and masters due today (bulk SQL) | {due} masters | {took:.1} s | | |"
    ));
    let t = Instant::now();
    let first = job::run(&env.app).await.map_err(|e| anyhow!("{e}"))?;
    let secs = t.elapsed().as_secs_f64();
    out.push(format!(
        "| 定期 job, first run | {due} masters | {} children ({} refused) in {secs:.1} s | {:.0} children/s | goal ≥ 2,000 orders/s |",
        first.children,
        first.refused,
        first.children as f64 / secs
    ));
    let t = Instant::now();
    let second = job::run(&env.app).await.map_err(|e| anyhow!("{e}"))?;
    out.push(format!(
        "| 定期 job, second run | {due} masters | {} children in {:.2} s | | goal: none |",
        second.children,
        t.elapsed().as_secs_f64()
    ));
    let customer = scalar(
        env,
        &format!("SELECT MIN(customer_id) FROM subscriptions WHERE merchant_id = {}", m.0),
    )
    .await?;
    let k = 500;
    let rate = intake_rate(&env.app, &actor, customer, k).await?;
    out.push(format!(
        "| for comparison: the same order through goods::create | {k} orders | {rate:.0} orders/s | | |"
    ));
    Ok(out)
}
