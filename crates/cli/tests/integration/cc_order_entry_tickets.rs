//! 注文入力 for a web ticket (seed 003, issue 23): the product search offers the merchant's web
//! tickets beside goods (「チケット」); a chosen ticket asks 枚数 (and 来場日 / 時間帯 when its
//! type is dated), no delivery address; 【注文登録】 places it through the same function as
//! `POST /api/v1/orders`, so it is 代理注文 with the operator, in S000's flow. A ticket replaces
//! the cart and goods replace the ticket: one kind of order at a time.

use crate::cc_order_entry_ui::{Console, console_as};
use crate::harness::{html, wait_for_mail};
use serde_json::json;

async fn console() -> Console {
    console_as("demo1-cc", "Demo1Call", "entry-tickets").await
}

impl Console {
    /// `code` chosen from the search (「カートに入れる」).
    async fn choose(&self, code: &str) {
        let chosen = self.post_op(&format!("add:{code}"), &[]).await;
        assert_eq!(chosen.status, 303, "{}", chosen.body);
    }

    /// A room rental (dated, with time slots) on sale from today on.
    async fn court(&self) {
        let (s, p) = self
            .api
            .post(
                "/api/v1/products",
                json!({"code": "WT-COURT", "name": "テニスコート（1時間）", "kind": "web_ticket", "ticket_type": "rental",
                       "price": 2200, "stock": 5,
                       "stock_range": {"from": "2026-11-25", "to": "2027-11-20", "slots": ["09:00", "10:00"]}}),
            )
            .await;
        assert_eq!(s, 201, "{p}");
    }

    /// A 500円 code coupon of DEMO1.
    async fn coupon(&self, code: &str) {
        let body = json!({"code": code, "name": "電話注文クーポン", "discount_kind": "yen", "discount_value": 500});
        let (s, c) = self.api.post("/api/v1/coupons", body).await;
        assert_eq!(s, 201, "{c}");
    }

    /// The customer's one order: (number, kind, entry channel, operator's login, amount, coupon set).
    async fn placed(&self) -> (String, String, String, String, i64, bool) {
        let mut conn = self.t.conn().await;
        let (number, kind, channel, login, amount, coupon): (String, String, String, String, i64, Option<i64>) = sqlx::query_as(
            "SELECT o.order_number, o.kind, o.entry_channel, u.login_id, o.amount, o.coupon_id FROM orders o \
             JOIN users u ON u.id = o.created_by WHERE o.customer_id = $1",
        )
        .bind(self.customer)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        (number, kind, channel, login, amount, coupon.is_some())
    }

    /// The product code and the number of tickets of order `number`.
    async fn tickets_of(&self, number: &str) -> (String, i64) {
        let mut conn = self.t.conn().await;
        let code: String =
            sqlx::query_scalar("SELECT l.product_code FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_number = $1")
                .bind(number)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets t JOIN orders o ON o.id = t.order_id WHERE o.order_number = $1")
            .bind(number)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        (code, n)
    }

