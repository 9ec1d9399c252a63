//! The goods list's figures: N goods orders of DEMO1 (every goods payment method, the three
//! statuses, one destination each, most with a carrier and a tracking number), then the manual's
//! tabs and searches through the use case the list page calls (a page of 50 with the capped
//! count), and 検索結果をダウンロード of a whole tab in the 標準 layout.

use super::{Env, exec, scalar};
use anyhow::Result;
use kippu_app::goods::{self, GoodsSearch, GoodsTab};
use kippu_app::{Actor, csv_out::Encoding};
use kippu_domain::goods::Carrier;
use kippu_domain::goods::csv_layout::CsvLayout;
use kippu_domain::order::PaymentMethod;
use kippu_domain::paging::Paging;
use std::time::{Duration, Instant};

/// Generates `n` goods orders, set-based, in batches both databases run unchanged.
async fn generate(env: &Env, n: i64) -> Result<Duration> {
    let t = Instant::now();
    let m = scalar(env, "SELECT id FROM merchants WHERE code = 'DEMO1'").await?;
    let start = scalar(env, "SELECT next_value FROM sequences WHERE name = 'order_number'").await?;
    let now = kippu_domain::clock::to_millis(time::OffsetDateTime::now_utc());
    let batch = 100_000i64;
    // The newest orders have the smallest n (ordered_at = now - n s).
    let recent = (n / 50).max(1);
    let mut done = 0;
    while done < n {
        let lo = start + done;
        let hi = lo + batch.min(n - done) - 1;
        // As in a shop that has sold for years: the newest 2 % in progress (通常処理), the rest
        // processed, one in a hundred cancelled. n % 6: the method; in progress, paid when n % 3
        // = 0 or captured at the order (cash on delivery never).
        exec(
            env,
            &format!(
                "WITH RECURSIVE s(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM s WHERE n < {hi}) \
                 INSERT INTO orders (merchant_id, order_number, customer_name, customer_kana, customer_email, customer_phone, ordered_at, kind, \
                   payment_method, status, payment_status, amount, shipping_fee, access_token, updated_at) \
                 SELECT {m}, 'T' || substr('00000000000000' || CAST(n AS TEXT), length(CAST(n AS TEXT)) + 1), \
                   CASE n % 5 WHEN 0 THEN '山田 花子' WHEN 1 THEN '佐藤 健一' WHEN 2 THEN '髙橋 美咲' WHEN 3 THEN '渡邉 翔太' ELSE '伊藤 さくら' END, \
                   CASE n % 5 WHEN 0 THEN 'ヤマダ ハナコ' WHEN 1 THEN 'サトウ ケンイチ' WHEN 2 THEN 'タカハシ ミサキ' WHEN 3 THEN 'ワタナベ ショウタ' ELSE 'イトウ サクラ' END, \
                   'goods' || CAST(n AS TEXT) || '@example.jp', '090-0000-0000', {now} - n * 1000, 'goods', \
                   CASE n % 6 WHEN 0 THEN 'card_auth' WHEN 1 THEN 'card_capture' WHEN 2 THEN 'bank_store' WHEN 3 THEN 'cod' WHEN 4 THEN 'konbini' ELSE 'store_pay' END, \
                   CASE WHEN n - {start} < {recent} THEN 'normal' WHEN n % 100 = 7 THEN 'cancelled' ELSE 'processed' END, \
                   CASE WHEN n % 6 = 3 THEN 'unpaid' WHEN n - {start} >= {recent} OR n % 3 = 0 OR n % 6 = 1 THEN 'paid' ELSE 'unpaid' END, \
                   3800, 800, 'goods' || CAST(n AS TEXT), {now} FROM s"
            ),
        )
        .await?;
        done += batch.min(n - done);
    }
    // One destination each, shipped when processed with its carrier and tracking number; a third
    // of the ones in progress waits for its number.
    exec(
        env,
        &format!(
            "INSERT INTO shipments (merchant_id, order_id, position, method, recipient_name, postal_code, address, status, carrier, tracking_number, \
               shipping_fee, created_at, updated_at) \
             SELECT merchant_id, id, 1, 'delivery', customer_name, '111-0032', '東京都台東区浅草1-2-3', \
               CASE WHEN status = 'processed' OR (status = 'normal' AND id % 4 = 0) THEN 'shipped' ELSE 'unshipped' END, \
               CASE WHEN status = 'normal' AND (id / 7) % 3 = 0 THEN '' WHEN (id / 7) % 3 = 1 THEN 'sagawa' ELSE 'yamato' END, \
               CASE WHEN status = 'normal' AND (id / 7) % 3 = 0 THEN '' ELSE '3' || substr('0000000000' || CAST(id AS TEXT), length(CAST(id AS TEXT)) + 1) || '0' END, \
               800, {now}, {now} FROM orders WHERE kind = 'goods' AND access_token LIKE 'goods%'"
        ),
    )
    .await?;
    exec(
        env,
        &format!("UPDATE sequences SET next_value = {} WHERE name = 'order_number'", start + n),
    )
    .await?;
    exec(env, "ANALYZE").await?;
    Ok(t.elapsed())
}

