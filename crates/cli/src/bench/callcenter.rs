//! The call centre's figures (issue 23): N customers of DEMO1 (one in ten with an order), then
//! 顧客検索 through the use case the console calls — by phone, a kana prefix, an email, a
//! customer number and an order number — and the console's 受付 page over HTTP for a picked
//! customer, signed in as an operator would be.

use super::{Env, exec, scalar};
use anyhow::{Result, anyhow};
use kippu_app::{Actor, reception};
use kippu_domain::paging::Paging;
use std::time::{Duration, Instant};

const SURNAMES: [(&str, &str); 5] = [
    ("山田", "ヤマダ"),
    ("佐藤", "サトウ"),
    ("髙橋", "タカハシ"),
    ("渡邉", "ワタナベ"),
    ("伊藤", "イトウ"),
];

/// `n` customers, set-based in batches both databases run unchanged; customer `i` has phone
/// 090-AAAA-BBBB with AAAABBBB = i, email cc{i}@example.jp; every tenth has one order.
pub(super) async fn generate(env: &Env, n: i64) -> Result<(i64, i64, Duration)> {
    let t = Instant::now();
    let m = scalar(env, "SELECT id FROM merchants WHERE code = 'DEMO1'").await?;
    let first_number = scalar(
        env,
        &format!("SELECT COALESCE(MAX(customer_number), 0) + 1 FROM customers WHERE merchant_id = {m}"),
    )
    .await?;
    let now = kippu_domain::clock::to_millis(time::OffsetDateTime::now_utc());
    let name = |col: usize| {
        let arms: String = SURNAMES
            .iter()
            .enumerate()
            .map(|(k, s)| format!(" WHEN {k} THEN '{}'", if col == 0 { s.0 } else { s.1 }))
            .collect();
        format!("CASE n % 5{arms} END")
    };
    let batch = 100_000i64;
    let mut done = 0;
    while done < n {
        let lo = done + 1;
        let hi = done + batch.min(n - done);
        exec(
            env,
            &format!(
                "WITH RECURSIVE s(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM s WHERE n < {hi}) \
                 INSERT INTO customers (merchant_id, name, kana, email, phone, phone_digits, postal_code, address, created_at, updated_at, customer_number) \
                 SELECT {m}, {} || ' ' || CAST(n AS TEXT), {} || ' ' || CAST(n AS TEXT), 'cc' || CAST(n AS TEXT) || '@example.jp', \
                   '090-' || substr(substr('00000000' || CAST(n AS TEXT), length(CAST(n AS TEXT)) + 1), 1, 4) || '-' || substr(substr('00000000' || CAST(n AS TEXT), length(CAST(n AS TEXT)) + 1), 5, 4), \
                   '090' || substr('00000000' || CAST(n AS TEXT), length(CAST(n AS TEXT)) + 1), '100-0001', '東京都千代田区千代田1-1', {now} - n * 1000, {now}, {first_number} - 1 + n FROM s",
                name(0),
                name(1)
            ),
        )
        .await?;
        done = hi;
    }
    let start = scalar(env, "SELECT next_value FROM sequences WHERE name = 'order_number'").await?;
    exec(
        env,
        &format!(
            "INSERT INTO orders (merchant_id, order_number, customer_id, customer_name, customer_kana, customer_email, customer_phone, ordered_at, kind, \
               payment_method, status, payment_status, amount, access_token, updated_at) \
             SELECT merchant_id, 'T' || substr('00000000000000' || CAST({start} + customer_number AS TEXT), length(CAST({start} + customer_number AS TEXT)) + 1), \
               id, name, kana, email, phone, created_at, 'goods', 'bank_store', 'processed', 'paid', 3800, 'cc' || CAST(id AS TEXT), {now} \
             FROM customers WHERE merchant_id = {m} AND customer_number >= {first_number} AND customer_number % 10 = 0"
        ),
    )
    .await?;
    let customers = scalar(env, &format!("SELECT MAX(customer_number) FROM customers WHERE merchant_id = {m}")).await?;
    exec(
        env,
        &format!(
            "UPDATE sequences SET next_value = {} WHERE name = 'order_number'",
            start + customers + 1
        ),
    )
    .await?;
    exec(
        env,
        &format!(
            "UPDATE sequences SET next_value = {} WHERE name = 'customer_number/{m}'",
            customers + 1
        ),
    )
    .await?;
    exec(env, "ANALYZE").await?;
    Ok((start, first_number, t.elapsed()))
}

