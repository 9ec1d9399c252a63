//! 設定 → ユーザー: the merchant's admin invites staff by email (the invited person sets their
//! own password through a single-use link), disables and enables accounts; nothing is deleted,
//! staff cannot do it, and another merchant's accounts are out of reach.

use crate::harness::{Browser, TestApp, unique_email, wait_for_mail};

fn link_in(body: &str) -> String {
    let start = body.find("/password/reset/").expect("a link in the invitation");
    body[start..].split_whitespace().next().unwrap().to_string()
}

async fn admin(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b
}

async fn invite(b: &Browser, login: &str, email: &str) -> crate::harness::Page {
    b.submit(
        "/settings/users",
        "/settings/users",
        &[
            ("login_id", login),
            ("display_name", "佐藤 次郎"),
            ("email", email),
            ("role", "merchant_staff"),
        ],
    )
    .await
}

#[tokio::test]
async fn an_invited_person_sets_their_own_password_through_the_emailed_link() {
    let t = TestApp::spawn().await;
    let a = admin(&t).await;
    let email = unique_email("invite");
    let sent = invite(&a, "sakura-jiro", &email).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let list = a.get("/settings/users").await;
    assert!(list.text("[data-testid=flash-message]").unwrap().contains("sakura-jiro"));
    let mail = wait_for_mail(&email, 0).await;
    assert_eq!(mail.subject, "【kippu】さくら劇場 のアカウントのご案内");
    let link = link_in(&mail.body);
    let jiro = t.browser();
    assert_eq!(
        jiro.login("sakura-jiro", "anything1A").await.status,
        401,
        "no password before the link"
    );
    let set = jiro
        .submit(&link, &link, &[("new_password", "Jiro2026pw"), ("confirm_password", "Jiro2026pw")])
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(jiro.login("sakura-jiro", "Jiro2026pw").await.location.as_deref(), Some("/"));
    assert_eq!(jiro.get(&link).await.status, 410, "the link works once");
}

#[tokio::test]
async fn an_invitation_with_three_bad_fields_says_so_beside_each() {
    let t = TestApp::spawn().await;
    let a = admin(&t).await;
    let bad = a
        .submit(
            "/settings/users",
            "/settings/users",
            &[
                ("login_id", "x"),
                ("display_name", " "),
                ("email", "nope"),
                ("role", "merchant_staff"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    for f in ["login_id", "display_name", "email"] {
        assert!(bad.text(&format!("[data-testid=err-{f}]")).is_some(), "{f}: {}", bad.body);
    }
    assert_eq!(bad.attr("input[name=email]", "value").as_deref(), Some("nope"));
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_and_cannot_sign_in_until_enabled() {
    let t = TestApp::spawn().await;
    let a = admin(&t).await;
    let staff = t.browser();
    staff.login("demo1-staff", "Demo1Staff").await;
    assert_eq!(staff.get("/orders").await.status, 200);
    let off = a
        .submit("/settings/users", "/settings/users/demo1-staff/disabled", &[("disabled", "1")])
        .await;
    assert_eq!(off.status, 303);
    assert_eq!(
        a.get("/settings/users").await.text("[data-testid=state-demo1-staff]").as_deref(),
        Some("無効")
    );
    assert_ne!(staff.get("/orders").await.status, 200, "the open session ended");
    assert_eq!(t.browser().login("demo1-staff", "Demo1Staff").await.status, 401);
    a.submit("/settings/users", "/settings/users/demo1-staff/disabled", &[("disabled", "0")])
        .await;
    assert_eq!(t.browser().login("demo1-staff", "Demo1Staff").await.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn staff_cannot_manage_users_and_an_admin_cannot_reach_another_merchants() {
    let t = TestApp::spawn().await;
    let staff = t.browser();
    staff.login("demo1-staff", "Demo1Staff").await;
    assert_eq!(invite(&staff, "sneaky", &unique_email("sneaky")).await.status, 403);
    assert!(
        staff
            .get("/settings/users")
            .await
            .attr("[data-testid=invite-form]", "action")
            .is_none()
    );
    let a = admin(&t).await;
    let other = a
        .submit("/settings/users", "/settings/users/demo2-staff/disabled", &[("disabled", "1")])
        .await;
    assert_eq!(other.status, 404);
    assert_eq!(t.browser().login("demo2-staff", "Demo2Staff").await.location.as_deref(), Some("/"));
    let me = a
        .submit("/settings/users", "/settings/users/demo1-admin/disabled", &[("disabled", "1")])
        .await;
    assert_eq!(me.status, 303);
    assert!(
        a.get("/settings/users")
            .await
            .attr("[data-testid=flash]", "class")
            .unwrap()
            .contains("error")
    );
}

#[tokio::test]
async fn the_admin_sends_a_reset_link_and_sets_an_operators_admin_only_settings() {
    let t = TestApp::spawn().await;
    let a = admin(&t).await;
    let email = unique_email("reset");
    invite(&a, "sakura-goro", &email).await;
    let _invitation = wait_for_mail(&email, 0).await;
    let sent = a.submit("/settings/users", "/settings/users/sakura-goro/reset", &[]).await;
    assert_eq!(sent.status, 303);
    assert!(
        a.get("/settings/users")
            .await
            .text("[data-testid=flash-message]")
            .unwrap()
            .contains("パスワード再設定メール")
    );
    let mail = wait_for_mail(&email, 1).await;
    let link = link_in(&mail.body);
    let goro = t.browser();
    let set = goro
        .submit(&link, &link, &[("new_password", "Goro2026pw"), ("confirm_password", "Goro2026pw")])
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(goro.login("sakura-goro", "Goro2026pw").await.location.as_deref(), Some("/"));
    // Another merchant's account is not found.
    assert_eq!(
        a.submit("/settings/users", "/settings/users/demo2-admin/reset", &[]).await.status,
        404
    );

    // 「管理者専用設定を表示する」 is a call-centre operator's switch only.
    let cc = t
        .create_user(kippu_domain::account::Role::CallCentre, Some("DEMO1"), "sakura-cc", "")
        .await;
    let operator = t.browser();
    operator.login("sakura-cc", &cc).await;
    operator
        .submit(
            "/password/change",
            "/password/change",
            &[("new_password", "Sakura2026cc"), ("confirm_password", "Sakura2026cc")],
        )
        .await;
    let add = |code: &'static str| {
        let op = &operator;
        async move {
            op.submit(
                "/reservations/channels",
                "/reservations/channels",
                &[("code", code), ("name", "じゃらん")],
            )
            .await
            .status
        }
    };
    assert_eq!(add("OTA7").await, 403, "not yet");
    let on = a
        .submit(
            "/settings/users",
            "/settings/users/sakura-cc/admin-settings",
            &[("admin_settings", "1")],
        )
        .await;
    assert_eq!(on.status, 303);
    let page = a.get("/settings/users").await;
    assert_eq!(
        page.text("[data-testid=admin-settings-sakura-cc]").as_deref(),
        Some("管理者専用設定を表示しない")
    );
    assert_eq!(add("OTA8").await, 303, "the operator may now change the merchant's settings");
    let staff_switch = a
        .submit(
            "/settings/users",
            "/settings/users/sakura-goro/admin-settings",
            &[("admin_settings", "1")],
        )
        .await;
    assert_eq!(staff_switch.status, 303);
    assert!(
        a.get("/settings/users")
            .await
            .text("[data-testid=flash-message]")
            .unwrap()
            .contains("コールセンター"),
        "refused with the reason"
    );
}
