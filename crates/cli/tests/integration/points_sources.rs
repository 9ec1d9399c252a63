//! One ledger for points (issue 22): a goods order's points (付与 on activation), the online
//! slip's 【暗証番号を入れてポイント発行】 and 手動調整 are entries of the customer's one ledger;
//! the balance, 有効取消 and the activation list agree; no link of those pages answers 404;
//! points are never activated before the order's money is in (代引: once shipped).

use crate::harness::{Browser, GoodsSettings, TestApp, html, unique_email};
use serde_json::json;

/// A goods order of DEMO1 (10 % points, activated by an admin) paid by `method`: its number
/// and its customer.
async fn goods_order(t: &TestApp, method: &str) -> (String, i64) {
    if method.starts_with("card") {
        t.card_mode("DEMO1", method).await;
    }
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api
        .post(
            "/api/v1/orders",
            json!({"product_code": "GOODS-TOWEL", "payment_method": method, "card_token": "tok_visa",
                   "customer": {"name": "髙橋 美咲", "kana": "タカハシ ミサキ", "email": unique_email("src"), "phone": "090-1234-5678",
                                "postal_code": "111-0032", "address": "東京都台東区浅草1-2-3"}}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let number = o["order_number"].as_str().unwrap().to_string();
    (number.clone(), customer_of(t, &number).await)
}

async fn customer_of(t: &TestApp, number: &str) -> i64 {
    let mut conn = t.conn().await;
    sqlx::query_scalar("SELECT customer_id FROM orders WHERE order_number = $1")
        .bind(number)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

async fn admin(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    assert_eq!(b.save_goods_settings(GoodsSettings::POINTS_BY_ADMIN).await.status, 303);
    b
}

/// The point id of order `number` on a tab of 有効化処理 (`None` when it is not there).
async fn point_on_tab(b: &Browser, number: &str, active: bool) -> Option<String> {
    let tab = if active {
        "/shipping/points?status=active"
    } else {
        "/shipping/points"
    };
    b.get(tab).await.attr(&format!("[data-testid=pick-point-{number}]"), "value")
}

/// 一括有効 (or 有効取消) of the point ids from the list.
async fn change(b: &Browser, ids: &[&str], activate: bool) -> crate::harness::Page {
    let mut fields = vec![("do", if activate { "activate" } else { "cancel" })];
    fields.extend(ids.iter().map(|id| ("id", *id)));
    b.submit("/shipping/points", "/shipping/points", &fields).await
}

struct CustomerPoints {
    balance: i64,
    deltas: Vec<i64>,
    reasons: Vec<String>,
    sources: Vec<String>,
    grant_statuses: Vec<String>,
}

async fn customer_points(b: &Browser, customer: i64) -> CustomerPoints {
    let page = b.get(&format!("/proxy/customers/{customer}/points")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    CustomerPoints {
        balance: page.text("[data-testid=balance]").unwrap().parse().unwrap(),
        deltas: html::texts(&page.body, "[data-testid=delta]")
            .iter()
            .map(|d| d.trim_start_matches('+').parse().unwrap())
            .collect(),
        reasons: html::texts(&page.body, "[data-testid=reason]"),
        sources: html::texts(&page.body, "[data-testid=source]"),
        grant_statuses: html::texts(&page.body, "[data-testid=grant-status]"),
    }
}

#[tokio::test]
async fn activation_its_undo_and_an_adjustment_keep_the_balance_the_sum_of_the_ledger() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let (number, customer) = goods_order(&t, "card_capture").await;
    let id = point_on_tab(&b, &number, false).await.expect("有効待ち");
    assert_eq!(customer_points(&b, customer).await.grant_statuses, ["有効待ち"]);

    assert_eq!(change(&b, &[&id], true).await.status, 303);
    assert_eq!(point_on_tab(&b, &number, true).await.as_deref(), Some(id.as_str()), "listed 有効");
    assert_eq!(customer_points(&b, customer).await.grant_statuses, ["有効"]);

    assert_eq!(change(&b, &[&id], false).await.status, 303);
    assert_eq!(
        point_on_tab(&b, &number, false).await.as_deref(),
        Some(id.as_str()),
        "有効待ち again"
    );
    let path = format!("/proxy/customers/{customer}/points");
    assert_eq!(b.submit(&path, &path, &[("points", "50"), ("note", "お詫び")]).await.status, 303);

    let p = customer_points(&b, customer).await;
    assert_eq!(p.balance, 50);
    assert_eq!(p.deltas, [50, -165, 165], "newest first");
    assert_eq!(p.balance, p.deltas.iter().sum::<i64>(), "the balance is the sum of the entries");
    assert_eq!(p.reasons, ["手動調整", "有効取消", "付与（有効化）"]);
    assert_eq!(p.sources, ["手動調整", "物販注文", "物販注文"]);
    assert_eq!(p.grant_statuses, ["有効待ち"], "the order's points wait again");
}

/// A web ticket paid at the venue through the API: its number, its slip and its PIN.
async fn venue_ticket(t: &TestApp) -> (String, String, String) {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let o = crate::orders::place(&api, "pay_at_venue", &unique_email("slip")).await;
    let number = crate::orders::number(&o);
    let mut conn = t.conn().await;
    let token: String = sqlx::query_scalar("SELECT access_token FROM orders WHERE order_number = $1")
        .bind(&number)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    (number, format!("/slip/{token}"), o["pin"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn the_slips_points_are_entries_of_the_customers_ledger() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let (number, slip, pin) = venue_ticket(&t).await;
    let buyer = t.browser();
    assert_eq!(buyer.submit(&slip, &slip, &[("pin", &pin)]).await.status, 200);

    let customer = customer_of(&t, &number).await;
    let p = customer_points(&b, customer).await;
    assert_eq!(
        (p.balance, p.deltas.as_slice()),
        (40, [40].as_slice()),
        "1 point per 100 yen of 4,000"
    );
    assert_eq!(p.sources, ["オンライン伝票（現地払い）"]);
    assert_eq!(p.grant_statuses, ["有効"]);
    let list = b.get("/shipping/points?status=active").await;
    assert_eq!(
        list.text(&format!("[data-testid=source-{number}]")).as_deref(),
        Some("オンライン伝票（現地払い）"),
        "listed with the goods orders' points"
    );
}

#[tokio::test]
async fn undoing_the_slips_points_takes_them_off_the_balance() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let (number, slip, pin) = venue_ticket(&t).await;
    t.browser().submit(&slip, &slip, &[("pin", &pin)]).await;
    let id = point_on_tab(&b, &number, true).await.expect("有効");
    assert_eq!(change(&b, &[&id], false).await.status, 303);
    let p = customer_points(&b, customer_of(&t, &number).await).await;
    assert_eq!((p.balance, p.deltas.as_slice()), (0, [-40, 40].as_slice()));
    assert_eq!(
        change(&b, &[&id], true).await.status,
        303,
        "a received ticket's points may come back"
    );
    assert_eq!(customer_points(&b, customer_of(&t, &number).await).await.balance, 40);
}

/// Every link of a page, own pages only (no fragments, no other sites).
fn own_links(body: &str) -> Vec<String> {
    let mut links: Vec<String> = html::attrs(body, "a[href]", "href")
        .into_iter()
        .filter(|h| h.starts_with('/'))
        .collect();
    links.sort();
    links.dedup();
    links
}

#[tokio::test]
async fn no_link_of_the_points_pages_answers_404() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let (goods, customer) = goods_order(&t, "card_capture").await;
    let (ticket, slip, pin) = venue_ticket(&t).await;
    t.browser().submit(&slip, &slip, &[("pin", &pin)]).await;
    let pages = [
        "/shipping/points".to_string(),
        "/shipping/points?status=active".to_string(),
        format!("/proxy/customers/{customer}/points"),
        format!("/proxy/customers/{}/points", customer_of(&t, &ticket).await),
    ];
    let mut checked = Vec::new();
    for page in &pages {
        let body = b.get(page).await.body;
        for link in own_links(&body) {
            let answer = b.get(&link).await.status;
            assert_eq!(answer, 200, "{link} on {page}");
            checked.push(link);
        }
    }
    for order in [format!("/shipping/orders/{goods}"), format!("/orders/{ticket}")] {
        assert!(checked.contains(&order), "{order} is linked and was checked");
    }
}

#[tokio::test]
async fn an_unpaid_bank_transfer_is_refused_with_its_reason_while_a_paid_order_in_the_same_request_activates() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let (unpaid, _) = goods_order(&t, "bank_store").await;
    let (paid, _) = goods_order(&t, "card_capture").await;
    let ids = [
        point_on_tab(&b, &unpaid, false).await.unwrap(),
        point_on_tab(&b, &paid, false).await.unwrap(),
    ];
    let report = change(&b, &[&ids[0], &ids[1]], true).await;
    assert_eq!(report.status, 200, "a refused row shows the report");
    assert_eq!(
        report
            .text(&format!("tr[data-row={unpaid}] [data-testid=report-reason]"))
            .as_deref(),
        Some("前払い銀行払い・店舗口座が未入金のため、ポイントを有効にできません（入金を確認してから有効にしてください）")
    );
    assert_eq!(
        html::attrs(&report.body, "tr.ok[data-row]", "data-row"),
        std::slice::from_ref(&paid)
    );
    assert!(point_on_tab(&b, &paid, true).await.is_some());
    assert!(point_on_tab(&b, &unpaid, false).await.is_some(), "still 有効待ち");
}

#[tokio::test]
async fn a_paid_bank_transfer_activates() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let (number, customer) = goods_order(&t, "bank_store").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, o) = api.post_empty(&format!("/api/v1/orders/{number}/mark-paid")).await;
    assert_eq!(s, 200, "{o}");
    let id = point_on_tab(&b, &number, false).await.unwrap();
    assert_eq!(change(&b, &[&id], true).await.status, 303);
    assert_eq!(customer_points(&b, customer).await.balance, 165);
}

