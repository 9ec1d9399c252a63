//! Email through the real test SMTP server: password reset links, editable templates, retries.

use crate::harness::{TestApp, unique_email, wait_for_mail};
use kippu_domain::account::Role;
use time::Duration;

fn reset_path(body: &str) -> String {
    let start = body.find("/password/reset/").expect("reset link in the mail");
    body[start..].split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn password_reset_by_emailed_single_use_link() {
    let t = TestApp::spawn().await;
    let email = unique_email("reset");
    let initial = t.create_user(Role::MerchantAdmin, Some("DEMO1"), "reset-me", &email).await;
    let b = t.browser();
    // A stranger's failures from another address lock only that address.
    let stranger = crate::login_lock::browser_from(&t, [127, 0, 0, 2]);
    for _ in 0..5 {
        stranger.login("reset-me", "Wrong1234").await;
    }
    let sent = b.submit("/password/reset", "/password/reset", &[("login_id", "reset-me")]).await;
    assert_eq!(sent.status, 200);
    assert!(sent.body.contains("再設定用のURLをお送りしました"));

    let mail = wait_for_mail(&email, 0).await;
    assert_eq!(mail.subject, "【kippu】パスワード再設定のご案内");
    assert!(mail.body.contains("reset-me"));
    assert!(mail.body.contains(&t.base), "link points at this server: {}", mail.body);
    let link = reset_path(&mail.body);

    assert_eq!(b.get(&link).await.status, 200);
    let weak = b
        .submit(&link, &link, &[("new_password", "password"), ("confirm_password", "password")])
        .await;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("数字を含めてください"));
    let done = b
        .submit(&link, &link, &[("new_password", "Reset2026x"), ("confirm_password", "Reset2026x")])
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("パスワードを再設定しました"));

    // Single use.
    assert_eq!(b.get(&link).await.status, 410);
    // Old password gone, new one works, no forced change after a reset.
    assert_eq!(b.login("reset-me", &initial).await.status, 401);
    assert_eq!(b.login("reset-me", "Reset2026x").await.location.as_deref(), Some("/"));

    // The outbox records the delivery.
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, outbox) = api.get("/api/v1/outbox").await;
    let row = outbox
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["to"] == email.as_str())
        .expect("outbox row");
    assert_eq!(row["status"], "sent");
    assert_eq!(row["template_key"], "password_reset");
}

#[tokio::test]
async fn reset_links_expire_after_one_hour() {
    let t = TestApp::spawn().await;
    let email = unique_email("expire");
    t.create_user(Role::MerchantStaff, Some("DEMO2"), "expire-me", &email).await;
    let b = t.browser();
    b.submit("/password/reset", "/password/reset", &[("login_id", "expire-me")]).await;
    let link = reset_path(&wait_for_mail(&email, 0).await.body);
    t.clock.advance(Duration::minutes(59));
    assert_eq!(b.get(&link).await.status, 200);
    t.clock.advance(Duration::minutes(1));
    let expired = b.get(&link).await;
    assert_eq!(expired.status, 410);
    assert!(expired.body.contains("有効期限が切れているか"));
    let post = b
        .submit(
            "/password/reset",
            &link,
            &[("new_password", "Late12345"), ("confirm_password", "Late12345")],
        )
        .await;
    assert_eq!(post.status, 410);
    assert_eq!(b.login("expire-me", "Late12345").await.status, 401, "nothing changed");
}

