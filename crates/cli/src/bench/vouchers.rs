//! Voucher figures: payments by 1, 8 and 64 phones at once over HTTP (each phone its own
//! holder and its own key per payment), 64 phones paying from ONE balance (it must end at
//! exactly zero, never below), and 利用実績 / 日別 / 月別 over three months of a merchant with a
//! million payments.

use super::{Env, exec, pct, scalar};
use anyhow::{Result, anyhow};
use kippu_app::Actor;
use kippu_app::merchants::stores::{self, NewStore};
use kippu_app::vouchers::holders::{self, GrantInput};
use kippu_app::vouchers::programs::{self, ProgramInput};
use kippu_app::vouchers::records::{self, RecordQuery};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PROGRAM: &str = "BENCH";

static KEY_RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn e(err: kippu_app::AppError) -> anyhow::Error {
    anyhow!("{err}")
}

async fn holder(env: &Env, name: &str, amount: i64) -> Result<String> {
    let g = GrantInput {
        program: PROGRAM.into(),
        holder_name: name.into(),
        amount: amount.to_string(),
        ..GrantInput::default()
    };
    holders::grant(&env.app, &Actor::system(), &g)
        .await
        .map_err(e)?
        .token
        .ok_or_else(|| anyhow!("no token"))
}

/// `phones` at once, each paying `per_phone` times `amount` with its own holder token; the
/// latencies (sorted), statuses and wall time.
async fn pay(env: &Env, tokens: &[String], per_phone: usize, amount: i64, qr: &str) -> Result<(Vec<Duration>, Vec<u16>, f64)> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    let qr = Arc::new(qr.to_string());
    // Keys unique per run: a key used in an earlier run would be answered as a replay.
    let run = KEY_RUN.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    for (i, token) in tokens.iter().enumerate() {
        let (client, token, qr, url) = (
            env.client.clone(),
            token.clone(),
            qr.clone(),
            format!("{}/api/v1/voucher-payments", env.base),
        );
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut st) = (Vec::new(), Vec::new());
            for n in 0..per_phone {
                let t = Instant::now();
                let r = client
                    .post(&url)
                    .bearer_auth(&token)
                    .header("Idempotency-Key", format!("bench-{run}-{i}-{n}"))
                    .json(&json!({"terminal": *qr, "amount": amount}))
                    .send()
                    .await;
                lat.push(t.elapsed());
                st.push(r.map(|r| r.status().as_u16()).unwrap_or(0));
            }
            (lat, st)
        }));
    }
    let (mut lat, mut st) = (Vec::new(), Vec::new());
    for t in tasks {
        let (l, s) = t.await?;
        lat.extend(l);
        st.extend(s);
    }
    lat.sort();
    Ok((lat, st, started.elapsed().as_secs_f64()))
}

/// Generates `n` payments of DEMO2 over the last 90 days (every 20th cancelled) with set-based
/// SQL both databases run unchanged.
/// The rows the generated payments point at.
#[derive(Clone, Copy)]
struct Refs {
    terminal: i64,
    store: i64,
    account: i64,
    holder: i64,
    program: i64,
    voucher_type: i64,
}

async fn generate(env: &Env, n: i64, r: &Refs) -> Result<Duration> {
    let Refs {
        terminal,
        store,
        account,
        holder,
        program,
        voucher_type: vt,
    } = *r;
    let t = Instant::now();
    let m = scalar(env, "SELECT id FROM merchants WHERE code = 'DEMO2'").await?;
    let now = kippu_domain::clock::to_millis(time::OffsetDateTime::now_utc());
    let span = 90i64 * 24 * 3_600_000;
    let step = (span / n.max(1)).max(1);
    let batch = 100_000i64;
    let mut done = 0;
    while done < n {
        let (lo, hi) = (done + 1, done + batch.min(n - done));
        exec(
            env,
            &format!(
                "WITH RECURSIVE s(n) AS (SELECT CAST({lo} AS BIGINT) UNION ALL SELECT n + 1 FROM s WHERE n < {hi}) \
                 INSERT INTO voucher_payments (merchant_id, payment_number, account_id, store_id, terminal_id, voucher_type_id, amount, \
                   client_request_id, paid_at, holder_id, program_id, balance_after, cancelled_at) \
                 SELECT {m}, 'B' || substr('000000000000000' || CAST(n AS TEXT), length(CAST(n AS TEXT)) + 1), {account}, {store}, {terminal}, {vt}, \
                   100 + (n % 50) * 10, 'bench:' || CAST(n AS TEXT), {now} - n * {step}, {holder}, {program}, 0, \
                   CASE WHEN n % 20 = 0 THEN {now} - n * {step} + 60000 ELSE NULL END FROM s"
            ),
        )
        .await?;
        done = hi;
    }
    Ok(t.elapsed())
}

