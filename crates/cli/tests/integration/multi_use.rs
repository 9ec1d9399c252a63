//! 回数券: a multi-use ticket is used once at a time, each use with its time, the remaining uses
//! shown to the merchant and the buyer, 使用済み once all are spent, and the last use undone.

use crate::harness::{TestApp, unique_email};
use serde_json::json;
use time::Duration;

#[tokio::test]
async fn a_five_lesson_ticket_is_used_lesson_by_lesson_and_the_last_use_undone() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, p) = api
        .post(
            "/api/v1/products",
            json!({"code": "WT-LESSON3", "name": "ヨガ 3回券", "kind": "web_ticket", "ticket_type": "multi_use", "uses": 3, "price": 6000, "stock": 10}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let body = json!({"product_code": "WT-LESSON3", "quantity": 1, "payment_method": "card_capture", "card_token": "tok_visa",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("mu"), "phone": "090-1234-5678"}});
    let (_, o) = api.post("/api/v1/orders", body).await;
    let number = o["order_number"].as_str().unwrap().to_string();
    let ticket = o["tickets"][0]["ticket_number"].as_str().unwrap().to_string();
    assert_eq!(
        (o["tickets"][0]["uses_total"].as_i64(), o["tickets"][0]["uses_spent"].as_i64()),
        (Some(3), Some(0))
    );

    // Three lessons on three days; the ticket is 使用済み after the third, a fourth is refused.
    for lesson in 1..=3 {
        t.clock.advance(Duration::days(1));
        let (s, after) = api.post_empty(&format!("/api/v1/tickets/{ticket}/use")).await;
        assert_eq!(s, 200, "{after}");
        let k = &after["tickets"][0];
        assert_eq!(k["uses_spent"], lesson);
        assert_eq!(k["usage"], if lesson == 3 { "used" } else { "unused" });
    }
    let (s, e) = api.post_empty(&format!("/api/v1/tickets/{ticket}/use")).await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("illegal_usage_change")));

    // The merchant undoes the last use: two spent, one left, usable again.
    let (s, after) = api.post_empty(&format!("/api/v1/tickets/{ticket}/unuse")).await;
    assert_eq!(s, 200, "{after}");
    assert_eq!(
        (after["tickets"][0]["uses_spent"].as_i64(), after["tickets"][0]["usage"].as_str()),
        (Some(2), Some("unused"))
    );

    let admin = t.browser();
    admin.login("demo1-admin", "Demo1Admin").await;
    let page = admin.get(&format!("/orders/{number}")).await;
    assert_eq!(
        page.text(&format!("[data-testid=uses-{ticket}]")).as_deref(),
        Some("2/3回 使用（残り1回）")
    );
    let times = crate::harness::html::texts(&page.body, &format!("[data-testid=use-times-{ticket}] li"));
    assert_eq!(times.len(), 2, "each remaining use with its time: {times:?}");
    assert!(
        times[0].starts_with("2026/11/25(水)") && times[1].starts_with("2026/11/26(木)"),
        "{times:?}"
    );
    assert!(
        page.text(&format!("[data-testid=unuse-{ticket}]"))
            .unwrap()
            .contains("最後の使用を取り消す")
    );

    // The buyer sees what is left and can use one more.
    let token: String = {
        let mut c = t.conn().await;
        sqlx::query_scalar("SELECT access_token FROM orders WHERE order_number = $1")
            .bind(&number)
            .fetch_one(&mut *c)
            .await
            .unwrap()
    };
    let buyer = t.browser();
    let mine = buyer.get(&format!("/my/tickets/{token}")).await;
    assert_eq!(
        mine.text(&format!("[data-testid=my-uses-{ticket}]")).as_deref(),
        Some("2/3回 使用（残り1回）")
    );
    assert_eq!(mine.text(&format!("[data-testid=use-{ticket}]")).as_deref(), Some("1回使用する"));
}

#[tokio::test]
async fn only_a_multi_use_ticket_takes_a_number_of_uses() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, e) = api
        .post(
            "/api/v1/products",
            json!({"code": "WT-B", "name": "一般", "kind": "web_ticket", "ticket_type": "basic", "uses": 5, "price": 100}),
        )
        .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("uses")));
    let (s, e) = api
        .post(
            "/api/v1/products",
            json!({"code": "WT-M", "name": "回数券", "kind": "web_ticket", "ticket_type": "multi_use", "price": 100}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (422, Some("uses")),
        "a 回数券 says how many uses"
    );
}
