//! 精算 of vouchers: each period settled once per merchant after its cancel window closed, to
//! the yen of its uncancelled payments; a payment the platform cancels after it was paid is
//! taken back once in the next settlement; the merchant's 精算管理, statements and データ出力.

use crate::harness::TestApp;
use crate::voucher_world::VoucherWorld;
use kippu_app::Actor;
use kippu_app::vouchers::{cancel, settlement};
use serde_json::json;

const PAY: &str = "/api/v1/voucher-payments";

async fn pay(t: &TestApp, w: &VoucherWorld, key: &str, amount: i64) -> String {
    let (status, r) = w.pay_qr(t, key, json!(amount)).await;
    assert_eq!(status, 201, "{r}");
    r["payment_number"].as_str().unwrap().to_string()
}

fn days(n: i64) -> time::Duration {
    time::Duration::days(n)
}

#[tokio::test]
async fn a_period_is_settled_once_to_the_yen_of_its_uncancelled_payments() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    // 2026-11-24: in the period 15–30 Nov, paid on 15 Dec.
    pay(&t, &w, "a", 1200).await;
    let cancelled = pay(&t, &w, "b", 700).await;
    pay(&t, &w, "c", 300).await;
    cancel::cancel(&t.app, &Actor::system(), &cancelled, "誤り").await.unwrap();
    assert_eq!(settlement::settle_due(&t.app).await.unwrap(), 0, "the period has not ended");
    t.clock.advance(days(8)); // 2 Dec: 15–30 Nov is due (its last cancel window closed on 1 Dec)
    let made = settlement::settle_due(&t.app).await.unwrap();
    assert!(made >= 1);
    assert_eq!(settlement::settle_due(&t.app).await.unwrap(), 0, "a second run makes nothing");
    let amount = t
        .scalar("SELECT amount FROM voucher_settlements WHERE period_start = '2026-11-15'")
        .await;
    assert_eq!(amount, 1500);
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM voucher_payments WHERE settlement_id IS NULL AND cancelled_at IS NULL")
            .await,
        0
    );

    let shop = t.browser();
    shop.login("demo2-admin", "Demo2Admin").await;
    let page = shop.get("/vouchers/settlement").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.text("[data-testid=amount-2026-11-15]").as_deref(), Some("1,500円"));
    assert_eq!(
        page.text("[data-testid=cycle-KSW]").as_deref(),
        Some("毎月1日〜14日分：当月末日払い／15日〜末日分：翌月15日払い")
    );
    let (status, csv) = shop.get_bytes("/vouchers/settlement/KSW/2026-11-15.csv").await;
    assert_eq!(status, 200);
    let text = String::from_utf8(csv).unwrap();
    let last = text.trim_end().lines().last().unwrap().to_string();
    assert!(
        last.starts_with("合計（対象期間 2026-11-15〜2026-11-30 支払予定日 2026-12-15）"),
        "{last}"
    );
    assert_eq!(
        last.split(',').nth(5),
        Some("1500"),
        "the statement's total is the period's 支払金額"
    );
    assert_eq!(text.lines().count(), 1 + 2 + 1, "header, the two uncancelled payments, the total");
}

#[tokio::test]
async fn a_payment_the_platform_cancels_after_it_was_paid_is_taken_back_once_next_time() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let number = pay(&t, &w, "a", 1000).await;
    t.clock.advance(days(8));
    settlement::settle_due(&t.app).await.unwrap();
    assert_eq!(
        t.scalar("SELECT amount FROM voucher_settlements WHERE period_start = '2026-11-15'")
            .await,
        1000
    );
    cancel::cancel(&t.app, &Actor::system(), &number, "事務局対応").await.unwrap();
    t.clock.advance(days(15)); // 17 Dec: 1–14 Dec is due
    settlement::settle_due(&t.app).await.unwrap();
    assert_eq!(
        t.scalar("SELECT amount FROM voucher_settlements WHERE period_start = '2026-12-01'")
            .await,
        -1000
    );
    assert_eq!(
        t.scalar("SELECT reversals FROM voucher_settlements WHERE period_start = '2026-12-01'")
            .await,
        1
    );
    t.clock.advance(days(30));
    settlement::settle_due(&t.app).await.unwrap();
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM voucher_payments WHERE reversal_settlement_id IS NOT NULL")
            .await,
        1,
        "taken back exactly once"
    );
}

