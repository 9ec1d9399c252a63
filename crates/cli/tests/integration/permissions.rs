//! Each caller only what it may (the API's permission table, `web/src/api/permissions.rs`):
//! every route visited as every kind of caller, and what an OTA's channel token may do — order,
//! read its own channel's orders and bookings, and redeem where the merchant allows — and
//! nothing of a merchant administrator's.

use crate::harness::{TestApp, unique_email};
use kippu_app::access::{Access, Caller};
use serde_json::{Value, json};
use time::macros::datetime;

/// A caller as the matrix sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    Revoked,
    Suspended,
    Token(Caller),
}

struct Callers {
    merchant: String,
    channel: String,
    platform: String,
    revoked: String,
    suspended: String,
}

async fn callers(t: &TestApp) -> Callers {
    let revoked = t.token(Some("DEMO1")).await;
    {
        let mut c = t.conn().await;
        sqlx::query("UPDATE api_tokens SET revoked_at = 1 WHERE token_hash = $1")
            .bind(kippu_app::secrets::sha256_hex(&revoked))
            .execute(&mut *c)
            .await
            .unwrap();
    }
    let suspended = t.token(Some("DEMO2")).await;
    let platform = t.token(None).await;
    let (s, e) = t.api(&platform).post_empty("/api/v1/merchants/DEMO2/suspend").await;
    assert_eq!(s, 200, "{e}");
    Callers {
        merchant: t.token(Some("DEMO1")).await,
        channel: t.channel_token("DEMO1", "OTA1").await,
        platform,
        revoked,
        suspended,
    }
}

/// A path of the table with its parameters filled with values that exist nowhere.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map(|c| open + c).expect("a closed parameter");
        out.push_str(match &rest[open + 1..close] {
            "action" => "cancel",
            "id" | "destination" => "999999",
            "code" => "NOSUCH",
            _ => "T99999999999999",
        });
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

async fn call(t: &TestApp, method: &str, path: &str, token: Option<&str>) -> (u16, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = reqwest::Client::new()
        .request(m, format!("{}/api/v1{path}", t.base))
        .header("content-type", "application/json")
        .body("{}");
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let body = res.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// What the table promises a caller on a route: `Some(status)` where the gate answers, `None`
/// where the caller passes it (the handler then answers as it will, never 401 or 403 for who).
fn expected(access: Access, who: Who) -> Option<u16> {
    match (access, who) {
        (Access::Public, _) => None,
        (Access::Holder, _) => Some(401),
        (Access::Tokens(_), Who::Anonymous | Who::Revoked) => Some(401),
        (Access::Tokens(_), Who::Suspended) => Some(403),
        (a, Who::Token(c)) if a.allows(c) => None,
        (_, Who::Token(_)) => Some(403),
    }
}

#[tokio::test]
async fn every_api_route_answers_each_kind_of_caller_as_its_row_says() {
    let t = TestApp::spawn().await;
    let c = callers(&t).await;
    let who_token = [
        (Who::Anonymous, None),
        (Who::Revoked, Some(c.revoked.as_str())),
        (Who::Suspended, Some(c.suspended.as_str())),
        (Who::Token(Caller::Merchant), Some(c.merchant.as_str())),
        (Who::Token(Caller::Channel), Some(c.channel.as_str())),
        (Who::Token(Caller::Platform), Some(c.platform.as_str())),
    ];
    let table = kippu_web::api::permissions::table();
    // The router is built from the table, so a route cannot exist without its row; and every
    // operation the API document describes is a row.
    let doc: Value = serde_json::from_str(&kippu_web::api::openapi_json()).unwrap();
    let mut documented: Vec<String> = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push(format!("{} {}", method.to_uppercase(), path.trim_start_matches("/api/v1")));
        }
    }
    let mut rows: Vec<String> = table
        .iter()
        .filter(|r| r.path != "/openapi.json")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    documented.sort();
    rows.sort();
    assert_eq!(
        rows, documented,
        "the permission table and the API document list the same operations"
    );
    let mut visited = 0;
    for row in &table {
        let path = concrete(row.path);
        for (who, token) in who_token {
            let (status, body) = call(&t, row.method.as_str(), &path, token).await;
            visited += 1;
            assert!(status < 500, "{} {path} as {who:?}: {status} {body}", row.method);
            match expected(row.access, who) {
                Some(want) => assert_eq!(status, want, "{} {path} as {who:?}: {body}", row.method),
                None => assert!(
                    status != 401 && status != 403,
                    "{} {path} as {who:?} is let through by its row, got {status} {body}",
                    row.method
                ),
            }
        }
    }
    println!(
        "permission matrix: {} routes × {} callers = {visited} requests",
        table.len(),
        who_token.len()
    );
}

