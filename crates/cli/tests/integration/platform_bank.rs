//! 事務局口座 (issue 22): the platform operator keeps the account 銀行振込・事務局口座 orders are
//! told to pay into, on its own screen under 設定, each field checked beside it; the next
//! bank_platform order's payment instructions show it; a merchant finds no such page.

use crate::harness::{TestApp, unique_email};
use serde_json::json;

const PAGE: &str = "/platform/bank-account";

#[tokio::test]
async fn the_operator_sets_the_platform_account_and_the_next_bank_platform_order_is_told_to_pay_into_it() {
    let t = TestApp::spawn().await;
    let op = t.browser();
    op.login("operator", "Operator2026").await;
    let settings = op.get("/settings").await;
    assert!(settings.body.contains(&format!("href=\"{PAGE}\"")), "linked from 設定");

    let bad = op
        .submit(
            PAGE,
            PAGE,
            &[
                ("bank_name", ""),
                ("branch_name", "本店営業部"),
                ("account_kind", "savings"),
                ("account_number", "12345"),
                ("account_holder", "Kippu Jimukyoku"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    for field in ["bank_name", "account_kind", "account_number", "account_holder"] {
        assert!(bad.text(&format!("[data-testid=err-{field}]")).is_some(), "{field}: {}", bad.body);
    }
    assert!(bad.text("[data-testid=err-branch_name]").is_none());
    assert_eq!(
        bad.attr("[data-testid=account_number]", "value").as_deref(),
        Some(""),
        "never echoed"
    );

    let ok = op
        .submit(
            PAGE,
            PAGE,
            &[
                ("bank_name", "みずほ銀行"),
                ("branch_name", "本店営業部"),
                ("account_kind", "checking"),
                ("account_number", "１２３－４５６７"),
                ("account_holder", "きっぷじむきょく"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let page = op.get(PAGE).await;
    assert_eq!(
        page.text("[data-testid=bank-now]").as_deref(),
        Some("現在の振込先: みずほ銀行 本店営業部 当座 ****567 キップジムキョク")
    );
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'platform_bank' AND after_json LIKE '%****567%'")
            .await,
        1,
        "audited, the number masked"
    );
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%1234567%'").await,
        0
    );

    // Saving again without a number keeps it.
    let kept = op
        .submit(
            PAGE,
            PAGE,
            &[
                ("bank_name", "みずほ銀行"),
                ("branch_name", "丸の内支店"),
                ("account_kind", "checking"),
                ("account_number", ""),
                ("account_holder", "キップジムキョク"),
            ],
        )
        .await;
    assert_eq!(kept.status, 303, "{}", kept.body);

    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "bank_platform",
                   "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("pbank"), "phone": "090-1234-5678"}}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(
        o["payment_instructions"]["account"],
        json!({"bank": "みずほ銀行", "branch": "丸の内支店", "type": "checking", "number": "1234567", "holder": "キップジムキョク"})
    );
}

#[tokio::test]
async fn a_merchant_finds_no_platform_account_page() {
    let t = TestApp::spawn().await;
    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(admin.get(PAGE).await.status, 404);
    let tried = admin
        .post(
            PAGE,
            &[
                ("_csrf", admin.get("/settings").await.csrf().as_str()),
                ("bank_name", "悪い銀行"),
                ("branch_name", "本店"),
                ("account_kind", "ordinary"),
                ("account_number", "7654321"),
                ("account_holder", "ワルイ"),
            ],
        )
        .await;
    assert_eq!(tried.status, 404);
    assert!(!admin.get("/settings").await.body.contains(PAGE), "not linked for a merchant");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'platform_bank'").await, 0);
}
