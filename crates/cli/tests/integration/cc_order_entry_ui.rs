//! The console's 注文入力 and 受注情報 pages (seed 003): an operator finds goods, fills the cart,
//! prices and places the order for the picked customer (代理注文, the operator recorded), saves a
//! new address to the customer's address book, and finds the draft again after a reload, a
//! move to another panel — and gone after オールクリア.

use crate::cc_order_entry::{register, towel};
use crate::harness::{Api, Browser, Page, TestApp, html, unique_email};

/// A console world: DEMO1 with the towel on sale, a freshly registered customer (`email`), and
/// a browser signed in as `login`. Shared by the 注文入力 tests.
pub struct Console {
    pub t: TestApp,
    pub api: Api,
    pub b: Browser,
    pub customer: i64,
    pub email: String,
}

pub async fn console_as(login: &str, password: &str, tag: &str) -> Console {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    towel(&api).await;
    let email = unique_email(tag);
    let customer = register(&api, &email).await;
    let b = t.browser();
    b.login(login, password).await;
    Console {
        t,
        api,
        b,
        customer,
        email,
    }
}

async fn console() -> Console {
    console_as("demo1-admin", "Demo1Admin", "entry-ui").await
}

impl Console {
    pub fn page_path(&self) -> String {
        format!("/callcenter/order?customer={}", self.customer)
    }

    /// Posts the order form with `fields` (and the marker that it is the whole form).
    async fn post(&self, fields: &[(&str, &str)]) -> Page {
        let mut all = vec![("form", "order")];
        all.extend_from_slice(fields);
        self.b.submit(&self.page_path(), &self.page_path(), &all).await
    }

    /// Posts the order form with operation `op` and `fields`.
    pub async fn post_op(&self, op: &str, fields: &[(&str, &str)]) -> Page {
        let mut all = vec![("op", op)];
        all.extend_from_slice(fields);
        self.post(&all).await
    }

    pub async fn page(&self) -> Page {
        self.b.get(&self.page_path()).await
    }
}

#[tokio::test]
async fn an_operator_orders_goods_for_the_picked_customer_from_search_to_registration() {
    let c = console().await;
    let found = c.post(&[("op", "search"), ("q", "タオル")]).await;
    assert_eq!(found.status, 303, "{}", found.body);
    let list = c.b.get(found.location.as_deref().unwrap()).await;
    let codes = html::texts(&list.body, "[data-testid=product-found] td:nth-child(2)");
    assert!(codes.contains(&"G-TOWEL".to_string()), "{codes:?}");
    assert!(codes.iter().all(|c| c.contains("TOWEL")), "only what matches: {codes:?}");

    let added = c.post(&[("op", "add:G-TOWEL")]).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let priced = c
        .post(&[
            ("op", "save"),
            ("qty.G-TOWEL", "2"),
            ("payment_method", "bank_store"),
            ("shipping_fee", "700"),
            ("ship_to", "customer"),
            ("memo_inquiry", "電話で注文"),
            ("memo_shop", "のし不要"),
            ("send_mail", "1"),
        ])
        .await;
    assert_eq!(priced.status, 303, "{}", priced.body);
    let page = c.page().await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.text("[data-testid=quote-goods]").as_deref(), Some("6,000円"));
    assert_eq!(page.text("[data-testid=quote-total]").as_deref(), Some("6,700円"));
    assert!(
        page.text("[data-testid=quote-ship-to]")
            .unwrap()
            .contains("東京都千代田区千代田1-1")
    );

    let placed = c
        .post(&[
            ("op", "order"),
            ("qty.G-TOWEL", "2"),
            ("payment_method", "bank_store"),
            ("shipping_fee", "700"),
            ("ship_to", "customer"),
            ("memo_inquiry", "電話で注文"),
            ("memo_shop", "のし不要"),
        ])
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    assert_eq!(
        placed.location.as_deref(),
        Some(format!("/callcenter/orders?customer={}", c.customer).as_str())
    );
    let mut conn = c.t.conn().await;
    let (amount, channel, memo_shop, operator): (i64, String, String, String) = sqlx::query_as(
        "SELECT o.amount, o.entry_channel, o.memo_shop, u.login_id FROM orders o JOIN users u ON u.id = o.created_by \
         WHERE o.customer_id = $1",
    )
    .bind(c.customer)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(
        (amount, channel.as_str(), memo_shop.as_str(), operator.as_str()),
        (6700, "proxy", "のし不要", "demo1-admin")
    );
    // Unchecked 「購入者に注文完了メールを送信する」: no mail to the buyer.
    assert_eq!(
        c.t.scalar("SELECT COUNT(*) FROM outbox WHERE template_key = 'goods_thanks' AND order_id IN (SELECT id FROM orders WHERE entry_channel = 'proxy')")
            .await,
        0
    );

    let orders = c.b.get(placed.location.as_deref().unwrap()).await;
    assert_eq!(orders.status, 200, "{}", orders.body);
    assert_eq!(html::texts(&orders.body, "[data-testid=order-channel]"), vec!["代理注文"]);
    let href = orders.attr("[data-testid=order-link]", "href").unwrap();
    assert!(href.starts_with("/shipping/orders/"), "{href}");
    let detail = c.b.get(&href).await;
    assert_eq!(
        detail.text("[data-testid=entry-channel]").as_deref(),
        Some("代理注文（demo1-admin）")
    );
    assert_eq!(detail.text("[data-testid=memo-shop]").as_deref(), Some("のし不要"));
    // The order is an entry of the customer's 対応履歴, by the operator, linked to the order.
    let (category, summary, content): (String, String, String) = sqlx::query_as(
        "SELECT i.category, i.summary, i.content FROM interactions i JOIN orders o ON o.id = i.order_id \
         WHERE i.customer_id = $1 AND i.user_id = o.created_by",
    )
    .bind(c.customer)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!((category.as_str(), summary.as_str()), ("電話", "注文"));
    assert!(content.contains(&href["/shipping/orders/".len()..]), "{content}");
    drop(conn);
    // The draft went with the order.
    assert!(c.page().await.text("[data-testid=cart-empty]").is_some());
}

