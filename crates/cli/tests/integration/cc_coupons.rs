//! Code coupons and AD codes (seed 003): the merchant admin manages them on the pages and over
//! the API; an order asks whether a coupon applies (the discount, or the refusal in words) and
//! records its use in its own transaction, counted so the last remaining use goes to one order
//! only; another merchant's coupon or AD code is not found.

use crate::harness::{Browser, TestApp, html, unique_email};
use kippu_app::Actor;
use kippu_app::coupons::{self, ForOrder};
use kippu_domain::CustomerId;
use kippu_domain::MerchantId;
use kippu_domain::account::Role;
use kippu_domain::coupon::Refusal;
use serde_json::{Value, json};

async fn merchant(t: &TestApp, code: &str) -> MerchantId {
    let mut c = t.conn().await;
    MerchantId(
        sqlx::query_scalar("SELECT id FROM merchants WHERE code = $1")
            .bind(code)
            .fetch_one(&mut *c)
            .await
            .unwrap(),
    )
}

async fn operator(t: &TestApp, code: &str) -> Actor {
    Actor::unattended(merchant(t, code).await, Role::MerchantAdmin, "cc test")
}

async fn create_coupon(t: &TestApp, body: Value) -> Value {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, c) = api.post("/api/v1/coupons", body).await;
    assert_eq!(s, 201, "{c}");
    c
}

fn coupon(code: &str) -> Value {
    json!({"code": code, "name": "冬のクーポン", "discount_kind": "yen", "discount_value": 500})
}

/// An order of DEMO1 for a new customer: (order id, customer id).
async fn order(t: &TestApp, email: &str) -> (i64, CustomerId) {
    let api = t.api(&t.token(Some("DEMO1")).await);
    let o = crate::orders::place(&api, "bank_store", email).await;
    let mut c = t.conn().await;
    let (id, customer): (i64, i64) = sqlx::query_as("SELECT id, customer_id FROM orders WHERE order_number = $1")
        .bind(crate::orders::number(&o))
        .fetch_one(&mut *c)
        .await
        .unwrap();
    (id, CustomerId(customer))
}

async fn check(t: &TestApp, code: &str, customer: Option<CustomerId>, total: i64) -> Result<i64, Refusal> {
    let a = operator(t, "DEMO1").await;
    coupons::check(
        &t.app,
        &a,
        &ForOrder {
            code,
            customer,
            goods_total: total,
        },
    )
    .await
    .unwrap()
    .map(|applied| applied.discount)
}

/// Records the use inside a transaction of its own, committed when the use is.
async fn use_coupon(t: &TestApp, code: &str, order: i64, customer: CustomerId, total: i64) -> Result<i64, kippu_app::AppError> {
    let m = merchant(t, "DEMO1").await;
    let mut tx = t.app.store.begin().await?;
    let applied = coupons::record_use(
        &mut tx,
        &t.app,
        m,
        order,
        &ForOrder {
            code,
            customer: Some(customer),
            goods_total: total,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(applied.discount)
}

async fn used_count(t: &TestApp, code: &str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar("SELECT used_count FROM coupons WHERE code = $1")
        .bind(code)
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

async fn admin(t: &TestApp) -> Browser {
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    b
}

#[tokio::test]
async fn a_coupon_created_over_the_api_is_listed_with_its_code_in_upper_case() {
    let t = TestApp::spawn().await;
    let c = create_coupon(&t, coupon("winter-500")).await;
    assert_eq!((c["code"].as_str(), c["enabled"].as_bool()), (Some("WINTER-500"), Some(true)));
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, list) = api.get("/api/v1/coupons").await;
    assert_eq!(s, 200);
    assert_eq!(list["items"][0]["code"], "WINTER-500", "{list}");
}

#[tokio::test]
async fn a_code_in_use_is_refused_on_the_code_field() {
    let t = TestApp::spawn().await;
    create_coupon(&t, coupon("TWICE")).await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, e) = api.post("/api/v1/coupons", coupon("twice")).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("code")), "{e}");
}

