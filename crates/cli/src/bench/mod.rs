//! `kippu bench`: the figures of docs/benchmarks.md, measured end to end over HTTP against a
//! fresh database (a temporary SQLite file, or a new PostgreSQL database that is dropped after).

use anyhow::{Context, Result, anyhow};
use kippu_app::clock::SystemClock;
use kippu_app::{Actor, App, AppConfig, accounts, demo};
use kippu_store::Store;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod callcenter;
mod goods_list;
mod reservations;
mod shipments;
mod subscriptions;
mod vouchers;
use reservations::{redemptions, sweep};

pub struct BenchArgs {
    /// `sqlite` or a PostgreSQL server URL (`postgres://user@host:port/any`).
    pub target: String,
    pub orders: i64,
    pub intake_requests: usize,
    pub bulk_orders: i64,
    /// `all`, `orders` or `reservations`.
    pub suite: String,
    /// Past reservations generated for the no-show sweep.
    pub reservations: i64,
    /// Redemptions per door-scanner run.
    pub redemptions: usize,
    /// Lines of the carrier file (and goods orders) of the import run.
    pub shipments: i64,
    /// Goods orders generated for the goods list's figures.
    pub goods_orders: i64,
    /// Voucher payments generated for 利用実績's figures.
    pub voucher_payments: i64,
    /// Voucher payments per concurrency level over HTTP.
    pub pay_requests: usize,
    /// Customers generated for the call centre's figures.
    pub customers: i64,
    /// 定期 masters due today for the child-order job's figures.
    pub subscriptions: i64,
}

struct Env {
    app: App,
    base: String,
    /// The bench database, for a server process of its own.
    url: String,
    token: String,
    client: reqwest::Client,
    cleanup: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn rss_peak_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn reset_rss_peak() {
    // Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn setup(target: &str) -> Result<Env> {
    let dir = tempfile::tempdir()?;
    let (url, cleanup) = if target == "sqlite" {
        (format!("sqlite://{}", dir.path().join("bench.db").display()), None)
    } else {
        let (server, _) = target
            .rsplit_once('/')
            .ok_or_else(|| anyhow!("PostgreSQL URL needs a database part"))?;
        let name = format!("kippu_bench_{}", std::process::id());
        let admin = format!("{server}/postgres");
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(&admin).await.context("connect to PostgreSQL")?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}")))
            .execute(&mut c)
            .await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut c)
            .await?;
        (format!("{server}/{name}"), Some((admin, name)))
    };
    let store = Store::open(&url).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let config = AppConfig {
        public_url: base.clone(),
        outbox_dir: dir.path().join("outbox"),
        ..AppConfig::default()
    };
    let app = App::new(store, Arc::new(SystemClock), config);
    demo::load(&app).await.map_err(|e| anyhow!("{e}"))?;
    let token = accounts::create_token(&app, &Actor::system(), Some("DEMO1"), None, "bench")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let served = app.clone();
    tokio::spawn(async move {
        let _ = kippu_web::serve(listener, served, std::future::pending()).await;
    });
    let client = reqwest::Client::builder().pool_max_idle_per_host(128).build()?;
    Ok(Env {
        app,
        base,
        url,
        token,
        client,
        cleanup,
        _dir: dir,
    })
}

async fn teardown(env: Env) -> Result<()> {
    env.app.store.close().await;
    // KIPPU_BENCH_KEEP=1 leaves the database (PostgreSQL, or the SQLite file) for EXPLAIN after
    // the run.
    if std::env::var("KIPPU_BENCH_KEEP").is_ok_and(|v| v == "1") {
        eprintln!("kept database {}", env.url);
        std::mem::forget(env._dir);
        return Ok(());
    }
    if let Some((admin, name)) = env.cleanup {
        use sqlx::Connection;
        let mut c = sqlx::AnyConnection::connect(&admin).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
            .execute(&mut c)
            .await?;
    }
    Ok(())
}

async fn exec(env: &Env, sql: &str) -> Result<()> {
    let mut c = env.app.store.conn().await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut *c).await?;
    Ok(())
}

async fn scalar(env: &Env, sql: &str) -> Result<i64> {
    let mut c = env.app.store.conn().await?;
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&mut *c).await?)
}

/// What C concurrent clients saw posting `bodies` (each once) to `path`: latencies (sorted),
/// answers by HTTP status (0: no answer), and the wall time.
struct Drive {
    lat: Vec<Duration>,
    statuses: std::collections::HashMap<u16, usize>,
    secs: f64,
}

