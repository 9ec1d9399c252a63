//! 自由メモ: an operator's private note is theirs alone (another operator neither sees it nor can
//! change it: 404); a shared note is seen and may be edited by every operator of the merchant.

use crate::harness::{Browser, TestApp, html};

async fn signed_in(t: &TestApp, login: &str, password: &str) -> Browser {
    let b = t.browser();
    b.login(login, password).await;
    b
}

async fn note(b: &Browser, body: &str, shared: bool) {
    let mut fields = vec![("body", body)];
    if shared {
        fields.push(("shared", "1"));
    }
    let page = b.submit("/callcenter/notes", "/callcenter/notes", &fields).await;
    assert_eq!(page.status, 303, "{}", page.body);
}

async fn id_of(t: &TestApp, body: &'static str) -> i64 {
    let mut c = t.conn().await;
    sqlx::query_scalar("SELECT id FROM free_memos WHERE body = $1")
        .bind(body)
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

#[tokio::test]
async fn another_operators_private_note_is_not_visible_or_editable() {
    let t = TestApp::spawn().await;
    let cc = signed_in(&t, "demo1-cc", "Demo1Call").await;
    note(&cc, "自分だけのメモ", false).await;
    note(&cc, "みんなへのメモ", true).await;
    let mine = cc.get("/callcenter/notes").await;
    assert_eq!(
        html::texts(&mine.body, "[data-testid=note-text]"),
        ["みんなへのメモ", "自分だけのメモ"]
    );
    let admin = signed_in(&t, "demo1-admin", "Demo1Admin").await;
    let theirs = admin.get("/callcenter/notes").await;
    assert_eq!(html::texts(&theirs.body, "[data-testid=note-text]"), ["みんなへのメモ"]);
    let private = id_of(&t, "自分だけのメモ").await;
    let page = admin
        .submit(
            "/callcenter/notes",
            &format!("/callcenter/notes/{private}"),
            &[("body", "書き換え")],
        )
        .await;
    assert_eq!(page.status, 404);
    let page = admin
        .submit("/callcenter/notes", &format!("/callcenter/notes/{private}/delete"), &[])
        .await;
    assert_eq!(page.status, 404);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM free_memos").await, 2);
    let other = signed_in(&t, "demo2-admin", "Demo2Admin").await;
    let page = other.get("/callcenter/notes").await;
    assert!(
        html::texts(&page.body, "[data-testid=note-text]").is_empty(),
        "another merchant sees none"
    );
}

#[tokio::test]
async fn a_shared_note_is_edited_by_another_operator_and_stays_shared() {
    let t = TestApp::spawn().await;
    let cc = signed_in(&t, "demo1-cc", "Demo1Call").await;
    note(&cc, "みんなへのメモ", true).await;
    let id = id_of(&t, "みんなへのメモ").await;
    let admin = signed_in(&t, "demo1-admin", "Demo1Admin").await;
    let page = admin
        .submit("/callcenter/notes", &format!("/callcenter/notes/{id}"), &[("body", "追記しました")])
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let seen = cc.get("/callcenter/notes").await;
    assert_eq!(html::texts(&seen.body, "[data-testid=note-text]"), ["追記しました"]);
    assert!(
        seen.text("[data-testid=note-is-shared]").is_some(),
        "only its author makes it private"
    );
}

#[tokio::test]
async fn an_empty_note_is_refused_beside_its_field() {
    let t = TestApp::spawn().await;
    let cc = signed_in(&t, "demo1-cc", "Demo1Call").await;
    let page = cc.submit("/callcenter/notes", "/callcenter/notes", &[("body", "  ")]).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.text("[data-testid=err-body]").is_some(), "{}", page.body);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM free_memos").await, 0);
}