#[tokio::test]
async fn an_ota_token_is_refused_what_only_a_merchant_administrator_may_do() {
    let t = TestApp::spawn().await;
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    // What the probe found an OTA token doing: each is refused with the reason.
    for path in [
        "/api/v1/customers",
        "/api/v1/stores",
        "/api/v1/settlements",
        "/api/v1/outbox",
        "/api/v1/voucher-payments",
    ] {
        let (s, e) = ota.get(path).await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (403, Some("channel_token_not_allowed")),
            "GET {path}: {e}"
        );
        assert!(
            e["error"]["message"].as_str().unwrap().contains("販売チャネル（OTA）のトークン"),
            "{e}"
        );
    }
    for path in [
        "/api/v1/voucher-payments/V000000000000001/cancel",
        "/api/v1/orders/T00000000000001/refund",
        "/api/v1/bulk/send",
    ] {
        let (s, e) = ota.post(path, json!({})).await;
        assert_eq!(s, 403, "POST {path}: {e}");
    }
    let (s, e) = ota
        .upload("/api/v1/shipments/import", &[("carrier", "yamato_b2")], b"x".to_vec())
        .await;
    assert_eq!(s, 403, "{e}");
}

fn booking(date: &str, name: &str) -> Value {
    json!({"product_code": "RSV-LUNCH", "visit_date": date, "party_size": 2, "payment_method": "card_capture", "card_token": "tok_visa",
           "customer": {"name": name, "kana": "ヤマダ ハナコ", "email": unique_email("perm"), "phone": "090-2222-3333"}})
}