/// p50 and p95 (ms) of `runs` searches, and what the first found.
async fn timed_search(env: &Env, actor: &Actor, typed: &str, runs: usize) -> Result<(f64, f64, i64)> {
    let mut lat = Vec::with_capacity(runs);
    let mut total = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let found = reception::search(&env.app, actor, typed, Paging::new(Some(1), Some(20), 20)?).await?;
        lat.push(t.elapsed());
        total = found.total;
    }
    lat.sort();
    Ok((super::pct(&lat, 0.5), super::pct(&lat, 0.95), total))
}

/// A client signed in as DEMO1's administrator, as the console's operator is.
async fn signed_in(env: &Env) -> Result<reqwest::Client> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let login = client.get(format!("{}/login", env.base)).send().await?.text().await?;
    let csrf = login
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or_else(|| anyhow!("the login page has no CSRF token"))?
        .to_string();
    let r = client
        .post(format!("{}/login", env.base))
        .form(&[("_csrf", csrf.as_str()), ("login_id", "demo1-admin"), ("password", "Demo1Admin")])
        .send()
        .await?;
    if !r.status().is_success() && !r.status().is_redirection() {
        return Err(anyhow!("login: {}", r.status()));
    }
    Ok(client)
}

/// The call centre's suites, `callcenter` and `subscriptions` (the 定期 job), as a markdown
/// section of `backend`; `None` for another suite.
pub(super) async fn suite(env: &Env, args: &super::BenchArgs, backend: &str) -> Result<Option<String>> {
    let (title, rows) = match args.suite.as_str() {
        "callcenter" => (
            format!("call centre  ({} customers)", args.customers),
            run(env, args.customers).await?,
        ),
        "subscriptions" => (
            format!("定期 job  ({} masters due)", args.subscriptions),
            super::subscriptions::run(env, args.subscriptions).await?,
        ),
        _ => return Ok(None),
    };
    let head = "| what | size | result | | |\n|---|---|---|---|---|";
    Ok(Some(format!("## {backend}: {title}\n\n{head}\n{}\n", rows.join("\n"))))
}

/// The figures, as table rows.
pub async fn run(env: &Env, n: i64) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let (order_start, first_number, took) = generate(env, n).await?;
    out.push(format!(
        "| generate customers (and an order for one in ten) | {n} customers | {:.1} s | | |",
        took.as_secs_f64()
    ));
    let m = kippu_domain::MerchantId(scalar(env, "SELECT id FROM merchants WHERE code = 'DEMO1'").await?);
    let actor = Actor::unattended(m, kippu_domain::account::Role::CallCentre, "bench");
    // A customer in the middle with an order (customer numbers divisible by ten have one);
    // customer `i` of the generated ones has number first_number - 1 + i.
    let number = ((first_number - 1 + n / 2) / 10 * 10).max((first_number + 9) / 10 * 10);
    let some = number - first_number + 1;
    let digits = format!("{some:08}");
    let searches = [
        ("phone, hyphens", format!("090-{}-{}", &digits[..4], &digits[4..])),
        (
            "phone, full-width digits",
            format!(
                "０９０{}",
                digits
                    .chars()
                    .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
                    .collect::<String>()
            ),
        ),
        ("phone prefix (7 digits)", format!("090{}", &digits[..4])),
        ("kana prefix, hiragana", "わたなべ".to_string()),
        ("email", format!("cc{some}@example.jp")),
        ("customer number", number.to_string()),
        ("order number", format!("T{:014}", order_start + number)),
    ];
    for (name, typed) in &searches {
        let (p50, p95, total) = timed_search(env, &actor, typed, 40).await?;
        out.push(format!(
            "| 顧客検索: {name} | {n} customers | p50 {p50:.1} ms | p95 {p95:.1} ms | {total} found, 20 a page (goal p95 < 30 ms) |"
        ));
    }
    let client = signed_in(env).await?;
    let id = scalar(
        env,
        &format!(
            "SELECT id FROM customers WHERE merchant_id = {} AND customer_number = {number}",
            m.0
        ),
    )
    .await?;
    let mut lat = Vec::with_capacity(40);
    for _ in 0..40 {
        let t = Instant::now();
        let r = client.get(format!("{}/callcenter?customer={id}", env.base)).send().await?;
        let status = r.status();
        let _ = r.bytes().await?;
        if !status.is_success() {
            return Err(anyhow!("GET /callcenter?customer={id}: {status}"));
        }
        lat.push(t.elapsed());
    }
    lat.sort();
    out.push(format!(
        "| console: a picked customer's 受付 page over HTTP | {n} customers | p50 {:.1} ms | p95 {:.1} ms | bar, profile, その他情報 (goal p95 < 100 ms) |",
        super::pct(&lat, 0.5),
        super::pct(&lat, 0.95)
    ));
    Ok(out)
}