#[tokio::test]
async fn the_coupon_form_shows_each_error_beside_its_field() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let page = b
        .submit(
            "/proxy/coupons/new",
            "/proxy/coupons/new",
            &[
                ("code", "x"),
                ("name", ""),
                ("discount_kind", "percent"),
                ("discount_value", "120"),
                ("valid_from", "2026-12-31"),
                ("valid_to", "2026-12-01"),
                ("min_amount", "-5"),
            ],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    for f in ["code", "name", "discount_value", "valid_to", "min_amount"] {
        assert!(page.text(&format!("[data-testid=err-{f}]")).is_some(), "{f}");
    }
}

#[tokio::test]
async fn an_admin_creates_edits_and_switches_off_a_coupon_on_the_pages() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let fields = [
        ("code", "ｓｐｒｉｎｇ"),
        ("name", "春の10%引き"),
        ("discount_kind", "percent"),
        ("discount_value", "10"),
        ("enabled", "on"),
    ];
    let done = b.submit("/proxy/coupons/new", "/proxy/coupons/new", &fields).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let list = b.get("/proxy/coupons").await;
    assert_eq!(
        list.text("[data-testid=coupon-SPRING] [data-testid=discount]").as_deref(),
        Some("10%引き")
    );
    let id = coupons::list(&t.app, &operator(&t, "DEMO1").await, kippu_domain::paging::Paging::first(10))
        .await
        .unwrap()
        .rows[0]
        .id;
    let mut edited = fields.to_vec();
    edited[3] = ("discount_value", "15");
    let path = format!("/proxy/coupons/{id}");
    assert_eq!(b.submit(&path, &path, &edited).await.status, 303);
    let off = b
        .submit("/proxy/coupons", &format!("/proxy/coupons/{id}/switch"), &[("on", "0")])
        .await;
    assert_eq!(off.status, 303, "{}", off.body);
    let list = b.get("/proxy/coupons").await;
    assert_eq!(
        list.text("[data-testid=coupon-SPRING] [data-testid=discount]").as_deref(),
        Some("15%引き")
    );
    assert_eq!(
        list.text("[data-testid=coupon-SPRING] [data-testid=state]").as_deref(),
        Some("停止中")
    );
    assert_eq!(check(&t, "spring", None, 10_000).await, Err(Refusal::Disabled));
}

#[tokio::test]
async fn coupon_changes_are_audited() {
    let t = TestApp::spawn().await;
    let c = create_coupon(&t, coupon("AUDITED")).await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let mut changed = coupon("AUDITED");
    changed["discount_value"] = json!(700);
    assert_eq!(api.put(&format!("/api/v1/coupons/{}", c["id"]), changed).await.0, 200);
    let mut conn = t.conn().await;
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'coupon' AND entity_id = $1 ORDER BY id")
        .bind(c["id"].to_string())
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(actions, vec!["create", "update"]);
}

#[tokio::test]
async fn staff_may_not_create_a_coupon() {
    let t = TestApp::spawn().await;
    let b = t.browser();
    b.login("demo1-staff", "Demo1Staff").await;
    assert_eq!(b.get("/proxy/coupons/new").await.status, 403);
    let page = b.get("/proxy/coupons").await;
    assert_eq!(page.status, 200);
    assert!(page.text("[data-testid=new-coupon]").is_none(), "no button for what it may not do");
}

#[tokio::test]
async fn a_percent_coupon_gives_its_share_rounded_down() {
    let t = TestApp::spawn().await;
    create_coupon(
        &t,
        json!({"code": "P15", "name": "15%", "discount_kind": "percent", "discount_value": 15}),
    )
    .await;
    assert_eq!(check(&t, "ｐ１５", None, 3333).await, Ok(499));
}

#[tokio::test]
async fn a_fixed_coupon_never_takes_more_than_the_goods_total() {
    let t = TestApp::spawn().await;
    create_coupon(&t, coupon("BIG")).await;
    assert_eq!(check(&t, "BIG", None, 300).await, Ok(300));
}