/// p50 and p95 (ms) of `runs` list pages of the search.
async fn timed_list(env: &Env, actor: &Actor, tab: GoodsTab, search: &GoodsSearch, runs: usize) -> Result<(f64, f64, i64)> {
    let mut lat = Vec::with_capacity(runs);
    let mut total = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let page = goods::list(&env.app, actor, tab, search, Paging::new(Some(1), Some(50), 50)?).await?;
        lat.push(t.elapsed());
        total = page.total;
    }
    lat.sort();
    Ok((super::pct(&lat, 0.5), super::pct(&lat, 0.95), total))
}

/// The figures, as table rows.
pub async fn run(env: &Env, n: i64) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let took = generate(env, n).await?;
    out.push(format!(
        "| data | {n} goods orders + destinations generated | {:.1} s | | |",
        took.as_secs_f64()
    ));
    let m = kippu_domain::MerchantId(scalar(env, "SELECT id FROM merchants WHERE code = 'DEMO1'").await?);
    let actor = Actor::unattended(m, kippu_domain::account::Role::MerchantAdmin, "bench");
    let today = time::OffsetDateTime::now_utc().to_offset(kippu_domain::clock::JST).date();
    let searches: Vec<(&str, GoodsTab, GoodsSearch)> = vec![
        ("全件, page 1", GoodsTab::All, GoodsSearch::default()),
        ("通常処理中・未入金", GoodsTab::Unpaid, GoodsSearch::default()),
        ("通常処理中・未発送", GoodsTab::Unshipped, GoodsSearch::default()),
        ("処理済み", GoodsTab::Processed, GoodsSearch::default()),
        (
            "furigana さとう",
            GoodsTab::All,
            GoodsSearch {
                q: Some("さとう".into()),
                ..Default::default()
            },
        ),
        (
            "代金引換, today only",
            GoodsTab::All,
            GoodsSearch {
                method: Some(PaymentMethod::Cod),
                from: Some(today),
                to: Some(today),
                ..Default::default()
            },
        ),
        (
            "未発送 + no tracking number",
            GoodsTab::Unshipped,
            GoodsSearch {
                tracked: Some(false),
                ..Default::default()
            },
        ),
        (
            "佐川急便 + コンビニ",
            GoodsTab::All,
            GoodsSearch {
                carrier: Some(Carrier::Sagawa),
                method: Some(PaymentMethod::Konbini),
                ..Default::default()
            },
        ),
        (
            "an order number",
            GoodsTab::All,
            GoodsSearch {
                q: Some(format!(
                    "T{:014}",
                    scalar(env, "SELECT next_value FROM sequences WHERE name = 'order_number'").await? - n / 2
                )),
                ..Default::default()
            },
        ),
    ];
    for (name, tab, search) in &searches {
        let (p50, p95, total) = timed_list(env, &actor, *tab, search, 40).await?;
        out.push(format!(
            "| goods list: {name} | {n} orders | p50 {p50:.1} ms | p95 {p95:.1} ms | {total} found (counted to 10,001) |"
        ));
    }
    // 検索結果をダウンロード of the whole 処理済み tab, streamed to nowhere.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let drain = tokio::spawn(async move {
        let mut bytes = 0usize;
        while let Some(chunk) = rx.recv().await {
            bytes += chunk.len();
        }
        bytes
    });
    super::reset_rss_peak();
    let t = Instant::now();
    let (rows, _) = goods::download::orders_csv(
        &env.app,
        &actor,
        GoodsTab::Processed,
        &GoodsSearch::default(),
        &CsvLayout::standard(),
        Encoding::Cp932,
        tx,
    )
    .await?;
    let secs = t.elapsed().as_secs_f64();
    let bytes = drain.await?;
    out.push(format!(
        "| 検索結果をダウンロード (処理済み, 標準, CP932) | {rows} rows, {:.0} MB | {:.1} s | {:.0} rows/s | peak RSS {} MB (bench process) |",
        bytes as f64 / 1e6,
        secs,
        rows as f64 / secs,
        super::rss_peak_kb().unwrap_or(0) / 1024
    ));
    Ok(out)
}
