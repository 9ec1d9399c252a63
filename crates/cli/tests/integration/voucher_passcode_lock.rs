//! The passcode lock counts wrong guesses, whatever comes between them (issue 25, item 4): a
//! right passcode does not wipe the wrong ones before it (even when its payment is refused),
//! only a completed payment does; guesses sent at once are counted one after another, so no
//! more than five are checked before the lock.

use crate::harness::TestApp;
use crate::voucher_world::VoucherWorld;
use serde_json::json;

const PAY: &str = "/api/v1/voucher-payments";

/// A six-digit passcode no terminal of the world has.
fn wrong(w: &VoucherWorld) -> &'static str {
    ["000000", "000001", "999999"]
        .into_iter()
        .find(|p| *p != w.terminal.passcode && *p != w.outsider.passcode)
        .unwrap()
}

async fn guess(t: &TestApp, w: &VoucherWorld, key: &str, passcode: &str, amount: i64) -> (u16, Option<String>) {
    let (status, r) = w
        .phone(t)
        .post_with_key(PAY, key, json!({"passcode": passcode, "amount": amount}))
        .await;
    (status, r["error"]["code"].as_str().map(str::to_string))
}

#[tokio::test]
async fn a_right_passcode_whose_payment_is_refused_does_not_forget_the_wrong_ones() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    for i in 0..4 {
        assert_eq!(guess(&t, &w, &format!("g{i}"), wrong(&w), 100).await.0, 404);
    }
    // The right passcode with more than the balance: refused, and the four still count.
    let (status, code) = guess(&t, &w, "too-much", &w.terminal.passcode, 50_000).await;
    assert_eq!((status, code.as_deref()), (409, Some("insufficient_balance")));
    let (status, code) = guess(&t, &w, "g5", wrong(&w), 100).await;
    assert_eq!(
        (status, code.as_deref()),
        (429, Some("passcode_locked")),
        "the fifth wrong guess locks"
    );
}

#[tokio::test]
async fn a_completed_payment_forgets_the_wrong_guesses_before_it() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    for i in 0..4 {
        assert_eq!(guess(&t, &w, &format!("a{i}"), wrong(&w), 100).await.0, 404);
    }
    assert_eq!(guess(&t, &w, "paid", &w.terminal.passcode, 100).await.0, 201);
    for i in 0..4 {
        assert_eq!(
            guess(&t, &w, &format!("b{i}"), wrong(&w), 100).await.0,
            404,
            "counting starts afresh"
        );
    }
}

#[tokio::test]
async fn forty_guesses_with_right_passcodes_between_them_are_locked_after_five_wrong() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let mut checked = 0;
    for i in 0..40 {
        // Every other attempt is the right passcode for an amount the balance cannot cover.
        if i % 2 == 1 {
            let _ = guess(&t, &w, &format!("r{i}"), &w.terminal.passcode, 50_000).await;
            continue;
        }
        if guess(&t, &w, &format!("w{i}"), wrong(&w), 100).await.0 == 404 {
            checked += 1;
        }
    }
    assert_eq!(checked, 4, "four wrong guesses answered, the fifth and after locked");
}

#[tokio::test]
async fn a_hundred_guesses_at_once_check_at_most_five() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let mut at_once = tokio::task::JoinSet::new();
    for i in 0..100 {
        let phone = w.phone(&t);
        let passcode = wrong(&w);
        at_once.spawn(async move {
            let (status, _) = phone
                .post_with_key(PAY, &format!("p{i}"), json!({"passcode": passcode, "amount": 100}))
                .await;
            status
        });
    }
    let statuses = at_once.join_all().await;
    let checked = statuses.iter().filter(|s| **s == 404).count();
    let locked = statuses.iter().filter(|s| **s == 429).count();
    assert!(checked <= 4, "{checked} guesses were checked before the lock");
    assert_eq!(checked + locked, 100, "every guess is answered: {statuses:?}");
}