async fn timed<F, Fut>(runs: usize, f: F) -> Result<(f64, f64)>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut lat = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await?;
        lat.push(t.elapsed());
    }
    lat.sort();
    Ok((pct(&lat, 0.5), pct(&lat, 0.95)))
}

pub async fn run(env: &Env, payments: i64, per_level: usize) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let system = Actor::system();
    let p = ProgramInput {
        code: PROGRAM.into(),
        name: "ベンチ商品券".into(),
        ..ProgramInput::default()
    };
    let program = programs::create(&env.app, &system, &p).await.map_err(e)?;
    programs::enrol(&env.app, &system, PROGRAM, "DEMO2").await.map_err(e)?;
    let admin = stores::acting_for(&env.app, &system, "DEMO2").await.map_err(e)?;
    let s = NewStore {
        code: "BENCH_00001".into(),
        name: "ベンチ店".into(),
        address: String::new(),
        hours: String::new(),
    };
    stores::add_store(&env.app, &admin, &s).await.map_err(e)?;
    let terminal = stores::add_terminal(&env.app, &admin, "BENCH_00001", "レジ").await.map_err(e)?;
    let mut tokens = Vec::new();
    for i in 0..64 {
        tokens.push(holder(env, &format!("住民 {i}"), 1_000_000_000).await?);
    }
    for phones in [1usize, 8, 64] {
        let per_phone = (per_level / phones).max(1);
        let (lat, st, secs) = pay(env, &tokens[..phones], per_phone, 100, &terminal.qr_payload).await?;
        let ok = st.iter().filter(|s| **s == 201).count();
        out.push(format!(
            "| payments over HTTP | {phones} phones | {:.0} payments/s | p50 {:.1} ms | p95 {:.1} ms | p99 {:.1} ms | {ok} paid, {} errors |",
            ok as f64 / secs,
            pct(&lat, 0.5),
            pct(&lat, 0.95),
            pct(&lat, 0.99),
            st.len() - ok
        ));
    }
    // 64 phones, one balance of 3,200円, 10 attempts of 100円 each: 32 can be paid.
    let shared = holder(env, "共有 家族", 3_200).await?;
    let same: Vec<String> = (0..64).map(|_| shared.clone()).collect();
    let (lat, st, secs) = pay(env, &same, 10, 100, &terminal.qr_payload).await?;
    let ok = st.iter().filter(|s| **s == 201).count();
    let refused = st.iter().filter(|s| **s == 409).count();
    let h = holders::view(&env.app, &shared).await.map_err(e)?;
    out.push(format!(
        "| 64 phones, ONE balance of 3,200円 | 640 attempts of 100円 | {ok} paid, {refused} refused (insufficient_balance) | balance after {}円 | p99 {:.1} ms | {:.1} s |",
        h.total_balance(),
        pct(&lat, 0.99),
        secs
    ));
    if h.total_balance() != 0 || ok != 32 {
        return Err(anyhow!("one balance: {ok} paid, balance {}: expected 32 and 0", h.total_balance()));
    }
    // 利用実績 of a merchant with `payments` payments over three months.
    let store = scalar(env, "SELECT id FROM stores WHERE code = 'BENCH_00001'").await?;
    let term = scalar(
        env,
        "SELECT id FROM terminals WHERE name = 'レジ' AND store_id = (SELECT id FROM stores WHERE code = 'BENCH_00001')",
    )
    .await?;
    let (account, hid) = {
        let a = scalar(env, "SELECT MIN(id) FROM voucher_accounts").await?;
        (
            a,
            scalar(env, &format!("SELECT holder_id FROM voucher_accounts WHERE id = {a}")).await?,
        )
    };
    let refs = Refs {
        terminal: term,
        store,
        account,
        holder: hid,
        program: program.id,
        voucher_type: program.types[0].id,
    };
    let took = generate(env, payments, &refs).await?;
    exec(env, &env.app.store.backend().settle_after_bulk_load("voucher_payments")).await?;
    // The rows were written in bulk, past `payments::insert`: their day counts are recounted once.
    let m = kippu_domain::MerchantId(scalar(env, "SELECT id FROM merchants WHERE code = 'DEMO2'").await?);
    kippu_store::vouchers::day_counts::rebuild(&mut *env.app.store.conn().await?, m).await?;
    exec(env, &env.app.store.backend().settle_after_bulk_load("voucher_day_counts")).await?;
    out.push(format!(
        "| data | {payments} payments over 90 days generated | {:.1} s | | | | |",
        took.as_secs_f64()
    ));
    let actor = Actor::unattended(m, kippu_domain::account::Role::MerchantAdmin, "bench");
    let today = time::OffsetDateTime::now_utc().to_offset(kippu_domain::clock::JST).date();
    let from = (today - time::Duration::days(88)).to_string();
    let searches = [
        ("利用実績: today (default)", RecordQuery::default()),
        (
            "利用実績: 3 months, 25 a page",
            RecordQuery {
                from: from.clone(),
                to: today.to_string(),
                ..RecordQuery::default()
            },
        ),
        (
            "利用実績: 3 months, 取消実績を含めない, 100 a page",
            RecordQuery {
                from: from.clone(),
                to: today.to_string(),
                exclude_cancelled: "1".into(),
                per_page: "100".into(),
                ..RecordQuery::default()
            },
        ),
        (
            "利用実績: 3 months, store name",
            RecordQuery {
                from: from.clone(),
                to: today.to_string(),
                store_name: "ベンチ".into(),
                ..RecordQuery::default()
            },
        ),
        (
            "利用実績: 3 months, a payment number",
            RecordQuery {
                from: from.clone(),
                to: today.to_string(),
                payment_number: format!("B{:015}", payments / 2),
                ..RecordQuery::default()
            },
        ),
        (
            "利用実績: 3 months, amount 500円",
            RecordQuery {
                from: from.clone(),
                to: today.to_string(),
                amount: "500".into(),
                ..RecordQuery::default()
            },
        ),
    ];
    for (name, q) in &searches {
        let found = records::search(&env.app, &actor, q).await.map_err(e)?.total;
        let (p50, p95) = timed(30, || async {
            records::search(&env.app, &actor, q).await.map_err(e)?;
            Ok(())
        })
        .await?;
        out.push(format!(
            "| {name} | {payments} payments | p50 {p50:.1} ms | p95 {p95:.1} ms | {found} found | | |"
        ));
    }
    // 該当件数 from the kept day counts, beside the same count made one payment at a time (the
    // path before the counts were kept, and the floor of any counting without them).
    let filter = kippu_store::vouchers::records::RecordFilter {
        from_ms: kippu_domain::clock::day_start_ms(today - time::Duration::days(88)),
        to_ms: kippu_domain::clock::day_start_ms(today + time::Duration::days(1)),
        ..Default::default()
    };
    let (_, kept) = timed(30, || async {
        kippu_store::vouchers::records::count(&mut *env.app.store.conn().await?, m, &filter).await?;
        Ok(())
    })
    .await?;
    let (_, counted) = timed(5, || async {
        kippu_store::vouchers::records::recount(&mut *env.app.store.conn().await?, m, &filter).await?;
        Ok(())
    })
    .await?;
    out.push(format!(
        "| 該当件数, 3 months: kept counts / counted one by one | {payments} payments | p95 {kept:.1} ms | p95 {counted:.1} ms | {:.0}× faster | | |",
        counted / kept.max(0.001)
    ));
    let d_from = (today - time::Duration::days(30)).to_string();
    let (p50, p95) = timed(10, || async {
        records::daily(&env.app, &actor, &d_from, &today.to_string()).await.map_err(e)?;
        Ok(())
    })
    .await?;
    out.push(format!(
        "| 日別利用実績: 31 days | {payments} payments | p50 {p50:.1} ms | p95 {p95:.1} ms | | | |"
    ));
    // This month and the two before it.
    let two_back = (today.replace_day(1)? - time::Duration::days(32)).replace_day(1)?;
    let m_from = format!("{:04}-{:02}", two_back.year(), two_back.month() as u8);
    let (p50, p95) = timed(10, || async {
        records::monthly(&env.app, &actor, &m_from, "").await.map_err(e)?;
        Ok(())
    })
    .await?;
    out.push(format!(
        "| 月別利用実績: 3 months | {payments} payments | p50 {p50:.1} ms | p95 {p95:.1} ms | | | |"
    ));
    Ok(out)
}