#[tokio::test]
async fn an_ota_token_reads_its_own_channels_orders_and_bookings_only() {
    let t = TestApp::spawn().await;
    let own = t.api(&t.token(Some("DEMO1")).await);
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    let (s, mine) = ota.post("/api/v1/orders", booking("2026-12-20", "OTA 予約")).await;
    assert_eq!(s, 201, "{mine}");
    let (s, theirs) = own.post("/api/v1/orders", booking("2026-12-20", "自社 予約")).await;
    assert_eq!(s, 201, "{theirs}");
    let mine = mine["order_number"].as_str().unwrap();
    let theirs = theirs["order_number"].as_str().unwrap();

    assert_eq!(ota.get(&format!("/api/v1/orders/{mine}")).await.0, 200);
    let (s, e) = ota.get(&format!("/api/v1/orders/{theirs}")).await;
    assert_eq!(s, 404, "another channel's order does not exist for an OTA: {e}");
    assert_eq!(
        own.get(&format!("/api/v1/orders/{mine}")).await.0,
        200,
        "the merchant sees every channel"
    );

    let (s, list) = ota.get("/api/v1/reservations?visit_from=2026-12-20&visit_to=2026-12-20").await;
    assert_eq!(s, 200, "{list}");
    let numbers: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["order_number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, vec![mine], "only its own channel's bookings");
    let (_, all) = ota
        .get("/api/v1/reservations?visit_from=2026-12-20&visit_to=2026-12-20&channel=OWN")
        .await;
    assert_eq!(all["total"], 1, "asking for another channel still reads its own: {all}");
    let (_, merchant) = own.get("/api/v1/reservations?visit_from=2026-12-20&visit_to=2026-12-20").await;
    assert_eq!(merchant["total"], 2);
}

#[tokio::test]
async fn an_ota_token_lists_only_its_own_channels_web_ticket_orders() {
    let t = TestApp::spawn().await;
    let own = t.api(&t.token(Some("DEMO1")).await);
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    let order = |name: &str| {
        json!({"product_code": "WT-BASIC", "quantity": 1, "payment_method": "card_capture", "card_token": "tok_visa",
               "customer": {"name": name, "kana": "サトウ ケンイチ", "email": unique_email("perm"), "phone": "090-1234-5678"}})
    };
    let (s, mine) = ota.post("/api/v1/orders", order("OTA 注文")).await;
    assert_eq!(s, 201, "{mine}");
    assert_eq!(own.post("/api/v1/orders", order("自社 注文")).await.0, 201);
    let (s, list) = ota.get("/api/v1/orders?per_page=100").await;
    assert_eq!(s, 200, "{list}");
    let numbers: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_number"].as_str().unwrap())
        .collect();
    assert_eq!(
        numbers,
        vec![mine["order_number"].as_str().unwrap()],
        "the demo's and the merchant's orders are not the OTA's"
    );
    let (_, all) = own.get("/api/v1/orders?per_page=1").await;
    assert!(all["total"].as_i64().unwrap() > 1, "{all}");
}

#[tokio::test]
async fn an_ota_token_redeems_its_own_bookings_only_where_the_merchant_allows() {
    let t = TestApp::spawn().await;
    let own = t.api(&t.token(Some("DEMO1")).await);
    let ota = t.api(&t.channel_token("DEMO1", "OTA1").await);
    let (_, mine) = ota.post("/api/v1/orders", booking("2026-12-20", "OTA 予約")).await;
    let (_, theirs) = own.post("/api/v1/orders", booking("2026-12-20", "自社 予約")).await;
    t.clock.set(datetime!(2026-12-20 10:00 +09:00));

    let (s, e) = ota.post("/api/v1/redemptions", json!({"code": mine["eticket_id"]})).await;
    assert_eq!((s, e["error"]["code"].as_str()), (403, Some("forbidden")), "not allowed yet: {e}");

    // The merchant allows OTA1 on 販売チャネル.
    let b = t.browser();
    b.login("demo1-admin", "Demo1Admin").await;
    let page = b.get("/reservations/channels").await;
    assert_eq!(page.text("[data-testid=redeem-OTA1]").unwrap(), "不可 許可する");
    let r = b
        .submit("/reservations/channels", "/reservations/channels/OTA1/redeem", &[("may", "1")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = b.get("/reservations/channels").await;
    assert_eq!(page.text("[data-testid=redeem-OTA1]").unwrap(), "許可 許可しない");

    let (s, e) = ota.post("/api/v1/redemptions", json!({"code": theirs["eticket_id"]})).await;
    assert_eq!(s, 404, "another channel's booking is unknown to the OTA: {e}");
    let (s, r) = ota.post("/api/v1/redemptions", json!({"code": mine["eticket_id"]})).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'set_may_redeem'").await,
        1,
        "the change is audited"
    );
}

#[tokio::test]
async fn the_platform_is_told_403_where_a_merchant_token_is_needed() {
    let t = TestApp::spawn().await;
    let platform = t.api(&t.token(None).await);
    let (s, e) = platform.get("/api/v1/customers").await;
    assert_eq!((s, e["error"]["code"].as_str()), (403, Some("merchant_token_required")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("加盟店のAPIトークン"), "{e}");
    let merchant = t.api(&t.token(Some("DEMO1")).await);
    let (s, e) = merchant
        .post("/api/v1/payment-notices/konbini", json!({"order_number": "T00000000000001"}))
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (403, Some("platform_token_required")),
        "the payment company's notice is the platform's: {e}"
    );
}