#[tokio::test]
async fn the_data_export_has_every_payment_of_the_range_in_cp932() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    for i in 0..3 {
        pay(&t, &w, &format!("k{i}"), 100 + i).await;
    }
    let shop = t.browser();
    shop.login("demo2-admin", "Demo2Admin").await;
    let (status, bytes) = shop
        .get_bytes("/vouchers/export.csv?from=2026-11-24&to=2026-11-24&encoding=cp932")
        .await;
    assert_eq!(status, 200);
    let text = encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned();
    let lines: Vec<&str> = text.trim_end().lines().collect();
    assert!(
        lines[0].starts_with("利用日時,店舗コード,店舗名,端末名,決済番号,利用金額,商品"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[1].contains("あおば書店 駅前店") && lines[1].contains(",100,"), "{}", lines[1]);
    let (status, _) = shop.get_bytes("/vouchers/export.csv?from=2026-08-01&to=2026-11-24").await;
    assert_eq!(status, 422, "more than 3 months is refused before the download starts");
}

#[tokio::test]
async fn the_qr_mount_pdf_scans_to_the_terminal_and_shows_the_store_and_passcode() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let shop = t.browser();
    shop.login("demo2-admin", "Demo2Admin").await;
    let stores = shop.get("/settings/stores").await;
    let href = stores.attr(&format!("[data-testid=mount-{}]", w.terminal.code), "href").unwrap();
    let (status, pdf) = shop.get_bytes(&href).await;
    assert_eq!(status, 200);
    let text = crate::export::pdf_text(&pdf);
    assert!(text.contains("あおば書店 駅前店"), "{text}");
    assert!(text.contains(&w.terminal.passcode), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mount.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = std::process::Command::new("pdftoppm")
        .args([
            "-png",
            "-gray",
            "-r",
            "100",
            "-singlefile",
            file.to_str().unwrap(),
            dir.path().join("mount").to_str().unwrap(),
        ])
        .output()
        .expect("pdftoppm is installed by ./scripts/test (poppler-utils)");
    assert!(out.status.success());
    let png = std::fs::read(dir.path().join("mount.png")).unwrap();
    assert_eq!(
        crate::shop::decode_qr(&png),
        w.terminal.qr_payload,
        "the printed QR code is the terminal's"
    );
    let other = t.browser();
    other.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(other.get_bytes(&href).await.0, 404, "another merchant gets no mount");
}

#[tokio::test]
async fn a_reissued_passcode_pays_and_the_old_one_does_not() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let shop = t.browser();
    shop.login("demo2-admin", "Demo2Admin").await;
    let done = shop
        .submit(
            "/settings/stores",
            &format!("/settings/terminals/{}/passcode", w.terminal.code),
            &[],
        )
        .await;
    assert_eq!(done.status, 303);
    let stores = shop.get("/settings/stores").await;
    let new = stores.text(&format!("[data-testid=passcode-{}]", w.terminal.code)).unwrap();
    assert_ne!(new, w.terminal.passcode);
    let phone = w.phone(&t);
    let (old, _) = phone
        .post_with_key(PAY, "old", json!({"passcode": w.terminal.passcode, "amount": 100}))
        .await;
    let (fresh, _) = phone.post_with_key(PAY, "new", json!({"passcode": new, "amount": 100})).await;
    assert_eq!((old, fresh), (404, 201));
}

#[tokio::test]
async fn the_platform_dashboard_reconciles_issued_spent_and_outstanding() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    pay(&t, &w, "a", 1000).await;
    let n = pay(&t, &w, "b", 500).await;
    cancel::cancel(&t.app, &Actor::system(), &n, "").await.unwrap();
    let (_, money, _) = settlement::dashboard(&t.app, &Actor::system(), "KSW").await.unwrap();
    assert_eq!((money.issued, money.spent, money.cancelled), (10_000, 1500, 500));
    assert_eq!(money.outstanding, money.issued - money.spent + money.cancelled);
    assert_eq!(money.outstanding, 9000);
}

#[tokio::test]
async fn the_demo_programme_has_three_months_of_payments_that_reconcile() {
    let t = TestApp::spawn().await;
    let link = kippu_app::demo::vouchers::load(&t.app).await.unwrap().expect("a holder's link");
    assert!(link.contains("/v/"));
    assert!(
        kippu_app::demo::vouchers::load(&t.app).await.unwrap().is_none(),
        "loading twice adds nothing"
    );
    let (_, money, settlements) = settlement::dashboard(&t.app, &Actor::system(), "KASHIWA").await.unwrap();
    assert!(money.payments > 200, "{money:?}");
    assert!(money.cancelled > 0);
    assert_eq!(money.outstanding, money.issued - money.spent + money.cancelled);
    assert!(settlements.iter().all(|(code, _)| code == "DEMO2"));
    assert!(settlements.len() >= 4, "the due periods are settled");
    let earliest = t.scalar("SELECT MIN(paid_at) FROM voucher_payments").await;
    assert!(t.app.now_ms() - earliest > 80 * 24 * 3_600_000, "about three months back");
    let latest = t.scalar("SELECT MAX(paid_at) FROM voucher_payments").await;
    assert!(t.app.now_ms() - latest < 24 * 3_600_000, "and up to today: the balances last");
}