    async fn price_of(&self, code: &str) -> i64 {
        let mut conn = self.t.conn().await;
        sqlx::query_scalar("SELECT p.price FROM products p JOIN merchants m ON m.id = p.merchant_id WHERE m.code = 'DEMO1' AND p.code = $1")
            .bind(code)
            .fetch_one(&mut *conn)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn the_product_search_offers_web_tickets_labelled_as_tickets() {
    let c = console().await;
    let found = c.b.get(&format!("{}&search=1&q=WT-BASIC", c.page_path())).await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(html::texts(&found.body, "[data-testid=ticket-badge]"), vec!["チケット"]);
    let towel = c.b.get(&format!("{}&search=1&q=G-TOWEL", c.page_path())).await;
    assert!(towel.text("[data-testid=product-found]").is_some(), "{}", towel.body);
    assert!(towel.text("[data-testid=ticket-badge]").is_none());
}

#[tokio::test]
async fn a_chosen_ticket_asks_its_quantity_and_no_delivery_address() {
    let c = console().await;
    c.choose("WT-BASIC").await;
    let page = c.page().await;
    assert_eq!(page.text("[data-testid=ticket-code]").as_deref(), Some("WT-BASIC"));
    assert_eq!(page.attr("[data-testid=ticket-quantity]", "value").as_deref(), Some("1"));
    // A basic ticket is not dated; tickets have no delivery address or delivery date.
    assert!(page.attr("[data-testid=visit-date]", "name").is_none());
    assert!(page.attr("[data-testid=entry-destination]", "data-testid").is_none());
    assert!(page.attr("[data-testid=requested-date]", "name").is_none());
}

#[tokio::test]
async fn a_ticket_order_entered_in_the_console_is_a_proxy_order_of_that_ticket_with_the_coupon_and_the_mail() {
    let c = console().await;
    c.coupon("TEL-500").await;
    c.choose("WT-BASIC").await;
    let placed = c
        .post_op(
            "order",
            &[
                ("ticket_quantity", "2"),
                ("payment_method", "bank_store"),
                ("coupon_code", "TEL-500"),
                ("memo_shop", "電話で2枚"),
                ("send_mail", "1"),
            ],
        )
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    assert_eq!(
        placed.location.as_deref(),
        Some(format!("/callcenter/orders?customer={}", c.customer).as_str())
    );
    let (number, kind, channel, login, amount, coupon) = c.placed().await;
    assert_eq!(
        (kind.as_str(), channel.as_str(), login.as_str()),
        ("web_ticket", "proxy", "demo1-cc")
    );
    assert_eq!(c.tickets_of(&number).await, ("WT-BASIC".to_string(), 2));
    assert!(coupon);
    assert_eq!(amount, c.price_of("WT-BASIC").await * 2 - 500);
    let mail = wait_for_mail(&c.email, 0).await;
    assert!(mail.body.contains(&number), "{}", mail.body);
    // The draft went with the order.
    assert!(c.page().await.text("[data-testid=cart-empty]").is_some());
}

#[tokio::test]
async fn a_dated_ticket_without_a_visit_date_is_refused_beside_that_field() {
    let c = console().await;
    c.court().await;
    c.choose("WT-COURT").await;
    let page = c.page().await;
    assert_eq!(page.attr("[data-testid=visit-date]", "type").as_deref(), Some("date"));
    assert_eq!(page.attr("[data-testid=time-slot]", "type").as_deref(), Some("time"));
    let refused = c
        .post_op(
            "order",
            &[
                ("ticket_quantity", "1"),
                ("visit_date", ""),
                ("time_slot", "09:00"),
                ("payment_method", "bank_store"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.text("[data-testid=err-visit_date]").is_some(), "{}", refused.body);
    // What was typed stays.
    assert_eq!(refused.attr("[data-testid=time-slot]", "value").as_deref(), Some("09:00"));
    assert_eq!(c.t.scalar("SELECT COUNT(*) FROM orders WHERE entry_channel = 'proxy'").await, 0);
}

#[tokio::test]
async fn a_dated_ticket_with_its_date_and_slot_is_ordered_for_that_visit() {
    let c = console().await;
    c.court().await;
    c.choose("WT-COURT").await;
    let placed = c
        .post_op(
            "order",
            &[
                ("ticket_quantity", "1"),
                ("visit_date", "2027-06-05"),
                ("time_slot", "10:00"),
                ("payment_method", "bank_store"),
            ],
        )
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let (number, ..) = c.placed().await;
    let mut conn = c.t.conn().await;
    let visit: (Option<String>, Option<String>) = sqlx::query_as("SELECT visit_date, time_slot FROM orders WHERE order_number = $1")
        .bind(&number)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(visit, (Some("2027-06-05".into()), Some("10:00".into())));
}

#[tokio::test]
async fn choosing_a_ticket_replaces_the_cart_and_goods_replace_the_ticket() {
    let c = console().await;
    c.choose("G-TOWEL").await;
    c.choose("WT-BASIC").await;
    let ticket = c.page().await;
    assert!(ticket.text("[data-testid=cart-line]").is_none(), "{}", ticket.body);
    assert_eq!(ticket.text("[data-testid=ticket-code]").as_deref(), Some("WT-BASIC"));

    c.choose("G-TOWEL").await;
    let goods = c.page().await;
    assert!(goods.text("[data-testid=ticket-code]").is_none(), "{}", goods.body);
    assert_eq!(goods.text("[data-testid=cart-code]").as_deref(), Some("G-TOWEL"));
}
