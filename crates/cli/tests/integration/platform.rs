//! The platform operator: deposits (single, bulk, bank-statement CSV) and cancel requests.

use crate::harness::{Browser, TestApp, unique_email};
use serde_json::json;

async fn order(t: &TestApp, token: &str, method: &str) -> String {
    let (s, o) = t
        .api(token)
        .post(
            "/api/v1/orders",
            json!({"product_code": "WT-BASIC", "quantity": 2, "payment_method": method, "card_token": "tok_visa",
                   "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("p"), "phone": "090-1234-5678"}}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    o["order_number"].as_str().unwrap().to_string()
}

async fn upload(b: &Browser, bytes: Vec<u8>) -> crate::harness::Page {
    b.upload("/platform/deposits", "/platform/deposits/import", bytes).await
}

#[tokio::test]
async fn bank_statement_csv_confirms_matching_deposits_and_reports_the_rest() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO1")).await;
    let a = order(&t, &token, "bank_platform").await;
    let b_ = order(&t, &token, "bank_platform").await;
    let c = order(&t, &token, "bank_store").await;
    let op = t.browser();
    op.login("operator", "Operator2026").await;
    let list = op.get("/platform/deposits").await;
    assert!(list.body.contains(&a) && list.body.contains(&b_) && !list.body.contains(&format!("data-order=\"{c}\"")));

    // One malformed line: the whole file is refused, every bad line named, nothing applied.
    let bad = format!("日付,金額,振込依頼人,摘要\n2026-11-24,4000,ﾔﾏﾀﾞ ﾊﾅｺ,{a}\n2026-11-31,4000,x,{b_}\n2026-11-24,四千,x,y\n");
    let r = upload(&op, bad.into_bytes()).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("3行目 日付"), "{}", r.body);
    assert!(r.body.contains("4行目 金額"));
    let api = t.api(&token);
    assert_eq!(
        api.get(&format!("/api/v1/orders/{a}")).await.1["status"],
        "unpaid",
        "nothing applied"
    );

    // A good file in CP932: one match, every other line reported with its reason.
    let good = format!(
        "日付,金額,振込依頼人,摘要\n2026/11/24,\"4,000\",ﾔﾏﾀﾞ ﾊﾅｺ,ﾌﾘｺﾐ {a}\n2026-11-24,3000,ｻﾄｳ,{b_}\n2026-11-24,4000,ﾀﾅｶ,ﾒﾓﾅｼ\n2026-11-24,4000,ｽｽﾞｷ,{c}\n2026-11-24,4000,x,T99999999999999\n"
    );
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&good);
    let r = upload(&op, bytes.into_owned()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("照合 1件 / 未照合 4件"), "{}", r.body);
    assert!(r.body.contains("金額が一致しません（受注 4000円 / 入金 3000円）"));
    assert!(r.body.contains("受注番号（T+14桁）が見つかりません"));
    assert!(r.body.contains("事務局口座への銀行振込の受注ではありません"));
    assert!(r.body.contains("受注番号 T99999999999999 の受注はありません"));
    assert_eq!(api.get(&format!("/api/v1/orders/{a}")).await.1["status"], "awaiting_send");
    assert_eq!(api.get(&format!("/api/v1/orders/{b_}")).await.1["status"], "unpaid");
    // Importing the same file again matches nothing twice.
    let r = upload(&op, bytes_of(&good)).await;
    assert!(r.body.contains("照合 0件 / 未照合 5件"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM bank_statement_imports").await, 2);

    // Merchants have no such screen.
    let m = t.browser();
    m.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(
        m.get("/platform/deposits").await.status,
        403,
        "the platform-only answer, as everywhere"
    );

    // Bulk confirmation by the operator.
    let confirm = op
        .submit(
            "/platform/deposits",
            "/orders/bulk",
            &[
                ("bulk", "confirm-deposit"),
                ("execute", "1"),
                ("order", &b_),
                ("back", "/platform/deposits"),
            ],
        )
        .await;
    assert!(confirm.body.contains("1 件を処理しました"), "{}", confirm.body);
    assert_eq!(api.get(&format!("/api/v1/orders/{b_}")).await.1["status"], "awaiting_send");
}

fn bytes_of(s: &str) -> Vec<u8> {
    encoding_rs::SHIFT_JIS.encode(s).0.into_owned()
}

#[tokio::test]
async fn the_operator_completes_cancel_requests_from_its_screen() {
    let t = TestApp::spawn().await;
    let token = t.token(Some("DEMO2")).await;
    let n = order(&t, &token, "card_capture").await;
    t.api(&token).post_empty(&format!("/api/v1/orders/{n}/cancel-request")).await;
    let op = t.browser();
    op.login("operator", "Operator2026").await;
    let list = op.get("/platform/cancel-requests").await;
    assert!(list.body.contains(&n) && list.body.contains("DEMO2 みなと食堂") && list.body.contains("申請手数料 220円"));
    let page = format!("/orders/{n}/do/complete-cancel-request");
    let done = op.submit(&page, &page, &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let (_, o) = t.api(&token).get(&format!("/api/v1/orders/{n}")).await;
    assert_eq!(o["status"], "cancelled");
    assert_eq!(o["refunded_amount"], 4000);
    assert!(
        !op.get("/platform/cancel-requests")
            .await
            .body
            .contains(&format!("data-order=\"{n}\""))
    );
}