#[tokio::test]
async fn an_expired_coupon_is_refused_in_words() {
    let t = TestApp::spawn().await;
    let mut body = coupon("OLD");
    body["valid_to"] = json!("2026-11-23");
    create_coupon(&t, body).await;
    let r = check(&t, "OLD", None, 5000).await.unwrap_err();
    assert_eq!(r.said().ja, "このクーポンの有効期限（2026-11-23まで）を過ぎています");
}

#[tokio::test]
async fn below_the_minimum_amount_a_coupon_is_refused() {
    let t = TestApp::spawn().await;
    let mut body = coupon("MIN3000");
    body["min_amount"] = json!(3000);
    create_coupon(&t, body).await;
    assert_eq!(check(&t, "MIN3000", None, 2999).await, Err(Refusal::BelowMinimum(3000)));
    assert_eq!(check(&t, "MIN3000", None, 3000).await, Ok(500));
}

#[tokio::test]
async fn a_customer_uses_a_coupon_only_as_often_as_allowed() {
    let t = TestApp::spawn().await;
    let mut body = coupon("ONCE");
    body["per_customer"] = json!(1);
    create_coupon(&t, body).await;
    let email = unique_email("coupon");
    let (first, customer) = order(&t, &email).await;
    let (second, same) = order(&t, &email).await;
    assert_eq!(customer, same);
    assert_eq!(use_coupon(&t, "ONCE", first, customer, 5000).await.unwrap(), 500);
    assert_eq!(check(&t, "ONCE", Some(customer), 5000).await, Err(Refusal::UsedUpByCustomer(1)));
    let e = use_coupon(&t, "ONCE", second, customer, 5000).await.unwrap_err();
    assert!(e.said().ja.contains("上限の1回"), "{e}");
    assert_eq!(used_count(&t, "ONCE").await, 1, "the refused use is not counted");
}

#[tokio::test]
async fn a_second_coupon_on_one_order_is_refused() {
    let t = TestApp::spawn().await;
    create_coupon(&t, coupon("FIRST")).await;
    create_coupon(&t, coupon("SECOND")).await;
    let (o, customer) = order(&t, &unique_email("coupon")).await;
    use_coupon(&t, "FIRST", o, customer, 5000).await.unwrap();
    let e = use_coupon(&t, "SECOND", o, customer, 5000).await.unwrap_err();
    assert_eq!(e.said().ja, "クーポンは1注文に1枚までです");
    assert_eq!(used_count(&t, "SECOND").await, 0);
}

