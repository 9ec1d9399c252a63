//! 注文入力's 注文種別 (seed 003): the operator chooses 通常, 定期 (N日ごと / Nヶ月ごと D日 / N週ごと
//! 曜日) or 頒布会 (one of the merchant's courses) and, for a card payment, one of the customer's
//! stored cards; the choice is kept in the draft, the confirmation names the cycle, course and
//! card, 【注文登録】 starts the 定期マスタ the completion links, and the order's own checks name
//! a bad cycle or another customer's card beside its input.

use crate::cc_order_entry_ui::{Console, console_as};
use crate::harness::{Page, unique_email};
use scraper::{Html, Selector};
use serde_json::json;

async fn console() -> Console {
    console_as("demo1-cc", "Demo1Call", "entry-subs").await
}

/// The towel in the cart, paid by bank transfer to the customer's own address.
const BASE: [(&str, &str); 4] = [
    ("qty.G-TOWEL", "1"),
    ("payment_method", "bank_store"),
    ("ship_to", "customer"),
    ("send_mail", "1"),
];

impl Console {
    /// Posts the whole order form: the towel's fields, then `fields` (a later field wins).
    async fn post_base(&self, op: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = BASE.iter().copied().filter(|(k, _)| !fields.iter().any(|(f, _)| f == k)).collect();
        all.extend_from_slice(fields);
        self.post_op(op, &all).await
    }

    /// The towel in the cart and `fields` saved: the page as it reads after the save.
    async fn saved(&self, fields: &[(&str, &str)]) -> Page {
        let added = self.post_base("add:G-TOWEL", &[]).await;
        assert_eq!(added.status, 303, "{}", added.body);
        let saved = self.post_base("save", fields).await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        self.page().await
    }

    /// Registers a card for `customer` at the sandbox; its card id.
    async fn card(&self, customer: i64, token: &str) -> String {
        let (s, c) = self
            .api
            .post(&format!("/api/v1/customers/{customer}/cards"), json!({"token": token}))
            .await;
        assert_eq!(s, 201, "{c}");
        c["card_id"].as_str().unwrap().to_string()
    }
}

impl Console {
    /// Another customer of the same merchant.
    async fn other_customer(&self) -> i64 {
        let body =
            json!({"name": "別の 顧客", "kana": "ベツノ コキャク", "email": unique_email("entry-subs-other"), "phone": "03-7777-0999"});
        let (s, c) = self.api.post("/api/v1/customers", body).await;
        assert_eq!(s, 201, "{c}");
        c["id"].as_i64().unwrap()
    }

    /// kippu's row of the stored card `card_id`.
    async fn stored_card_row(&self, card_id: &str) -> i64 {
        let mut conn = self.t.conn().await;
        sqlx::query_scalar("SELECT id FROM stored_cards WHERE card_id = $1")
            .bind(card_id)
            .fetch_one(&mut *conn)
            .await
            .unwrap()
    }

    /// How many orders the picked customer has.
    async fn orders(&self) -> i64 {
        let mut conn = self.t.conn().await;
        sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE customer_id = $1")
            .bind(self.customer)
            .fetch_one(&mut *conn)
            .await
            .unwrap()
    }
}

/// The error shown inside the element around the input named `name` (its label, or the box of
/// the radios it belongs to).
fn error_beside(body: &str, container: &str, name: &str) -> Option<String> {
    let doc = Html::parse_document(body);
    let containers = Selector::parse(container).unwrap();
    let input = Selector::parse(&format!("[name={name}]")).unwrap();
    let error = Selector::parse(".field-error").unwrap();
    doc.select(&containers)
        .filter(|c| c.select(&input).next().is_some())
        .find_map(|c| c.select(&error).next())
        .map(|e| e.text().collect::<String>())
}

fn checked(page: &Page, testid: &str) -> bool {
    page.attr(&format!("[data-testid={testid}]"), "checked").is_some()
}

fn selected(page: &Page, select: &str) -> Option<String> {
    page.attr(&format!("select[name={select}] option[selected]"), "value")
}

#[tokio::test]
async fn the_order_kind_cycle_and_card_are_kept_in_the_draft_across_a_reload() {
    let c = console().await;
    let card = c.card(c.customer, "tok_visa").await;
    let fields = [
        ("order_kind", "regular"),
        ("cycle_kind", "weeks"),
        ("every_weeks", "2"),
        ("weekday", "tue"),
        ("payment_method", "card_capture"),
        ("card_id", card.as_str()),
    ];
    c.saved(&fields).await;
    let page = c.page().await;
    assert!(checked(&page, "kind-regular") && !checked(&page, "kind-normal"), "{}", page.body);
    assert!(checked(&page, "cycle-weeks"));
    assert_eq!(page.attr("[data-testid=every-weeks]", "value").as_deref(), Some("2"));
    assert_eq!(selected(&page, "weekday").as_deref(), Some("tue"));
    assert_eq!(page.attr("[data-testid=card-radio][checked]", "value"), Some(card));
}

#[tokio::test]
async fn the_customers_stored_cards_are_offered_with_brand_last_four_and_expiry() {
    let c = console().await;
    c.card(c.customer, "tok_visa").await;
    c.card(c.customer, "tok_jcb").await;
    let other = c.other_customer().await;
    c.card(other, "tok_master").await;
    let page = c.page().await;
    let mut words = crate::harness::html::texts(&page.body, "ul.radio-list label.radio [data-testid=card-words]");
    words.sort();
    assert_eq!(words, vec!["JCB ****0000 03/2031", "VISA ****4242 12/2030"]);
}

