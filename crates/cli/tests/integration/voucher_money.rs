//! Money integrity of vouchers, property-tested on the real database: whatever the order of
//! grants, payments (some at once from one balance, some retried with the same key) and
//! cancellations (in and out of the 24-hour window, by the merchant or the platform), every
//! balance is grants − payments + cancelled payments and never negative; every uncancelled
//! payment is paid in exactly one settlement, the one of its period; a payment cancelled after
//! it was paid is taken back exactly once; the settlements add up to the uncancelled payments.

use crate::harness::TestApp;
use crate::voucher_world::{VoucherWorld, grant};
use kippu_app::Actor;
use kippu_app::vouchers::pay::{self, PayInput, TerminalRef};
use kippu_app::vouchers::{cancel, settlement};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Grant {
        holder: usize,
        amount: i64,
    },
    /// `phones` attempts at once from one holder's balance, each with its own key; `retry`
    /// sends the first attempt's key a second time.
    Pay {
        holder: usize,
        amount: i64,
        phones: usize,
        retry: bool,
    },
    Cancel {
        nth: usize,
        by_platform: bool,
    },
    Wait {
        hours: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..3, 1i64..5_000).prop_map(|(holder, amount)| Op::Grant { holder, amount }),
        (0usize..3, 1i64..4_000, 1usize..4, any::<bool>()).prop_map(|(holder, amount, phones, retry)| Op::Pay {
            holder,
            amount,
            phones,
            retry
        }),
        (0usize..12, any::<bool>()).prop_map(|(nth, by_platform)| Op::Cancel { nth, by_platform }),
        (0i64..40).prop_map(|hours| Op::Wait { hours }),
    ]
}

struct Model {
    granted: [i64; 3],
    paid: [i64; 3],
    back: [i64; 3],
    /// (payment number, holder, amount, cancelled)
    payments: Vec<(String, usize, i64, bool)>,
}

async fn play(ops: Vec<Op>) {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let mut tokens = Vec::new();
    for i in 0..3 {
        tokens.push(grant(&t.app, &format!("住民 {i}"), 1).await.token.unwrap());
    }
    let mut m = Model {
        granted: [1; 3],
        paid: [0; 3],
        back: [0; 3],
        payments: Vec::new(),
    };
    let merchant = kippu_app::merchants::stores::acting_for(&t.app, &Actor::system(), "DEMO2")
        .await
        .unwrap();
    let mut key = 0;
    for o in ops {
        match o {
            Op::Grant { holder, amount } => {
                let g = kippu_app::vouchers::holders::GrantInput {
                    program: crate::voucher_world::PROGRAM.into(),
                    holder_id: Some(holder_id(&t, &tokens[holder]).await),
                    amount: amount.to_string(),
                    ..Default::default()
                };
                kippu_app::vouchers::holders::grant(&t.app, &Actor::system(), &g).await.unwrap();
                m.granted[holder] += amount;
            }
            Op::Pay {
                holder,
                amount,
                phones,
                retry,
            } => {
                let mut inputs = Vec::new();
                for _ in 0..phones {
                    key += 1;
                    inputs.push(PayInput {
                        terminal: TerminalRef::Qr(w.terminal.qr_payload.clone()),
                        amount: amount.to_string(),
                        product: String::new(),
                        key: format!("k{key}"),
                    });
                }
                if retry {
                    inputs.push(inputs[0].clone());
                }
                let mut phones_at_once = tokio::task::JoinSet::new();
                for i in inputs {
                    let (app, token) = (t.app.clone(), tokens[holder].clone());
                    phones_at_once.spawn(async move { pay::pay(&app, &token, &i).await });
                }
                for r in phones_at_once.join_all().await {
                    match r {
                        Ok(p) if !p.replayed => {
                            m.paid[holder] += amount;
                            m.payments.push((p.payment.payment_number, holder, amount, false));
                        }
                        Ok(_) => {}
                        Err(kippu_app::AppError::Voucher(kippu_app::vouchers::VoucherError::InsufficientBalance { balance })) => {
                            assert!(balance < amount, "refused with {balance} for {amount}");
                        }
                        Err(e) => panic!("unexpected refusal: {e}"),
                    }
                }
            }
            Op::Cancel { nth, by_platform } => {
                let Some((number, holder, amount, cancelled)) = m.payments.get_mut(nth) else {
                    continue;
                };
                let actor = if by_platform { Actor::system() } else { merchant.clone() };
                match cancel::cancel(&t.app, &actor, number, "").await {
                    Ok(_) => {
                        assert!(!*cancelled, "a payment is cancelled once");
                        *cancelled = true;
                        m.back[*holder] += *amount;
                    }
                    Err(kippu_app::AppError::Voucher(kippu_app::vouchers::VoucherError::Cancel(_))) => {}
                    Err(e) => panic!("unexpected refusal: {e}"),
                }
            }
            Op::Wait { hours } => {
                t.clock.advance(time::Duration::hours(hours));
                settlement::settle_due(&t.app).await.unwrap();
            }
        }
        for (h, token) in tokens.iter().enumerate() {
            let v = kippu_app::vouchers::holders::view(&t.app, token).await.unwrap();
            let balance = v.total_balance();
            assert!(balance >= 0);
            assert_eq!(balance, m.granted[h] - m.paid[h] + m.back[h], "holder {h}");
        }
    }
    t.clock.advance(time::Duration::days(40));
    settlement::settle_due(&t.app).await.unwrap();
    let uncancelled: i64 = m.payments.iter().filter(|p| !p.3).map(|p| p.2).sum();
    let settled = t
        .scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM voucher_settlements")
        .await;
    assert_eq!(settled, uncancelled, "the settlements add up to the uncancelled payments");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM voucher_payments WHERE cancelled_at IS NULL AND settlement_id IS NULL")
            .await,
        0,
        "every uncancelled payment is paid"
    );
    let paid: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT p.paid_at, s.period_start, s.period_end FROM voucher_payments p JOIN voucher_settlements s ON s.id = p.settlement_id",
    )
    .fetch_all(&mut *t.conn().await)
    .await
    .unwrap();
    for (at, start, end) in paid {
        let day = kippu_domain::clock::from_millis(at)
            .to_offset(kippu_domain::clock::JST)
            .date()
            .to_string();
        assert!(
            start <= day && day <= end,
            "a payment of {day} is paid in its own period, not {start}..{end}"
        );
    }
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM voucher_payments WHERE reversal_settlement_id IS NOT NULL AND settlement_id IS NULL")
            .await,
        0,
        "only a paid payment is taken back"
    );
    let period_sums = t
        .scalar(
            "SELECT COUNT(*) FROM voucher_settlements s WHERE s.paid_amount <> \
             (SELECT COALESCE(SUM(p.amount), 0) FROM voucher_payments p WHERE p.settlement_id = s.id)",
        )
        .await;
    assert_eq!(period_sums, 0, "each settlement is the sum of the payments it pays");
}

async fn holder_id(t: &TestApp, token: &str) -> i64 {
    kippu_app::vouchers::holders::holder(&t.app, token).await.unwrap().id
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 8, .. ProptestConfig::default() })]
    #[test]
    fn every_yen_of_every_voucher_reconciles(ops in prop::collection::vec(op(), 1..30)) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(play(ops));
    }
}