#[tokio::test]
async fn the_last_remaining_use_goes_to_one_of_two_concurrent_orders() {
    let t = TestApp::spawn().await;
    let mut body = coupon("LAST1");
    body["total_limit"] = json!(1);
    create_coupon(&t, body).await;
    let (a, ca) = order(&t, &unique_email("race")).await;
    let (b, cb) = order(&t, &unique_email("race")).await;
    let (ra, rb) = tokio::join!(use_coupon(&t, "LAST1", a, ca, 5000), use_coupon(&t, "LAST1", b, cb, 5000));
    assert_eq!(
        [ra.is_ok(), rb.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "one wins: {ra:?} {rb:?}"
    );
    let refused = ra.err().or(rb.err()).unwrap();
    assert_eq!(refused.said().ja, Refusal::UsedUp.said().ja);
    assert_eq!(used_count(&t, "LAST1").await, 1);
    let mut c = t.conn().await;
    let uses: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM coupon_uses u JOIN coupons c ON c.id = u.coupon_id WHERE c.code = 'LAST1'")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(uses, 1);
}

#[tokio::test]
async fn another_merchants_coupon_is_not_found() {
    let t = TestApp::spawn().await;
    let c = create_coupon(&t, coupon("MINE")).await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    assert_eq!(other.put(&format!("/api/v1/coupons/{}", c["id"]), coupon("MINE")).await.0, 404);
    let (_, list) = other.get("/api/v1/coupons").await;
    assert_eq!(list["total"], 0, "{list}");
    let a = operator(&t, "DEMO2").await;
    let r = coupons::check(
        &t.app,
        &a,
        &ForOrder {
            code: "MINE",
            customer: None,
            goods_total: 5000,
        },
    )
    .await
    .unwrap();
    assert_eq!(r, Err(Refusal::Unknown));
    let b = t.browser();
    b.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(b.get(&format!("/proxy/coupons/{}", c["id"])).await.status, 404);
}

#[tokio::test]
async fn an_ad_code_is_created_edited_and_listed_over_the_api() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (s, a) = api
        .post(
            "/api/v1/ad-codes",
            json!({"code": "news-12", "name": "新聞広告 12月", "valid_to": "2026-12-31"}),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["code"], "NEWS-12");
    let (s, e) = api
        .put(
            &format!("/api/v1/ad-codes/{}", a["id"]),
            json!({"code": "NEWS-12", "name": "", "valid_from": "2026-13-01"}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["name", "valid_from"]);
    let (s, _) = api
        .put(
            &format!("/api/v1/ad-codes/{}", a["id"]),
            json!({"code": "NEWS-12", "name": "新聞広告", "enabled": false}),
        )
        .await;
    assert_eq!(s, 200);
    let (_, list) = api.get("/api/v1/ad-codes").await;
    assert_eq!(
        (list["items"][0]["name"].as_str(), list["items"][0]["enabled"].as_bool()),
        (Some("新聞広告"), Some(false))
    );
}

#[tokio::test]
async fn an_ad_code_switched_off_on_its_page_is_refused_for_orders() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let done = b
        .submit(
            "/proxy/adcodes/new",
            "/proxy/adcodes/new",
            &[("code", "TV1"), ("name", "テレビCM"), ("enabled", "on")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let a = operator(&t, "DEMO1").await;
    let row = kippu_app::ad_codes::check(&t.app, &a, "tv1").await.unwrap().unwrap();
    let off = b
        .submit("/proxy/adcodes", &format!("/proxy/adcodes/{}/switch", row.id), &[("on", "0")])
        .await;
    assert_eq!(off.status, 303);
    let list = b.get("/proxy/adcodes").await;
    assert_eq!(
        html::texts(&list.body, "[data-testid=adcode-TV1] [data-testid=state]"),
        vec!["停止中"]
    );
    assert_eq!(
        kippu_app::ad_codes::check(&t.app, &a, "TV1").await.unwrap().unwrap_err(),
        kippu_domain::adcode::Refusal::Disabled
    );
}

#[tokio::test]
async fn another_merchants_ad_code_is_not_found() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let (_, a) = api.post("/api/v1/ad-codes", json!({"code": "WEB", "name": "ウェブ広告"})).await;
    let other = t.api(&t.token(Some("DEMO2")).await);
    assert_eq!(
        other
            .put(&format!("/api/v1/ad-codes/{}", a["id"]), json!({"code": "WEB", "name": "x"}))
            .await
            .0,
        404
    );
    let b = t.browser();
    b.login("demo2-admin", "Demo2Admin").await;
    assert_eq!(b.get(&format!("/proxy/adcodes/{}", a["id"])).await.status, 404);
    let d2 = operator(&t, "DEMO2").await;
    assert!(kippu_app::ad_codes::check(&t.app, &d2, "WEB").await.unwrap().is_err());
}

#[tokio::test]
async fn the_proxy_area_links_to_what_is_built() {
    let t = TestApp::spawn().await;
    let b = admin(&t).await;
    let page = b.get("/proxy").await;
    let links = html::attrs(&page.body, "[data-testid=area-links] a", "href");
    assert_eq!(
        links,
        vec![
            "/callcenter",
            "/proxy/customers",
            "/proxy/customers/new",
            "/proxy/coupons",
            "/proxy/adcodes",
            "/proxy/report",
            "/proxy/courses",
        ]
    );
    for href in links {
        assert_eq!(b.get(&href).await.status, 200, "{href}");
    }
}
