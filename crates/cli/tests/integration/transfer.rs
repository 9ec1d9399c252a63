//! 譲渡 by the buyer from "my web tickets": the new holder is emailed a link to their own page
//! with the ticket's QR code; the orderer's page then names the holder and no longer shows it.

use crate::harness::{Browser, TestApp, unique_email, wait_for_mail};
use serde_json::json;

/// A paid order of two tickets; its "my web tickets" path and ticket numbers.
async fn paid_order(t: &TestApp) -> (String, Vec<String>) {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let body = json!({"product_code": "WT-BASIC", "quantity": 2, "payment_method": "card_capture", "card_token": "tok_visa",
        "customer": {"name": "山田 花子", "kana": "ヤマダ ハナコ", "email": unique_email("tr"), "phone": "090-1234-5678"}});
    let (s, o) = api.post("/api/v1/orders", body).await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap();
    let token: String = {
        let mut c = t.conn().await;
        sqlx::query_scalar("SELECT access_token FROM orders WHERE order_number = $1")
            .bind(number)
            .fetch_one(&mut *c)
            .await
            .unwrap()
    };
    let tickets = o["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ticket_number"].as_str().unwrap().to_string())
        .collect();
    (format!("/my/tickets/{token}"), tickets)
}

async fn give(b: &Browser, page: &str, ticket: &str, name: &str, email: &str) -> crate::harness::Page {
    b.submit(
        page,
        &format!("{page}/transfer"),
        &[("ticket", ticket), ("holder_name", name), ("holder_email", email)],
    )
    .await
}

#[tokio::test]
async fn the_buyer_gives_a_ticket_and_the_new_holder_gets_it_by_email() {
    let t = TestApp::spawn().await;
    let (page, tickets) = paid_order(&t).await;
    let buyer = t.browser();

    // Both fields wrong: both said beside their inputs, in the ticket's card, nothing changes.
    let bad = give(&buyer, &page, &tickets[0], "", "not-an-email").await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.text("[data-testid=err-holder_name]").is_some(), "{}", bad.body);
    assert!(bad.text("[data-testid=err-holder_email]").is_some());
    assert_eq!(bad.attr("input[name=holder_email]", "value").as_deref(), Some("not-an-email"));

    let email = unique_email("holder");
    let done = give(&buyer, &page, &tickets[0], "鈴木 一郎", &email).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let mine = buyer.get(&page).await;
    assert!(mine.text("[data-testid=flash-message]").unwrap().contains("鈴木 一郎"));
    assert_eq!(
        mine.text(&format!("[data-testid=holder-{}]", tickets[0])).as_deref(),
        Some("鈴木 一郎")
    );
    assert!(mine.text(&format!("[data-testid=transferred-{}]", tickets[0])).is_some());
    assert!(
        !mine.body.contains(&format!("data-testid=\"qr-{}\"", tickets[0])),
        "the orderer no longer shows the given ticket's QR code"
    );
    assert!(
        mine.body.contains(&format!("data-testid=\"qr-{}\"", tickets[1])),
        "the other ticket stays"
    );
    assert_eq!(
        buyer.get(&format!("{page}/qr/{}.png", tickets[0])).await.status,
        404,
        "nor serves it"
    );

    // The new holder's email carries their own link: the ticket and its QR code.
    let mail = wait_for_mail(&email, 0).await;
    assert_eq!(mail.subject, "【さくら劇場】山田 花子様からチケットが譲渡されました");
    let start = mail.body.find("/my/ticket/").expect("the holder's link");
    let link = mail.body[start..].split_whitespace().next().unwrap().to_string();
    let holder = t.browser();
    let held = holder.get(&link).await;
    assert_eq!(held.status, 200, "{}", held.body);
    assert_eq!(held.text("[data-testid=held-holder]").as_deref(), Some("鈴木 一郎"));
    assert!(
        !held.body.contains("ヤマダ") && !held.body.contains("山田"),
        "nothing of the orderer's"
    );
    let qr = holder.client.get(format!("{}{link}/qr.png", t.base)).send().await.unwrap();
    assert_eq!(qr.headers()["content-type"], "image/png");
    assert_eq!(holder.get("/my/ticket/not-a-token").await.status, 404);

    // The merchant's order page names the holder too.
    let merchant = t.browser();
    merchant.login("demo1-admin", "Demo1Admin").await;
    let number = mine.text("[data-testid=order-number]").unwrap();
    assert!(merchant.get(&format!("/orders/{number}")).await.body.contains("鈴木 一郎"));
}

#[tokio::test]
async fn a_buyer_cannot_give_a_ticket_of_another_order_or_a_used_one() {
    let t = TestApp::spawn().await;
    let (page, _) = paid_order(&t).await;
    let (_, others) = paid_order(&t).await;
    let buyer = t.browser();
    let foreign = give(&buyer, &page, &others[0], "鈴木 一郎", &unique_email("x")).await;
    assert_eq!(foreign.status, 404, "another order's ticket is not found");

    let (page2, mine) = paid_order(&t).await;
    buyer.submit(&page2, &format!("{page2}/use"), &[("ticket", &mine[0])]).await;
    let used = give(&buyer, &page2, &mine[0], "鈴木 一郎", &unique_email("y")).await;
    assert_eq!(used.status, 409);
    assert!(used.body.contains("使用済みのチケットは譲渡できません"), "{}", used.body);
    // Without an email the buyer's transfer is refused: the new holder needs the link.
    let no_mail = give(&buyer, &page2, &mine[1], "鈴木 一郎", "").await;
    assert_eq!(no_mail.status, 422);
    assert!(no_mail.text("[data-testid=err-holder_email]").is_some());
}
