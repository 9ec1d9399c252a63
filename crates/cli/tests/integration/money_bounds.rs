//! Every amount has a maximum (issue 25 item 7; the list is docs/decisions.md "Every amount has
//! a maximum"): a figure beyond it — up to i64::MAX — is refused where it is typed, naming the
//! field, and every page that adds amounts up keeps answering.

use crate::harness::TestApp;
use crate::voucher_world::VoucherWorld;
use kippu_domain::voucher::payment::MAX_AMOUNT;
use serde_json::json;

const I64_MAX: &str = "9223372036854775807";

async fn programme(t: &TestApp) -> crate::harness::Browser {
    let op = t.browser();
    op.login("operator", "Operator2026").await;
    op.submit(
        "/platform/vouchers",
        "/platform/vouchers",
        &[("code", "KSW"), ("name", "子育て応援券")],
    )
    .await;
    op
}

#[tokio::test]
async fn a_grant_of_i64_max_yen_is_refused_and_the_programme_page_still_opens() {
    let t = TestApp::spawn().await;
    let op = programme(&t).await;
    let refused = op
        .submit(
            "/platform/vouchers/KSW",
            "/platform/vouchers/KSW/grants",
            &[("holder_name", "山田 花子"), ("amount", I64_MAX)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("10,000,000円以下"), "{}", refused.body);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM voucher_grants").await, 0);
    assert_eq!(op.get("/platform/vouchers/KSW").await.status, 200);
}

#[tokio::test]
async fn the_largest_grant_is_taken_and_one_yen_more_is_not() {
    let t = TestApp::spawn().await;
    let op = programme(&t).await;
    let max = MAX_AMOUNT.to_string();
    let over = (MAX_AMOUNT + 1).to_string();
    for (amount, status) in [(max.as_str(), 200), (over.as_str(), 422)] {
        let r = op
            .submit(
                "/platform/vouchers/KSW",
                "/platform/vouchers/KSW/grants",
                &[("holder_name", "山田 花子"), ("amount", amount)],
            )
            .await;
        assert_eq!(r.status, status, "{amount}: {}", r.body);
    }
    let page = op.get("/platform/vouchers/KSW").await;
    assert_eq!(page.text("[data-testid=issued]").as_deref(), Some("10,000,000円"));
}

#[tokio::test]
async fn a_grants_csv_line_above_the_maximum_is_named_by_its_line() {
    let t = TestApp::spawn().await;
    let op = programme(&t).await;
    let file = format!("氏名,金額\n山田 花子,5000\n佐藤 一郎,{I64_MAX}\n");
    let refused = op
        .upload("/platform/vouchers/KSW", "/platform/vouchers/KSW/grants.csv", file.into_bytes())
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text("[data-testid=line-errors]").unwrap().contains("3行目 amount"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM voucher_grants").await, 0, "nothing granted");
}

#[tokio::test]
async fn a_voucher_payment_of_i64_max_yen_is_refused_naming_the_amount() {
    let t = TestApp::spawn().await;
    let w = VoucherWorld::new(&t).await;
    let (status, body) = w.pay_qr(&t, "big-1", json!(I64_MAX)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "amount", "{body}");
}

#[tokio::test]
async fn a_bank_statement_line_above_a_billion_yen_is_named_and_nothing_is_applied() {
    let t = TestApp::spawn().await;
    let op = t.browser();
    op.login("operator", "Operator2026").await;
    let file = format!("日付,金額,振込依頼人,摘要\n2026-11-24,4000,ﾔﾏﾀﾞ ﾊﾅｺ,x\n2026-11-24,{I64_MAX},x,y\n2026-11-24,1000000001,x,y\n");
    let r = op
        .upload("/platform/deposits", "/platform/deposits/import", file.into_bytes())
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("3行目 金額"), "{}", r.body);
    assert!(r.body.contains("4行目 金額"), "{}", r.body);
}

/// The API's amount fields, each at i64::MAX: 422 naming that field.
#[tokio::test]
async fn every_api_amount_at_i64_max_is_refused_naming_its_field() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let api = t.api(&token);
    let max = i64::MAX;
    let cases = [
        (
            "/api/v1/orders",
            json!({"product_code": "WT-BASIC", "quantity": max, "payment_method": "bank_platform",
                   "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": "big@example.jp", "phone": "090-1234-5678"}}),
            "quantity",
        ),
        (
            "/api/v1/products",
            json!({"code": "BIG-1", "name": "高すぎる券", "kind": "web_ticket", "price": max}),
            "price",
        ),
        (
            "/api/v1/coupons",
            json!({"code": "BIGMIN", "name": "下限が大きすぎる", "discount_kind": "yen", "discount_value": 100, "min_amount": max}),
            "min_amount",
        ),
        (
            "/api/v1/coupons",
            json!({"code": "BIG", "name": "大きすぎる割引", "discount_kind": "yen", "discount_value": max}),
            "discount_value",
        ),
    ];
    for (path, body, field) in cases {
        let (status, answer) = api.post(path, body).await;
        assert_eq!(status, 422, "{path}: {answer}");
        let named = answer["error"]["fields"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["field"] == field));
        assert!(named, "{path} names {field}: {answer}");
    }
}
