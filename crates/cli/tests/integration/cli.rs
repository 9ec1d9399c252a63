//! The `kippu` binary, black-box: commands, bad input, one-line errors.

use std::process::Command;

pub(crate) fn kippu(args: &[&str], envs: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kippu"));
    cmd.args(args)
        .env_remove("KIPPU_DATABASE_URL")
        .env_remove("KIPPU_FAKE_NOW")
        .env("KIPPU_LOG", "error");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["demo", "--help"],
        vec!["user", "create", "--help"],
        vec!["token", "create", "--help"],
        vec!["channel", "create", "--help"],
        vec!["merchant", "create", "--help"],
        vec!["merchant", "suspend", "--help"],
        vec!["merchant", "resume", "--help"],
        vec!["jobs", "run", "--help"],
        vec!["voucher", "program", "create", "--help"],
        vec!["voucher", "enrol", "--help"],
    ] {
        let (code, out, _) = kippu(&args, &[]);
        assert_eq!(code, 0, "{args:?}");
        assert!(out.contains("Usage"), "{args:?}: {out}");
    }
}

#[test]
fn bad_arguments_get_one_clear_error() {
    let (code, _, err) = kippu(&["serve", "--bogus"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("unexpected argument '--bogus'"), "{err}");

    let (code, _, err) = kippu(&["serve", "--listen", "localhost-ish"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("--listen"), "{err}");

    let (code, _, err) = kippu(&["migrate", "--database-url", "postgres://nobody@127.0.0.1:1/nothing"], &[]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: cannot open database postgres://nobody@127.0.0.1:1/nothing"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");

    let (code, _, err) = kippu(&["migrate", "--database-url", "mysql://x"], &[]);
    assert_eq!(code, 1);
    assert!(err.contains("unsupported database URL"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("k.db").display());
    let (code, _, err) = kippu(&["demo", "--database-url", &url], &[("KIPPU_FAKE_NOW", "tomorrow")]);
    assert_eq!(code, 1);
    assert!(err.contains("KIPPU_FAKE_NOW") && err.contains("RFC 3339"), "{err}");

    let (code, _, err) = kippu(&["user", "create", "--role", "king", "--login", "x"], &[]);
    assert_eq!(code, 1);
    assert!(err.contains("is not a role"), "{err}");
}

#[tokio::test]
async fn migrate_demo_user_and_token_on_a_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::harness::fresh_database_url(dir.path()).await;
    let db = [("KIPPU_DATABASE_URL", url.as_str())];
    let (code, out, err) = kippu(&["migrate"], &db);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("applied migrations [1, 2"), "{out}");
    let (_, out, _) = kippu(&["migrate"], &db);
    assert!(out.contains("up to date"));

    let (code, out, _) = kippu(&["demo"], &db);
    assert_eq!(code, 0);
    assert!(out.contains("demo1-admin") && out.contains("Demo1Admin") && out.contains("operator"));
    assert!(out.contains("demo orders: 56"), "{out}");
    let (code, out2, _) = kippu(&["demo"], &db);
    assert_eq!(code, 0, "demo is idempotent");
    assert!(!out2.contains("demo orders"), "no second set of orders: {out2}");
    {
        let store = kippu_store::Store::connect(&url).await.unwrap();
        let mut c = store.conn().await.unwrap();
        let statuses: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT status) FROM orders WHERE kind <> 'goods'")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(statuses, 7, "every status of the web-ticket flows is in the demo");
        let methods: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT payment_method) FROM orders WHERE kind <> 'goods'")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(methods, 5);
        let goods_methods: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT payment_method) FROM orders WHERE kind = 'goods'")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(goods_methods, 6, "every goods payment method is in the demo");
        let goods_states: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT status || payment_status) FROM orders WHERE kind = 'goods'")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(goods_states, 4, "通常処理・未入金, 通常処理・入金済, 処理済み and キャンセル");
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&mut *c).await.unwrap();
        assert_eq!(
            orders, 58,
            "16 web-ticket orders, 3 reservations and 9 goods orders per merchant, and DEMO1's two 定期 first orders"
        );
    }

    let (code, out, err) = kippu(
        &[
            "user",
            "create",
            "--role",
            "call_centre",
            "--merchant",
            "DEMO1",
            "--login",
            "cc-new",
            "--admin-settings",
        ],
        &db,
    );
    assert_eq!(code, 0, "{err}");
    let pw = out
        .lines()
        .find_map(|l| l.strip_prefix("initial password: "))
        .expect("prints the password")
        .to_string();
    assert!(kippu_domain::password::check(&pw).is_empty());
    let (code, _, err) = kippu(
        &[
            "user",
            "create",
            "--role",
            "call_centre",
            "--merchant",
            "DEMO1",
            "--login",
            "cc-new",
        ],
        &db,
    );
    assert_eq!(code, 1);
    assert!(err.contains("既に使われています"), "{err}");
    let (code, _, err) = kippu(
        &[
            "user",
            "create",
            "--role",
            "merchant_staff",
            "--merchant",
            "NOPE",
            "--login",
            "zz-1",
        ],
        &db,
    );
    assert_eq!(code, 1);
    assert!(err.contains("NOPE"), "{err}");

    let (code, out, _) = kippu(&["token", "create", "--merchant", "DEMO2", "--name", "ota"], &db);
    assert_eq!(code, 0);
    assert!(out.trim().starts_with("kpt_") && out.trim().len() > 40);
    let (code, _, err) = kippu(&["token", "create", "--name", "x"], &db);
    assert_eq!(code, 2, "--merchant or --platform is required: {err}");
    let (code, out, _) = kippu(&["token", "create", "--platform", "--name", "ops"], &db);
    assert_eq!(code, 0);
    assert!(out.starts_with("kpt_"));

    // An OTA is added from the command line too, and its token bound to it.
    let (code, out, err) = kippu(
        &["channel", "create", "--merchant", "DEMO2", "--code", "ota2", "--name", "じゃらん"],
        &db,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created channel OTA2 for DEMO2"), "{out}");
    let (code, _, err) = kippu(
        &["channel", "create", "--merchant", "DEMO2", "--code", "OTA2", "--name", "again"],
        &db,
    );
    assert_eq!(code, 1);
    assert!(err.contains("OTA2 は既にあります"), "{err}");
    let (code, _, err) = kippu(&["channel", "create", "--merchant", "NOPE", "--code", "OTA3", "--name", "x"], &db);
    assert_eq!(code, 1);
    assert!(err.contains("NOPE"), "{err}");
    let (code, out, _) = kippu(
        &["token", "create", "--merchant", "DEMO2", "--channel", "OTA2", "--name", "jalan"],
        &db,
    );
    assert_eq!(code, 0);
    assert!(out.starts_with("kpt_"));

    let (code, out, _) = kippu(
        &["jobs", "run"],
        &[db[0], ("KIPPU_OUTBOX_DIR", dir.path().join("out").to_str().unwrap())],
    );
    assert_eq!(code, 0);
    assert!(out.contains("email delivery"));
    assert!(out.contains("no-show sweep: 0 reservations turned no-show"), "{out}");
}

