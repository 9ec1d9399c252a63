//! The call centre's demo data (`kippu serve --demo`): DEMO1's console has something in every
//! panel for 山田 花子 from the first start, and a second start adds nothing.

use crate::harness::TestApp;
use kippu_app::callcenter::subscriptions::{self as subs, courses};
use kippu_app::callcenter::{cards, interactions, notes, rejected};
use kippu_app::{Actor, ad_codes, coupons, demo, entry};
use kippu_domain::paging::Paging;

/// The app with the whole demo loaded as `serve --demo` loads it.
async fn demo_loaded() -> TestApp {
    let t = TestApp::spawn().await;
    demo::load_orders(&t.app).await.unwrap();
    assert!(demo::callcenter::load(&t.app).await.unwrap() > 0, "the first load makes the data");
    t
}

/// DEMO1's call-centre operator, as signed in.
async fn operator(t: &TestApp) -> Actor {
    let mut c = t.conn().await;
    let u = kippu_store::people::find_user_by_login(&mut c, "demo1-cc").await.unwrap().unwrap();
    kippu_app::accounts::actor_for(&u)
}

/// 山田 花子, DEMO1's first customer.
async fn hanako(t: &TestApp) -> i64 {
    t.scalar("SELECT id FROM customers WHERE email = 'hanako.yamada@example.jp'").await
}

#[tokio::test]
async fn every_console_panel_of_the_first_customer_has_something_to_show() {
    let t = demo_loaded().await;
    let (cc, c) = (operator(&t).await, hanako(&t).await);
    let page = || Paging::first(50);
    let masters = subs::list(
        &t.app,
        &cc,
        &subs::ListQuery {
            customer: Some(c),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let search = interactions::Search {
        customer: Some(c),
        ..Default::default()
    };
    let filter = rejected::filter_of(None, None, None, Some(c)).unwrap();
    let counts = [
        ("受注情報", entry::history::list(&t.app, &cc, c, page()).await.unwrap().rows.len()),
        ("定期マスタ情報", masters.rows.len()),
        (
            "対応履歴",
            interactions::list(&t.app, &cc, &search, page()).await.unwrap().rows.len(),
        ),
        ("自由メモ", notes::list(&t.app, &cc, Some(c), page()).await.unwrap().rows.len()),
        (
            "リジェクト注文情報",
            rejected::list(&t.app, &cc, &filter, page()).await.unwrap().rows.len(),
        ),
        ("登録クレジットカード", cards::list(&t.app, &cc, c).await.unwrap().len()),
    ];
    for (panel, n) in counts {
        assert!(n > 0, "{panel} is empty for 山田 花子: {counts:?}");
    }
    assert_eq!(cards::list(&t.app, &cc, c).await.unwrap().len(), 2, "two stored cards");
}

#[tokio::test]
async fn the_admin_lists_show_coupons_ad_codes_and_a_course() {
    let t = demo_loaded().await;
    let cc = operator(&t).await;
    let coupons = coupons::list(&t.app, &cc, Paging::first(50)).await.unwrap();
    let expired: Vec<_> = coupons
        .rows
        .iter()
        .filter(|r| !r.valid_to.is_empty() && r.valid_to < t.app.clock.today().to_string())
        .collect();
    assert_eq!((coupons.rows.len(), expired.len()), (4, 1), "four coupons, one expired");
    assert_eq!(ad_codes::list(&t.app, &cc, Paging::first(50)).await.unwrap().rows.len(), 3);
    assert_eq!(courses::list(&t.app, &cc).await.unwrap().len(), 1);
}

#[tokio::test]
async fn one_master_is_active_and_the_other_paused() {
    let t = demo_loaded().await;
    let cc = operator(&t).await;
    let rows = subs::list(&t.app, &cc, &subs::ListQuery::default()).await.unwrap().rows;
    let mut statuses: Vec<&str> = rows.iter().map(|m| m.status.as_str()).collect();
    statuses.sort();
    assert_eq!(statuses, ["active", "paused"]);
}

#[tokio::test]
async fn loading_the_call_centre_demo_twice_adds_nothing() {
    let t = demo_loaded().await;
    let tables = [
        "SELECT COUNT(*) FROM coupons",
        "SELECT COUNT(*) FROM ad_codes",
        "SELECT COUNT(*) FROM stored_cards",
        "SELECT COUNT(*) FROM subscriptions",
        "SELECT COUNT(*) FROM interactions",
        "SELECT COUNT(*) FROM free_memos",
        "SELECT COUNT(*) FROM rejected_orders",
        "SELECT COUNT(*) FROM orders",
    ];
    let mut before = Vec::new();
    for sql in tables {
        before.push(t.scalar(sql).await);
    }
    assert_eq!(demo::load_orders(&t.app).await.unwrap(), 0);
    assert_eq!(demo::callcenter::load(&t.app).await.unwrap(), 0, "nothing made the second time");
    let mut after = Vec::new();
    for sql in tables {
        after.push(t.scalar(sql).await);
    }
    assert_eq!(before, after);
}

/// 注文入力's 「顧客情報からコピー」 needs the prefecture and a house number: every demo customer
/// has them, with a postal code of the bundled table.
#[tokio::test]
async fn every_demo_customer_has_an_address_an_order_can_be_delivered_to() {
    let t = demo_loaded().await;
    let mut c = t.conn().await;
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT postal_code, address FROM customers")
        .fetch_all(&mut *c)
        .await
        .unwrap();
    assert!(!rows.is_empty());
    for (postal, address) in rows {
        let pref = kippu_domain::goods::fee::PREFECTURES.iter().any(|p| address.starts_with(p));
        assert!(pref && address.chars().any(|ch| ch.is_ascii_digit()), "{postal} {address}");
        assert!(kippu_app::postal::lookup(&postal).is_some(), "{postal} is in the bundled table");
    }
}