#[tokio::test]
async fn an_order_without_a_payment_method_is_refused_beside_the_field_and_keeps_the_cart() {
    let c = console().await;
    c.post(&[("op", "add:G-TOWEL")]).await;
    let refused = c.post(&[("op", "order"), ("qty.G-TOWEL", "3"), ("memo_shop", "残す")]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.text("[data-testid=err-payment_method]").is_some(), "{}", refused.body);
    assert_eq!(refused.attr("[data-testid=cart-qty]", "value").as_deref(), Some("3"));
    assert_eq!(refused.text("[data-testid=memo-shop]").as_deref(), Some("残す"));
    assert_eq!(c.t.scalar("SELECT COUNT(*) FROM orders WHERE entry_channel = 'proxy'").await, 0);
}

#[tokio::test]
async fn a_new_address_is_saved_to_the_customers_address_book_and_chosen() {
    let c = console().await;
    let saved = c
        .post(&[
            ("op", "address"),
            ("ship_to", "new"),
            ("dest_name", "鈴木 一郎"),
            ("dest_postal_code", "0600001"),
            ("dest_address", ""),
            ("dest_phone", "011-123-4567"),
        ])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = c.page().await;
    let book = html::texts(&page.body, "label:has([data-testid=ship-to-book])");
    assert_eq!(book.len(), 1, "{}", page.body);
    assert!(
        book[0].contains("鈴木 一郎") && book[0].contains("060-0001") && book[0].contains("北海道"),
        "{book:?}"
    );
    assert_eq!(page.attr("[data-testid=ship-to-book]", "checked").as_deref(), Some(""));
}

#[tokio::test]
async fn a_new_address_without_a_name_is_refused_beside_the_field() {
    let c = console().await;
    let refused = c.post(&[("op", "address"), ("ship_to", "new"), ("dest_postal_code", "12")]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.text("[data-testid=err-dest_name]").is_some());
    assert!(refused.text("[data-testid=err-dest_postal_code]").is_some());
    assert_eq!(c.t.scalar("SELECT COUNT(*) FROM customer_addresses").await, 0);
}

#[tokio::test]
async fn the_draft_survives_a_reload_and_another_panel_and_all_clear_empties_it() {
    let c = console().await;
    c.post(&[("op", "add:G-TOWEL")]).await;
    c.post(&[("op", "save"), ("qty.G-TOWEL", "4"), ("coupon_code", "WINTER")]).await;
    let orders = c.b.get(&format!("/callcenter/orders?customer={}", c.customer)).await;
    assert_eq!(orders.status, 200);
    let page = c.page().await;
    assert_eq!(page.attr("[data-testid=cart-qty]", "value").as_deref(), Some("4"));
    assert_eq!(page.attr("[data-testid=coupon-code]", "value").as_deref(), Some("WINTER"));

    let cleared = c.b.submit(&c.page_path(), "/callcenter/clear", &[]).await;
    assert_eq!((cleared.status, cleared.location.as_deref()), (303, Some("/callcenter")));
    assert!(c.page().await.text("[data-testid=cart-empty]").is_some());
}

#[tokio::test]
async fn another_merchants_customer_has_no_order_entry_or_orders() {
    let c = console().await;
    let other = c.t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(other.get(&c.page_path()).await.status, 404);
    assert_eq!(other.get(&format!("/callcenter/orders?customer={}", c.customer)).await.status, 404);
}

#[tokio::test]
async fn a_customer_registered_from_the_console_comes_back_picked() {
    let c = console().await;
    let reception = c.b.get("/callcenter").await;
    let new = reception.attr("[data-testid=new-customer]", "href").unwrap();
    assert_eq!(new, "/proxy/customers/new?back=console");
    let email = unique_email("entry-ui");
    let done =
        c.b.submit(
            &new,
            "/proxy/customers/new",
            &[
                ("back", "console"),
                ("name", "佐藤 次郎"),
                ("kana", "サトウ ジロウ"),
                ("email", &email),
                ("phone", "03-7777-0301"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let mut conn = c.t.conn().await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(&email)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(done.location, Some(format!("/callcenter?customer={id}")));
}