#[tokio::test]
async fn the_confirmation_names_the_cycle_its_first_date_and_the_card() {
    let c = console().await;
    let card = c.card(c.customer, "tok_visa").await;
    let page = c
        .saved(&[
            ("order_kind", "regular"),
            ("cycle_kind", "months"),
            ("every_months", "1"),
            ("day", "10"),
            ("payment_method", "card_capture"),
            ("card_id", card.as_str()),
        ])
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.text("[data-testid=quote-cycle]").as_deref(), Some("1ヶ月ごと 10日"));
    // The test clock's today is 2026-11-24.
    assert_eq!(page.text("[data-testid=quote-next-date]").as_deref(), Some("2026-12-10"));
    assert_eq!(page.text("[data-testid=quote-card]").as_deref(), Some("VISA ****4242 12/2030"));
}

#[tokio::test]
async fn a_regular_order_paid_by_a_stored_card_starts_a_master_the_completion_links() {
    let c = console().await;
    let card = c.card(c.customer, "tok_master").await;
    let fields = [
        ("order_kind", "regular"),
        ("cycle_kind", "days"),
        ("every_days", "30"),
        ("payment_method", "card_capture"),
        ("card_id", card.as_str()),
    ];
    c.saved(&fields).await;
    let placed = c.post_base("order", &fields).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let done = c.b.get(placed.location.as_deref().unwrap()).await;
    let href = done.attr("[data-testid=flash] a", "href").expect("a link to the master");
    let id: i64 = href.strip_prefix("/callcenter/subscriptions/").unwrap().parse().unwrap();
    let (s, m) = c.api.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(
        (m["cycle"]["kind"].as_str(), m["cycle"]["every"].as_i64(), m["next_date"].as_str()),
        (Some("days"), Some(30), Some("2026-12-24"))
    );
    assert_eq!(m["card_id"].as_i64(), Some(c.stored_card_row(&card).await), "{m}");
    assert_eq!(c.b.get(&href).await.status, 200);
}

#[tokio::test]
async fn a_course_order_starts_a_master_of_the_chosen_course() {
    let c = console().await;
    let (s, e) = c
        .api
        .post(
            "/api/v1/courses",
            json!({"code": "TOWEL3", "name": "タオル頒布会", "products": ["G-TOWEL", "G-TOWEL", "G-TOWEL"]}),
        )
        .await;
    assert_eq!(s, 201, "{e}");
    let fields = [("order_kind", "course"), ("course", "TOWEL3")];
    let page = c.saved(&fields).await;
    assert_eq!(selected(&page, "course").as_deref(), Some("TOWEL3"));
    assert_eq!(page.text("[data-testid=quote-course]").as_deref(), Some("TOWEL3 タオル頒布会"));
    let placed = c.post_base("order", &fields).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let done = c.b.get(placed.location.as_deref().unwrap()).await;
    let href = done.attr("[data-testid=flash] a", "href").unwrap();
    let id = href.strip_prefix("/callcenter/subscriptions/").unwrap();
    let (_, m) = c.api.get(&format!("/api/v1/subscriptions/{id}")).await;
    assert_eq!(m["course"].as_str(), Some("TOWEL3"), "{m}");
}

#[tokio::test]
async fn a_normal_order_starts_no_master() {
    let c = console().await;
    c.saved(&[("order_kind", "normal")]).await;
    let placed = c.post_base("order", &[("order_kind", "normal")]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let done = c.b.get(placed.location.as_deref().unwrap()).await;
    assert!(done.text("[data-testid=flash-message]").is_some());
    assert!(done.attr("[data-testid=flash] a", "href").is_none(), "{}", done.body);
    let mut conn = c.t.conn().await;
    let masters: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM subscriptions WHERE customer_id = $1")
        .bind(c.customer)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!((masters, c.orders().await), (0, 1));
}

#[tokio::test]
async fn a_cycle_of_zero_days_is_named_beside_its_input_and_nothing_is_ordered() {
    let c = console().await;
    c.saved(&[]).await;
    let refused = c
        .post_base("order", &[("order_kind", "regular"), ("cycle_kind", "days"), ("every_days", "0")])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let error = error_beside(&refused.body, "label", "every_days").expect("an error beside 日数");
    assert!(error.contains("1〜365"), "{error}");
    assert_eq!(c.orders().await, 0);
}

#[tokio::test]
async fn day_32_is_named_beside_the_day_input() {
    let c = console().await;
    let page = c
        .saved(&[
            ("order_kind", "regular"),
            ("cycle_kind", "months"),
            ("every_months", "1"),
            ("day", "32"),
        ])
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    let error = error_beside(&page.body, "label", "day").expect("an error beside お届け日");
    assert!(error.contains("1〜31"), "{error}");
    assert!(page.text("[data-testid=quote-cycle]").is_none());
}

#[tokio::test]
async fn another_customers_card_is_refused_beside_the_cards() {
    let c = console().await;
    let other = c.other_customer().await;
    let theirs = c.card(other, "tok_visa").await;
    c.saved(&[]).await;
    let refused = c
        .post_base("order", &[("payment_method", "card_capture"), ("card_id", theirs.as_str())])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let error = error_beside(&refused.body, "[data-testid=entry-cards]", "op").expect("an error beside the cards");
    assert!(error.contains(&theirs), "{error}");
    assert_eq!(c.orders().await, 0);
}

#[tokio::test]
async fn a_card_payment_without_a_chosen_card_asks_for_one_beside_the_cards() {
    let c = console().await;
    c.card(c.customer, "tok_visa").await;
    let page = c.saved(&[("payment_method", "card_capture")]).await;
    assert_eq!(page.status, 422, "{}", page.body);
    let error = error_beside(&page.body, "[data-testid=entry-cards]", "card_id").expect("an error beside the cards");
    assert!(error.contains("登録クレジットカード"), "{error}");
}
