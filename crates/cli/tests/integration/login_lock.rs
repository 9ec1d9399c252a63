//! Sign-in throttling that costs the attacker, not the user: per-address and per-account
//! counters with exponential backoff, the lock's end on the page, the emailed unlock link.

use crate::harness::{Browser, TestApp, unique_email, wait_for_mail};
use kippu_domain::account::Role;
use kippu_domain::clock::Clock;
use time::Duration;

/// A browser connecting from another loopback address (127.0.0.0/8 is all local on Linux), so
/// the server sees a different client address, as it would for another person.
pub fn browser_from(t: &TestApp, ip: [u8; 4]) -> Browser {
    Browser {
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .local_address(std::net::IpAddr::from(ip))
            .build()
            .unwrap(),
        base: t.base.clone(),
    }
}

fn unlock_path(body: &str) -> String {
    let start = body.find("/login/unlock/").expect("unlock link in the mail");
    body[start..].split_whitespace().next().unwrap().to_string()
}

/// Locks `login` account-wide: five failures from each of four addresses.
async fn lock_account_from_many_addresses(t: &TestApp, login: &str) {
    for last in 2..=5u8 {
        let stranger = browser_from(t, [127, 0, 0, last]);
        for _ in 0..5 {
            stranger.login(login, "Wrong1234").await;
        }
    }
}

#[tokio::test]
async fn a_strangers_failures_from_one_address_do_not_stop_the_owner_elsewhere() {
    let t = TestApp::spawn().await;
    let stranger = browser_from(&t, [127, 0, 0, 2]);
    for _ in 0..6 {
        stranger.login("demo1-staff", "Wrong1234").await;
    }
    assert_eq!(stranger.login("demo1-staff", "Demo1Staff").await.status, 429, "the stranger waits");
    let owner = browser_from(&t, [127, 0, 0, 3]);
    let p = owner.login("demo1-staff", "Demo1Staff").await;
    assert_eq!(p.status, 303, "the owner signs in from elsewhere: {}", p.body);
}

#[tokio::test]
async fn the_wait_doubles_with_each_further_failure() {
    let t = TestApp::spawn().await;
    let b = browser_from(&t, [127, 0, 0, 2]);
    for _ in 0..5 {
        b.login("demo1-staff", "Wrong1234").await;
    }
    assert!(b.login("demo1-staff", "Wrong1234").await.body.contains("15分後"));
    t.clock.advance(Duration::minutes(15));
    let sixth = b.login("demo1-staff", "Wrong1234").await;
    assert_eq!(sixth.status, 429);
    assert!(sixth.body.contains("30分後"), "{}", sixth.body);
    t.clock.advance(Duration::minutes(30));
    let seventh = b.login("demo1-staff", "Wrong1234").await;
    assert!(seventh.body.contains("60分後"), "{}", seventh.body);
}

#[tokio::test]
async fn the_login_page_says_until_when_in_japan_time() {
    let t = TestApp::spawn().await;
    let b = browser_from(&t, [127, 0, 0, 2]);
    let until = kippu_domain::clock::datetime_with_weekday(t.clock.now() + Duration::minutes(15), false);
    let mut last = None;
    for _ in 0..5 {
        last = Some(b.login("demo1-staff", "Wrong1234").await);
    }
    let last = last.unwrap();
    assert_eq!(last.status, 429);
    assert!(last.body.contains(&format!("{until}まで")), "{until} in {}", last.body);
}

#[tokio::test]
async fn the_emailed_unlock_link_lifts_an_account_lock_once() {
    let t = TestApp::spawn().await;
    let email = unique_email("unlock");
    let initial = t.create_user(Role::MerchantAdmin, Some("DEMO1"), "unlock-me", &email).await;
    lock_account_from_many_addresses(&t, "unlock-me").await;
    let owner = browser_from(&t, [127, 0, 0, 6]);
    assert_eq!(owner.login("unlock-me", &initial).await.status, 429, "locked account-wide");

    let mail = wait_for_mail(&email, 0).await;
    assert_eq!(mail.subject, "【kippu】アカウントがロックされました");
    let link = unlock_path(&mail.body);
    assert_eq!(owner.get(&link).await.status, 200);
    let done = owner.submit(&link, &link, &[]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("ロックを解除しました"));
    assert_eq!(
        owner.login("unlock-me", &initial).await.location.as_deref(),
        Some("/password/change")
    );
    // Once only.
    assert_eq!(browser_from(&t, [127, 0, 0, 7]).get(&link).await.status, 410);
}

#[tokio::test]
async fn the_unlock_link_expires_after_an_hour() {
    let t = TestApp::spawn().await;
    let email = unique_email("unlock-late");
    t.create_user(Role::MerchantAdmin, Some("DEMO1"), "unlock-late", &email).await;
    lock_account_from_many_addresses(&t, "unlock-late").await;
    let link = unlock_path(&wait_for_mail(&email, 0).await.body);
    t.clock.advance(Duration::minutes(61));
    let owner = browser_from(&t, [127, 0, 0, 6]);
    let page = owner.get(&link).await;
    assert_eq!(page.status, 410);
    assert!(page.body.contains("有効期限切れ"));
}

#[tokio::test]
async fn a_throttled_address_still_signs_in_to_other_accounts() {
    let t = TestApp::spawn().await;
    let office = browser_from(&t, [127, 0, 0, 2]);
    for _ in 0..6 {
        office.login("someone-mistyped", "Wrong1234").await;
    }
    assert_eq!(office.login("someone-mistyped", "Wrong1234").await.status, 429, "that ID waits");
    let p = office.login("demo1-staff", "Demo1Staff").await;
    assert_eq!(p.status, 303, "a colleague at the same address signs in: {}", p.body);
}

#[tokio::test]
async fn spraying_many_login_ids_from_one_address_is_stopped() {
    let t = TestApp::spawn().await;
    let sprayer = browser_from(&t, [127, 0, 0, 2]);
    for i in 0..kippu_domain::login_backoff::ADDRESS_THRESHOLD {
        sprayer.login(&format!("guess-{i}"), "Wrong1234").await;
    }
    assert_eq!(sprayer.login("demo1-staff", "Demo1Staff").await.status, 429, "the address waits");
    let owner = browser_from(&t, [127, 0, 0, 3]);
    assert_eq!(owner.login("demo1-staff", "Demo1Staff").await.status, 303, "others are not held up");
}