impl Drive {
    fn count(&self, status: u16) -> usize {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    fn others(&self, expected: &[u16]) -> usize {
        self.statuses.iter().filter(|(s, _)| !expected.contains(s)).map(|(_, n)| n).sum()
    }
}

async fn post_concurrently(env: &Env, clients: usize, path: &str, bodies: Vec<serde_json::Value>) -> Result<Drive> {
    let bodies = Arc::new(bodies);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, token, next, bodies) = (env.client.clone(), env.token.clone(), next.clone(), bodies.clone());
        let url = format!("{}{path}", env.base);
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut statuses) = (Vec::new(), Vec::new());
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(body) = bodies.get(i) else { break };
                let t = Instant::now();
                let r = client.post(&url).bearer_auth(&token).json(body).send().await;
                lat.push(t.elapsed());
                statuses.push(r.map(|r| r.status().as_u16()).unwrap_or(0));
            }
            (lat, statuses)
        }));
    }
    let mut drive = Drive {
        lat: Vec::new(),
        statuses: Default::default(),
        secs: 0.0,
    };
    for t in tasks {
        let (l, st) = t.await?;
        drive.lat.extend(l);
        for s in st {
            *drive.statuses.entry(s).or_default() += 1;
        }
    }
    drive.secs = started.elapsed().as_secs_f64();
    drive.lat.sort();
    Ok(drive)
}

/// C concurrent clients create orders on one product with limited stock until it sells out.
async fn intake(env: &Env, clients: usize, requests: usize, stock: i64) -> Result<String> {
    exec(
        env,
        &format!(
            "UPDATE stock SET remaining = {stock}, capacity = {stock} WHERE stock_date = '' AND product_id = (SELECT id FROM products WHERE code = 'WT-MULTI' AND merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1'))"
        ),
    )
    .await?;
    let before = scalar(env, "SELECT COUNT(*) FROM orders WHERE kind = 'web_ticket' AND id IN (SELECT order_id FROM order_lines WHERE product_code = 'WT-MULTI')").await?;
    let bodies = (0..requests)
        .map(|i| {
            json!({"product_code": "WT-MULTI", "quantity": 1, "payment_method": "bank_store",
                "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": format!("bench{}@kippu.test", i % 1000), "phone": "090-1234-5678"}})
        })
        .collect();
    let d = post_concurrently(env, clients, "/api/v1/orders", bodies).await?;
    let (ok, sold_out, other) = (d.count(201), d.count(409), d.others(&[201, 409]));
    let after = scalar(env, "SELECT COUNT(*) FROM orders WHERE kind = 'web_ticket' AND id IN (SELECT order_id FROM order_lines WHERE product_code = 'WT-MULTI')").await?;
    let created = after - before;
    let oversell = (created - stock).max(0)
        + if scalar(env, "SELECT COUNT(*) FROM stock WHERE remaining < 0").await? > 0 {
            1
        } else {
            0
        };
    Ok(format!(
        "| intake | {clients} clients | {:.0} orders/s | p50 {:.1} ms | p95 {:.1} ms | p99 {:.1} ms | {ok} created, {sold_out} sold out, {other} errors, oversell {oversell} |",
        ok as f64 / d.secs,
        pct(&d.lat, 0.5),
        pct(&d.lat, 0.95),
        pct(&d.lat, 0.99)
    ))
}