#[tokio::test]
async fn an_authorized_card_is_refused_on_the_order_page_until_it_is_captured() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let (number, customer) = goods_order(&t, "card_auth").await;
    let id = point_on_tab(&b, &number, false).await.unwrap();
    let page = format!("/shipping/orders/{number}");
    let order_page = b.get(&page).await;
    assert!(
        order_page
            .text("[data-testid=points-not-yet]")
            .unwrap()
            .contains("与信のみで売上確定していない"),
        "the order page says why instead of offering 有効にする"
    );
    assert!(order_page.text("[data-testid=points-change]").is_none());
    // A form posted anyway (an old tab) is refused with the same reason.
    let fields = [("do", "activate"), ("id", id.as_str()), ("order", number.as_str())];
    let refused = b.submit(&page, "/shipping/points", &fields).await;
    assert_eq!(refused.location.as_deref(), Some(page.as_str()));
    let flash = b.get(&page).await.text("[data-testid=flash-message]").unwrap();
    assert!(flash.contains("与信のみで売上確定していない"), "{flash}");
    assert_eq!(customer_points(&b, customer).await.balance, 0);

    let api = t.api(&t.token(Some("DEMO1")).await);
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{number}/capture")).await.0, 200);
    assert!(
        b.get(&page).await.text("[data-testid=points-change]").is_some(),
        "有効にする offered"
    );
    b.submit(&page, "/shipping/points", &fields).await;
    assert_eq!(customer_points(&b, customer).await.balance, 165, "captured: activated");
}

