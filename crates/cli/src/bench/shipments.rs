//! The carrier import's figures: a B2 file of N lines (CP932, as B2クラウド writes it) for N
//! generated goods orders, previewed, applied (marking the destinations shipped) and imported
//! again, over HTTP to a `kippu serve` process of its own, whose peak resident memory is read
//! around each run (the server's alone, not the client's copy of the file and the answer).

use super::{Env, exec, scalar};
use anyhow::{Result, anyhow};
use kippu_domain::goods::carrier::FileType;
use std::time::Instant;

/// Generates `n` goods orders of DEMO1 with one destination each, set-based; their numbers.
async fn generate(env: &Env, n: i64) -> Result<Vec<String>> {
    let m = scalar(env, "SELECT id FROM merchants WHERE code = 'DEMO1'").await?;
    let lo = scalar(env, "SELECT next_value FROM sequences WHERE name = 'order_number'").await?;
    let hi = lo + n - 1;
    let now = kippu_domain::clock::to_millis(time::OffsetDateTime::now_utc());
    exec(
        env,
        &format!(
            "WITH RECURSIVE s(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM s WHERE n < {hi}) \
             INSERT INTO orders (merchant_id, order_number, customer_name, customer_kana, customer_email, customer_phone, ordered_at, kind, \
               payment_method, status, payment_status, amount, access_token, updated_at) \
             SELECT {m}, 'T' || substr('00000000000000' || CAST(n AS TEXT), length(CAST(n AS TEXT)) + 1), '髙橋 美咲', 'タカハシ ミサキ', \
               'goods' || CAST(n AS TEXT) || '@example.jp', '090-0000-0000', {now} - n * 1000, 'goods', 'bank_store', 'normal', 'unpaid', 3000, \
               'goods' || CAST(n AS TEXT), {now} FROM s"
        ),
    )
    .await?;
    exec(
        env,
        &format!(
            "INSERT INTO shipments (merchant_id, order_id, position, method, recipient_name, postal_code, address, status, created_at, updated_at) \
             SELECT merchant_id, id, 1, 'delivery', customer_name, '111-0032', '東京都台東区浅草1-2-3', 'unshipped', {now}, {now} \
             FROM orders WHERE kind = 'goods' AND access_token LIKE 'goods%'"
        ),
    )
    .await?;
    exec(
        env,
        &format!("UPDATE sequences SET next_value = {} WHERE name = 'order_number'", hi + 1),
    )
    .await?;
    exec(env, "ANALYZE").await?;
    Ok((lo..=hi).map(|s| format!("T{s:014}")).collect())
}