/// Generates `n` web-ticket orders (one ticket each) for DEMO1 with set-based SQL that both
/// databases run unchanged.
async fn generate(env: &Env, n: i64) -> Result<Duration> {
    let t = Instant::now();
    let m = scalar(env, "SELECT id FROM merchants WHERE code = 'DEMO1'").await?;
    let p = scalar(
        env,
        "SELECT id FROM products WHERE code = 'WT-BASIC' AND merchant_id = (SELECT id FROM merchants WHERE code = 'DEMO1')",
    )
    .await?;
    let start_seq = scalar(env, "SELECT next_value FROM sequences WHERE name = 'order_number'").await?;
    let now = kippu_domain::clock::to_millis(time::OffsetDateTime::now_utc());
    let batch = 100_000i64;
    let mut done = 0;
    while done < n {
        let lo = start_seq + done;
        let hi = lo + batch.min(n - done) - 1;
        exec(
            env,
            &format!(
                "WITH RECURSIVE s(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM s WHERE n < {hi}) \
                 INSERT INTO orders (merchant_id, order_number, customer_name, customer_kana, customer_email, customer_phone, ordered_at, kind, payment_method, status, amount, access_token, updated_at) \
                 SELECT {m}, 'T' || substr('00000000000000' || CAST(n AS TEXT), length(CAST(n AS TEXT)) + 1), \
                   CASE n % 5 WHEN 0 THEN '山田 花子' WHEN 1 THEN '佐藤 健一' WHEN 2 THEN '髙橋 美咲' WHEN 3 THEN '渡邉 翔太' ELSE '伊藤 さくら' END, \
                   CASE n % 5 WHEN 0 THEN 'ヤマダ ハナコ' WHEN 1 THEN 'サトウ ケンイチ' WHEN 2 THEN 'タカハシ ミサキ' WHEN 3 THEN 'ワタナベ ショウタ' ELSE 'イトウ サクラ' END, \
                   'buyer' || CAST(n AS TEXT) || '@example.jp', '090-0000-0000', {now} - n * 1000, 'web_ticket', \
                   CASE n % 5 WHEN 0 THEN 'bank_platform' WHEN 1 THEN 'bank_store' WHEN 2 THEN 'pay_at_venue' WHEN 3 THEN 'card_auth' ELSE 'card_capture' END, \
                   CASE n % 5 WHEN 0 THEN 'unpaid' WHEN 1 THEN 'unpaid' WHEN 2 THEN 'unreceived' WHEN 3 THEN 'authorized' ELSE 'sent' END, \
                   2000, 'bench' || CAST(n AS TEXT), {now} FROM s"
            ),
        )
        .await?;
        done += batch.min(n - done);
    }
    exec(
        env,
        &format!(
            "INSERT INTO order_lines (merchant_id, order_id, product_id, product_name, product_code, jan, unit_price, tax_rate, quantity, amount) \
             SELECT {m}, o.id, {p}, '一般入場券', 'WT-BASIC', '', 2000, 10, 1, 2000 FROM orders o WHERE o.access_token LIKE 'bench%'"
        ),
    )
    .await?;
    exec(
        env,
        &format!(
            "INSERT INTO tickets (merchant_id, order_id, order_line_id, ticket_number, code, price, holder_name, created_at) \
             SELECT {m}, l.order_id, l.id, 'W' || substr(o.order_number, 2) || '-01', 'bench-code-' || o.order_number, 2000, o.customer_name, {now} \
             FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.access_token LIKE 'bench%'"
        ),
    )
    .await?;
    exec(
        env,
        &format!("UPDATE sequences SET next_value = {} WHERE name = 'order_number'", start_seq + n),
    )
    .await?;
    // Fresh statistics, as a maintained database would have.
    exec(env, "ANALYZE").await?;
    Ok(t.elapsed())
}

async fn timed_get(env: &Env, path: &str, runs: usize) -> Result<(f64, f64)> {
    let mut lat = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let r = env
            .client
            .get(format!("{}{}", env.base, path))
            .bearer_auth(&env.token)
            .send()
            .await?;
        let status = r.status();
        let _ = r.bytes().await?;
        if !status.is_success() {
            return Err(anyhow!("GET {path}: {status}"));
        }
        lat.push(t.elapsed());
    }
    lat.sort();
    Ok((pct(&lat, 0.5), pct(&lat, 0.95)))
}

async fn bulk(env: &Env, n: i64) -> Result<String> {
    // The newest n bank_store unpaid orders.
    let numbers: Vec<String> = {
        let mut c = env.app.store.conn().await?;
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT order_number FROM orders WHERE payment_method = 'bank_store' AND status = 'unpaid' ORDER BY ordered_at DESC LIMIT {n}"
        )))
        .fetch_all(&mut *c)
        .await?
    };
    let t = Instant::now();
    let r = env
        .client
        .post(format!("{}/api/v1/bulk/mark-paid", env.base))
        .bearer_auth(&env.token)
        .timeout(Duration::from_secs(600))
        .json(&json!({"order_numbers": numbers, "dry_run": false}))
        .send()
        .await?;
    let v: serde_json::Value = r.json().await?;
    let secs = t.elapsed().as_secs_f64();
    Ok(format!(
        "| bulk mark-paid | {} orders | {:.2} s end to end | {} done |",
        numbers.len(),
        secs,
        v["done_count"]
    ))
}

async fn export(env: &Env) -> Result<String> {
    reset_rss_peak();
    let base_rss = rss_peak_kb().unwrap_or(0);
    let t = Instant::now();
    let mut r = env
        .client
        .get(format!("{}/api/v1/orders/export.csv?encoding=cp932", env.base))
        .bearer_auth(&env.token)
        .send()
        .await?;
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = r.chunk().await? {
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
    }
    let secs = t.elapsed().as_secs_f64();
    let peak = rss_peak_kb().unwrap_or(0);
    let rows = lines.saturating_sub(1);
    Ok(format!(
        "| CSV export (CP932) | {rows} ticket rows, {:.0} MB | {:.0} rows/s | peak RSS {:.0} MB (was {:.0} MB before) |",
        bytes as f64 / 1e6,
        rows as f64 / secs,
        peak as f64 / 1024.0,
        base_rss as f64 / 1024.0
    ))
}