#[tokio::test]
async fn unknown_login_ids_get_the_same_answer_and_no_mail() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    let p = b
        .submit("/password/reset", "/password/reset", &[("login_id", "no-such-user")])
        .await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("再設定用のURLをお送りしました"));
    let mut conn = t.conn().await;
    assert!(kippu_store::outbox::list(&mut conn, None, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn merchant_admin_edits_a_template_and_the_next_mail_uses_it() {
    let t = TestApp::spawn().await;
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let page = "/settings/templates/password_reset";

    // A misspelt placeholder is refused, naming the field and saving nothing.
    let bad = admin
        .submit(page, page, &[("action", "save"), ("subject", "件名"), ("body", "{{ nmae }} 様")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.text("[data-testid=err-body]").is_some(),
        "the error is beside the body: {}",
        bad.body
    );
    assert!(bad.text("[data-testid=err-subject]").is_none(), "the subject was fine");
    assert_eq!(
        bad.text("textarea[name=body]").as_deref(),
        Some("{{ nmae }} 様"),
        "what was typed stays"
    );

    // A bad subject and a bad body: both said at once.
    let both = admin
        .submit(page, page, &[("action", "save"), ("subject", " "), ("body", "{% if %}")])
        .await;
    assert_eq!(both.status, 422);
    assert_eq!(both.text("[data-testid=err-subject]").as_deref(), Some("件名を入力してください"));
    assert!(both.text("[data-testid=err-body]").is_some(), "{}", both.body);
    assert!(admin.get("/settings/templates").await.body.contains("標準"));

    let ok = admin
        .submit(
            page,
            page,
            &[
                ("action", "save"),
                ("subject", "【さくら劇場】再設定 {{ login_id }}"),
                ("body", "{{ name }} 様\n{{ reset_url }}\n"),
            ],
        )
        .await;
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains("保存しました"));

    // Staff may read but not change templates.
    let staff = t.browser();
    staff.login("demo1-staff", "Demo1Staff").await;
    let refused = staff
        .submit(page, page, &[("action", "save"), ("subject", "x"), ("body", "y")])
        .await;
    assert_eq!(refused.status, 403);

    let email = unique_email("tpl");
    t.create_user(Role::MerchantStaff, Some("DEMO1"), "tpl-user", &email).await;
    let other_email = unique_email("tpl2");
    t.create_user(Role::MerchantStaff, Some("DEMO2"), "tpl-user2", &other_email).await;
    let anon = t.browser();
    anon.submit("/password/reset", "/password/reset", &[("login_id", "tpl-user")]).await;
    anon.submit("/password/reset", "/password/reset", &[("login_id", "tpl-user2")])
        .await;
    let mine = wait_for_mail(&email, 0).await;
    assert_eq!(mine.subject, "【さくら劇場】再設定 tpl-user");
    let theirs = wait_for_mail(&other_email, 0).await;
    assert_eq!(theirs.subject, "【kippu】パスワード再設定のご案内", "DEMO2 keeps the default");

    // Restoring the default.
    admin.submit(page, page, &[("action", "reset")]).await;
    assert!(admin.get("/settings/templates").await.body.contains("標準"));
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_backoff_then_marked_failed() {
    // An SMTP server that is not there: every attempt fails.
    let t = TestApp::spawn_with(|c| c.smtp_url = Some("smtp://127.0.0.1:9".into())).await;
    let email = unique_email("bounce");
    t.create_user(Role::MerchantStaff, Some("DEMO1"), "bounce-user", &email).await;
    kippu_app::accounts::request_reset(&t.app, "bounce-user").await.unwrap();
    let transport = kippu_app::notify::mailer::Transport::from_config(&t.app).unwrap();

    let row = |t: &TestApp| {
        let store = t.app.store.clone();
        async move {
            let mut c = store.conn().await.unwrap();
            kippu_store::outbox::list(&mut c, None, 10)
                .await
                .unwrap()
                .into_iter()
                .next()
                .unwrap()
        }
    };
    // Wait for the background worker's first attempt.
    for _ in 0..100 {
        if row(&t).await.attempts >= 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let first = row(&t).await;
    assert_eq!(first.status, "retrying");
    assert_eq!(first.attempts, 1);
    assert!(!first.last_error.is_empty());
    // Not due again until the backoff has passed.
    assert_eq!(kippu_app::notify::mailer::deliver_due(&t.app, &transport).await.unwrap(), (0, 0));
    for _ in 0..10 {
        t.clock.advance(Duration::hours(1));
        kippu_app::notify::mailer::deliver_due(&t.app, &transport).await.unwrap();
    }
    let last = row(&t).await;
    assert_eq!(last.status, "failed");
    assert_eq!(last.attempts, kippu_app::notify::mailer::MAX_ATTEMPTS);

    // The admin sees it and can retry it.
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let outbox = admin.get("/settings/outbox").await;
    assert!(outbox.body.contains("失敗"));
    let retried = admin
        .submit("/settings/outbox", &format!("/settings/outbox/{}/retry", last.id), &[])
        .await;
    assert_eq!(retried.status, 303);
    let again = row(&t).await;
    assert!(again.status == "retrying" || again.status == "sending" || again.attempts > last.attempts);
}

#[tokio::test]
async fn a_mail_to_an_address_the_mailer_cannot_read_fails_at_once_with_the_reason() {
    // An address kept before the forms checked addresses as the mailer reads them.
    let t = TestApp::spawn_with(|c| c.smtp_url = Some("smtp://127.0.0.1:9".into())).await;
    let email = unique_email("unreadable");
    t.create_user(Role::MerchantStaff, Some("DEMO1"), "unreadable-user", &email).await;
    {
        let mut c = t.conn().await;
        sqlx::query("UPDATE users SET email = 'a..b@example.jp' WHERE login_id = 'unreadable-user'")
            .execute(&mut *c)
            .await
            .unwrap();
    }
    kippu_app::accounts::request_reset(&t.app, "unreadable-user").await.unwrap();
    let transport = kippu_app::notify::mailer::Transport::from_config(&t.app).unwrap();
    kippu_app::notify::mailer::deliver_due(&t.app, &transport).await.unwrap();
    let mut c = t.conn().await;
    let row = kippu_store::outbox::list(&mut c, None, 50)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.to_addr == "a..b@example.jp")
        .expect("the reset mail was queued");
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 1), "never retried");
    assert!(row.last_error.contains("a..b@example.jp"), "{}", row.last_error);
}
