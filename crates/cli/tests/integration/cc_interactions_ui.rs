//! 対応履歴 in the console: an operator records an entry for the picked customer from the panel,
//! the settings gear's 「(全オペレーターに影響します)」 lists are an administrator's (staff get 403),
//! a new category and column set take effect for everyone, and another merchant's entry is a 404.

use crate::cc_interactions::{add, customer};
use crate::harness::{Browser, TestApp, html};
use serde_json::json;

async fn signed_in(t: &TestApp, login: &str, password: &str) -> Browser {
    let b = t.browser();
    b.login(login, password).await;
    b
}

#[tokio::test]
async fn an_operator_records_an_entry_for_the_picked_customer_from_the_panel() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "画面 一郎").await;
    let b = signed_in(&t, "demo1-cc", "Demo1Call").await;
    let panel = format!("/callcenter/interactions?customer={}", c["id"]);
    let page = b.get(&panel).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let customer_id = c["id"].to_string();
    let done = b
        .submit(
            &panel,
            "/callcenter/interactions",
            &[
                ("customer", &customer_id),
                ("category", "メール"),
                ("summary", "変更"),
                ("content", "住所を変更したい"),
            ],
        )
        .await;
    assert_eq!(
        (done.status, done.location.as_deref()),
        (303, Some(panel.as_str())),
        "{}",
        done.body
    );
    let list = b.get(&panel).await;
    assert_eq!(html::texts(&list.body, "[data-testid=row-category]"), ["メール"]);
    let (_, p) = api.get("/api/v1/interactions").await;
    assert_eq!(p["items"][0]["operator"], "demo1-cc", "{p}");
}

#[tokio::test]
async fn a_bad_entry_form_names_each_field_and_keeps_what_was_typed() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "画面 一郎").await;
    let b = signed_in(&t, "demo1-cc", "Demo1Call").await;
    let panel = format!("/callcenter/interactions?customer={}", c["id"]);
    let customer_id = c["id"].to_string();
    let page = b
        .submit(
            &panel,
            "/callcenter/interactions",
            &[("customer", &customer_id), ("at", "昨日"), ("content", "書いた内容")],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    for field in ["at", "category", "summary"] {
        assert!(page.text(&format!("[data-testid=err-{field}]")).is_some(), "{field}: {}", page.body);
    }
    assert_eq!(page.text("[data-testid=field-content]").as_deref(), Some("書いた内容"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM interactions").await, 0);
}

#[tokio::test]
async fn staff_without_admin_settings_cannot_change_the_categories() {
    let t = TestApp::spawn().await;
    let b = signed_in(&t, "demo1-staff", "Demo1Staff").await;
    let page = b.get("/callcenter/settings").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.text("[data-testid=settings-admin-only]").is_some());
    assert!(page.text("[data-testid=settings-categories]").is_none(), "the form is not shown");
    let refused = b
        .submit(
            "/callcenter/settings",
            "/callcenter/settings",
            &[("categories", "電話\nFAX"), ("summaries", "注文"), ("csv_columns", "内容")],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM interaction_settings").await, 0);
}

#[tokio::test]
async fn an_administrators_new_category_and_column_set_apply_to_every_operator() {
    let t = TestApp::spawn().await;
    let b = signed_in(&t, "demo1-admin", "Demo1Admin").await;
    let page = b.get("/callcenter/settings").await;
    assert_eq!(
        page.text("[data-testid=settings-categories]").as_deref(),
        Some("電話 メール 手紙 その他"),
        "the defaults, one a line"
    );
    let saved = b
        .submit(
            "/callcenter/settings",
            "/callcenter/settings",
            &[
                ("categories", "電話\nFAX"),
                ("summaries", "注文\n問い合わせ"),
                ("csv_columns", "内容\n対応区分"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "設定 一郎").await;
    add(
        &api,
        json!({"customer_id": c["id"], "category": "FAX", "summary": "注文", "content": "FAXで注文"}),
    )
    .await;
    let (s, e) = api
        .post(
            "/api/v1/interactions",
            json!({"customer_id": c["id"], "category": "手紙", "summary": "注文", "content": "x"}),
        )
        .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("category")), "{e}");
    let text = api
        .get_raw("/api/v1/interactions/export.csv?encoding=utf-8")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(text.trim_start_matches('\u{feff}'), "内容,対応区分\r\nFAXで注文,FAX\r\n");
}

#[tokio::test]
async fn a_settings_list_with_a_name_twice_is_refused_naming_the_line() {
    let t = TestApp::spawn().await;
    let b = signed_in(&t, "demo1-admin", "Demo1Admin").await;
    let page = b
        .submit(
            "/callcenter/settings",
            "/callcenter/settings",
            &[
                ("categories", "電話\nFAX\n電話"),
                ("summaries", "注文"),
                ("csv_columns", "内容\n金額"),
            ],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.text("[data-testid=err-categories]").unwrap().contains("3行目"),
        "{}",
        page.body
    );
    assert!(
        page.text("[data-testid=err-csv_columns]").unwrap().contains("金額"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn another_merchants_entry_page_is_not_found() {
    let t = TestApp::spawn().await;
    let api = t.api(&t.token(Some("DEMO1")).await);
    let c = customer(&api, "画面 一郎").await;
    let e = add(
        &api,
        json!({"customer_id": c["id"], "category": "電話", "summary": "注文", "content": "一郎さん"}),
    )
    .await;
    let own = signed_in(&t, "demo1-cc", "Demo1Call").await;
    let page = own.get(&format!("/callcenter/interactions/{}", e["id"])).await;
    assert_eq!(page.text("[data-testid=detail-content]").as_deref(), Some("一郎さん"));
    let other = signed_in(&t, "demo2-admin", "Demo2Admin").await;
    let page = other.get(&format!("/callcenter/interactions/{}", e["id"])).await;
    assert_eq!(page.status, 404);
    let page = other
        .submit(
            "/callcenter/interactions",
            &format!("/callcenter/interactions/{}", e["id"]),
            &[("content", "x")],
        )
        .await;
    assert_eq!(page.status, 404);
}

#[tokio::test]
async fn the_import_page_names_the_bad_lines_and_offers_the_downloads() {
    let t = TestApp::spawn().await;
    let b = signed_in(&t, "demo1-cc", "Demo1Call").await;
    let page = b
        .upload(
            "/callcenter/interactions/import",
            "/callcenter/interactions/import",
            "顧客番号,対応区分,対応概要,内容\n999,電話,注文,x\n".as_bytes().to_vec(),
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(html::texts(&page.body, "[data-testid=error-line]"), ["2"]);
    assert_eq!(html::texts(&page.body, "[data-testid=error-field]"), ["顧客番号"]);
    let (s, ops) = b.get_bytes("/callcenter/interactions/import/operators.csv?encoding=utf-8").await;
    let ops = String::from_utf8(ops).unwrap();
    assert_eq!(s, 200);
    assert!(ops.contains("demo1-cc") && !ops.contains("demo2-cc"), "{ops}");
    let (s, tpl) = b.get_bytes("/callcenter/interactions/import/template.csv?encoding=utf-8").await;
    assert_eq!(s, 200);
    assert!(
        String::from_utf8(tpl)
            .unwrap()
            .contains("顧客番号,対応日時,対応者,対応区分,対応概要,内容,受注番号")
    );
}