pub async fn run(args: BenchArgs) -> Result<()> {
    let env = setup(&args.target).await?;
    let backend = env.app.store.backend().name();
    if args.suite == "reservations" || args.suite == "all" {
        println!(
            "## {backend}: reservations  ({} redemptions per run, {} past reservations)\n",
            args.redemptions, args.reservations
        );
        println!("| what | size | result | | | | |\n|---|---|---|---|---|---|---|");
        // The sweep first: the door is then measured against a million past bookings and their
        // history, as in a shop that has been open for a while.
        println!("{}", sweep(&env, args.reservations).await?);
        for clients in [1usize, 8, 64] {
            println!("{}", redemptions(&env, clients, args.redemptions).await?);
        }
        // 予約一覧 over the million past bookings and today's redeemed ones.
        let today = time::OffsetDateTime::now_utc().to_offset(kippu_domain::clock::JST).date();
        let past = today - time::Duration::days(15);
        let total = scalar(&env, "SELECT COUNT(*) FROM orders WHERE kind = 'reservation'").await?;
        for (name, path) in [
            (
                "reservation list: today",
                format!("/api/v1/reservations?visit_from={today}&visit_to={today}"),
            ),
            ("reservation list: from today", format!("/api/v1/reservations?visit_from={today}")),
            (
                "reservation list: a past day's no-shows",
                format!("/api/v1/reservations?visit_from={past}&visit_to={past}&state=no_show"),
            ),
            (
                "reservation list: kana, all dates",
                "/api/v1/reservations?name=%E3%83%A4%E3%83%9E%E3%83%80".to_string(),
            ),
            (
                "reservation list: e-ticket ID, all dates",
                "/api/v1/reservations?eticket_id=123456".to_string(),
            ),
        ] {
            let (p50, p95) = timed_get(&env, &path, 40).await?;
            println!("| {name} | {total} reservations | p50 {p50:.1} ms | p95 {p95:.1} ms | 50 per page, count and people | | |");
        }
        println!();
    }
    if args.suite == "shipments" || args.suite == "all" {
        println!("## {backend}: carrier import  (B2, {} lines)\n", args.shipments);
        println!("| what | size | result | | |\n|---|---|---|---|---|");
        for line in shipments::import(&env, args.shipments).await? {
            println!("{line}");
        }
        println!();
    }
    if args.suite == "goods" {
        println!("## {backend}: goods list  ({} goods orders)\n", args.goods_orders);
        println!("| what | size | result | | |\n|---|---|---|---|---|");
        for line in goods_list::run(&env, args.goods_orders).await? {
            println!("{line}");
        }
        println!();
        return teardown(env).await;
    }
    if let Some(table) = callcenter::suite(&env, &args, backend).await? {
        println!("{table}");
        return teardown(env).await;
    }
    if args.suite == "vouchers" {
        println!(
            "## {backend}: vouchers  ({} payments per level, {} payments for 利用実績)\n",
            args.pay_requests, args.voucher_payments
        );
        println!("| what | size | result | | | | |\n|---|---|---|---|---|---|---|");
        for line in vouchers::run(&env, args.voucher_payments, args.pay_requests).await? {
            println!("{line}");
        }
        println!();
        return teardown(env).await;
    }
    if args.suite == "reservations" || args.suite == "shipments" {
        return teardown(env).await;
    }
    println!(
        "## {backend}  ({} orders, {} intake requests per run)\n",
        args.orders, args.intake_requests
    );
    println!("| what | size | result | | | |\n|---|---|---|---|---|---|");
    for clients in [1usize, 8, 64] {
        let stock = (args.intake_requests as i64) * 3 / 4;
        println!("{}", intake(&env, clients, args.intake_requests, stock).await?);
    }
    let generated = generate(&env, args.orders).await?;
    println!(
        "| data | {} orders + tickets generated | {:.1} s | | | |",
        args.orders,
        generated.as_secs_f64()
    );
    for (name, path) in [
        ("list page 1", "/api/v1/orders?per_page=50"),
        ("search status=unpaid", "/api/v1/orders?status=unpaid&per_page=50"),
        (
            "search q=サトウ (furigana)",
            "/api/v1/orders?q=%E3%82%B5%E3%83%88%E3%82%A6&per_page=50",
        ),
        (
            "search one day + card_auth",
            "/api/v1/orders?from=2026-01-01&to=2030-12-31&payment_method=card_auth&per_page=50",
        ),
        ("home work queue (9 counts)", "/api/v1/work-queue"),
    ] {
        let (p50, p95) = timed_get(&env, path, 40).await?;
        println!("| {name} | {} orders | p50 {p50:.1} ms | p95 {p95:.1} ms | | |", args.orders);
    }
    println!("{}", bulk(&env, args.bulk_orders).await?);
    println!("{}", export(&env).await?);
    println!();
    teardown(env).await
}
