//! Sign-in, lockout, forced password change, password rule.

use crate::harness::TestApp;
use kippu_domain::account::Role;
use time::Duration;

#[tokio::test]
async fn demo_admin_logs_in_and_out() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let p = b.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(p.location.as_deref(), Some("/"));
    let home = b.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("さくら劇場"), "merchant name is shown beside the account");
    let out = b.submit("/", "/logout", &[]).await;
    assert_eq!(out.location.as_deref(), Some("/login"));
    assert_eq!(b.get("/orders").await.status, 303, "signed out: back to the login page");
}

#[tokio::test]
async fn wrong_password_is_refused_without_saying_which_part_was_wrong() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let wrong_pw = b.login("demo1-admin", "Wrong1234").await;
    let no_user = b.login("nobody-here", "Wrong1234").await;
    assert_eq!(wrong_pw.status, 401);
    assert_eq!(no_user.status, 401);
    assert!(wrong_pw.body.contains("ログインIDまたはパスワードが正しくありません"));
    assert!(no_user.body.contains("ログインIDまたはパスワードが正しくありません"));
}

#[tokio::test]
async fn five_failures_from_one_address_lock_it_for_fifteen_minutes() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    for i in 1..=4 {
        let p = b.login("demo1-staff", "Wrong1234").await;
        assert_eq!(p.status, 401, "attempt {i}");
    }
    let fifth = b.login("demo1-staff", "Wrong1234").await;
    assert_eq!(fifth.status, 429);
    assert!(fifth.body.contains("ロックされています"), "{}", fifth.body);
    assert!(fifth.body.contains("15分後"));
    // Even the right password is refused from that address while locked.
    let right = b.login("demo1-staff", "Demo1Staff").await;
    assert_eq!(right.status, 429);
    t.clock.advance(Duration::minutes(14));
    assert_eq!(b.login("demo1-staff", "Demo1Staff").await.status, 429);
    t.clock.advance(Duration::minutes(1));
    let after = b.login("demo1-staff", "Demo1Staff").await;
    assert_eq!(after.status, 303, "unlocked after 15 minutes: {}", after.body);
}

#[tokio::test]
async fn a_lock_looks_the_same_for_an_unknown_login_id() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let mut last = None;
    for _ in 0..5 {
        last = Some(b.login("ghost-account", "Wrong1234").await);
    }
    let last = last.unwrap();
    assert_eq!(last.status, 429);
    assert!(last.body.contains("ロックされています"));
}

#[tokio::test]
async fn initial_password_must_be_changed_before_anything_else() {
    let t = TestApp::spawn().await;
    let initial = t.create_user(Role::MerchantStaff, Some("DEMO1"), "new-staff", "").await;
    let b = t.browser();
    let p = b.login("new-staff", &initial).await;
    assert_eq!(p.location.as_deref(), Some("/password/change"));
    // Every other page sends the user back to the change.
    for path in ["/", "/orders", "/settings", "/proxy/customers"] {
        assert_eq!(b.get(path).await.location.as_deref(), Some("/password/change"), "{path}");
    }
    let page = b.get("/password/change").await;
    assert!(page.body.contains("初期パスワードのままです"));
    assert!(
        !page.body.contains("current_password"),
        "the forced change does not ask for the password just typed"
    );

    // The rule names each missing part.
    let weak = b
        .submit(
            "/password/change",
            "/password/change",
            &[("new_password", "abcdefgh"), ("confirm_password", "abcdefgh")],
        )
        .await;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("数字を含めてください"), "{}", weak.body);
    assert!(weak.body.contains("英大文字を含めてください"));
    assert!(!weak.body.contains("英小文字を含めてください"));
    let short = b
        .submit(
            "/password/change",
            "/password/change",
            &[("new_password", "Ab1"), ("confirm_password", "Ab1")],
        )
        .await;
    assert!(short.body.contains("8文字以上にしてください"));
    let mismatch = b
        .submit(
            "/password/change",
            "/password/change",
            &[("new_password", "Newpass123"), ("confirm_password", "Newpass124")],
        )
        .await;
    assert!(mismatch.body.contains("一致しません"));
    assert_eq!(
        b.get("/orders").await.location.as_deref(),
        Some("/password/change"),
        "still forced after refusals"
    );

    let ok = b
        .submit(
            "/password/change",
            "/password/change",
            &[("new_password", "Newpass123"), ("confirm_password", "Newpass123")],
        )
        .await;
    assert_eq!(ok.location.as_deref(), Some("/"));
    assert_eq!(b.get("/orders").await.status, 200);

    // The initial password no longer works; the new one does and is not forced again.
    let other = t.browser();
    assert_eq!(other.login("new-staff", &initial).await.status, 401);
    assert_eq!(other.login("new-staff", "Newpass123").await.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn voluntary_change_needs_the_current_password_and_ends_other_sessions() {
    let t = TestApp::spawn().await;
    let a = t.browser();
    let other = t.browser();
    a.login("demo2-admin", "Demo2Admin").await;
    other.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(other.get("/orders").await.status, 200);

    let wrong = a
        .submit(
            "/password/change",
            "/password/change",
            &[
                ("current_password", "Nope12345"),
                ("new_password", "Changed123"),
                ("confirm_password", "Changed123"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("現在のパスワードが正しくありません"));

    let ok = a
        .submit(
            "/password/change",
            "/password/change",
            &[
                ("current_password", "Demo2Admin"),
                ("new_password", "Changed123"),
                ("confirm_password", "Changed123"),
            ],
        )
        .await;
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains("パスワードを変更しました"));
    assert_eq!(a.get("/orders").await.status, 200, "this session stays");
    assert_eq!(other.get("/orders").await.status, 303, "the other session ended");
}

#[tokio::test]
async fn sessions_expire_after_twelve_idle_hours() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    t.clock.advance(Duration::hours(11));
    assert_eq!(b.get("/orders").await.status, 200, "activity extends the session");
    t.clock.advance(Duration::hours(12) + Duration::minutes(1));
    assert_eq!(b.get("/orders").await.status, 303);
}