#[tokio::test]
async fn cash_on_delivery_points_activate_once_the_order_is_shipped() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let (number, customer) = goods_order(&t, "cod").await;
    let id = point_on_tab(&b, &number, false).await.unwrap();
    let waiting = change(&b, &[&id], true).await;
    assert_eq!(waiting.status, 200);
    assert!(
        waiting
            .text("[data-testid=report-reason]")
            .unwrap()
            .contains("代金引換は発送済みになってから"),
        "{}",
        waiting.body
    );
    let api = t.api(&t.token(Some("DEMO1")).await);
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{number}/ship")).await.0, 200);
    assert_eq!(change(&b, &[&id], true).await.status, 303);
    assert!(customer_points(&b, customer).await.balance > 0);
}

#[tokio::test]
async fn points_usable_when_shipped_wait_for_an_unpaid_orders_payment() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let when_shipped = GoodsSettings {
        points_activation: "when_shipped",
        ..GoodsSettings::POINTS_BY_ADMIN
    };
    assert_eq!(b.save_goods_settings(when_shipped).await.status, 303);
    let (number, customer) = goods_order(&t, "bank_store").await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{number}/ship")).await.0, 200);
    assert!(point_on_tab(&b, &number, false).await.is_some(), "shipped but unpaid: 有効待ち");
    assert_eq!(api.post_empty(&format!("/api/v1/orders/{number}/mark-paid")).await.0, 200);
    assert!(point_on_tab(&b, &number, true).await.is_some(), "usable with the payment");
    assert_eq!(customer_points(&b, customer).await.balance, 165);
}

#[tokio::test]
async fn another_merchants_customer_ledger_is_not_found() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let (_, customer) = goods_order(&t, "card_capture").await;
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(other.get(&format!("/proxy/customers/{customer}/points")).await.status, 404);
    assert_eq!(b.get(&format!("/proxy/customers/{customer}/points")).await.status, 200);
}

#[tokio::test]
async fn another_merchants_points_cannot_be_activated() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let (number, _) = goods_order(&t, "card_capture").await;
    let id = point_on_tab(&b, &number, false).await.unwrap();
    let other = t.browser();
    other.login("demo2-admin", "Demo2Admin").await;
    let report = change(&other, &[&id], true).await;
    assert_eq!(report.text("[data-testid=report-reason]").as_deref(), Some("見つかりません"));
    assert!(point_on_tab(&b, &number, false).await.is_some(), "still 有効待ち");
}

/// ポイント残高・履歴 says whose points they are: the customer's name and 顧客番号, the number the
/// customer list shows.
#[tokio::test]
async fn the_points_page_names_the_customer_and_their_number() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let (id, name, number): (i64, String, i64) = sqlx::query_as(
        "SELECT c.id, c.name, c.customer_number FROM customers c JOIN merchants m ON m.id = c.merchant_id \
         WHERE m.code = 'DEMO1' ORDER BY c.id LIMIT 1",
    )
    .fetch_one(&mut *t.conn().await)
    .await
    .unwrap();
    let page = b.get(&format!("/proxy/customers/{id}/points")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let title = page.text("[data-testid=page-title]").unwrap();
    assert!(title.contains(&name) && title.contains(&format!("顧客番号 {number}")), "{title}");
}
