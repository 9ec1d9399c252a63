//! 事務局's voucher screens: a programme created with its cycle, a merchant enrolled, balances
//! granted one by one and by a CSV (all or nothing, each bad line named), the dashboard.

use crate::harness::TestApp;

#[tokio::test]
async fn the_operator_creates_a_programme_enrols_a_merchant_and_grants_from_the_screens() {
    let t = TestApp::spawn().await;
    let op = t.browser();
    op.login("operator", "Operator2026").await;
    let made = op
        .submit(
            "/platform/vouchers",
            "/platform/vouchers",
            &[
                ("code", "KSW"),
                ("name", "子育て応援券"),
                ("cycle", ""),
                ("valid_from", ""),
                ("valid_to", ""),
                ("types", "EGIFT:e街ギフト"),
            ],
        )
        .await;
    assert_eq!((made.status, made.location.as_deref()), (303, Some("/platform/vouchers/KSW")));
    let enrolled = op
        .submit(
            "/platform/vouchers/KSW",
            "/platform/vouchers/KSW/merchants",
            &[("merchant", "DEMO2")],
        )
        .await;
    assert_eq!(enrolled.status, 303);
    let granted = op
        .submit(
            "/platform/vouchers/KSW",
            "/platform/vouchers/KSW/grants",
            &[("holder_name", "山田 花子"), ("amount", "5000")],
        )
        .await;
    assert_eq!(granted.status, 200, "{}", granted.body);
    let link = granted.attr("[data-testid=holder-link]", "href").unwrap();
    let phone = t.browser();
    let path = link.trim_start_matches(&t.base);
    assert_eq!(
        phone.get(path).await.text("[data-testid=voucher-balance]").as_deref(),
        Some("5,000円")
    );

    let page = op.get("/platform/vouchers/KSW").await;
    assert_eq!(page.text("[data-testid=merchants]").as_deref(), Some("DEMO2"));
    assert_eq!(page.text("[data-testid=issued]").as_deref(), Some("5,000円"));
    assert_eq!(page.text("[data-testid=outstanding]").as_deref(), Some("5,000円"));
}

#[tokio::test]
async fn a_holders_csv_with_a_bad_amount_is_refused_whole_on_the_screen() {
    let t = TestApp::spawn().await;
    let op = t.browser();
    op.login("operator", "Operator2026").await;
    op.submit(
        "/platform/vouchers",
        "/platform/vouchers",
        &[("code", "KSW"), ("name", "子育て応援券")],
    )
    .await;
    let bad = "氏名,金額\n山田 花子,5000\n佐藤 一郎,-3\n".as_bytes().to_vec();
    let refused = op.upload("/platform/vouchers/KSW", "/platform/vouchers/KSW/grants.csv", bad).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text("[data-testid=line-errors]").unwrap().contains("3行目 amount"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM voucher_grants").await, 0, "nothing granted");
    let good = "山田 花子,5000\n佐藤 一郎,3000\n".as_bytes().to_vec();
    let ok = op.upload("/platform/vouchers/KSW", "/platform/vouchers/KSW/grants.csv", good).await;
    assert_eq!(ok.status, 200);
    assert_eq!(crate::harness::html::attrs(&ok.body, "[data-testid=holder-link]", "href").len(), 2);
}

#[tokio::test]
async fn a_programme_form_with_bad_fields_names_each() {
    let t = TestApp::spawn().await;
    let op = t.browser();
    op.login("operator", "Operator2026").await;
    let p = op
        .submit(
            "/platform/vouchers",
            "/platform/vouchers",
            &[("code", "x"), ("name", ""), ("cycle", "1:0:99")],
        )
        .await;
    assert_eq!(p.status, 422);
    for f in ["code", "name", "cycle"] {
        assert!(p.text(&format!("[data-testid=err-{f}]")).is_some(), "{f}");
    }
    let merchant = t.browser();
    merchant.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(merchant.get("/platform/vouchers").await.status, 403, "the operator's only");
}