/// A B2 発行済データ file for these orders: header, CRLF, CP932, 97 quoted columns.
fn b2_file(numbers: &[String]) -> Vec<u8> {
    let l = FileType::B2.layout();
    let mut text = String::with_capacity(numbers.len() * 420);
    let row = |m: &str, k: &str, d: &str| {
        (1..=l.columns)
            .map(|i| match i {
                i if i == l.management => format!("\"{m}\""),
                i if i == l.tracking => format!("\"{k}\""),
                i if i == l.delivery_date => format!("\"{d}\""),
                16 => "\"髙橋 美咲\"".to_string(),
                12 => "\"東京都台東区浅草1-2-3\"".to_string(),
                _ => "\"\"".to_string(),
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    text += &row("お客様管理番号", "伝票番号", "お届け予定日");
    text += "\r\n";
    for (i, n) in numbers.iter().enumerate() {
        let eleven = 30_000_000_000u64 + i as u64;
        text += &row(n, &format!("{eleven:011}{}", eleven % 7), "2026/12/03");
        text += "\r\n";
    }
    encoding_rs::SHIFT_JIS.encode(&text).0.into_owned()
}

/// `kippu serve` on the bench database in a process of its own.
struct Server {
    child: std::process::Child,
    base: String,
}

impl Server {
    async fn start(env: &Env) -> Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let base = format!("http://127.0.0.1:{port}");
        let child = std::process::Command::new(std::env::current_exe()?)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database-url", &env.url])
            .env("KIPPU_OUTBOX_DIR", std::env::temp_dir().join(format!("kippu-bench-outbox-{port}")))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()?;
        let server = Server { child, base };
        for _ in 0..300 {
            if env
                .client
                .get(format!("{}/healthz", server.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(server);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Err(anyhow!("kippu serve did not become healthy"))
    }

    fn status(&self, key: &str) -> Option<u64> {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        s.lines().find(|l| l.starts_with(key))?.split_whitespace().nth(1)?.parse().ok()
    }

    /// Peak resident memory since the last reset, in kB.
    fn peak_kb(&self) -> u64 {
        self.status("VmHWM:").unwrap_or(0)
    }

    fn reset_peak(&self) {
        // Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM).
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Seconds, the server's resident memory before and its peak during the run (kB), the answer.
async fn upload(env: &Env, server: &Server, file: &[u8], apply: &str) -> Result<(f64, (u64, u64), serde_json::Value)> {
    server.reset_peak();
    let before = server.status("VmRSS:").unwrap_or(0);
    let t = Instant::now();
    let form = reqwest::multipart::Form::new()
        .text("format", "b2")
        .text("apply", apply.to_string())
        .text("mark_shipped", "true")
        .part("file", reqwest::multipart::Part::bytes(file.to_vec()).file_name("b2.csv"));
    let r = env
        .client
        .post(format!("{}/api/v1/shipments/import", server.base))
        .bearer_auth(&env.token)
        .multipart(form)
        .send()
        .await?;
    let status = r.status();
    let body: serde_json::Value = r.json().await?;
    if !status.is_success() {
        return Err(anyhow!("import {apply}: {status} {body}"));
    }
    Ok((t.elapsed().as_secs_f64(), (before, server.peak_kb()), body))
}

pub(super) async fn import(env: &Env, n: i64) -> Result<Vec<String>> {
    let t = Instant::now();
    let numbers = generate(env, n).await?;
    let file = b2_file(&numbers);
    let mut out = vec![format!(
        "| data | {n} goods orders + a B2 file of {n} lines ({:.1} MB, CP932) | {:.1} s | | |",
        file.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    )];
    // 注文を発送済みにする over the first 10,000 orders (they are then imported as shipped ones).
    let bulk: Vec<&String> = numbers.iter().take(10_000).collect();
    let t = Instant::now();
    let r = env
        .client
        .post(format!("{}/api/v1/bulk/ship", env.base))
        .bearer_auth(&env.token)
        .json(&serde_json::json!({"order_numbers": bulk, "dry_run": false}))
        .send()
        .await?;
    let status = r.status();
    let body: serde_json::Value = r.json().await?;
    if !status.is_success() {
        return Err(anyhow!("bulk ship: {status} {body}"));
    }
    out.push(format!(
        "| bulk ship (注文を発送済みにする) | {} orders | {:.2} s end to end | {} done | |",
        bulk.len(),
        t.elapsed().as_secs_f64(),
        body["done_count"]
    ));
    let server = Server::start(env).await?;
    let base = server.peak_kb();
    for (what, apply) in [
        ("preview", "none"),
        ("apply, mark shipped", "all"),
        ("import again (nothing changes)", "all"),
    ] {
        let (secs, (before, peak), body) = upload(env, &server, &file, apply).await?;
        out.push(format!(
            "| import {what} | {n} lines | {:.0} lines/s | {secs:.2} s | server peak RSS {:.0} MB ({:.0} MB before the run, {:.0} MB at start); ok {}, applied {}, unchanged {} |",
            n as f64 / secs,
            peak as f64 / 1024.0,
            before as f64 / 1024.0,
            base as f64 / 1024.0,
            body["ok_count"],
            body["applied_count"],
            body["unchanged_count"]
        ));
    }
    let shipped = scalar(env, "SELECT COUNT(*) FROM shipments WHERE status = 'shipped'").await?;
    if shipped < n {
        return Err(anyhow!("only {shipped} of {n} destinations were shipped"));
    }
    Ok(out)
}