#[test]
fn openapi_is_printable() {
    let (code, out, _) = kippu(&["openapi"], &[]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["info"]["title"], "kippu API");
}

#[tokio::test]
async fn kippu_fake_now_sets_the_clock_of_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::harness::fresh_database_url(dir.path()).await;
    let (code, _, err) = kippu(
        &["demo"],
        &[
            ("KIPPU_DATABASE_URL", url.as_str()),
            ("KIPPU_FAKE_NOW", "2030-04-01T09:00:00+09:00"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("fake clock"), "a loud warning: {err}");
    let store = kippu_store::Store::connect(&url).await.unwrap();
    let mut c = store.conn().await.unwrap();
    let created: i64 = sqlx::query_scalar("SELECT MIN(created_at) FROM merchants")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    let t = kippu_domain::clock::from_millis(created);
    assert_eq!(
        kippu_domain::clock::format_jst(t)[..13],
        *"2030-04-01 09",
        "created at the fake instant: {t}"
    );
    // Demo stock starts on the fake "today".
    let first: String = sqlx::query_scalar("SELECT MIN(stock_date) FROM stock WHERE stock_date <> ''")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(first, "2030-04-01");
    drop(c);
    // `kippu jobs run` "next month": April's payouts are made once, whatever the reruns.
    // Mail goes to this test's own outbox folder, never into the source tree.
    let outbox = dir.path().join("outbox");
    let env = [
        ("KIPPU_DATABASE_URL", url.as_str()),
        ("KIPPU_FAKE_NOW", "2030-05-01T00:10:00+09:00"),
        ("KIPPU_OUTBOX_DIR", outbox.to_str().unwrap()),
    ];
    let (code, out, err) = kippu(&["jobs", "run"], &env);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("settlements: 2 made for last month"), "{out}");
    let (_, out, _) = kippu(&["jobs", "run"], &env);
    assert!(out.contains("settlements: 0 made for last month"), "{out}");
    let mut c = store.conn().await.unwrap();
    let periods: Vec<String> = sqlx::query_scalar("SELECT DISTINCT period_start FROM settlements")
        .fetch_all(&mut *c)
        .await
        .unwrap();
    assert_eq!(periods, vec!["2030-04-01".to_string()]);
}

#[tokio::test]
async fn an_operator_onboards_suspends_and_resumes_a_merchant_from_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::harness::fresh_database_url(dir.path()).await;
    let db = [("KIPPU_DATABASE_URL", url.as_str())];
    assert_eq!(kippu(&["migrate"], &db).0, 0);
    let create = |code: &'static str, kana: &'static str, invoice: &'static str| {
        let args = [
            "merchant",
            "create",
            "--code",
            code,
            "--name",
            "うめ商店",
            "--kana",
            kana,
            "--email",
            "info@ume.example",
            "--admin-login",
            "ume-admin",
            "--invoice-number",
            invoice,
        ];
        kippu(&args, &db)
    };
    // Every bad field at once, one per line; nothing created.
    let (code, _, err) = create("u", "Ume", "T12");
    assert_eq!(code, 1);
    for field in ["code:", "kana:", "invoice_number:"] {
        assert!(err.contains(field), "{field} in {err}");
    }
    let (code, out, err) = create("UME", "うめしょうてん", "");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created merchant UME with admin ume-admin"), "{out}");
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("initial password: "))
        .expect("the initial password, once");
    assert!(kippu_domain::password::check(password).is_empty(), "{password}");

    let (code, out, _) = kippu(&["merchant", "suspend", "UME"], &db);
    assert_eq!((code, out.trim()), (0, "UME suspended"));
    let (code, _, err) = kippu(&["merchant", "suspend", "UME"], &db);
    assert_eq!(code, 1);
    assert!(err.contains("すでに停止中"), "{err}");
    assert_eq!(kippu(&["merchant", "resume", "UME"], &db).0, 0);
    let (code, _, err) = kippu(&["merchant", "resume", "NOPE"], &db);
    assert_eq!(code, 1, "{err}");
}
