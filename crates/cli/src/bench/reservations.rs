//! The reservation benchmarks: bookings generated for a day, door scanners redeeming them,
//! and the no-show sweep over the days that have passed.

use super::*;
use anyhow::{Result, anyhow};
use serde_json::json;
use std::time::Instant;

/// Generates `n` paid own-site reservations of DEMO1 for `visit` (set-based SQL both databases
/// run unchanged); each e-ticket's QR payload is `rsv-{tag}-{order number}`.
pub(super) async fn generate_reservations(env: &Env, n: i64, visit: &str, tag: &str) -> Result<()> {
    let m = scalar(env, "SELECT id FROM merchants WHERE code = 'DEMO1'").await?;
    let p = scalar(
        env,
        "SELECT id FROM products WHERE code = 'RSV-LUNCH' AND merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1')",
    )
    .await?;
    let ch = scalar(
        env,
        "SELECT id FROM channels WHERE code = 'OWN' AND merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1')",
    )
    .await?;
    let start_seq = scalar(env, "SELECT next_value FROM sequences WHERE name = 'order_number'").await?;
    let now = kippu_domain::clock::to_millis(time::OffsetDateTime::now_utc());
    let (lo, hi) = (start_seq, start_seq + n - 1);
    exec(
        env,
        &format!(
            "WITH RECURSIVE s(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM s WHERE n < {hi}) \
             INSERT INTO orders (merchant_id, order_number, channel_id, customer_name, customer_kana, customer_email, customer_phone, ordered_at, kind, \
               payment_method, status, amount, access_token, visit_date, party_size, cancellation_policy, updated_at) \
             SELECT {m}, 'T' || substr('00000000000000' || CAST(n AS TEXT), length(CAST(n AS TEXT)) + 1), {ch}, '山田 花子', 'ヤマダ ハナコ', \
               'guest' || CAST(n AS TEXT) || '@example.jp', '090-0000-0000', {now}, 'reservation', 'card_capture', 'sent', 8800, \
               '{tag}-' || CAST(n AS TEXT), '{visit}', 2, '[]', {now} FROM s"
        ),
    )
    .await?;
    exec(
        env,
        &format!(
            "INSERT INTO order_lines (merchant_id, order_id, product_id, product_name, product_code, jan, unit_price, tax_rate, quantity, amount, visit_date) \
             SELECT {m}, o.id, {p}, 'ランチコース', 'RSV-LUNCH', '', 4400, 10, 2, 8800, o.visit_date FROM orders o WHERE o.access_token LIKE '{tag}-%'"
        ),
    )
    .await?;
    exec(
        env,
        &format!(
            "INSERT INTO tickets (merchant_id, order_id, order_line_id, ticket_number, code, price, holder_name, created_at) \
             SELECT {m}, l.order_id, l.id, 'R' || substr(o.order_number, 2) || '-01', 'rsv-{tag}-' || o.order_number, 8800, o.customer_name, {now} \
             FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.access_token LIKE '{tag}-%'"
        ),
    )
    .await?;
    exec(
        env,
        &format!("UPDATE sequences SET next_value = {} WHERE name = 'order_number'", hi + 1),
    )
    .await?;
    Ok(())
}

/// C door scanners redeem distinct reservations of today by their QR payload.
pub(super) async fn redemptions(env: &Env, clients: usize, n: usize) -> Result<String> {
    let today = time::OffsetDateTime::now_utc()
        .to_offset(kippu_domain::clock::JST)
        .date()
        .to_string();
    let tag = format!("door{clients}");
    generate_reservations(env, n as i64, &today, &tag).await?;
    let codes: Vec<String> = {
        let mut c = env.app.store.conn().await?;
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT code FROM tickets WHERE code LIKE 'rsv-{tag}-%' ORDER BY id"
        )))
        .fetch_all(&mut *c)
        .await?
    };
    let bodies = codes.iter().map(|code| json!({"code": code})).collect();
    let d = post_concurrently(env, clients, "/api/v1/redemptions", bodies).await?;
    let (ok, other) = (d.count(200), d.others(&[200]));
    Ok(format!(
        "| redemption | {clients} scanners | {:.0} redemptions/s | p50 {:.1} ms | p95 {:.1} ms | p99 {:.1} ms | {ok} redeemed, {other} errors |",
        ok as f64 / d.secs,
        pct(&d.lat, 0.5),
        pct(&d.lat, 0.95),
        pct(&d.lat, 0.99)
    ))
}

/// The no-show sweep over `n` reservations whose visit days (the last 30) have passed.
pub(super) async fn sweep(env: &Env, n: i64) -> Result<String> {
    let today = time::OffsetDateTime::now_utc().to_offset(kippu_domain::clock::JST).date();
    let t = Instant::now();
    let per_day = n / 30;
    for d in 1..=30i64 {
        let count = if d == 30 { n - per_day * 29 } else { per_day };
        let visit = (today - time::Duration::days(d)).to_string();
        generate_reservations(env, count, &visit, &format!("past{d}")).await?;
    }
    exec(env, "ANALYZE").await?;
    let generated = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let swept = kippu_app::jobs::no_show_sweep(&env.app).await.map_err(|e| anyhow!("{e}"))?;
    let first = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let again = kippu_app::jobs::no_show_sweep(&env.app).await.map_err(|e| anyhow!("{e}"))?;
    let second = t.elapsed().as_secs_f64();
    let history = scalar(env, "SELECT COUNT(*) FROM status_history WHERE to_status = 'no_show'").await?;
    Ok(format!(
        "| no-show sweep | {n} past reservations (generated in {generated:.1} s) | {first:.1} s, {:.0} reservations/s | second run {second:.2} s, {again} changed | {swept} no-shows, {history} history rows | |",
        swept as f64 / first
    ))
}
