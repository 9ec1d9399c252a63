//! 利用実績's kept counts (issue 26), property-tested on the real database: whatever the order of
//! payments at two stores (some retried with the same key), cancellations (by the merchant in
//! the 24-hour window, by the platform after it) and hours passing across Japanese midnights,
//! 該当件数 of any range and filter equals the payments counted one by one, the day totals of
//! whole days equal the ones grouped from the payments, and recounting the kept rows from the
//! payments changes nothing.

use crate::harness::TestApp;
use crate::voucher_world::{VoucherWorld, add_terminal};
use kippu_app::Actor;
use kippu_app::vouchers::cancel;
use kippu_app::vouchers::pay::{self, PayInput, TerminalRef};
use kippu_domain::MerchantId;
use kippu_store::vouchers::day_counts::{self, DAY_MS, day_of, day_start};
use kippu_store::vouchers::records::{self, RecordFilter};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    /// At terminal 0 (AKT10001, レジ1) or 1 (AKT10002, レジ2); `retry` sends the key twice.
    Pay {
        terminal: usize,
        amount: i64,
        retry: bool,
    },
    Cancel {
        nth: usize,
        by_platform: bool,
    },
    Wait {
        minutes: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..2, 1i64..3_000, any::<bool>()).prop_map(|(terminal, amount, retry)| Op::Pay { terminal, amount, retry }),
        (0usize..16, any::<bool>()).prop_map(|(nth, by_platform)| Op::Cancel { nth, by_platform }),
        (0i64..(30 * 60)).prop_map(|minutes| Op::Wait { minutes }),
    ]
}

/// A search window: minutes from the first payment's day start, and its length in minutes.
fn window() -> impl Strategy<Value = (i64, i64)> {
    (0i64..(4 * 24 * 60), 1i64..(5 * 24 * 60))
}

/// The filters 利用実績 offers that the kept counts answer (and one they leave to the payments).
fn filters(from_ms: i64, to_ms: i64) -> Vec<RecordFilter> {
    let base = RecordFilter {
        from_ms,
        to_ms,
        ..RecordFilter::default()
    };
    vec![
        base.clone(),
        RecordFilter {
            exclude_cancelled: true,
            ..base.clone()
        },
        RecordFilter {
            store_code: Some("AKT10001".into()),
            ..base.clone()
        },
        RecordFilter {
            terminal: Some("レジ2".into()),
            exclude_cancelled: true,
            ..base.clone()
        },
        RecordFilter {
            store_name: Some("本店".into()),
            ..base.clone()
        },
        RecordFilter { amount: Some(100), ..base },
    ]
}

type KeptRow = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

async fn kept_rows(t: &TestApp, m: MerchantId) -> Vec<KeptRow> {
    sqlx::query_as(
        "SELECT day, store_id, terminal_id, voucher_type_id, program_id, shard, payments, amount, cancelled, cancelled_amount \
         FROM voucher_day_counts WHERE merchant_id = $1 \
         ORDER BY day, store_id, terminal_id, voucher_type_id, program_id, shard",
    )
    .bind(m.0)
    .fetch_all(&mut *t.conn().await)
    .await
    .unwrap()
}

async fn play(ops: Vec<Op>, windows: Vec<(i64, i64)>) {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let second = add_terminal(&t.app, "DEMO2", "AKT10002_00001", "あおば書店 本店", "レジ2").await;
    let qr = [w.terminal.qr_payload.clone(), second.qr_payload.clone()];
    let token = w.holder.token.clone().unwrap();
    let g = kippu_app::vouchers::holders::GrantInput {
        program: crate::voucher_world::PROGRAM.into(),
        holder_id: Some(kippu_app::vouchers::holders::holder(&t.app, &token).await.unwrap().id),
        amount: "1000000".into(),
        ..Default::default()
    };
    kippu_app::vouchers::holders::grant(&t.app, &Actor::system(), &g).await.unwrap();
    let merchant = kippu_app::merchants::stores::acting_for(&t.app, &Actor::system(), "DEMO2")
        .await
        .unwrap();
    let m = merchant.merchant().unwrap();
    let start = kippu_domain::clock::to_millis(t.app.clock.now());
    let mut numbers = Vec::new();
    for (key, o) in ops.into_iter().enumerate() {
        match o {
            Op::Pay { terminal, amount, retry } => {
                let input = PayInput {
                    terminal: TerminalRef::Qr(qr[terminal].clone()),
                    amount: amount.to_string(),
                    product: String::new(),
                    key: format!("k{key}"),
                };
                let first = pay::pay(&t.app, &token, &input).await.unwrap();
                numbers.push(first.payment.payment_number.clone());
                if retry {
                    let again = pay::pay(&t.app, &token, &input).await.unwrap();
                    assert!(again.replayed, "a retry pays nothing more");
                }
            }
            Op::Cancel { nth, by_platform } => {
                let Some(number) = numbers.get(nth) else { continue };
                let actor = if by_platform { Actor::system() } else { merchant.clone() };
                // Refused when already cancelled or past the merchant's 24 hours: counted either way.
                let _ = cancel::cancel(&t.app, &actor, number, "").await;
            }
            Op::Wait { minutes } => t.clock.advance(time::Duration::minutes(minutes)),
        }
    }
    let mut conn = t.conn().await;
    let first_day = day_start(day_of(start));
    for (offset, length) in windows {
        let from = first_day + offset * 60_000;
        for f in filters(from, from + length * 60_000) {
            let counted = records::recount(&mut conn, m, &f).await.unwrap();
            assert_eq!(records::count(&mut conn, m, &f).await.unwrap(), counted, "該当件数 of {f:?}");
        }
    }
    let (from, to) = (first_day, first_day + 8 * DAY_MS);
    assert_eq!(
        records::day_totals(&mut conn, m, None, from, to).await.unwrap(),
        records::day_totals_recounted(&mut conn, m, None, from, to).await.unwrap(),
        "日別 from the kept counts"
    );
    drop(conn);
    let kept = kept_rows(&t, m).await;
    day_counts::rebuild(&mut *t.conn().await, m).await.unwrap();
    assert_eq!(kept_rows(&t, m).await, kept, "recounting from the payments changes nothing");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, max_shrink_iters: 8, .. ProptestConfig::default() })]
    #[test]
    fn kept_counts_equal_the_payments_counted_one_by_one(
        ops in prop::collection::vec(op(), 1..24),
        windows in prop::collection::vec(window(), 1..4),
    ) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(play(ops, windows));
    }
}

/// A payment's day is its day in Japan: one made at 23:59 counts on that day, one at 0:00 on the
/// next, whatever the server's time zone.
#[tokio::test]
async fn a_payment_counts_on_its_japanese_day() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let now = kippu_domain::clock::to_millis(t.app.clock.now());
    let next_midnight = day_start(day_of(now) + 1);
    t.clock.advance(time::Duration::milliseconds(next_midnight - now - 60_000));
    let (status, _) = w.pay_qr(&t, "before", serde_json::json!(100)).await;
    assert_eq!(status, 201);
    t.clock.advance(time::Duration::minutes(1));
    let (status, _) = w.pay_qr(&t, "after", serde_json::json!(200)).await;
    assert_eq!(status, 201);
    let m = kippu_app::merchants::stores::acting_for(&t.app, &Actor::system(), "DEMO2")
        .await
        .unwrap()
        .merchant()
        .unwrap();
    let rows = kept_rows(&t, m).await;
    let days: Vec<(i64, i64)> = rows.iter().map(|r| (r.0, r.7)).collect();
    assert_eq!(days, vec![(day_of(now), 100), (day_of(now) + 1, 200)]);
}
